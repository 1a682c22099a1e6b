package lib

import (
	"os"
	"strconv"
	"testing"
	"time"
)

func TestChecksumSpin(t *testing.T) {
	seconds, err := strconv.Atoi(os.Getenv("SPIN_SECONDS"))
	if err != nil {
		seconds = 3
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	for time.Now().Before(deadline) {
		if Checksum(1<<16) == 0 {
			t.Fatal("zero")
		}
	}
}
