//go:build !go1.23

package main

import "context"

// iter.Pull does not exist before Go 1.23: the scenario does nothing there.
func iterPullScenario(ctx context.Context) {}
