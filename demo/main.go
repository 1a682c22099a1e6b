// The Go Lens demo service: serves net/http/pprof and keeps a few goroutines busy in known
// functions, so "Go Lens: Capture CPU Profile" has something to show at once.
//
//	go run . -addr 127.0.0.1:6060
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6060", "address to serve net/http/pprof on (port 0 picks a free one)")
	flag.Parse()

	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10000)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v", *addr, err)
	}
	startWorkers()
	http.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "primes below 200000: %d\n", countPrimes(200000))
	})
	// Tests and the README's demo wait for this exact line.
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
