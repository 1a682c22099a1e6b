// race-mutex: the writer holds a mutex, the reader forgets to take it.
package main

import (
	"fmt"
	"sync"
	"time"
)

type cache struct {
	mu   sync.Mutex
	size int
}

//go:noinline
func (c *cache) grow() {
	c.mu.Lock()
	c.size += 10 // write under the lock
	c.mu.Unlock()
}

//go:noinline
func (c *cache) peek() int {
	return c.size // read without the lock
}

func main() {
	c := &cache{}
	done := make(chan bool)
	go func() {
		c.grow()
		done <- true
	}()
	time.Sleep(50 * time.Millisecond)
	fmt.Println(c.peek())
	<-done
}
