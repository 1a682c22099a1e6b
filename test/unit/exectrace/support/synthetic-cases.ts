// Hand-written execution traces (our own cases, in the text form of trace-text.ts) for the
// situations real programs rarely hit on a test machine: stolen syscall procs, cgo-style
// goroutines, coroutine switches, GC ranges active across generations, equal timestamps that
// force tie-breaking, odd clock frequencies, odd strings, and broken traces. The differential
// tests run each through `go tool trace -d=parsed` and compare; unit tests check a few by hand.

export type Minor = 22 | 23 | 25 | 26;

export interface SyntheticCase {
  name: string;
  minor: Minor;
  text: string;
  /** Whether Go's reader accepts it (we must agree). */
  ok: boolean;
}

const NOM = '18446744073709551615';

export const STRINGS: Record<number, string> = {
  1: '"main.main"',
  2: '"/src/app/main.go"',
  3: '"main.worker"',
  4: '"chan receive"',
  5: '"runtime.Gosched"',
  6: '"GC (dedicated)"',
  7: '"task-a"',
  8: '"region-x"',
  9: '"category"',
  10: '"message"',
  11: '"GC sweep termination"',
  12: '"sync"',
  13: '"tab\\there \\"q\\" \\xff\\xfe \\u00e9 \\u4e16\\u754c nbsp\\u00a0 zw\\u200b ctl\\x01 \\U0001f600 \\ufffd bs\\\\"',
  14: '"runtime.goexit"',
  15: '"/usr/local/go/src/runtime/asm_amd64.s"',
  16: '"forever"',
};

/** Options for one generation's tables. */
interface GenOpts {
  freq?: number;
  time?: number;
  mono?: string;
  sec?: string;
  nsec?: string;
  strings?: Record<number, string>;
  /** Stack tables: id → frames as "pc func file line". */
  stacks?: Record<number, string[]>;
  extra?: string;
}

export const STACKS: Record<number, string[]> = {
  1: ['4198400 3 2 20', '4198500 1 2 10'],
  2: ['4198500 1 2 10'],
  3: ['4198600 3 2 30', '4198700 14 15 1700'],
};

/** Keeps lines marked "@23 " (or "@25 ", "@26 ") only for traces of that version or newer. */
function gate(body: string, minor: Minor): string {
  return body
    .split('\n')
    .filter((l) => {
      const m = /^\s*@(\d\d) /.exec(l);
      return !m || Number(m[1]) <= minor;
    })
    .map((l) => l.replace(/^(\s*)@\d\d /, '$1'))
    .join('\n');
}

/** One generation: its event batches plus frequency/sync, stack and string batches. */
function gen(n: number, minor: Minor, batches: string, o: GenOpts = {}): string {
  const t = o.time ?? 10 * n;
  const freq = o.freq ?? 15625000;
  const sync =
    minor >= 25
      ? `EventBatch gen=${n} m=${NOM} time=${t}\nSync\nFrequency freq=${freq}\nClockSnapshot dt=3 mono=${o.mono ?? '123456789'} sec=${o.sec ?? '1700000000'} nsec=${o.nsec ?? '500'}`
      : `EventBatch gen=${n} m=${NOM} time=${t}\nFrequency freq=${freq}`;
  const stacks = Object.entries(o.stacks ?? STACKS)
    .map(
      ([id, frames]) =>
        `Stack id=${id} nframes=${frames.length}\n` +
        frames
          .map((f) => {
            const [pc, fn, file, line] = f.split(' ');
            return `\tpc=${pc} func=${fn} file=${file} line=${line}`;
          })
          .join('\n'),
    )
    .join('\n');
  const strings = Object.entries(o.strings ?? STRINGS)
    .map(([id, s]) => `String id=${id}\n\tdata=${s}`)
    .join('\n');
  return [
    gate(batches, minor),
    sync,
    `EventBatch gen=${n} m=${NOM} time=${t + 1}\nStacks\n${stacks}`,
    `EventBatch gen=${n} m=${NOM} time=${t + 2}\nStrings\n${strings}`,
    o.extra ?? '',
    minor >= 26 ? 'EndOfGeneration' : '',
  ].join('\n');
}

