// race-global: two goroutines write a package-level variable ("Location is global").
package main

import (
	"fmt"
	"time"
)

var requests int

//go:noinline
func record() {
	requests++ // read-modify-write of the global
}

func main() {
	done := make(chan bool)
	go func() {
		record()
		done <- true
	}()
	time.Sleep(50 * time.Millisecond)
	record()
	<-done
	fmt.Println(requests)
}
