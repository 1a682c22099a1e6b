// perf-cgo spends its time in C code called through cgo (build with CGO_ENABLED=1), for the
// duration given as its first argument, so perf sees native frames under Go's cgo call path.
package main

/*
#include <stdint.h>

__attribute__((noinline)) static uint64_t c_spin(uint64_t n) {
	uint64_t x = 88172645463325252ULL;
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static uint64_t c_work(uint64_t n) { return c_spin(n) + 1; }
*/
import "C"

import (
	"fmt"
	"os"
	"time"
)

//go:noinline
func callC() uint64 {
	return uint64(C.c_work(C.uint64_t(2_000_000)))
}

func main() {
	d := time.Second
	if len(os.Args) > 1 {
		if v, err := time.ParseDuration(os.Args[1]); err == nil {
			d = v
		}
	}
	var sum uint64
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		sum += callC()
	}
	fmt.Println("done", sum)
}
