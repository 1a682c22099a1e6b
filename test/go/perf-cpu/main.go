// perf-cpu burns CPU in Go code (a method on a pointer receiver, a closure, an inlined helper)
// for the duration given as its first argument, so perf sees Go frames named as pprof names them.
package main

import (
	"fmt"
	"time"

	"golens.test/programs/perfrun"
)

type hasher struct{ state uint64 }

//go:noinline
func (h *hasher) mix(v uint64) {
	for i := 0; i < 2000; i++ {
		h.state = rotate(h.state^v) * 0x9E3779B97F4A7C15
	}
}

// rotate is small enough to be inlined into mix.
func rotate(x uint64) uint64 { return x<<13 | x>>51 }

//go:noinline
func countPrimes(limit int) int {
	n := 0
	for i := 2; i < limit; i++ {
		prime := true
		for d := 2; d*d <= i; d++ {
			if i%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			n++
		}
	}
	return n
}

func main() {
	deadline, stop := perfrun.Start()
	defer stop()
	h := &hasher{}
	total := 0
	work := func(i int) {
		for j := 0; j < 40; j++ {
			h.mix(uint64(i + j))
		}
		total += countPrimes(2000)
	}
	for i := 0; time.Now().Before(deadline); i++ {
		work(i)
	}
	fmt.Println("done", total, h.state)
}
