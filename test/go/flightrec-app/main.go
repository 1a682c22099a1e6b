// flightrec-app is an ordinary service: it serves net/http/pprof and keeps a few goroutines
// busy (a ping-pong over channels, a ticker, some allocation), printing "listening on
// HOST:PORT". It registers a profile of its own, golens.test/open-files, holding 3 records
// (two opened by openConfig, one by openLog), which the /debug/pprof/ index lists. It has no flight recorder of its own: the tests add one the way "Go Lens: Add
// Flight Recorder Endpoint" does (a generated file beside this one) and read its snapshots.
package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

var openFiles = pprof.NewProfile("golens.test/open-files")

//go:noinline
func openConfig(i int) { openFiles.Add(i, 1) }

//go:noinline
func openLog(i int) { openFiles.Add(i, 1) }

func main() {
	openConfig(1)
	openConfig(2)
	openLog(3)
	ping, pong := make(chan int), make(chan int)
	go player(ping, pong)
	go player(pong, ping)
	ping <- 0
	go func() {
		for range time.Tick(5 * time.Millisecond) {
			work()
		}
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

//go:noinline
func player(in <-chan int, out chan<- int) {
	for n := range in {
		time.Sleep(time.Millisecond)
		out <- n + 1
	}
}

var sink string

//go:noinline
func work() {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "%d,", i)
	}
	sink = b.String()
}