function trace(minor: Minor, ...gens: string[]): string {
  return `Trace Go1.${minor}\n` + gens.join('\n');
}

const ALL: Minor[] = [22, 23, 25, 26];
const cases: SyntheticCase[] = [];
function add(name: string, minors: Minor[], ok: boolean, make: (minor: Minor) => string): void {
  for (const minor of minors)
    cases.push({ name: `${name} (go1.${minor})`, minor, text: make(minor), ok });
}

// A goroutine's life on two threads, annotations, GC ranges, and an event that must wait for
// another thread (M11's GoStart of g5 is earlier than M10's GoStop of it).
add('lifecycle', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=10 time=1000
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=10 gstatus=2
ProcsChange dt=1 procs_value=2 stack=2
HeapGoal dt=1 heapgoal_value=4194304
GoCreate dt=2 new_g=5 new_stack=3 stack=2
@23 GoCreateBlocked dt=1 new_g=6 new_stack=0 stack=2
GoBlock dt=3 reason_string=4 stack=2
GoStart dt=2 g=5 g_seq=1
GoLabel dt=1 label_string=6
HeapAlloc dt=1 heapalloc_value=123456
GoUnblock dt=1 g=1 g_seq=1 stack=3
GoStop dt=5 reason_string=5 stack=3
GoStart dt=1 g=1 g_seq=2
UserTaskBegin dt=1 task=1 parent_task=0 name_string=7 stack=2
UserTaskBegin dt=1 task=2 parent_task=1 name_string=7 stack=0
UserRegionBegin dt=1 task=1 name_string=8 stack=2
UserLog dt=1 task=1 key_string=9 value_string=13 stack=2
UserRegionEnd dt=1 task=1 name_string=8 stack=2
UserTaskEnd dt=1 task=1 stack=2
UserTaskEnd dt=1 task=99 stack=0
UserRegionEnd dt=1 task=0 name_string=8 stack=0
GCBegin dt=1 gc_seq=1 stack=2
STWBegin dt=1 kind_string=11 stack=2
STWEnd dt=1
GCMarkAssistBegin dt=1 stack=2
GCMarkAssistEnd dt=1
GCSweepBegin dt=1 stack=2
GCSweepEnd dt=1 swept_value=8192 reclaimed_value=4096
GCEnd dt=1 gc_seq=2
GoDestroy dt=1
ProcStop dt=1
EventBatch gen=1 m=11 time=1005
ProcStatus dt=1 p=1 pstatus=2
ProcStart dt=1 p=1 p_seq=1
GoStart dt=10 g=5 g_seq=2
GoSyscallBegin dt=1 p_seq=2 stack=3
GoSyscallEnd dt=3
GoDestroy dt=1
ProcStop dt=1
`,
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=10 time=2000
ProcStatus dt=1 p=0 pstatus=2
ProcStatus dt=1 p=1 pstatus=2
@23 GoStatus dt=1 g=6 m=${NOM} gstatus=4
ProcStart dt=1 p=0 p_seq=1
@23 GoUnblock dt=1 g=6 g_seq=1 stack=0
@23 GoStart dt=1 g=6 g_seq=2
@23 GoDestroy dt=1
ProcStop dt=1
`,
      { time: 1990 },
    ),
  ),
);

// A goroutine blocks in a syscall; another thread steals its P; it comes back without one.
add('syscall-steal', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GoSyscallBegin dt=1 p_seq=1 stack=3
GoSyscallEndBlocked dt=50
ProcStatus dt=1 p=2 pstatus=2
ProcStart dt=1 p=2 p_seq=1
GoStart dt=1 g=1 g_seq=1
GoStop dt=1 reason_string=5 stack=0
ProcStop dt=1
EventBatch gen=1 m=1 time=100
ProcStatus dt=1 p=1 pstatus=1
GoStatus dt=1 g=2 m=1 gstatus=2
ProcSteal dt=10 p=0 p_seq=2 m=0
GoBlock dt=1 reason_string=16 stack=0
ProcStop dt=1
`,
    ),
  ),
);

// Stealing one's own P, then reacquiring a different P before the syscall returns.
add('syscall-self-steal-reacquire', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
ProcStatus dt=1 p=3 pstatus=2
GoStatus dt=1 g=1 m=0 gstatus=2
GoSyscallBegin dt=1 p_seq=1 stack=3
ProcSteal dt=1 p=0 p_seq=2 m=0
ProcStart dt=1 p=3 p_seq=1
GoSyscallEndBlocked dt=1
GoStart dt=1 g=1 g_seq=1
GoDestroy dt=1
ProcStop dt=1
`,
    ),
  ),
);

