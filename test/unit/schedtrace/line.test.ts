// The grammar of single runtime lines, one table row per shape each release prints.
import { describe, expect, it } from 'vitest';
import {
  looksLikeTraceLine,
  parseGcLine,
  parseGLine,
  parseMLine,
  parsePLine,
  parseScavLine,
  parseSchedLine,
  parseTraceLine,
} from '../../../src/core/schedtrace';

describe('SCHED lines', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    [
      'go1.21–1.24 plain',
      'SCHED 1005ms: gomaxprocs=4 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 [0 12 0 256]',
      {
        timeMs: 1005,
        gomaxprocs: 4,
        idleprocs: 1,
        threads: 7,
        spinningthreads: 1,
        needspinning: 0,
        idlethreads: 2,
        runqueue: 3,
        runqueues: [0, 12, 0, 256],
      },
    ],
    [
      'go1.25+ plain with schedticks',
      'SCHED 0ms: gomaxprocs=2 idleprocs=2 threads=3 spinningthreads=1 needspinning=1 idlethreads=0 runqueue=0 [ 1 0 ] schedticks=[ 0 4294967295 ]',
      { timeMs: 0, needspinning: 1, runqueues: [1, 0], schedticks: [0, 4294967295] },
    ],
    [
      'one P, go1.25+',
      'SCHED 7ms: gomaxprocs=1 idleprocs=0 threads=3 spinningthreads=0 needspinning=1 idlethreads=1 runqueue=0 [ 8 ] schedticks=[ 67 ]',
      { gomaxprocs: 1, needspinning: 1, runqueues: [8], schedticks: [67] },
    ],
    [
      'one P, go1.21',
      'SCHED 7ms: gomaxprocs=1 idleprocs=0 threads=3 spinningthreads=0 needspinning=1 idlethreads=1 runqueue=0 [8]',
      { gomaxprocs: 1, needspinning: 1, runqueues: [8] },
    ],
    [
      'before go1.21 (no needspinning), as observed on go1.19',
      'SCHED 0ms: gomaxprocs=4 idleprocs=0 threads=5 spinningthreads=1 idlethreads=0 runqueue=0 [0 0 0 0]',
      { threads: 5, runqueues: [0, 0, 0, 0] },
    ],
  ];
  for (const [name, line, want] of cases) {
    it(name, () => {
      const r = parseSchedLine(line, 3);
      expect(r?.kind).toBe('sched');
      if (r?.kind !== 'sched') return;
      expect(r.snapshot).toMatchObject({ ...want, line: 3 });
      expect(r.detailHeader).toBeUndefined();
      if (!('needspinning' in want)) expect(r.snapshot.needspinning).toBeUndefined();
      if (!('schedticks' in want)) expect(r.snapshot.schedticks).toBeUndefined();
    });
  }

  it('scheddetail variant: bools as true/false (1.21+) and 0/1 (older), negative counts', () => {
    const a = parseSchedLine(
      'SCHED 0ms: gomaxprocs=16 idleprocs=14 threads=4 spinningthreads=1 needspinning=0 idlethreads=1 runqueue=0 gcwaiting=false nmidlelocked=-1 stopwait=0 sysmonwait=true',
    );
    expect(a?.kind === 'sched' && a.detailHeader).toEqual({
      gcwaiting: false,
      nmidlelocked: -1,
      stopwait: 0,
      sysmonwait: true,
    });
    const b = parseSchedLine(
      'SCHED 0ms: gomaxprocs=4 idleprocs=0 threads=5 spinningthreads=1 idlethreads=0 runqueue=0 gcwaiting=1 nmidlelocked=0 stopwait=0 sysmonwait=0',
    );
    expect(b?.kind === 'sched' && b.detailHeader).toEqual({
      gcwaiting: true,
      nmidlelocked: 0,
      stopwait: 0,
      sysmonwait: false,
    });
    expect(b?.kind === 'sched' && b.snapshot.runqueues).toEqual([]);
  });

  it('rejects near misses and mixed spacing', () => {
    for (const bad of [
      'SCHED is a word I use in my own logs',
      'SCHED 100ms: gomaxprocs=4 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3',
      'SCHED 100ms: gomaxprocs=4 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 [0 0 0 0] trailing',
      'SCHED 100ms: gomaxprocs=4 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 [ 0 0 0 0]',
      'SCHED 100ms: gomaxprocs=4 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 []',
      'SCHED 100ms: gomaxprocs=x idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 [0]',
      ' SCHED 100ms: gomaxprocs=1 idleprocs=1 threads=7 spinningthreads=1 needspinning=0 idlethreads=2 runqueue=3 [0]',
    ]) {
      expect(parseTraceLine(bad), bad).toBeUndefined();
    }
  });
});

