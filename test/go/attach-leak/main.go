// attach-leak is a worker that leaks goroutines: each job starts a goroutine waiting on a
// channel nobody ever sends to. It runs until stopped and imports nothing of pprof.
package main

import (
	"fmt"
	"time"
)

func handleJob(id int, results chan<- int) {
	reply := make(chan int)
	go waitForReply(reply, results)
	_ = id
}

//go:noinline
func waitForReply(reply <-chan int, results chan<- int) {
	results <- <-reply
}

func main() {
	results := make(chan int)
	for i := 0; ; i++ {
		if i < 200 {
			handleJob(i, results)
		}
		if i == 200 {
			fmt.Println("leaked 200 goroutines")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
