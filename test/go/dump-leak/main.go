// dump-leak writes -steps goroutine dumps (debug=2) to -out/leak-<step>.txt while a leak grows:
// each step leaks 10×step more handleRequest goroutines (blocked sending a result nobody
// reads), a batch of 6 batchJob goroutines is released 3 per step (shrinks, then vanishes),
// a cacheRefresher appears at step 2 (new), and 4 poolWorker goroutines stay put (unchanged).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

func main() {
	out := flag.String("out", ".", "directory for leak-<step>.txt")
	steps := flag.Int("steps", 3, "number of dumps")
	flag.Parse()

	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		go poolWorker(jobs)
	}
	release := make(chan struct{}, 6)
	for i := 0; i < 6; i++ {
		go batchJob(release)
	}
	for step := 1; step <= *steps; step++ {
		for i := 0; i < 10*step; i++ {
			go handleRequest(i)
		}
		if step == 2 {
			go cacheRefresher()
		}
		if step > 1 {
			for i := 0; i < 3; i++ {
				release <- struct{}{}
			}
		}
		time.Sleep(100 * time.Millisecond)
		f, err := os.Create(filepath.Join(*out, fmt.Sprintf("leak-%d.txt", step)))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.Lookup("goroutine").WriteTo(f, 2)
		f.Close()
	}
}

//go:noinline
func poolWorker(jobs chan int) {
	for range jobs {
	}
}

//go:noinline
func batchJob(release chan struct{}) { <-release }

// handleRequest leaks: it sends its result on an unbuffered channel that nobody reads.
//
//go:noinline
func handleRequest(id int) {
	result := make(chan int)
	go func() { result <- id * 2 }()
	time.Sleep(time.Millisecond)
	// A real handler would `select` with a timeout here and return; this one gives up
	// without draining, so the sender above blocks forever.
	_ = result
}

//go:noinline
func cacheRefresher() {
	for {
		time.Sleep(time.Hour)
	}
}
