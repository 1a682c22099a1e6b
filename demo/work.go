package main

import (
	"crypto/sha256"
	"sync"
	"time"
)

// startWorkers keeps the CPU busy in two known places and adds some lock contention and
// allocation, so every profile kind has data.
func startWorkers() {
	go func() {
		for {
			countPrimes(300000)
		}
	}()
	go func() {
		for {
			hashChain(20000)
		}
	}()
	var mu sync.Mutex
	var shared []byte
	for i := 0; i < 4; i++ {
		go func() {
			for {
				mu.Lock()
				shared = append(shared[:0], make([]byte, 64<<10)...)
				time.Sleep(time.Millisecond)
				mu.Unlock()
			}
		}()
	}
}

// countPrimes is the hot function: almost all of its time is on the modulo line.
func countPrimes(limit int) int {
	n := 0
	for i := 2; i < limit; i++ {
		prime := true
		for d := 2; d*d <= i; d++ {
			if i%d == 0 { // the hot line
				prime = false
				break
			}
		}
		if prime {
			n++
		}
	}
	return n
}

func hashChain(rounds int) [32]byte {
	sum := sha256.Sum256([]byte("go lens"))
	for i := 0; i < rounds; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum
}