// A goroutine sits in a syscall across a generation boundary; its P is abandoned and stolen
// in the next generation (statuses emitted by another thread).
add('syscall-across-generations', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GoSyscallBegin dt=1 p_seq=1 stack=3
EventBatch gen=1 m=1 time=100
ProcStatus dt=1 p=1 pstatus=1
GoStatus dt=1 g=2 m=1 gstatus=2
`,
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=1 time=300
ProcStatus dt=1 p=1 pstatus=1
GoStatus dt=1 g=2 m=1 gstatus=2
GoStatus dt=1 g=1 m=0 gstatus=3
ProcStatus dt=1 p=0 pstatus=4
ProcSteal dt=1 p=0 p_seq=1 m=0
GoBlock dt=1 reason_string=16 stack=0
EventBatch gen=2 m=0 time=310
GoSyscallEndBlocked dt=5
`,
      { time: 290 },
    ),
  ),
);

// A goroutine sitting in a syscall on a thread never seen before (bare M), at trace start.
add('syscall-bare-m', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=1 time=100
ProcStatus dt=1 p=1 pstatus=1
GoStatus dt=1 g=2 m=1 gstatus=2
GoStatus dt=1 g=1 m=7 gstatus=3
ProcStatus dt=1 p=0 pstatus=4
ProcSteal dt=1 p=0 p_seq=1 m=7
EventBatch gen=1 m=7 time=120
GoSyscallEndBlocked dt=1
`,
    ),
  ),
);

// cgo-style goroutines: created in a syscall on a foreign thread, then destroyed there while
// holding a P (which the reader turns into an extra self-steal).
add('cgo-callback', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=5 time=100
ProcStatus dt=1 p=2 pstatus=2
GoCreateSyscall dt=1 new_g=20
ProcStart dt=1 p=2 p_seq=1
GoSyscallEndBlocked dt=1
GoStart dt=1 g=20 g_seq=1
GoSyscallBegin dt=1 p_seq=2 stack=3
GoDestroySyscall dt=1
GoCreateSyscall dt=5 new_g=21
GoDestroySyscall dt=1
`,
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=6 time=300
ProcStatus dt=1 p=2 pstatus=4
ProcSteal dt=1 p=2 p_seq=1 m=5
`,
      { time: 290 },
    ),
  ),
);

// A task begun in one generation and ended in the next, whose string table differs.
add('task-across-generations', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
UserTaskBegin dt=1 task=5 parent_task=0 name_string=7 stack=0
UserTaskBegin dt=1 task=18446744073709551614 parent_task=5 name_string=8 stack=0
`,
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=0 time=300
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
UserTaskEnd dt=1 task=18446744073709551614 stack=0
UserTaskEnd dt=1 task=5 stack=0
UserTaskEnd dt=1 task=5 stack=0
`,
      { time: 290, strings: { ...STRINGS, 7: '"renamed in generation 2"', 8: '"x"' } },
    ),
  ),
);

// Coroutine switches (iter.Pull): each switch is three events in the parsed stream.
add('coroutine-switch', [23, 25, 26], true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GoCreateBlocked dt=1 new_g=7 new_stack=3 stack=2
GoSwitch dt=1 g=7 g_seq=1
GoSwitch dt=1 g=1 g_seq=1
GoSwitch dt=1 g=7 g_seq=2
GoSwitchDestroy dt=1 g=1 g_seq=2
GoDestroy dt=1
ProcStop dt=1
`,
    ),
  ),
);

