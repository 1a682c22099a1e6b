//go:build go1.23

package main

import (
	"context"
	"iter"
)

// iterPullScenario drives a pull iterator: the runtime switches between the caller and the
// iterator's coroutine (GoSwitch / GoSwitchDestroy events, Go 1.23+).
func iterPullScenario(ctx context.Context) {
	seq := iter.Seq[int](func(yield func(int) bool) {
		for i := 0; i < 20; i++ {
			if !yield(i) {
				return
			}
		}
	})
	next, stop := iter.Pull(seq)
	for i := 0; i < 10; i++ {
		if _, ok := next(); !ok {
			break
		}
	}
	stop()
	// A second iterator run to the end, so its coroutine exits by itself.
	next2, stop2 := iter.Pull(seq)
	for {
		if _, ok := next2(); !ok {
			break
		}
	}
	stop2()
}
