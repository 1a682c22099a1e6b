// dump-recursion produces long stacks:
//
//	deep      panics 300 calls deep, so the traceback elides the middle frames
//	overflow  recurses without end, so the runtime throws "stack overflow" (with a
//	          "runtime stack:" section before the goroutines)
package main

import (
	"fmt"
	"os"
	"runtime/debug"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dump-recursion deep|overflow")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "deep":
		down(300)
	case "overflow":
		// A small limit keeps the overflow fast and its dump short.
		debug.SetMaxStack(1 << 20)
		forever(0)
	}
}

//go:noinline
func down(n int) int {
	if n == 0 {
		panic("bottom reached")
	}
	return down(n-1) + 1
}

//go:noinline
func forever(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	return forever(n+1) + int(pad[3])
}
