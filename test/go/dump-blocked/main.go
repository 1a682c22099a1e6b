// dump-blocked parks a zoo of goroutines (test/go/dump-zoo) and then, by -mode:
//
//	dump   writes the goroutine profile at debug=2, 1 and 0 to -out (debug2.txt, debug1.txt,
//	       debug0.pb.gz), all taken while nothing moves
//	panic  panics in a fresh goroutine (run it with GOTRACEBACK=all|system|crash)
//	sleep  prints "ready" on stderr and sleeps, waiting for SIGQUIT
//
// -wait keeps the zoo parked that long (after a GC, which is what stamps a goroutine's wait
// start) before acting, so the dump shows ", N minutes" on the old goroutines; goroutines
// started after the wait show none.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	zoo "golens.test/programs/dump-zoo"
)

func main() {
	mode := flag.String("mode", "dump", "dump | panic | sleep")
	out := flag.String("out", ".", "directory for -mode=dump output")
	wait := flag.Duration("wait", 0, "how long to keep the zoo parked before acting")
	flag.Parse()

	// The deep recursion only in dumps: at GOTRACEBACK=system its 100 printed frames would
	// triple the size of every committed panic fixture.
	zoo.Start(zoo.Options{Recursion: *mode == "dump", Spinner: *mode == "panic", Syscall: true})
	if *wait > 0 {
		// A GC's root marking stamps each parked goroutine's wait start with the start time of
		// the previous completed cycle (zero before the first), so it takes two.
		runtime.GC()
		runtime.GC()
		time.Sleep(*wait)
	}
	never := make(chan int)
	for i := 0; i < 3; i++ {
		go freshWaiter(never)
	}
	time.Sleep(100 * time.Millisecond)

	switch *mode {
	case "dump":
		for _, d := range []struct {
			debug int
			name  string
		}{{2, "debug2.txt"}, {1, "debug1.txt"}, {0, "debug0.pb.gz"}} {
			f, err := os.Create(filepath.Join(*out, d.name))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			pprof.Lookup("goroutine").WriteTo(f, d.debug)
			f.Close()
		}
	case "panic":
		done := make(chan struct{})
		go panicker(done)
		<-done
	case "sleep":
		fmt.Fprintln(os.Stderr, "ready")
		time.Sleep(time.Hour)
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(2)
	}
}

//go:noinline
func freshWaiter(ch chan int) { <-ch }

type stateError struct{ op string }

func (e *stateError) Error() string { return "worker failed: " + e.op }

//go:noinline
func panicker(done chan struct{}) {
	defer close(done)
	panic(fmt.Errorf("job 42: %w", errors.Join(&stateError{"flush"})))
}
