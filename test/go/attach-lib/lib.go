// Package lib is a library (not package main) with a test that burns CPU for a few seconds:
// the launcher refuses to run it as a program and runs its test binary attached.
package lib

//go:noinline
func Checksum(n int) uint64 {
	h := uint64(0)
	for i := 0; i < n; i++ {
		h = h*31 + uint64(i)
	}
	return h
}
