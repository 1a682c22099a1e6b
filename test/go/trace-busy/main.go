// trace-busy keeps many goroutines busy (channels, mutexes, allocation, timers, syscalls)
// under runtime/trace until the trace reaches -size bytes. It feeds the parser benchmark
// (scripts/bench/trace.mjs) with a large trace shaped like a real busy server's.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

// countingWriter tells the workers when the trace is big enough.
type countingWriter struct {
	f *os.File
	n atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n.Add(int64(n))
	return n, err
}

func main() {
	out := flag.String("o", "busy.trace", "trace output file")
	size := flag.Int64("size", 100<<20, "stop once the trace has this many bytes")
	workers := flag.Int("workers", 64, "worker goroutines")
	// A rate spreads the trace over several generations (the runtime starts one about every
	// second), however fast the machine: tests of generation-by-generation loading need that.
	rate := flag.Int64("rate", 0, "write at most this many trace bytes per second (0: no limit)")
	// The runtime writes CPU profile samples into the trace while the CPU profiler runs: a trace
	// with them is what "range -> CPU flame graph" needs to be measured on.
	cpu := flag.Bool("cpu", false, "run the CPU profiler during the trace, so it holds CPU samples")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := &countingWriter{f: f}
	start := time.Now()
	// throttle holds a worker while the trace is ahead of -rate.
	throttle := func() {}
	if *rate > 0 {
		throttle = func() {
			for float64(w.n.Load()) > float64(*rate)*time.Since(start).Seconds() {
				time.Sleep(time.Millisecond)
			}
		}
	}
	if err := trace.Start(w); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *cpu {
		if err := pprof.StartCPUProfile(io.Discard); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var mu sync.Mutex
	shared := map[int]int{}
	jobs := make(chan []byte, 16)
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ping := make(chan int)
			go func() {
				for v := range ping {
					_ = v
				}
			}()
			for n := 0; !stop.Load(); n++ {
				if n%64 == 0 {
					throttle()
				}
				ping <- n
				switch n % 8 {
				case 0:
					mu.Lock()
					shared[i] = n
					mu.Unlock()
				case 1:
					select {
					case jobs <- make([]byte, 256+n%4096):
					default:
					}
				case 2:
					select {
					case b := <-jobs:
						_ = b
					case <-time.After(50 * time.Microsecond):
					}
				case 3:
					os.Getpid()
				case 4:
					// A short-lived goroutine per iteration keeps creation/exit events coming.
					done := make(chan struct{})
					go func() { close(done) }()
					<-done
				}
			}
			close(ping)
		}(i)
	}
	for w.n.Load() < *size {
		time.Sleep(20 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	if *cpu {
		pprof.StopCPUProfile()
	}
	trace.Stop()
	f.Close()
}
