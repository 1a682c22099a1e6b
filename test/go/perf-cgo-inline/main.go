// perf-cgo-inline allocates and frees memory in C through cgo (build with CGO_ENABLED=1), for the
// duration given as its first argument. glibc inlines its malloc internals (tcache_get,
// tcache_put, _int_free), and perf, reading glibc's debug info, prints them as inlined frames:
// the callchains of this program hold inlined frames in every run.
package main

/*
#include <stdint.h>
#include <stdlib.h>

__attribute__((noinline)) static uint64_t c_churn(uint64_t n) {
	uint64_t sum = 0;
	for (uint64_t i = 0; i < n; i++) {
		void *p = malloc(64 + (i & 255));
		sum += (uintptr_t)p & 0xff;
		free(p);
	}
	return sum;
}
*/
import "C"

import (
	"fmt"
	"os"
	"time"
)

func main() {
	d := time.Second
	if len(os.Args) > 1 {
		if v, err := time.ParseDuration(os.Args[1]); err == nil {
			d = v
		}
	}
	var sum uint64
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		sum += uint64(C.c_churn(100_000))
	}
	fmt.Println("done", sum)
}
