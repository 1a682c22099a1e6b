// trace-workload runs small, deterministic-in-shape Go workloads under runtime/trace and writes
// the trace to -o. Each scenario exercises different runtime events (see FORMATS.md §1), so the
// parser is tested on what real programs emit: channel/mutex/select blocking, timers, network
// and file I/O, syscalls, GC pressure and stop-the-world, user annotations, CPU samples,
// coroutine switches (iter.Pull) and thousands of goroutines.
//
// Usage: trace-workload -o out.trace [-scenarios a,b,c] [-cpuprofile]
// Run with GODEBUG=traceadvanceperiod=<ns> to get several generations in a short trace.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"time"
)

var scenarios = map[string]func(ctx context.Context){
	"chan":        chanScenario,
	"mutex":       mutexScenario,
	"select":      selectScenario,
	"timers":      timerScenario,
	"net":         netScenario,
	"file":        fileScenario,
	"syscall":     syscallScenario,
	"gc":          gcScenario,
	"annotations": annotationScenario,
	"cpu":         cpuScenario,
	"iterpull":    iterPullScenario, // a no-op before Go 1.23 (see iterpull.go)
	"many":        manyScenario,
	"procs":       procsScenario,
}

// order is the order scenarios run in when -scenarios is "all".
var order = []string{"chan", "mutex", "select", "timers", "net", "file", "syscall", "gc", "annotations", "cpu", "iterpull", "many", "procs"}

func main() {
	out := flag.String("o", "trace.out", "trace output file")
	which := flag.String("scenarios", "all", "comma-separated scenarios, or all")
	cpuprofile := flag.Bool("cpuprofile", false, "run the CPU profiler while tracing (adds CPU samples to the trace)")
	flag.Parse()

	names := order
	if *which != "all" {
		names = strings.Split(*which, ",")
	}
	for _, n := range names {
		if scenarios[n] == nil {
			fmt.Fprintf(os.Stderr, "unknown scenario %q\n", n)
			os.Exit(2)
		}
	}

	f, err := os.Create(*out)
	if err != nil {
		fail(err)
	}
	if *cpuprofile {
		// The profile itself is discarded: we want the samples the tracer records with it.
		if err := pprof.StartCPUProfile(io.Discard); err != nil {
			fail(err)
		}
	}
	if err := trace.Start(f); err != nil {
		fail(err)
	}
	ctx, task := trace.NewTask(context.Background(), "workload")
	for _, n := range names {
		trace.WithRegion(ctx, n, func() { scenarios[n](ctx) })
	}
	task.End()
	trace.Stop()
	if *cpuprofile {
		pprof.StopCPUProfile()
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// chanScenario: producers and consumers on unbuffered and buffered channels.
func chanScenario(ctx context.Context) {
	unbuffered := make(chan int)
	buffered := make(chan int, 8)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range unbuffered {
				buffered <- v * 2
			}
		}()
	}
	done := make(chan int)
	go func() {
		sum := 0
		for v := range buffered {
			sum += v
		}
		done <- sum
	}()
	for i := 0; i < 200; i++ {
		unbuffered <- i
	}
	close(unbuffered)
	wg.Wait()
	close(buffered)
	<-done
}

// mutexScenario: contended Mutex, RWMutex and a Cond.
func mutexScenario(ctx context.Context) {
	var mu sync.Mutex
	var rw sync.RWMutex
	counter := 0
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				mu.Lock()
				counter++
				spin(2000)
				mu.Unlock()
				if j%5 == 0 {
					rw.Lock()
					spin(1000)
					rw.Unlock()
				} else {
					rw.RLock()
					spin(200)
					rw.RUnlock()
				}
			}
		}(i)
	}
	wg.Wait()

	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	ready := false
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmu.Lock()
			for !ready {
				cond.Wait()
			}
			cmu.Unlock()
		}()
	}
	time.Sleep(2 * time.Millisecond)
	cmu.Lock()
	ready = true
	cond.Broadcast()
	cmu.Unlock()
	wg.Wait()
}

// selectScenario: select over several channels, with a timeout case.
func selectScenario(ctx context.Context) {
	a, b, quit := make(chan int), make(chan string), make(chan struct{})
	go func() {
		for i := 0; i < 30; i++ {
			if i%2 == 0 {
				a <- i
			} else {
				b <- fmt.Sprint(i)
			}
		}
		close(quit)
	}()
	for {
		select {
		case <-a:
		case <-b:
		case <-time.After(50 * time.Millisecond):
		case <-quit:
			return
		}
	}
}

