// pprof-kinds runs a small workload that puts data into every runtime/pprof profile kind and
// writes them all: CPU (two labelled burners, one recursive), heap and allocs (allocations kept
// live and churned, some inlined), goroutine (labelled goroutines parked on a channel), mutex
// (goroutines contending on one lock), block (a slow consumer of an unbuffered channel),
// threadcreate (goroutines locked to their own OS threads).
//
//	pprof-kinds -out DIR [-seconds 1] [-work 1]
//
// -work scales the CPU and allocation work, so two runs make a base and a changed profile.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"time"
)

var (
	sinkU64  uint64
	sinkLive [][]byte
	sinkTmp  []byte
	mu       sync.Mutex
	shared   int
)

// sortWork sorts a fresh slice over and over: CPU in sort.* below a labelled goroutine.
//
//go:noinline
func sortWork(n int) {
	xs := make([]int, n)
	for i := range xs {
		xs[i] = (i * 7919) % n
	}
	sort.Ints(xs)
	sinkU64 += uint64(xs[n/2])
}

// hashRec recurses, so cum must count hashRec once per sample however deep it is.
//
//go:noinline
func hashRec(depth int, h uint64) uint64 {
	if depth == 0 {
		return mix(h, 200000)
	}
	return hashRec(depth-1, h*31+uint64(depth)) ^ 1
}

// mix is small enough to be inlined into hashRec.
func mix(h uint64, n int) uint64 {
	for i := 0; i < n; i++ {
		h ^= h << 13
		h ^= h >> 7
		h ^= h << 17
	}
	return h
}

// newBuffer inlines into allocate: its allocations are attributed to both frames.
func newBuffer(size int) []byte { return make([]byte, size) }

//go:noinline
func allocate(round, work int) {
	for i := 0; i < 64*work; i++ {
		sinkTmp = newBuffer(512 + (i%8)*256)
	}
	if round%4 == 0 {
		sinkLive = append(sinkLive, make([]byte, 16<<10))
	}
}

//go:noinline
func contend(rounds int) {
	for i := 0; i < rounds; i++ {
		mu.Lock()
		shared++
		time.Sleep(50 * time.Microsecond)
		mu.Unlock()
	}
}

//go:noinline
func produce(ch chan<- int, n int) {
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
}

//go:noinline
func consume(ch <-chan int) {
	for range ch {
		time.Sleep(100 * time.Microsecond)
	}
}

//go:noinline
func lockedThread(ready *sync.WaitGroup, release <-chan struct{}) {
	runtime.LockOSThread()
	ready.Done()
	<-release
	runtime.UnlockOSThread()
}

//go:noinline
func parked(ready *sync.WaitGroup, release <-chan struct{}) {
	ready.Done()
	<-release
}

func write(dir, name string) {
	writeDebug(dir, name, 0, name+".pb.gz")
	// The legacy text (debug=1) of the kinds go tool pprof reads as legacy profiles.
	if name == "heap" || name == "threadcreate" || name == "goroutine" {
		writeDebug(dir, name, 1, name+".debug1.txt")
	}
}

func writeDebug(dir, name string, debug int, file string) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", ".", "directory to write <kind>.pb.gz into")
	seconds := flag.Float64("seconds", 1, "how long the CPU workload runs")
	work := flag.Int("work", 1, "work multiplier (CPU share of the hash burner, allocations)")
	flag.Parse()
	runtime.MemProfileRate = 4096
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	cpu, err := os.Create(filepath.Join(*out, "cpu.pb.gz"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var wg sync.WaitGroup
	burners := []struct {
		name string
		run  func()
	}{
		{"sort", func() { sortWork(20000) }},
		{"hash", func() {
			for i := 0; i < *work; i++ {
				sinkU64 += hashRec(12, uint64(i))
			}
		}},
	}
	for _, b := range burners {
		wg.Add(1)
		go func(name string, run func()) {
			defer wg.Done()
			pprof.Do(context.Background(), pprof.Labels("worker", name, "kind", "cpu"), func(context.Context) {
				for time.Now().Before(deadline) {
					run()
				}
			})
		}(b.name, b.run)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for round := 0; time.Now().Before(deadline); round++ {
			allocate(round, *work)
			time.Sleep(time.Millisecond)
		}
	}()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			contend(40)
		}()
	}
	ch := make(chan int)
	wg.Add(2)
	go func() { defer wg.Done(); produce(ch, 200) }()
	go func() { defer wg.Done(); consume(ch) }()
	// Goroutines locked to OS threads make the runtime start threads for the others.
	var ready sync.WaitGroup
	release := make(chan struct{})
	for i := 0; i < 4; i++ {
		ready.Add(2)
		go lockedThread(&ready, release)
		go pprof.Do(context.Background(), pprof.Labels("worker", fmt.Sprintf("parked-%d", i%2)), func(context.Context) { parked(&ready, release) })
	}
	wg.Wait()
	pprof.StopCPUProfile()
	if err := cpu.Close(); err != nil {
		log.Fatal(err)
	}
	ready.Wait()
	runtime.GC()
	for _, name := range []string{"heap", "allocs", "goroutine", "mutex", "block", "threadcreate"} {
		write(*out, name)
	}
	close(release)
	fmt.Println(shared, sinkU64 != 0, len(sinkLive))
}
