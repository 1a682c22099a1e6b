// Shared by the schedtrace tests: the committed fixtures, the printing grammar of each Go
// release (written from the runtime's printing code of that release, independently of
// src/core/schedtrace), and what the sched-* programs print themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/go';

export const fixturesDir = join(repoRoot, 'test/fixtures/schedtrace');

export interface Fixture {
  version: string;
  /** Minor release, e.g. 21 for go1.21.13. */
  minor: number;
  program: string;
  procs: number;
  detail: boolean;
  path: string;
  name: string;
}

/** Every committed log, parsed from its name: go1.NN.P/sched-X.pN[.detail].log */
export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const version of readdirSync(fixturesDir)
    .filter((d) => /^go1\.\d+\.\d+$/.test(d))
    .sort()) {
    for (const file of readdirSync(join(fixturesDir, version)).sort()) {
      const m = /^(sched-[a-z]+)\.p(\d+)(\.detail)?\.log$/.exec(file);
      if (!m) continue;
      out.push({
        version,
        minor: Number(version.split('.')[1]),
        program: m[1],
        procs: Number(m[2]),
        detail: m[3] !== undefined,
        path: join(fixturesDir, version, file),
        name: `${version}/${file}`,
      });
    }
  }
  return out;
}

export function readFixture(f: Fixture): Buffer {
  return readFileSync(f.path);
}

/** runtime2.go `waitReasonStrings` of each release the fixtures cover (index 0 is waitReasonZero). */
export const WAIT_REASONS: Record<string, string[]> = {
  'go1.21.13': [
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
    'semacquire',
    'sleep',
    'sync.Cond.Wait',
    'sync.Mutex.Lock',
    'sync.RWMutex.RLock',
    'sync.RWMutex.Lock',
    'trace reader (blocked)',
    'wait for GC cycle',
    'GC worker (idle)',
    'GC worker (active)',
    'preempted',
    'debug call',
    'GC mark termination',
    'stopping the world',
  ],
  'go1.22.12': [
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
    'semacquire',
    'sleep',
    'sync.Cond.Wait',
    'sync.Mutex.Lock',
    'sync.RWMutex.RLock',
    'sync.RWMutex.Lock',
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
  ],
  'go1.23.12': [
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
    'semacquire',
    'sleep',
    'sync.Cond.Wait',
    'sync.Mutex.Lock',
    'sync.RWMutex.RLock',
    'sync.RWMutex.Lock',
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
  ],
  'go1.24.13': [
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
    'semacquire',
    'sleep',
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
    'chan receive (synctest)',
    'chan send (synctest)',
    'select (synctest)',
  ],
  'go1.25.14': [
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
  ],
  'go1.26.8': [
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
  ],
  'go1.27.4': [
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
  ],
};

/** Statuses each release can print: G statuses (without the 0x1000 scan bit) and P statuses. */
export function statuses(minor: number): { g: Set<number>; p: Set<number> } {
  // _Gidle.._Gpreempted (5 and 7 unused); 1.26 added _Gleaked (10) and _Gdeadextra (11), and
  // renamed _Psyscall to _Psyscall_unused.
  const g = new Set([0, 1, 2, 3, 4, 6, 8, 9, ...(minor >= 26 ? [10, 11] : [])]);
  const p = new Set(minor >= 26 ? [0, 1, 3, 4] : [0, 1, 2, 3, 4]);
  return { g, p };
}

// fmtNSAsMS (mgc.go): whole ms from 10 ms, else two significant digits with at most three
// decimals; below 1 µs "0".
const MS = '(0|0\\.00[1-9]|0\\.0[1-9]\\d|0\\.[1-9]\\d|[1-9]\\.\\d|[1-9]\\d+)';
const ID = '(nil|\\d+)';

