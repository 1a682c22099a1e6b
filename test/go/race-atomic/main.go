// race-atomic: one goroutine increments with sync/atomic, another reads the same word plainly.
package main

import (
	"fmt"
	"sync/atomic"
	"time"
)

var total int64

func main() {
	done := make(chan bool)
	go func() {
		atomic.AddInt64(&total, 1) // atomic write
		done <- true
	}()
	time.Sleep(50 * time.Millisecond)
	fmt.Println(total) // plain read
	<-done
}
