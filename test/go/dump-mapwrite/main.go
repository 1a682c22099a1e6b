// dump-mapwrite writes one map from several goroutines until the runtime notices and throws
// "fatal error: concurrent map writes" (unrecoverable, dumps every goroutine).
package main

import "time"

func main() {
	m := map[int]int{}
	for i := 0; i < 4; i++ {
		go writer(m, i)
	}
	time.Sleep(time.Minute)
	panic("the runtime did not notice the concurrent writes within a minute")
}

//go:noinline
func writer(m map[int]int, k int) {
	for i := 0; ; i++ {
		m[k+i%16] = i
	}
}