describe('scheddetail P, M and G lines', () => {
  it('P lines, with nil and -1 for no M, with and without timerslen', () => {
    expect(
      parsePLine(
        '  P3: status=1 schedtick=79 syscalltick=2 m=0 runqsize=1 gfreecnt=5 timerslen=6',
        9,
      ),
    ).toEqual({
      id: 3,
      status: 1,
      schedtick: 79,
      syscalltick: 2,
      m: 0,
      runqsize: 1,
      gfreecnt: 5,
      timerslen: 6,
      line: 9,
    });
    expect(
      parsePLine('  P0: status=0 schedtick=0 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0')
        ?.m,
    ).toBeNull();
    expect(
      parsePLine('  P0: status=0 schedtick=0 syscalltick=0 m=-1 runqsize=0 gfreecnt=0 timerslen=0')
        ?.m,
    ).toBeNull();
    expect(
      parsePLine('  P0: status=0 schedtick=0 syscalltick=0 m=-1 runqsize=0 gfreecnt=0')?.timerslen,
    ).toBeUndefined();
    expect(
      parsePLine(' P0: status=0 schedtick=0 syscalltick=0 m=-1 runqsize=0 gfreecnt=0'),
    ).toBeUndefined();
  });

  it('M lines, preemptoff empty or with spaces', () => {
    expect(
      parseMLine(
        '  M2: p=3 curg=55 mallocing=0 throwing=0 preemptoff= locks=6 dying=0 spinning=false blocked=true lockedg=nil',
        4,
      ),
    ).toEqual({
      id: 2,
      p: 3,
      curg: 55,
      mallocing: 0,
      throwing: 0,
      preemptoff: '',
      locks: 6,
      dying: 0,
      spinning: false,
      blocked: true,
      lockedg: null,
      line: 4,
    });
    // Seen on go1.23: ReadMemStats stops the world with this reason.
    expect(
      parseMLine(
        '  M0: p=4 curg=1 mallocing=0 throwing=0 preemptoff=read mem stats locks=0 dying=0 spinning=false blocked=true lockedg=nil',
      )?.preemptoff,
    ).toBe('read mem stats');
    expect(
      parseMLine(
        '  M0: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=true blocked=false lockedg=1',
      ),
    ).toMatchObject({ p: null, curg: null, spinning: true, lockedg: 1 });
    expect(
      parseMLine(
        '  M0: p=-1 curg=-1 mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=true blocked=false lockedg=-1',
      ),
    ).toMatchObject({ p: null, curg: null, lockedg: null });
  });

  it('G lines: wait reasons with parentheses, empty reasons, scan bit', () => {
    expect(parseGLine('  G2: status=4(force gc (idle)) m=nil lockedm=nil', 2)).toEqual({
      goid: 2,
      status: 4,
      waitReason: 'force gc (idle)',
      m: null,
      lockedm: null,
      line: 2,
    });
    expect(parseGLine('  G5: status=1() m=nil lockedm=nil')?.waitReason).toBe('');
    expect(parseGLine('  G1: status=4100(chan receive (nil chan)) m=3 lockedm=0')).toMatchObject({
      status: 4100,
      waitReason: 'chan receive (nil chan)',
      m: 3,
      lockedm: 0,
    });
    expect(parseGLine('  G9: status=4(sync.RWMutex.RLock) m=nil lockedm=nil')?.waitReason).toBe(
      'sync.RWMutex.RLock',
    );
    // Program text in the wait reason's place: digits and colons are in no reason of any release.
    expect(parseGLine('  G12: status=4(stderr line 5select) m=nil lockedm=nil')).toBeUndefined();
    expect(
      parseGLine('  G12: status=4(partial 3: working...select) m=nil lockedm=nil'),
    ).toBeUndefined();
    expect(parseGLine('  G1: status=unknown')).toBeUndefined();
  });
});