// timerScenario: sleeps, a ticker and AfterFunc.
func timerScenario(ctx context.Context) {
	t := time.NewTicker(500 * time.Microsecond)
	for i := 0; i < 5; i++ {
		<-t.C
	}
	t.Stop()
	fired := make(chan struct{})
	time.AfterFunc(time.Millisecond, func() { close(fired) })
	<-fired
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 300 * time.Microsecond)
		}(i)
	}
	wg.Wait()
}

// netScenario: a TCP echo server and clients on loopback (goroutines block on the netpoller).
func netScenario(ctx context.Context) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				io.Copy(c, c)
			}(c)
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				fail(err)
			}
			defer c.Close()
			buf := make([]byte, 64)
			for j := 0; j < 10; j++ {
				trace.Logf(ctx, "net", "round %d", j)
				if _, err := c.Write([]byte("hello, trace")); err != nil {
					fail(err)
				}
				if _, err := io.ReadFull(c, buf[:12]); err != nil {
					fail(err)
				}
			}
		}()
	}
	wg.Wait()
	ln.Close()
}

// fileScenario: writes, syncs, reads and removes a temporary file.
func fileScenario(ctx context.Context) {
	dir, err := os.MkdirTemp("", "trace-workload")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "data")
	data := make([]byte, 256<<10)
	for i := range data {
		data[i] = byte(i)
	}
	for i := 0; i < 3; i++ {
		if err := os.WriteFile(p, data, 0o600); err != nil {
			fail(err)
		}
		f, err := os.Open(p)
		if err != nil {
			fail(err)
		}
		io.Copy(io.Discard, f)
		f.Close()
	}
}

// syscallScenario: blocking reads on a pipe, long enough for sysmon to retake the P.
func syscallScenario(ctx context.Context) {
	r, w, err := os.Pipe()
	if err != nil {
		fail(err)
	}
	done := make(chan struct{})
	go func() {
		buf := make([]byte, 16)
		for i := 0; i < 5; i++ {
			if _, err := r.Read(buf); err != nil {
				break
			}
		}
		close(done)
	}()
	for i := 0; i < 5; i++ {
		time.Sleep(3 * time.Millisecond)
		w.Write([]byte("x"))
	}
	<-done
	r.Close()
	w.Close()
	for i := 0; i < 100; i++ {
		os.Getpid()
		syscallGetppid()
	}
}

// gcScenario: allocation pressure from several goroutines (mark assists, sweeps) and
// explicit collections (stop-the-world).
func gcScenario(ctx context.Context) {
	var wg sync.WaitGroup
	var sink [4][][]byte
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 1500; j++ {
				sink[i] = append(sink[i], make([]byte, 512+j%2048))
				if len(sink[i]) > 200 {
					sink[i] = sink[i][:0]
				}
			}
		}(i)
	}
	wg.Wait()
	// One explicit collection: it stops the world, and then sweeps span by span, yielding
	// (runtime.Gosched) after each one, so a bigger heap makes a much bigger trace.
	sink = [4][][]byte{}
	runtime.GC()
}

// annotationScenario: nested tasks, regions and logs across goroutines.
func annotationScenario(ctx context.Context) {
	ctx, parent := trace.NewTask(ctx, "parent")
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cctx, child := trace.NewTask(ctx, fmt.Sprintf("child-%d", i))
			defer child.End()
			trace.WithRegion(cctx, "outer", func() {
				trace.Log(cctx, "step", "start")
				r := trace.StartRegion(cctx, "inner")
				spin(5000)
				r.End()
				trace.Logf(cctx, "step", "quoted \"%d\"\ttab", i)
			})
		}(i)
	}
	wg.Wait()
	trace.Log(ctx, "", "no category")
	parent.End()
}

// cpuScenario: CPU-bound goroutines, so the CPU profiler (if on) records samples.
func cpuScenario(ctx context.Context) {
	var wg sync.WaitGroup
	deadline := time.Now().Add(120 * time.Millisecond)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				burn()
			}
		}()
	}
	wg.Wait()
}

//go:noinline
func burn() {
	x := 0
	for i := 0; i < 100000; i++ {
		x += i * i
	}
	_ = x
}

func spin(n int) {
	x := 0
	for i := 0; i < n; i++ {
		x += i
	}
	_ = x
}

// manyScenario: thousands of short-lived goroutines.
func manyScenario(ctx context.Context) {
	const n = 2000
	results := make(chan int, 64)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results <- i % 7
		}(i)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	total := 0
	for v := range results {
		total += v
	}
	_ = total
}

// procsScenario: changes GOMAXPROCS (a stop-the-world and a ProcsChange event) and back.
func procsScenario(ctx context.Context) {
	old := runtime.GOMAXPROCS(0)
	runtime.GOMAXPROCS(old + 1)
	spin(10000)
	runtime.GOMAXPROCS(old)
}
