// attach-panic runs a worker goroutine that panics after a short while (PANIC_AFTER_MS, 500 by
// default) with an index out of range, while main waits on a channel: the crash output has the
// panic and every goroutine's stack (with GOTRACEBACK=all or crash).
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type order struct{ items []int }

//go:noinline
func (o *order) line(i int) int { return o.items[i] }

func worker(o *order, done chan<- int) {
	ms, err := strconv.Atoi(os.Getenv("PANIC_AFTER_MS"))
	if err != nil {
		ms = 500
	}
	time.Sleep(time.Duration(ms) * time.Millisecond)
	done <- o.line(3)
}

func main() {
	fmt.Println("started")
	done := make(chan int)
	go worker(&order{items: []int{1, 2}}, done)
	fmt.Println(<-done)
}