/** The strict grammar of one release, as regexes with the fields in the runtime's order. */
export function grammar(minor: number) {
  const head =
    'SCHED (\\d+)ms: gomaxprocs=(\\d+) idleprocs=(\\d+) threads=(\\d+) spinningthreads=(\\d+) needspinning=([01]) idlethreads=(\\d+) runqueue=(\\d+)';
  return {
    // proc.go schedtrace: up to 1.24 " [q0 q1]"; from 1.25 " [ q0 q1 ] schedticks=[ t0 t1 ]".
    sched: new RegExp(
      minor >= 25
        ? `^${head} \\[ (\\d+(?: \\d+)*) \\] schedticks=\\[ ((?:\\d+ )+)\\]$`
        : `^${head} \\[(\\d+(?: \\d+)*)\\]$`,
    ),
    schedDetail: new RegExp(
      `^${head} gcwaiting=(true|false) nmidlelocked=(-?\\d+) stopwait=(\\d+) sysmonwait=(true|false)$`,
    ),
    p: new RegExp(
      `^  P(\\d+): status=(\\d+) schedtick=(\\d+) syscalltick=(\\d+) m=${ID} runqsize=(\\d+) gfreecnt=(\\d+) timerslen=(\\d+)$`,
    ),
    m: new RegExp(
      `^  M(\\d+): p=${ID} curg=${ID} mallocing=(\\d+) throwing=(\\d+) preemptoff=(.*) locks=(\\d+) dying=(\\d+) spinning=(true|false) blocked=(true|false) lockedg=${ID}$`,
    ),
    g: new RegExp(`^  G(\\d+): status=(\\d+)\\((.*)\\) m=${ID} lockedm=${ID}$`),
    // mgc.go gcMarkTermination; 1.26 added " (checking for goroutine leaks)".
    gc: new RegExp(
      `^gc (\\d+) @(\\d+\\.\\d{3})s (\\d+)%${minor >= 26 ? '( \\(checking for goroutine leaks\\))?' : '()'}: ${MS}\\+${MS}\\+${MS} ms clock, ` +
        `${MS}\\+${MS}/${MS}/${MS}\\+${MS} ms cpu, (\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal, (\\d+) MB stacks, (\\d+) MB globals, (\\d+) P( \\(forced\\))?$`,
    ),
    // mgcscavenge.go printScavTrace, unchanged 1.21–1.27.
    scav: /^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\)| \[controller reset\])?$/,
  };
}

/** A loose test for "this physical line holds a runtime line", used to count them independently. */
export const LOOSE = /SCHED \d+ms: |gc \d+ @\d|scav \d+ KiB work|^ {2}[PMG]\d+: /;

/** The near misses the programs print (sched-common/common.go): program output that looks like trace output. */
export const NEAR_MISSES = [
  'SCHED is a word I use in my own logs',
  'gc 7 is not a GC line @ all',
  'scav: my own scavenger hunt',
  '  P0: my own indented P line',
  '  G1: status=unknown',
  "gc 1 @0.001s 0%: my output, not the runtime's",
];

/** What the chatter of sched-common writes in round i (stdout and stderr, in order). */
export function chatterRound(i: number): string[] {
  switch (i % 5) {
    case 0:
      return [`stdout line ${i}: état ✓ 日本語`];
    case 1:
      return [`stderr line ${i}`];
    case 2:
      return [`partial ${i}: working... done`];
    case 3:
      return [
        NEAR_MISSES[(2 * Math.floor(i / 5)) % NEAR_MISSES.length],
        NEAR_MISSES[(2 * Math.floor(i / 5) + 1) % NEAR_MISSES.length],
      ];
    default:
      return [`progress ${(i * 7) % 100}%`];
  }
}

export interface ExitReport {
  gomaxprocs: number;
  numgc: number;
  numforcedgc: number;
  heapalloc: number;
  heapsys: number;
  nextgc: number;
  live: number;
  stackscan: number;
  globalsscan: number;
}

/** Reads the `golens-sched-exit …` line the programs print last. */
export function parseExit(line: string): ExitReport | undefined {
  if (!line.startsWith('golens-sched-exit ')) return undefined;
  const out: Record<string, number> = {};
  for (const kv of line.slice('golens-sched-exit '.length).split(' ')) {
    const [k, v] = kv.split('=');
    out[k] = Number(v);
  }
  return out as unknown as ExitReport;
}
