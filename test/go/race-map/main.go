// race-map writes one map from two goroutines; the race detector reports the two map writes
// (runtime.mapassign frames above main's lines).
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		m["a"] = 1 // first write
	}()
	time.Sleep(50 * time.Millisecond) // no happens-before: the detector still sees the race
	go func() {
		defer wg.Done()
		m["b"] = 2 // second write
	}()
	wg.Wait()
	fmt.Println(len(m))
}
