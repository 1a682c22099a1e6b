// race-field writes a struct field in one goroutine (a method) and reads it in another.
package main

import (
	"fmt"
	"time"
)

type counter struct {
	name string
	hits int
}

//go:noinline
func (c *counter) bump() {
	c.hits++ // write
}

//go:noinline
func (c *counter) read() int {
	return c.hits // read
}

func main() {
	c := &counter{name: "c"}
	done := make(chan bool)
	go func() {
		c.bump()
		done <- true
	}()
	time.Sleep(50 * time.Millisecond)
	fmt.Println(c.read())
	<-done
}
