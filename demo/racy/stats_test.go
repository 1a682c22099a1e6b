package racy

import "testing"

func TestStats(t *testing.T) {
	s := NewStats()
	done := make(chan struct{})
	go func() {
		defer close(done)
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
