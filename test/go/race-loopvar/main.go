// race-loopvar: goroutines started in a loop read the loop variable, which the loop keeps
// writing. Under the module's `go 1.21` semantics there is one variable for the whole loop
// (Go 1.22 gives each iteration its own and the race is gone).
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(i) // read of the shared loop variable
		}()
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
}
