// race-slice appends to one slice from two goroutines: both read and write the slice header
// held in a heap block (the closure's captured variable).
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var items []int
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		items = append(items, 1) // first append
	}()
	time.Sleep(50 * time.Millisecond)
	go func() {
		defer wg.Done()
		items = append(items, 2) // second append
	}()
	wg.Wait()
	fmt.Println(len(items))
}
