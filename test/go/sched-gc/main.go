// sched-gc allocates hard with a live set that grows and shrinks, so gctrace prints many
// cycles with changing heap sizes; it forces GCs with runtime.GC and returns memory with
// debug.FreeOSMemory (a "(forced)" scav line).
package main

import (
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	schedcommon "golens.test/programs/sched-common"
)

type node struct {
	left, right *node
	payload     []byte
}

func tree(depth int) *node {
	if depth == 0 {
		return &node{payload: make([]byte, 64)}
	}
	return &node{left: tree(depth - 1), right: tree(depth - 1)}
}

var keep [][]byte

// ballast keeps the heap goal well above the 4 MB minimum, so the garbage below triggers a
// cycle every few tens of milliseconds rather than every few: the fixtures stay small.
var ballast []byte

func main() {
	schedcommon.Run(func(stop <-chan struct{}) {
		ballast = make([]byte, 16<<20)
		var wg sync.WaitGroup
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					_ = tree(10) // about 130 KB of short-lived garbage
					time.Sleep(time.Millisecond)
				}
			}()
		}
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for round := 0; ; round++ {
			select {
			case <-stop:
				wg.Wait()
				keep = nil
				ballast = nil
				return
			case <-tick.C:
			}
			switch round % 4 {
			case 0, 1:
				// Grow the live set by 8 MB so the heap goal moves.
				for i := 0; i < 8; i++ {
					keep = append(keep, make([]byte, 1<<20))
				}
			case 2:
				keep = keep[:len(keep)/2]
				runtime.GC()
			case 3:
				keep = nil
				debug.FreeOSMemory()
			}
		}
	})
}
