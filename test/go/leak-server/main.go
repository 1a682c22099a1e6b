// leak-server leaks goroutines the way real services do, so that the runtime's goroutine leak
// profile (Go 1.27, or Go 1.26 built with GOEXPERIMENT=goroutineleakprofile) finds them:
//
//   - 5 handleRequest goroutines blocked sending a result on a channel nobody else holds
//     (labels handler=/orders), from one creation site;
//   - 3 fetchAll workers blocked receiving from a channel nobody will send on (labels
//     handler=/search, shard=0|1);
//   - 2 goroutines blocked on a sync.Mutex that is locked and forgotten;
//   - 2 goroutines blocked in sync.Cond.Wait on a cond nobody will signal.
//
// The first leak-detecting GC of a process may miss the mutex waiters (timing decides; seen
// with Go 1.26.8 and 1.27.4); later ones report them. Fixtures: debug=0 (first) has 10 of 12.
//
// Beside them 4 poolWorker goroutines block on a channel a global still holds: blocked, but
// not leaked (the GC can reach the channel), so the profile must leave them out.
//
//	leak-server               serves net/http/pprof, prints "listening on HOST:PORT"; each
//	                          GET /leak leaks one more handleRequest goroutine (labels
//	                          handler=/leak)
//	leak-server -out DIR      writes DIR/leak-debug0.pb.gz, leak-debug1.txt, leak-debug2.txt
//	                          (the goroutineleak profile's three forms) and exits
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"
)

// jobs stays reachable from a global: its blocked workers are not leaks.
var jobs = make(chan int)

func main() {
	out := flag.String("out", "", "write the goroutineleak profile's three forms to this directory and exit")
	flag.Parse()

	for i := 0; i < 4; i++ {
		go poolWorker()
	}
	pprof.Do(context.Background(), pprof.Labels("handler", "/orders"), func(context.Context) {
		for i := 0; i < 5; i++ {
			handleRequest(i)
		}
	})
	for shard := 0; shard < 3; shard++ {
		pprof.Do(context.Background(), pprof.Labels("handler", "/search", "shard", fmt.Sprint(shard%2)), func(context.Context) {
			fetchAll()
		})
	}
	lockForever(2)
	waitForever(2)
	// Let every goroutine reach its blocking point before anyone asks.
	time.Sleep(200 * time.Millisecond)

	if *out != "" {
		if lookupLeakProfile() == nil {
			fmt.Fprintln(os.Stderr, "this Go has no goroutineleak profile (Go 1.27, or Go 1.26 with GOEXPERIMENT=goroutineleakprofile)")
			os.Exit(2)
		}
		for _, f := range []struct {
			name  string
			debug int
		}{{"leak-debug0.pb.gz", 0}, {"leak-debug1.txt", 1}, {"leak-debug2.txt", 2}} {
			w, err := os.Create(filepath.Join(*out, f.name))
			if err == nil {
				err = lookupLeakProfile().WriteTo(w, f.debug)
				w.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		return
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
		pprof.Do(r.Context(), pprof.Labels("handler", "/leak"), func(context.Context) { handleRequest(0) })
		fmt.Fprintln(w, "leaked one more goroutine")
	})
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func lookupLeakProfile() *pprof.Profile { return pprof.Lookup("goroutineleak") }

//go:noinline
func poolWorker() {
	for range jobs {
	}
}

// handleRequest starts a worker whose result is never read: the classic leak of a request
// handler that returned early (timeout, error) without draining the channel.
//
//go:noinline
func handleRequest(id int) {
	result := make(chan int)
	go func() {
		result <- id * 2
	}()
}

// fetchAll waits for an answer from a channel only it holds.
//
//go:noinline
func fetchAll() {
	replies := make(chan string)
	go receiveReply(replies)
}

//go:noinline
func receiveReply(replies chan string) {
	fmt.Sprint(<-replies)
}

//go:noinline
func lockForever(n int) {
	var mu sync.Mutex
	mu.Lock()
	for i := 0; i < n; i++ {
		go func() {
			mu.Lock()
			defer mu.Unlock()
		}()
	}
}

//go:noinline
func waitForever(n int) {
	cond := sync.NewCond(&sync.Mutex{})
	for i := 0; i < n; i++ {
		go func() {
			cond.L.Lock()
			cond.Wait()
			cond.L.Unlock()
		}()
	}
}
