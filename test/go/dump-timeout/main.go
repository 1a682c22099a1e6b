// Package main holds a test that hangs, so `go test -timeout 3s` fails with
// "panic: test timed out after 3s" and a dump of every goroutine inside the test log.
package main

func main() {}
