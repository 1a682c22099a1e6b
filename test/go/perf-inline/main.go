// perf-inline burns CPU in functions the compiler inlines, two deep (fmix into scramble into
// countBits, popcount into countBits), for the duration given as its first argument, so a perf
// recording and the Go runtime's own CPU profile of the same run (written to $CPU_PROFILE) can be
// compared frame by frame, inlined frames included.
package main

import (
	"fmt"
	"time"

	"golens.test/programs/perfrun"
)

// fmix is MurmurHash3's finaliser; small enough to be inlined into scramble.
func fmix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// scramble is inlined into countBits, with fmix inlined into it.
func scramble(x uint64) uint64 {
	return fmix(x^0x9e3779b97f4a7c15) + 1
}

// popcount is inlined into countBits.
func popcount(x uint64) int {
	x -= (x >> 1) & 0x5555555555555555
	x = (x>>2)&0x3333333333333333 + x&0x3333333333333333
	x += x >> 4
	x &= 0x0f0f0f0f0f0f0f0f
	return int((x * 0x0101010101010101) >> 56)
}

var sink int

//go:noinline
func record(total int) { sink += total }

// countBits calls record (not inlined), so it keeps a frame and perf's frame-pointer unwinding
// sees its caller.
//
//go:noinline
func countBits(seed uint64, n int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += popcount(scramble(seed + uint64(i)))
	}
	record(total)
	return total
}

func main() {
	deadline, stop := perfrun.Start()
	defer stop()
	total := 0
	for seed := uint64(0); time.Now().Before(deadline); seed += 100000 {
		total += countBits(seed, 100000)
	}
	fmt.Println("done", total, sink)
}
