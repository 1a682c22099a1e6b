// dump-deadlock blocks every goroutine, so the runtime reports
// "fatal error: all goroutines are asleep - deadlock!" and dumps them all.
package main

import (
	"fmt"
	"sync"
)

func main() {
	fmt.Println("starting")
	var mu sync.Mutex
	ch := make(chan int)
	mu.Lock()
	go lockTwice(&mu)
	go waitForever(ch)
	waitForever(ch)
}

//go:noinline
func lockTwice(mu *sync.Mutex) { mu.Lock() }

//go:noinline
func waitForever(ch chan int) { <-ch }
