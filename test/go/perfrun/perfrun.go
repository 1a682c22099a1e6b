// Package perfrun holds what the perf-* test programs share: how long to run (the first
// argument, a Go duration; 1s by default) and, with $CPU_PROFILE set, the Go runtime's own CPU
// profile of the run written there, so tests compare perf's frames with pprof's for the same run.
package perfrun

import (
	"os"
	"runtime/pprof"
	"time"
)

// Start returns when the run ends and a function that writes the CPU profile (call it at exit).
func Start() (deadline time.Time, stop func()) {
	d := time.Second
	if len(os.Args) > 1 {
		if v, err := time.ParseDuration(os.Args[1]); err == nil {
			d = v
		}
	}
	stop = func() {}
	if path := os.Getenv("CPU_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			panic(err)
		}
		stop = func() {
			pprof.StopCPUProfile()
			f.Close()
		}
	}
	return time.Now().Add(d), stop
}
