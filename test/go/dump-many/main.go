// dump-many parks -n goroutines spread over 36 distinct stacks (6 entry functions × 6 ways of
// blocking) and writes the full goroutine dump (debug=2 format) to stdout: the benchmark's input.
package main

import (
	"flag"
	"os"
	"runtime"
	"sync"
	"time"
)

// Separate channels per kind: a receiver and a sender on one channel would pair up and exit.
var (
	recvOnly   = make(chan int)
	sendOnly   = make(chan int)
	selectOnly = make(chan int)
	mu         sync.Mutex
	cond       = sync.NewCond(&sync.Mutex{})
	wg         sync.WaitGroup
	ready      sync.WaitGroup
)

func main() {
	n := flag.Int("n", 100000, "number of goroutines")
	flag.Parse()
	mu.Lock()
	wg.Add(1)
	ready.Add(*n)
	entries := []func(int){entryA, entryB, entryC, entryD, entryE, entryF}
	for i := 0; i < *n; i++ {
		go entries[i/6%6](i % 6)
	}
	ready.Wait()
	time.Sleep(500 * time.Millisecond)
	// runtime.Stack directly: pprof's debug=2 writer stops at 64 MB.
	buf := make([]byte, 512<<20)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}

//go:noinline
func entryA(kind int) { block(kind) }

//go:noinline
func entryB(kind int) { block(kind) }

//go:noinline
func entryC(kind int) { block(kind) }

//go:noinline
func entryD(kind int) { block(kind) }

//go:noinline
func entryE(kind int) { block(kind) }

//go:noinline
func entryF(kind int) { block(kind) }

//go:noinline
func block(kind int) {
	ready.Done()
	switch kind {
	case 0:
		<-recvOnly
	case 1:
		sendOnly <- 1
	case 2:
		mu.Lock()
	case 3:
		cond.L.Lock()
		cond.Wait()
	case 4:
		wg.Wait()
	default:
		select {
		case <-selectOnly:
		case <-recvOnly:
		}
	}
}
