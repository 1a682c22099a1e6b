// Package zoo parks goroutines in every blocking state the goroutine-dump parser has to
// recognise, each in its own named function so tests can assert "this function is in this
// state". The programs under test/go/dump-* start a zoo and then dump, panic or wait for SIGQUIT.
package zoo

import (
	"context"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// Options chooses the optional members of the zoo.
type Options struct {
	// Recursion parks one goroutine 120 frames deep, so full dumps elide the middle 20 frames
	// (the runtime prints the innermost and outermost 50). Off for the differential server,
	// whose debug=0/1 profiles cut stacks at a different depth.
	Recursion bool
	// Spinner adds a goroutine that never blocks, so a panic dump shows it running on another
	// thread.
	Spinner bool
	// Syscall parks a goroutine in a raw blocking read(2), which shows as [syscall].
	Syscall bool
}

// started counts members that are about to block.
var started sync.WaitGroup

func mark() { started.Done() }

// Start launches the zoo and waits until every goroutine is about to block, plus a short grace
// period so that each one has actually parked.
func Start(o Options) {
	never := make(chan int)

	// Channels.
	started.Add(1)
	go chanReceiver(never)
	started.Add(1)
	go chanSender(make(chan int))
	started.Add(1)
	go nilChanReceiver()
	started.Add(1)
	go selecter(never, make(chan string))
	started.Add(1)
	go selectNoCases()

	// A pool of identical workers: one group of 8 with different arguments.
	jobs := make(chan int)
	for i := 0; i < 8; i++ {
		started.Add(1)
		go worker(i, jobs)
	}
	// Stage workers block in the same function at two different lines: two groups when
	// grouping strictly, one when line differences are ignored.
	for i := 0; i < 4; i++ {
		started.Add(1)
		go stage(i, never)
	}

	// Locks.
	var mu sync.Mutex
	mu.Lock()
	started.Add(1)
	go mutexWaiter(&mu)
	var rw sync.RWMutex
	rw.Lock()
	started.Add(1)
	go rwMutexReader(&rw)
	var wg sync.WaitGroup
	wg.Add(1)
	started.Add(1)
	go waitGroupWaiter(&wg)
	cond := sync.NewCond(&sync.Mutex{})
	started.Add(1)
	go condWaiter(cond)

	// Time.
	started.Add(1)
	go sleeper()

	// IO: an os.Pipe (pollable, so IO wait) and a loopback TCP connection.
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	keep = append(keep, w)
	started.Add(1)
	go pipeReader(r)
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err == nil {
			keep = append(keep, c, ln)
			started.Add(1)
			go socketReader(c)
		} else {
			ln.Close()
		}
	}
	if o.Syscall {
		var fds [2]int
		if err := syscall.Pipe(fds[:]); err == nil {
			started.Add(1)
			go syscallReader(fds[0])
		}
	}

	// Generics, closures in methods, a thread-locked goroutine, pprof labels.
	started.Add(1)
	go genericWait[int](make(chan int))
	started.Add(1)
	go genericWait[string](make(chan string))
	(&server{}).start(never)
	started.Add(1)
	go lockedWaiter(never)
	started.Add(1)
	go labelled(never)

	if o.Recursion {
		started.Add(1)
		go recurse(120, never)
	}
	if o.Spinner {
		started.Add(1)
		go spinner()
	}

	started.Wait()
	// Every member has signalled; give them time to park. 200 ms is generous on a loaded
	// 2-core machine: parking follows the signal within microseconds.
	time.Sleep(200 * time.Millisecond)
}

var keep []interface{}

//go:noinline
func chanReceiver(ch chan int) { mark(); <-ch }

//go:noinline
func chanSender(ch chan int) { mark(); ch <- 1 }

//go:noinline
func nilChanReceiver() {
	var ch chan int
	mark()
	<-ch
}

//go:noinline
func selecter(a chan int, b chan string) {
	mark()
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func selectNoCases() { mark(); select {} }

//go:noinline
func worker(id int, jobs chan int) {
	mark()
	for j := range jobs {
		_ = j + id
	}
}

//go:noinline
func stage(n int, ch chan int) {
	mark()
	if n%2 == 0 {
		<-ch // even stages wait here
	} else {
		<-ch // odd stages wait here, one line lower
	}
}

//go:noinline
func mutexWaiter(mu *sync.Mutex) { mark(); mu.Lock() }

//go:noinline
func rwMutexReader(rw *sync.RWMutex) { mark(); rw.RLock() }

//go:noinline
func waitGroupWaiter(wg *sync.WaitGroup) { mark(); wg.Wait() }

//go:noinline
func condWaiter(c *sync.Cond) {
	c.L.Lock()
	mark()
	c.Wait()
}

//go:noinline
func sleeper() { mark(); time.Sleep(24 * time.Hour) }

//go:noinline
func pipeReader(r *os.File) {
	mark()
	var b [1]byte
	r.Read(b[:])
}

//go:noinline
func socketReader(c net.Conn) {
	mark()
	var b [1]byte
	c.Read(b[:])
}

//go:noinline
func syscallReader(fd int) {
	mark()
	var b [1]byte
	syscall.Read(fd, b[:])
}

//go:noinline
func genericWait[T any](ch chan T) { mark(); <-ch }

type server struct{}

// start launches a closure (server.start.func1) from a method.
//
//go:noinline
func (s *server) start(ch chan int) {
	started.Add(1)
	go func() {
		mark()
		<-ch
	}()
}

//go:noinline
func lockedWaiter(ch chan int) {
	runtime.LockOSThread()
	mark()
	<-ch
}

// labelled runs labelledWaiter under pprof labels; one value has a quote, a bracket, a comma
// and a non-ASCII letter, which every dump format must escape or quote.
//
//go:noinline
func labelled(ch chan int) {
	labels := pprof.Labels("role", "labelled", "odd", "quote\" bracket] comma, é")
	pprof.Do(context.Background(), labels, func(context.Context) { labelledWaiter(ch) })
}

//go:noinline
func labelledWaiter(ch chan int) { mark(); <-ch }

//go:noinline
func recurse(n int, ch chan int) int {
	if n == 0 {
		mark()
		<-ch
		return 0
	}
	return recurse(n-1, ch) + 1
}

//go:noinline
func spinner() {
	mark()
	x := 0
	for {
		x++
		if x < 0 {
			runtime.Gosched()
		}
	}
}
