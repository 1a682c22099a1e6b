// batch is the demo's second program: a batch job with no profiling code at all (no
// net/http/pprof import, no port). It scores records in a loop and prints its progress every
// second, for -seconds (10 minutes by default). Run it with "Go Lens: Run…" (or the CodeLens on
// func main) and Capture CPU Profile / Goroutine Dump pick it: Go Lens adds the endpoints at
// build time, without changing these files.
//
//	go run ./cmd/batch -seconds 60
package main

import (
	"flag"
	"fmt"
	"math"
	"time"
)

type record struct {
	id     int
	values [64]float64
}

//go:noinline
func scoreRecord(r *record) float64 {
	s := 0.0
	for i, v := range r.values {
		s += math.Sqrt(v*float64(i+1)) / (1 + math.Abs(math.Sin(v)))
	}
	return s
}

//go:noinline
func normalize(r *record) {
	for i := range r.values {
		r.values[i] = math.Mod(r.values[i]*1.000001+float64(r.id%7), 1000)
	}
}

func main() {
	seconds := flag.Int("seconds", 600, "how long the batch runs")
	flag.Parse()
	deadline := time.Now().Add(time.Duration(*seconds) * time.Second)
	next := time.Now().Add(time.Second)
	var total float64
	done := 0
	r := &record{}
	for time.Now().Before(deadline) {
		for i := 0; i < 1000; i++ {
			r.id = done
			normalize(r)
			total += scoreRecord(r)
			done++
		}
		if time.Now().After(next) {
			fmt.Printf("batch: %d records scored (total %.0f)\n", done, total)
			next = next.Add(time.Second)
		}
	}
	fmt.Printf("batch: finished, %d records\n", done)
}