// Ranges already active when the trace starts, and confirmed active in the next generation.
add('active-ranges', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GCActive dt=1 gc_seq=5
GCMarkAssistActive dt=1 g=1
GCSweepActive dt=1 p=0
GoStatus dt=1 g=3 m=${NOM} gstatus=1
GCMarkAssistActive dt=1 g=3
`,
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=0 time=300
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
GCActive dt=1 gc_seq=6
GCMarkAssistActive dt=1 g=1
GCSweepActive dt=1 p=0
GCSweepEnd dt=1 swept_value=1 reclaimed_value=0
GCMarkAssistEnd dt=1
GCEnd dt=1 gc_seq=7
GoStatus dt=1 g=3 m=${NOM} gstatus=1
GoBlock dt=1 reason_string=16 stack=0
GoStart dt=1 g=3 g_seq=1
GCMarkAssistEnd dt=1
GoDestroy dt=1
`,
      { time: 290 },
    ),
  ),
);

// Fourteen threads with identical timestamps, the first of which must wait: the reader sorts
// its frontier (more than 12 cursors: the pdqsort path) and ties decide the output order.
// Also 20 CPU samples at three distinct times, sorted by the same unstable sort.
add('equal-times', ALL, true, (v) => {
  let body = `
EventBatch gen=1 m=13 time=100
GoUnblock dt=0 g=1 g_seq=1 stack=0
ProcStatus dt=0 p=13 pstatus=2
EventBatch gen=1 m=0 time=100
ProcStatus dt=0 p=0 pstatus=1
GoStatus dt=0 g=1 m=0 gstatus=2
GoBlock dt=5 reason_string=4 stack=0
`;
  for (let m = 1; m <= 12; m++)
    body += `EventBatch gen=1 m=${m} time=100\nProcStatus dt=0 p=${m} pstatus=2\nProcStart dt=0 p=${m} p_seq=1\nProcStop dt=0\n`;
  let cpu = `EventBatch gen=1 m=${NOM} time=99\nCPUSamples\n`;
  for (let i = 0; i < 20; i++)
    cpu += `CPUSample time=${[100, 101, 105][i % 3]} m=${i % 5} p=${i % 4} g=${i % 2} stack=${1 + (i % 3)}\n`;
  return trace(v, gen(1, v, body, { extra: cpu }));
});

// Clock frequencies whose ns-per-unit is not an integer: every delta is truncated on its own.
add('odd-frequency', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=1234567
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=3 g=1 m=0 gstatus=2
GoStop dt=1 reason_string=5 stack=0
GoStart dt=7 g=1 g_seq=1
GoStop dt=2 reason_string=5 stack=0
`,
      { freq: 2500000000, time: 1234560 },
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=0 time=98765432
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=13 g=1 m=0 gstatus=1
GoStart dt=1 g=1 g_seq=1
GoStop dt=17 reason_string=5 stack=0
`,
      { freq: 1234567891, time: 98765430, mono: '18446744073709551000', sec: '0', nsec: '0' },
    ),
  ),
);

// Wall clocks of Go 1.25+ sync events: nanoseconds to normalize, a date far ahead.
add('clock-snapshot', [25, 26], true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=2
`,
      { sec: '1700000000', nsec: '1500000000' },
    ),
    gen(
      2,
      v,
      `
EventBatch gen=2 m=0 time=300
ProcStatus dt=1 p=0 pstatus=2
`,
      { time: 290, sec: '4102444800', nsec: '120000' },
    ),
  ),
);

// Experimental data: an AllocFree batch (opaque) and experimental events in an event batch.
add('experimental', [23, 25, 26], true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
Span dt=1 id=4096 npages_value=2 kindclass=5
HeapObjectAlloc dt=1 id=8192 type=3
GoroutineStackFree dt=1 id=77
`,
      { extra: `ExperimentalBatch exp=1 gen=1 m=0 time=101\n\tdata="\\x80\\x01\\x02opaque"` },
    ),
  ),
);

