// Package racy keeps request statistics with a data race in them, to try "Go Lens: Run Tests
// with Race Detector" (or the "race" lens above TestStats): the per-key counts are guarded by
// the mutex, the total is not.
package racy

import "sync"

// Stats counts hits per key and in total.
type Stats struct {
	mu    sync.Mutex
	byKey map[string]int
	total int
}

// NewStats returns empty statistics.
func NewStats() *Stats {
	return &Stats{byKey: map[string]int{}}
}

// Hit records one hit of key.
func (s *Stats) Hit(key string) {
	s.mu.Lock()
	s.byKey[key]++
	s.mu.Unlock()
	s.total++ // the race: written outside the lock
}

// Total returns the number of hits so far.
func (s *Stats) Total() int {
	return s.total // ... and read outside it
}
