// sched-cpu keeps every P busy with CPU-bound goroutines (twice as many as GOMAXPROCS, so the
// local run queues in schedtrace are non-empty), and forces one GC half way through.
package main

import (
	"runtime"
	"sync"
	"time"

	schedcommon "golens.test/programs/sched-common"
)

var sink uint64

func burn(stop <-chan struct{}, seed uint64) {
	x := seed
	for {
		// Check for stop only every so often: the loop body is what the scheduler preempts.
		for i := 0; i < 200_000; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
		select {
		case <-stop:
			sink += x
			return
		default:
		}
	}
}

func main() {
	schedcommon.Run(func(stop <-chan struct{}) {
		var wg sync.WaitGroup
		n := 2 * runtime.GOMAXPROCS(0)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) { defer wg.Done(); burn(stop, uint64(i)+1) }(i)
		}
		time.Sleep(*schedcommon.Duration / 2)
		runtime.GC()
		wg.Wait()
	})
}