describe('gctrace lines', () => {
  const line =
    'gc 156 @1.204s 5%: 1.3+0.18+0.005 ms clock, 2.6+0/1.3/0.033+0.010 ms cpu, 17->17->0 MB, 34 MB goal, 0 MB stacks, 1 MB globals, 4 P (forced)';
  it('every field', () => {
    expect(parseGcLine(line, 7)).toEqual({
      n: 156,
      startS: 1.204,
      cpuPercent: 5,
      leakCheck: false,
      clockSweepTermMs: 1.3,
      clockMarkMs: 0.18,
      clockMarkTermMs: 0.005,
      cpuSweepTermMs: 2.6,
      cpuAssistMs: 0,
      cpuBackgroundMs: 1.3,
      cpuIdleMs: 0.033,
      cpuMarkTermMs: 0.01,
      heapStartMB: 17,
      heapEndMB: 17,
      heapLiveMB: 0,
      heapGoalMB: 34,
      stacksMB: 0,
      globalsMB: 1,
      procs: 4,
      forced: true,
      line: 7,
    });
  });
  it('not forced; whole milliseconds; go1.26 leak check; before stacks/globals', () => {
    expect(
      parseGcLine(
        'gc 1 @0.002s 13%: 12+1.3+0.046 ms clock, 0.17+0.78/1.0/0.077+0.092 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
      ),
    ).toMatchObject({
      forced: false,
      clockSweepTermMs: 12,
    });
    expect(
      parseGcLine(
        'gc 3 @2.000s 1% (checking for goroutine leaks): 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
      )?.leakCheck,
    ).toBe(true);
    const old = parseGcLine(
      'gc 1 @0.002s 13%: 0.089+1.3+0.046 ms clock, 0.17+0.78/1.0/0.077+0.092 ms cpu, 3->4->1 MB, 4 MB goal, 8 P',
    );
    expect(old?.stacksMB).toBeUndefined();
    expect(old?.procs).toBe(8);
  });
  it('rejects near misses', () => {
    for (const bad of [
      'gc 7 is not a GC line @ all',
      "gc 1 @0.001s 0%: my output, not the runtime's",
      line.replace(' (forced)', ' (forced) '),
      line.slice(0, -1),
    ]) {
      expect(parseTraceLine(bad), bad).toBeUndefined();
    }
  });
});

describe('scavenger lines', () => {
  it('plain, forced and controller reset', () => {
    expect(
      parseScavLine('scav 640 KiB work (bg), 0 KiB work (eager), 2736 KiB now, 53% util', 1),
    ).toEqual({
      bgKiB: 640,
      eagerKiB: 0,
      releasedKiB: 2736,
      utilPercent: 53,
      forced: false,
      controllerReset: false,
      line: 1,
    });
    expect(
      parseScavLine(
        'scav 0 KiB work (bg), 39064 KiB work (eager), 68296 KiB now, 51% util (forced)',
      )?.forced,
    ).toBe(true);
    expect(
      parseScavLine(
        'scav 0 KiB work (bg), 0 KiB work (eager), 68296 KiB now, 51% util [controller reset]',
      )?.controllerReset,
    ).toBe(true);
    expect(parseScavLine('scav: my own scavenger hunt')).toBeUndefined();
  });
});

describe('looksLikeTraceLine', () => {
  it('flags lines that start like runtime lines', () => {
    expect(looksLikeTraceLine('SCHED 1ms: gomaxprocs=')).toBe(true);
    expect(looksLikeTraceLine('gc 12 @')).toBe(true);
    expect(looksLikeTraceLine('  G1: status=unknown')).toBe(true);
    expect(looksLikeTraceLine('SCHED is a word')).toBe(false);
    expect(looksLikeTraceLine('hello')).toBe(false);
  });
});
