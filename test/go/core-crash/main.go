// core-crash dies in one of three ways while a few goroutines are parked in known places, so
// a core written under GOTRACEBACK=crash has a crashing goroutine to find and others to group:
//
//	core-crash -mode nil     nil pointer dereference: SIGSEGV at address 0
//	core-crash -mode fatal   a fatal error from the runtime (concurrent map writes)
//	core-crash -mode panic   an unrecovered panic with a string value
//	core-crash -mode wait -n N   parks N goroutines and prints "ready pid=P" (to be dumped by Delve or killed with SIGABRT)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type request struct {
	id   int
	body *payload
}

type payload struct{ size int }

var (
	parked = make(chan struct{})
	mu     sync.Mutex
)

//go:noinline
func parkReader(i int) {
	<-parked
	_ = i
}

//go:noinline
func parkLocker(i int) {
	mu.Lock()
	_ = i
}

//go:noinline
func handle(r *request) int {
	label := fmt.Sprintf("request-%d", r.id)
	_ = label
	return r.body.size // nil body: SIGSEGV
}

//go:noinline
func explode(reason string, attempt int) {
	panic(fmt.Sprintf("core-crash: %s (attempt %d)", reason, attempt))
}

//go:noinline
func corrupt() {
	m := map[int]int{}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				m[i%64] = i // concurrent map writes: fatal error
			}
		}()
	}
	wg.Wait()
}

func main() {
	mode := flag.String("mode", "nil", "nil | fatal | panic | wait")
	n := flag.Int("n", 20, "goroutines to park")
	flag.Parse()
	mu.Lock()
	var ready sync.WaitGroup
	ready.Add(*n)
	for i := 0; i < *n; i++ {
		i := i
		if i%2 == 0 {
			go func() { ready.Done(); parkReader(i) }()
		} else {
			ctx := pprof.WithLabels(context.Background(), pprof.Labels("worker", fmt.Sprint(i%4)))
			go pprof.Do(ctx, pprof.Labels(), func(context.Context) { ready.Done(); parkLocker(i) })
		}
	}
	ready.Wait()
	time.Sleep(100 * time.Millisecond)
	switch *mode {
	case "nil":
		handle(&request{id: 7})
	case "fatal":
		corrupt()
	case "panic":
		explode("the disk is full", 3)
	case "wait":
		fmt.Printf("ready pid=%d\n", os.Getpid())
		// A sleeping goroutine, not select{}: with every goroutine blocked the runtime would
		// report a deadlock and exit.
		for {
			time.Sleep(time.Hour)
		}
	}
}
