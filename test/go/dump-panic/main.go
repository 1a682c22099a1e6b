// dump-panic dies in one of the ways whose output the goroutine-dump parser must read,
// chosen by the first argument:
//
//	goroutine  a panic with an error value in a goroutine other than main
//	nilmap     assignment to entry in nil map
//	nilptr     nil pointer dereference (a signal-originated panic: adds the [signal ...] line)
//	nested     a deferred call panics while the first panic unwinds
//	repanic    a recovered value is panicked again (Go 1.25+ prints [recovered, repanicked])
//	recovered  a deferred call recovers a panic and then panics with a new value
//	multiline  a panic value spanning several lines
//	custom     a panic with a struct value that is neither error nor Stringer
//	generic    a panic inside a generic function called from a closure
package main

import (
	"fmt"
	"os"
	"sync"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dump-panic MODE")
		os.Exit(2)
	}
	fmt.Println("program output before the panic")
	switch os.Args[1] {
	case "goroutine":
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			failInGoroutine(7)
		}()
		wg.Wait()
	case "nilmap":
		var m map[string]int
		writeNilMap(m)
	case "nilptr":
		var p *point
		fmt.Println(p.norm())
	case "nested":
		nested()
	case "repanic":
		repanic()
	case "recovered":
		recoveredThenPanic()
	case "multiline":
		panic("first line\nsecond line\nthird line")
	case "custom":
		panic(point{X: 1, Y: 2})
	case "generic":
		f := func() { _ = first([]string{}) }
		f()
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
}

//go:noinline
func failInGoroutine(n int) {
	panic(fmt.Errorf("worker %d: %w", n, os.ErrDeadlineExceeded))
}

//go:noinline
func writeNilMap(m map[string]int) { m["answer"] = 42 }

type point struct{ X, Y int }

//go:noinline
func (p *point) norm() int { return p.X*p.X + p.Y*p.Y }

//go:noinline
func nested() {
	defer func() { panic("second (from a deferred call)") }()
	panic("first")
}

//go:noinline
func repanic() {
	defer func() {
		r := recover()
		panic(r)
	}()
	panic("the same value twice")
}

//go:noinline
func recoveredThenPanic() {
	defer func() {
		recover()
		panic("raised while handling it")
	}()
	panic("recovered one")
}

//go:noinline
func first[T any](xs []T) T { return xs[0] }
