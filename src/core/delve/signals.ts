// Linux signal numbers and the words the Go runtime prints for them (runtime/sigtab_linux_generic.go).
const SIGNALS: Record<number, [string, string]> = {
  1: ['SIGHUP', 'terminal line hangup'],
  2: ['SIGINT', 'interrupt'],
  3: ['SIGQUIT', 'quit'],
  4: ['SIGILL', 'illegal instruction'],
  5: ['SIGTRAP', 'trace trap'],
  6: ['SIGABRT', 'abort'],
  7: ['SIGBUS', 'bus error'],
  8: ['SIGFPE', 'floating-point exception'],
  9: ['SIGKILL', 'kill'],
  10: ['SIGUSR1', 'user-defined signal 1'],
  11: ['SIGSEGV', 'segmentation violation'],
  12: ['SIGUSR2', 'user-defined signal 2'],
  13: ['SIGPIPE', 'write to broken pipe'],
  14: ['SIGALRM', 'alarm clock'],
  15: ['SIGTERM', 'termination'],
  16: ['SIGSTKFLT', 'stack fault'],
  17: ['SIGCHLD', 'child status has changed'],
  18: ['SIGCONT', 'continue'],
  19: ['SIGSTOP', 'stop, unblockable'],
  20: ['SIGTSTP', 'keyboard stop'],
  21: ['SIGTTIN', 'background read from tty'],
  22: ['SIGTTOU', 'background write to tty'],
  23: ['SIGURG', 'urgent condition on socket'],
  24: ['SIGXCPU', 'cpu limit exceeded'],
  25: ['SIGXFSZ', 'file size limit exceeded'],
  26: ['SIGVTALRM', 'virtual alarm clock'],
  27: ['SIGPROF', 'profiling alarm clock'],
  28: ['SIGWINCH', 'window size change'],
  29: ['SIGIO', 'i/o now possible'],
  30: ['SIGPWR', 'power failure restart'],
  31: ['SIGSYS', 'bad system call'],
};

/** `SIGSEGV` and `segmentation violation` for 11; `Signal 40` and '' for numbers without a name. */
export function signalName(n: number): { name: string; description: string } {
  const s = SIGNALS[n];
  return s ? { name: s[0], description: s[1] } : { name: `Signal ${n}`, description: '' };
}
