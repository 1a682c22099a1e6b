package main

import (
	"sync"
	"testing"
)

func TestQuick(t *testing.T) {}

func TestHang(t *testing.T) {
	t.Log("about to wait forever")
	var mu sync.Mutex
	mu.Lock()
	go func() { mu.Lock() }()
	ch := make(chan int)
	<-ch
}
