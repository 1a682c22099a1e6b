// dump-server parks a zoo of goroutines (test/go/dump-zoo, without the deep recursion and the
// busy spinner, so every worker stays blocked) and serves net/http/pprof, printing
// "listening on HOST:PORT" once the zoo has parked. From then on the program is quiescent:
// only the goroutines serving HTTP connections come and go.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime/pprof"

	zoo "golens.test/programs/dump-zoo"
)

func main() {
	zoo.Start(zoo.Options{Syscall: true})
	// Same stack, different labels: debug=1 and debug=0 split these into two records, the
	// differential test must add them back up per stack.
	never := make(chan int)
	for i := 0; i < 3; i++ {
		shard := fmt.Sprint(i % 2)
		go pprof.Do(context.Background(), pprof.Labels("shard", shard), func(context.Context) { shardWorker(never) })
	}
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
func shardWorker(ch chan int) { <-ch }
