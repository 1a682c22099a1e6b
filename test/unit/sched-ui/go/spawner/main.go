// spawner is the program the Run with Scheduler Trace tests run: it starts a child process
// (itself with -child, which ignores SIGINT and SIGTERM, so only a kill of the whole process
// group stops it), writes the child's pid to child.pid, then keeps every P busy, allocates
// (natural GC cycles), forces a GC every second, prints its own lines on stdout and stderr,
// and echoes what it reads on stdin. It runs until it is stopped.
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

var sink []byte

func child() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
	time.Sleep(10 * time.Minute)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-child" {
		child()
		return
	}
	self, err := os.Executable()
	if err != nil {
		panic(err)
	}
	cmd := exec.Command(self, "-child")
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	if err := os.WriteFile("child.pid", []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("spawner: started child pid %d\n", cmd.Process.Pid)

	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		go func(seed uint64) {
			x := seed
			for {
				for j := 0; j < 100_000; j++ {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
				}
				// Garbage, so the collector runs on its own as well as when forced.
				sink = make([]byte, 64<<10+int(x%1024))
			}
		}(uint64(i) + 1)
	}
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			fmt.Printf("spawner: got input %q\n", in.Text())
		}
	}()
	for tick := 1; ; tick++ {
		time.Sleep(250 * time.Millisecond)
		fmt.Printf("spawner: tick %d on stdout\n", tick)
		if tick%2 == 0 {
			fmt.Fprintf(os.Stderr, "spawner: tick %d on stderr\n", tick)
		}
		if tick%4 == 0 {
			runtime.GC()
		}
	}
}
