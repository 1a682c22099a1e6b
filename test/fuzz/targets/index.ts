// Every fuzz target: one file per reader in this folder. Add a reader's target here too.
import exectrace from './exectrace';
import goroutines from './goroutines';
import pprof from './pprof';
import schedtrace from './schedtrace';
import type { FuzzTarget } from '../target';

export const targets: FuzzTarget[] = [pprof, exectrace, goroutines, schedtrace];
