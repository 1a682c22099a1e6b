// race-nested: goroutines created by goroutines race on a heap value; the report's creation
// stacks lead back through the spawning goroutines.
package main

import (
	"fmt"
	"sync"
	"time"
)

type state struct{ phase int }

func main() {
	s := &state{}
	var wg sync.WaitGroup
	wg.Add(2)
	go spawner(s, &wg, 1)
	time.Sleep(50 * time.Millisecond)
	go spawner(s, &wg, 2)
	wg.Wait()
	fmt.Println(s.phase)
}

//go:noinline
func spawner(s *state, wg *sync.WaitGroup, phase int) {
	go worker(s, wg, phase)
}

//go:noinline
func worker(s *state, wg *sync.WaitGroup, phase int) {
	defer wg.Done()
	s.phase = phase // write from a grandchild of main
}
