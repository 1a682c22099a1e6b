// The runtime's waitReason numbers as text. Delve reports g.waitreason as a number whose
// meaning is the order of the constants in that Go release's runtime/runtime2.go; the
// strings are the runtime's own (waitReasonStrings), so states read like a goroutine dump's.

/** Go 1.26 and 1.27 (runtime2.go order). */
const GO126 = [
  '',
  'GC assist marking',
  'IO wait',
  'dumping heap',
  'garbage collection',
  'garbage collection scan',
  'panicwait',
  'GC assist wait',
  'GC sweep wait',
  'GC scavenge wait',
  'finalizer wait',
  'force gc (idle)',
  'GOMAXPROCS updater (idle)',
  'semacquire',
  'sleep',
  'chan receive (nil chan)',
  'chan send (nil chan)',
  'select (no cases)',
  'select',
  'chan receive',
  'chan send',
  'sync.Cond.Wait',
  'sync.Mutex.Lock',
  'sync.RWMutex.RLock',
  'sync.RWMutex.Lock',
  'sync.WaitGroup.Wait',
  'trace reader (blocked)',
  'wait for GC cycle',
  'GC worker (idle)',
  'GC worker (active)',
  'preempted',
  'debug call',
  'GC mark termination',
  'stopping the world',
  'flushing proc caches',
  'trace goroutine status',
  'trace proc status',
  'page trace flush',
  'coroutine',
  'GC weak to strong wait',
  'synctest.Run',
  'synctest.Wait',
  'chan receive (durable)',
  'chan send (durable)',
  'select (durable)',
  'sync.WaitGroup.Wait (durable)',
  'cleanup wait',
];

/** Go 1.25: the same reasons, the channel and select ones in other places. */
const GO125 = [
  '',
  'GC assist marking',
  'IO wait',
  'chan receive (nil chan)',
  'chan send (nil chan)',
  'dumping heap',
  'garbage collection',
  'garbage collection scan',
  'panicwait',
  'select',
  'select (no cases)',
  'GC assist wait',
  'GC sweep wait',
  'GC scavenge wait',
  'chan receive',
  'chan send',
  'finalizer wait',
  'force gc (idle)',
  'GOMAXPROCS updater (idle)',
  'semacquire',
  'sleep',
  ...GO126.slice(21),
];

/** Minor version of `go1.N…` (`go1.26.8` → 26); 0 when not a Go 1 version string. */
export function goMinor(goVersion: string): number {
  const m = /^go1\.(\d+)/.exec(goVersion);
  return m ? Number(m[1]) : 0;
}

/** The runtime's text for wait reason `n` of a program built by `goVersion`; `wait reason N` when unknown. */
export function waitReasonText(goVersion: string, n: number): string {
  const minor = goMinor(goVersion);
  const table = minor >= 26 ? GO126 : minor === 25 ? GO125 : undefined;
  if (table && n > 0 && n < table.length) return table[n];
  return `wait reason ${n}`;
}
