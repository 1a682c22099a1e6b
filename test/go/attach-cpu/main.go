// attach-cpu is a CLI that burns CPU for a while (20 s, or the seconds given as its first
// argument) and exits. It imports nothing of pprof: Go Lens's launcher adds the endpoints.
// Its package-level names are the ones an added file could collide with (http, json, pprof,
// an init function), so the launcher's tests prove the overlay does not.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

var (
	http  = "not net/http"
	json  = 1
	pprof = struct{}{}
	trace []int
)

func init() { trace = append(trace, json) }

//go:noinline
func burnHashes(n int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

func main() {
	seconds := 20.0
	if len(os.Args) > 1 {
		if s, err := strconv.ParseFloat(os.Args[1], 64); err == nil {
			seconds = s
		}
	}
	_ = http
	_ = pprof
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	var sum uint64
	for time.Now().Before(deadline) {
		sum += burnHashes(1 << 20)
	}
	fmt.Println("done", sum%10, len(trace))
}
