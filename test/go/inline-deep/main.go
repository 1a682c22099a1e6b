// inline-deep burns CPU at the bottom of a deep recursion, in small functions the compiler
// inlines (so CPU samples land in Locations with several Lines), inside pprof.Do with labels (so
// samples carry labels). It writes a CPU profile and, while its labelled goroutines are parked, a
// goroutine profile (whose samples carry the same labels).
//
//	inline-deep -cpuprofile cpu.pb.gz -goroutineprofile goroutine.pb.gz [-seconds 1] [-cpu 0] [-depth 24]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

// rotate and mix are leaf helpers small enough to inline into spin. rotate does most of the
// loop's work (a multiply and its dependants), so most CPU samples land on its instructions:
// locations three inlined frames deep, even in a short profile on a busy machine (with rotate a
// single instruction, only 1–2% of samples did, and a 200-sample profile could have none).
func rotate(h uint64) uint64 {
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	return h<<13 | h>>51
}

func mix(h, x uint64) uint64 { return rotate(h^x) * 0x9E3779B97F4A7C15 }

// spin is small enough to inline into recurse; the hot PCs are then inlined three deep.
func spin(n int, h uint64) uint64 {
	for i := 0; i < n; i++ {
		h = mix(h, uint64(i))
	}
	return h
}

//go:noinline
func recurse(depth int, h uint64) uint64 {
	if depth == 0 {
		return spin(20000, h)
	}
	return recurse(depth-1, h+uint64(depth)) ^ 1
}

//go:noinline
func shallow(h uint64) uint64 {
	return spin(5000, h)
}

var sink uint64

func work(ctx context.Context, deadline time.Time, minCPU float64, depth int, parked *sync.WaitGroup, release chan struct{}) {
	var h uint64
	for time.Now().Before(deadline) || cpuSeconds() < minCPU {
		h += recurse(depth, h)
		h += shallow(h)
	}
	sink += h
	// Park inside the labelled context so the goroutine profile sees the labels.
	parked.Done()
	<-release
}

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to this file")
	goroutines := flag.String("goroutineprofile", "", "write a goroutine profile to this file")
	seconds := flag.Float64("seconds", 1, "how long to burn CPU")
	minCPU := flag.Float64("cpu", 0, "also burn until the process has used this much CPU time (seconds): CPU samples follow CPU time, which a loaded machine gives out slowly")
	depth := flag.Int("depth", 24, "recursion depth above the hot loop")
	flag.Parse()

	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				log.Fatal(err)
			}
		}()
	}

	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var done, parked sync.WaitGroup
	release := make(chan struct{})
	workers := []struct{ name, kind string }{{"alpha", "deep"}, {"beta", "deep"}}
	for _, w := range workers {
		done.Add(1)
		parked.Add(1)
		go func(name, kind string) {
			defer done.Done()
			pprof.Do(context.Background(), pprof.Labels("worker", name, "kind", kind), func(ctx context.Context) {
				work(ctx, deadline, *minCPU, *depth, &parked, release)
			})
		}(w.name, w.kind)
	}
	parked.Wait()
	if *goroutines != "" {
		f, err := os.Create(*goroutines)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.Lookup("goroutine").WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	close(release)
	done.Wait()
	fmt.Println(sink != 0)
}
