package racy

import (
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	s := NewStats()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Sleeping orders nothing for the race detector: the race stays, and the read below
		// comes first, so every run reports it the same way round.
		time.Sleep(100 * time.Millisecond)
		s.Hit("home")
	}()
	if s.Total() > 1 {
		t.Errorf("more hits than made")
	}
	<-done
}

func TestEmpty(t *testing.T) {
	if NewStats().Total() != 0 {
		t.Errorf("new stats are not empty")
	}
}
