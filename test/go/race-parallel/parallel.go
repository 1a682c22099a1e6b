// Package parallel holds only tests: see parallel_test.go.
package parallel
