// sched-block parks many goroutines in different ways (channel receive and send, select,
// sleep, sync.Mutex, sync.RWMutex, sync.Cond, sync.WaitGroup) so scheddetail's G lines show
// a spread of statuses and wait reasons, while a few goroutines keep waking each other up.
package main

import (
	"sync"
	"time"

	schedcommon "golens.test/programs/sched-common"
)

func main() {
	schedcommon.Run(func(stop <-chan struct{}) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var rw sync.RWMutex
		cond := sync.NewCond(&sync.Mutex{})
		never := make(chan int)
		var inner sync.WaitGroup
		inner.Add(1)

		mu.Lock()
		rw.Lock()
		spawn := func(n int, f func()) {
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() { defer wg.Done(); f() }()
			}
		}
		spawn(8, func() {
			select {
			case <-never:
			case <-stop:
			}
		})
		spawn(6, func() { <-stop })
		spawn(4, func() { mu.Lock(); mu.Unlock() })
		spawn(4, func() { rw.RLock(); rw.RUnlock() })
		spawn(3, func() { cond.L.Lock(); cond.Wait(); cond.L.Unlock() })
		spawn(3, func() { inner.Wait() })
		spawn(6, func() {
			for {
				select {
				case <-stop:
					return
				default:
					time.Sleep(7 * time.Millisecond)
				}
			}
		})
		// Ping-pong pairs: constant wake-ups, short run-queue entries.
		for p := 0; p < 4; p++ {
			a, b := make(chan int), make(chan int)
			spawn(1, func() {
				for {
					select {
					case v := <-a:
						select {
						case b <- v + 1:
						case <-stop:
							return
						}
					case <-stop:
						return
					}
				}
			})
			spawn(1, func() {
				v := 0
				for {
					select {
					case a <- v:
						select {
						case v = <-b:
						case <-stop:
							return
						}
					case <-stop:
						return
					}
				}
			})
		}
		<-stop
		mu.Unlock()
		rw.Unlock()
		inner.Done()
		// Cond waiters may not have reached Wait yet; keep broadcasting until all are gone.
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		for {
			cond.L.Lock()
			cond.Broadcast()
			cond.L.Unlock()
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
}