// A region still open from before the trace, goroutines never seen running.
add('odd-but-valid', ALL, true, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `
EventBatch gen=1 m=0 time=100
ProcStatus dt=1 p=0 pstatus=1
GoStatus dt=1 g=1 m=0 gstatus=2
UserRegionEnd dt=1 task=3 name_string=8 stack=2
UserRegionBegin dt=1 task=3 name_string=8 stack=2
UserRegionBegin dt=1 task=3 name_string=9 stack=2
UserRegionEnd dt=1 task=3 name_string=9 stack=2
UserRegionEnd dt=1 task=3 name_string=8 stack=2
GoStatus dt=1 g=9 m=${NOM} gstatus=1
GoStatus dt=1 g=10 m=${NOM} gstatus=4
GoUnblock dt=1 g=10 g_seq=1 stack=1
GoBlock dt=1 reason_string=0 stack=0
EventBatch gen=1 m=${NOM} time=100
ProcStatus dt=1 p=4 pstatus=2
`,
    ),
  ),
);

// Broken traces: Go and we must both fail, after printing the same events.
add('error-no-frequency', ALL, false, (v) =>
  trace(
    v,
    gen(1, v, `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1`).replace(
      /Frequency freq=\d+\n?/,
      '',
    ),
  ),
);
add('error-duplicate-string', ALL, false, (v) =>
  trace(
    v,
    gen(1, v, `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1`, {
      extra: `EventBatch gen=1 m=${NOM} time=100\nStrings\nString id=3\n\tdata="again"`,
    }),
  ),
);
add('error-duplicate-stack', ALL, false, (v) =>
  trace(
    v,
    gen(1, v, `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1`, {
      extra: `EventBatch gen=1 m=${NOM} time=100\nStacks\nStack id=2 nframes=0`,
    }),
  ),
);
add('error-inconsistent-status', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nProcStatus dt=1 p=0 pstatus=2`,
    ),
  ),
);
add('error-cannot-advance', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nGoStatus dt=1 g=1 m=0 gstatus=2\nGoStop dt=1 reason_string=5 stack=0\nGoStart dt=1 g=3 g_seq=1`,
    ),
  ),
);
add('error-region-misuse', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nGoStatus dt=1 g=1 m=0 gstatus=2\nUserRegionBegin dt=1 task=1 name_string=8 stack=0\nUserRegionEnd dt=1 task=1 name_string=9 stack=0`,
    ),
  ),
);
add('error-unknown-string', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nGoStatus dt=1 g=1 m=0 gstatus=2\nGoBlock dt=1 reason_string=99 stack=0`,
    ),
  ),
);
add('error-unknown-stack', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nGoStatus dt=1 g=1 m=0 gstatus=2\nGoBlock dt=1 reason_string=4 stack=42`,
    ),
  ),
);
add('error-in-second-generation', ALL, false, (v) =>
  trace(
    v,
    gen(
      1,
      v,
      `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=1\nGoStatus dt=1 g=1 m=0 gstatus=2`,
    ),
    gen(2, v, `EventBatch gen=2 m=0 time=300\nGoStatus dt=1 g=8 m=0 gstatus=2`, { time: 290 }),
  ),
);
add('error-generations-out-of-order', [22, 23, 25], false, (v) =>
  trace(
    v,
    gen(1, v, `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=2`),
    gen(2, v, `EventBatch gen=2 m=0 time=300\nProcStatus dt=1 p=0 pstatus=2`),
    `EventBatch gen=1 m=3 time=400\nProcStatus dt=1 p=5 pstatus=2`,
  ),
);
add('error-missing-end-of-generation', [26], false, (v) =>
  trace(
    v,
    gen(1, v, `EventBatch gen=1 m=0 time=100\nProcStatus dt=1 p=0 pstatus=2`).replace(
      /EndOfGeneration\s*$/,
      '',
    ),
    gen(2, v, `EventBatch gen=2 m=0 time=300\nProcStatus dt=1 p=0 pstatus=2`),
  ),
);

/** All synthetic cases, one per (scenario, version). */
export const SYNTHETIC_CASES: readonly SyntheticCase[] = cases;
