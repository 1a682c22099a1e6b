package main

import "os"

// syscallGetppid is a cheap real system call (a GoSyscallBegin/End pair in the trace).
func syscallGetppid() int { return os.Getppid() }
