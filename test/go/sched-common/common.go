// Package schedcommon holds what the sched-* test programs share: program chatter that is
// interleaved with the runtime's GODEBUG trace lines on the same stream, and the exit report
// that the agreement tests compare with the gctrace lines.
package schedcommon

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// Duration is how long the workload runs. Short by default: the fixtures must stay small and the
// tests must stay fast on a 2-core machine shared with other jobs.
var Duration = flag.Duration("duration", 1200*time.Millisecond, "how long the workload runs")

// Chatter writes program output to stdout and stderr until stop is closed, in the shapes a
// parser of the mixed stream must keep apart from runtime lines:
//   - whole lines on stdout and stderr;
//   - a line written in two parts with a pause in between, so the runtime's trace line lands
//     after the first part, in the middle of the program's line (the parser must cut the trace
//     line out and give the program text back);
//   - near misses: lines that start like trace lines but are not (must stay program output);
//   - non-ASCII text, so a byte-chunked reader has to handle split UTF-8 sequences.
func Chatter(stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	nearMisses := []string{
		"SCHED is a word I use in my own logs",
		"gc 7 is not a GC line @ all",
		"scav: my own scavenger hunt",
		"  P0: my own indented P line",
		"  G1: status=unknown",
		"gc 1 @0.001s 0%: my output, not the runtime's",
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		switch i % 5 {
		case 0:
			fmt.Fprintf(os.Stdout, "stdout line %d: état ✓ 日本語\n", i)
		case 1:
			fmt.Fprintf(os.Stderr, "stderr line %d\n", i)
		case 2:
			// The pause is longer than the schedtrace interval used by the fixtures (100 ms),
			// so a SCHED line (or a whole scheddetail block) is printed mid-line here.
			fmt.Fprintf(os.Stderr, "partial %d: working...", i)
			sleepOrStop(stop, 130*time.Millisecond)
			fmt.Fprintf(os.Stderr, " done\n")
		case 3:
			// Two near misses per round, so a one-second run shows them all.
			fmt.Fprintln(os.Stderr, nearMisses[(2*(i/5))%len(nearMisses)])
			fmt.Fprintln(os.Stdout, nearMisses[(2*(i/5)+1)%len(nearMisses)])
		case 4:
			fmt.Fprintf(os.Stdout, "progress %d%%", (i*7)%100)
			sleepOrStop(stop, 110*time.Millisecond)
			fmt.Fprintf(os.Stdout, "\n")
		}
		sleepOrStop(stop, 23*time.Millisecond)
	}
}

func sleepOrStop(stop <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop:
	case <-t.C:
	}
}

// Run runs work until Duration has passed with the chatter alongside, then stops both and
// prints the exit report.
func Run(work func(stop <-chan struct{})) {
	flag.Parse()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go Chatter(stop, &wg)
	go func() { defer wg.Done(); work(stop) }()
	time.Sleep(*Duration)
	close(stop)
	wg.Wait()
	Report()
}

// Report prints one line that the agreement test reads:
//
//	golens-sched-exit gomaxprocs=N numgc=N numforcedgc=N heapalloc=B heapsys=B nextgc=B live=B stackscan=B globalsscan=B
//
// It first runs one more forced GC with nothing else allocating, so no cycle is in flight when
// the statistics are read. The runtime prints a gctrace line before it releases worldsema, and
// ReadMemStats needs worldsema, so every gc line counted in NumGC has already been written when
// this line is printed, and no later cycle starts before exit (nothing allocates any more).
// live/stackscan/globalsscan are the very variables gctrace prints for the last cycle as
// "->H2 MB", "MB stacks" and "MB globals" (heapMarked, lastStackScan, globalsScan).
func Report() {
	runtime.GC()
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
	}
	metrics.Read(samples)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stdout, "golens-sched-exit gomaxprocs=%d numgc=%d numforcedgc=%d heapalloc=%d heapsys=%d nextgc=%d live=%d stackscan=%d globalsscan=%d\n",
		runtime.GOMAXPROCS(0), ms.NumGC, ms.NumForcedGC, ms.HeapAlloc, ms.HeapSys, ms.NextGC,
		samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64())
}
