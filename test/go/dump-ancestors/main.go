// dump-ancestors panics in the fourth goroutine of a chain main → a → b → c. Run with
// GODEBUG=tracebackancestors=3 and GOTRACEBACK=all: the panicking goroutine's block ends with
// "[originating from goroutine N]:" sections for its creators.
package main

import "time"

func main() {
	go spawnA()
	time.Sleep(time.Minute)
}

//go:noinline
func spawnA() {
	go spawnB()
	select {}
}

//go:noinline
func spawnB() {
	go spawnC()
	select {}
}

//go:noinline
func spawnC() {
	time.Sleep(50 * time.Millisecond)
	panic("deep in the family tree")
}
