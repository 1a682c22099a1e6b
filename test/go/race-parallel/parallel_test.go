// race-parallel: two parallel tests write one package variable; `go test -race` fails the test
// that saw the race ("race detected during execution of test").
package parallel

import (
	"testing"
	"time"
)

var lastSeen string

func TestAlpha(t *testing.T) {
	t.Parallel()
	lastSeen = "alpha" // write from TestAlpha
	time.Sleep(50 * time.Millisecond)
}

func TestBeta(t *testing.T) {
	t.Parallel()
	time.Sleep(20 * time.Millisecond)
	lastSeen = "beta" // write from TestBeta
}

func TestClean(t *testing.T) {
	if 1+1 != 2 {
		t.Fatal("arithmetic")
	}
}
