// perf-syscall spends its time in the kernel: many tiny writes to /dev/null and reads of
// /dev/zero, for the duration given as its first argument, so perf sees kernel frames under Go ones.
package main

import (
	"fmt"
	"os"
	"time"
)

//go:noinline
func writeSmall(f *os.File, buf []byte) {
	for i := 0; i < 256; i++ {
		f.Write(buf)
	}
}

//go:noinline
func readZero(f *os.File, buf []byte) {
	for i := 0; i < 256; i++ {
		f.Read(buf)
	}
}

func main() {
	d := time.Second
	if len(os.Args) > 1 {
		if v, err := time.ParseDuration(os.Args[1]); err == nil {
			d = v
		}
	}
	null, err := os.OpenFile("/dev/null", os.O_WRONLY, 0)
	if err != nil {
		panic(err)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 64)
	big := make([]byte, 1<<16)
	n := 0
	for deadline := time.Now().Add(d); time.Now().Before(deadline); n++ {
		writeSmall(null, buf)
		readZero(zero, big)
	}
	fmt.Println("done", n)
}
