// The stream parser: splitting runtime lines from program output on one stream, scheddetail
// blocks, and the shapes real interleaving produces (the runtime writes every printed value
// with its own write(2), so program writes land before, inside and after its lines).
import { describe, expect, it } from 'vitest';
import {
  collectEvents,
  parseSchedTraceLog,
  SchedTraceError,
  SchedTraceStream,
  type SchedEvent,
} from '../../../src/core/schedtrace';

const SCHED_PLAIN =
  'SCHED 100ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [ 1 2 ] schedticks=[ 10 20 ]';
const SCHED_DETAIL = (t: number, procs = 2) =>
  `SCHED ${t}ms: gomaxprocs=${procs} idleprocs=0 threads=3 spinningthreads=0 needspinning=1 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false`;
const P = (i: number, runq = 0) =>
  `  P${i}: status=1 schedtick=${7 + i} syscalltick=0 m=${i} runqsize=${runq} gfreecnt=0 timerslen=0`;
const M = (i: number) =>
  `  M${i}: p=${i} curg=nil mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil`;
const G = (id: number, reason = 'select') => `  G${id}: status=4(${reason}) m=nil lockedm=nil`;
const GC =
  'gc 5 @0.100s 2%: 0.010+1.2+0.003 ms clock, 0.020+0/0.5/0+0.006 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P';
const SCAV = 'scav 0 KiB work (bg), 0 KiB work (eager), 30448 KiB now, 65% util';
const BLOCK = (t: number) => [
  SCHED_DETAIL(t),
  P(0),
  P(1, 3),
  M(1),
  M(0),
  G(1, 'chan receive'),
  G(2, 'GC worker (idle)'),
];

function parse(text: string) {
  return parseSchedTraceLog(text, { allowEmpty: true });
}

function program(text: string): string[] {
  return parse(text).programOutput.map((p) => p.text);
}

describe('separating runtime lines from program output', () => {
  it('keeps program lines, recognises each kind of runtime line', () => {
    const log = parse(['hello', SCHED_PLAIN, GC, SCAV, 'world', ''].join('\n'));
    expect(log.programOutput.map((p) => [p.text, p.line])).toEqual([
      ['hello', 1],
      ['world', 5],
    ]);
    expect(log.snapshots).toHaveLength(1);
    expect(log.snapshots[0]).toMatchObject({
      timeMs: 100,
      runqueues: [1, 2],
      schedticks: [10, 20],
      line: 2,
    });
    expect(log.gcCycles.map((g) => g.n)).toEqual([5]);
    expect(log.scavenger.map((s) => s.releasedKiB)).toEqual([30448]);
    expect(log.warnings).toEqual([]);
  });

  it('a runtime line that starts after program text without a newline: both recovered, the program line joined', () => {
    const log = parse(`progress 28%${SCHED_PLAIN}\n\nnext\n`);
    expect(log.snapshots).toHaveLength(1);
    expect(log.snapshots[0].line).toBe(1);
    expect(log.programOutput.map((p) => p.text)).toEqual(['progress 28%', 'next']);
    expect(program(`partial 2: working...${SCHED_PLAIN}\n${GC}\n done\n`)).toEqual([
      'partial 2: working... done',
    ]);
    expect(parse(`partial 2: working...${SCHED_PLAIN}\n${GC}\n done\n`).stats.midLineStarts).toBe(
      1,
    );
  });

  it('a whole scheddetail block printed in the middle of a program line', () => {
    const log = parse(
      [`partial 12: working...${SCHED_DETAIL(900)}`, P(0), P(1), M(0), G(1), ' done', ''].join(
        '\n',
      ),
    );
    expect(log.programOutput.map((p) => p.text)).toEqual(['partial 12: working... done']);
    expect(log.snapshots[0].detail).toMatchObject({ incomplete: false });
    expect(log.snapshots[0].detail!.gs).toHaveLength(1);
  });

  it('a program line written into a runtime line between two print pieces (torn line)', () => {
    // print("  G", goid, ": status=", st, "(", reason, ") m=") … : the write lands after "(".
    const log = parse(
      [
        ...BLOCK(0).slice(0, 5),
        '  G12: status=4(stderr line 5',
        'select) m=nil lockedm=nil',
        G(13),
        'after',
        '',
      ].join('\n'),
    );
    expect(log.programOutput.map((p) => p.text)).toEqual(['stderr line 5', 'after']);
    const gs = log.snapshots[0].detail!.gs;
    expect(gs.map((g) => [g.goid, g.waitReason, g.line])).toEqual([
      [12, 'select', 7],
      [13, 'select', 8],
    ]);
    expect(log.warnings).toEqual([]);
    expect(log.stats.tornLinesRecovered).toBe(1);
  });

  it('a torn line whose head is only the first print piece (seen in go1.25 fixtures: "scav " then the program line)', () => {
    const log = parse(
      [
        'scav stderr line 11',
        '0 KiB work (bg), 0 KiB work (eager), 30448 KiB now, 65% util',
        'x',
        '',
      ].join('\n'),
    );
    expect(log.scavenger).toEqual([
      {
        bgKiB: 0,
        eagerKiB: 0,
        releasedKiB: 30448,
        utilPercent: 65,
        forced: false,
        controllerReset: false,
        line: 2,
      },
    ]);
    expect(log.programOutput.map((p) => p.text)).toEqual(['stderr line 11', 'x']);
  });

  it('a torn line with several program lines in between, and after program text of its own', () => {
    const log = parse(
      [
        ...BLOCK(0).slice(0, 3),
        'progress 5%  M1: p=1 curg=nil mallocing=0a',
        'b',
        ' throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil',
        '',
        '',
      ].join('\n'),
    );
    expect(log.snapshots[0].detail!.ms.map((m) => [m.id, m.line])).toEqual([[1, 6]]); // a torn line is numbered where it ends
    // The program wrote "progress 5%", then "a\nb\n" inside the M line, then "\n".
    expect(log.programOutput.map((p) => p.text)).toEqual(['progress 5%a', 'b', '']);
  });

  it("another M's gc line printed between two print calls of a P line", () => {
    // print("  P", i, …, " m=") ; print(mp.id) — the gc line can land between the two.
    const log = parse(
      [
        SCHED_DETAIL(0),
        `  P0: status=1 schedtick=7 syscalltick=0 m=${GC}`,
        '0 runqsize=0 gfreecnt=0 timerslen=0',
        P(1),
        M(0),
        G(1),
        '',
      ].join('\n'),
    );
    expect(log.gcCycles).toHaveLength(1);
    expect(log.snapshots[0].detail!.ps.map((p) => [p.id, p.m, p.line])).toEqual([
      [0, 0, 3],
      [1, 1, 4],
    ]);
    expect(log.programOutput).toEqual([]);
  });

  it('a program write without newline inside a runtime line: cut out, kept as program text', () => {
    // "partial 3: working..." landed after "(" of a G line; its " done\n" comes later.
    const text = [
      ...BLOCK(0).slice(0, 5),
      '  G12: status=4(partial 3: working...select) m=nil lockedm=nil',
      G(13),
      ' done',
      '',
    ].join('\n');
    const log = parse(text);
    expect(log.programOutput.map((p) => p.text)).toEqual(['partial 3: working... done']);
    expect(log.snapshots[0].detail!.gs.map((g) => [g.goid, g.waitReason])).toEqual([
      [12, 'select'],
      [13, 'select'],
    ]);
    // Two writes inside one gc line, each a whole line (seen live on a loaded machine).
    const gc = parse(
      [
        'gc 6 @0.639s 5%: 0.99+0.11+0.020 ms clock, 1.9scav: my own scavenger hunt',
        '+0/2.0/  P0: my own indented P line',
        '0+0.041 ms cpu, 62->62->17 MB, 67 MB goal, 0 MB stacks, 0 MB globals, 64 P (forced)',
        '',
      ].join('\n'),
    );
    expect(gc.gcCycles).toMatchObject([
      {
        n: 6,
        cpuSweepTermMs: 1.9,
        cpuAssistMs: 0,
        cpuBackgroundMs: 2,
        cpuIdleMs: 0,
        cpuMarkTermMs: 0.041,
        forced: true,
        line: 3,
      },
    ]);
    expect(gc.programOutput.map((p) => p.text)).toEqual([
      'scav: my own scavenger hunt',
      '  P0: my own indented P line',
    ]);
  });

  it('a program write at the end of a scheddetail SCHED line, then a torn P line (the block opens late)', () => {
    const log = parse(
      [
        `${SCHED_DETAIL(900)}progress 54%`,
        '  P0: status=1 schedtick=8 syscalltick=0 m=0 runqsize=done.',
        '0 gfreecnt=0 timerslen=scav hunt 1',
        '1',
        P(1),
        M(0),
        G(1),
        '',
      ].join('\n'),
    );
    expect(log.programOutput.map((p) => p.text)).toEqual(['progress 54%done.', 'scav hunt 1']);
    expect(log.snapshots[0].detail!.ps.map((p) => [p.id, p.runqsize, p.timerslen])).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(log.snapshots[0].detail!.incomplete).toBe(false);
    expect(log.warnings).toEqual([]);
  });

  it('program lines that start like runtime lines before a torn one: the latest head is the runtime one', () => {
    const log = parse(
      [
        'scav hunt 6',
        'scav scav hunt 13',
        '0 KiB work (bg), 0 KiB work (eager), 5 KiB now, 9% util',
        '',
      ].join('\n'),
    );
    expect(log.scavenger).toHaveLength(1);
    expect(log.programOutput.map((p) => p.text)).toEqual(['scav hunt 6', 'scav hunt 13']);
  });

  it('what cannot be rebuilt stays program output, with a warning', () => {
    // The head of a G line whose tail never comes.
    const text = [
      ...BLOCK(0).slice(0, 5),
      '  G12: status=4(select) m=nil locked',
      G(13),
      'x',
      '',
    ].join('\n');
    const log = parse(text);
    expect(log.programOutput.map((p) => p.text)).toEqual([
      '  G12: status=4(select) m=nil locked',
      'x',
    ]);
    expect(log.warnings.map((w) => w.line)).toEqual([6]);
    expect(log.snapshots[0].detail!.gs.map((g) => g.goid)).toEqual([13]);
  });

  it('P/M/G lines count only inside a block and in order', () => {
    const outside = parse([P(0), G(1), SCHED_PLAIN, M(0), ''].join('\n'));
    expect(outside.programOutput.map((p) => p.text)).toEqual([P(0), G(1), M(0)]);
    expect(outside.warnings).toHaveLength(3);
    const order = parse([SCHED_DETAIL(0), P(0), M(0), P(1), G(1), M(1), ''].join('\n'));
    expect(order.programOutput.map((p) => p.text)).toEqual([P(1), M(1)]);
    expect(order.snapshots[0].detail).toMatchObject({
      incomplete: true,
      incompleteReason: 'cut off by the end of the stream: 1 of 2 P lines',
    });
  });

  it('near misses stay program output', () => {
    const near = [
      'SCHED is a word I use in my own logs',
      'gc 7 is not a GC line @ all',
      'scav: my own scavenger hunt',
      "gc 1 @0.001s 0%: my output, not the runtime's",
    ];
    const log = parse([...near, SCHED_PLAIN, 'tail', ''].join('\n'));
    expect(log.programOutput.map((p) => p.text)).toEqual([...near, 'tail']);
    expect(log.snapshots).toHaveLength(1);
  });

  it('CRLF logs: runtime lines still recognised, program text keeps its \\r', () => {
    const log = parse(`hi\r\n${SCHED_PLAIN}\r\n${GC}\r\n`);
    expect(log.snapshots).toHaveLength(1);
    expect(log.gcCycles).toHaveLength(1);
    expect(log.programOutput.map((p) => p.text)).toEqual(['hi\r']);
  });
});

describe('scheddetail blocks', () => {
  it('runqueues and schedticks come from the P lines; a block closes at the next SCHED line', () => {
    const log = parse([...BLOCK(0), GC, 'prog', ...BLOCK(300), ''].join('\n'));
    expect(log.snapshots).toHaveLength(2);
    const [a, b] = log.snapshots;
    expect(a).toMatchObject({ timeMs: 0, runqueues: [0, 3], schedticks: [7, 8] });
    expect(a.detail).toMatchObject({
      gcwaiting: false,
      nmidlelocked: 0,
      stopwait: 0,
      sysmonwait: false,
      incomplete: false,
    });
    expect(a.detail!.ms.map((m) => m.id)).toEqual([1, 0]);
    expect(a.detail!.gs.map((g) => g.waitReason)).toEqual(['chan receive', 'GC worker (idle)']);
    expect(b.timeMs).toBe(300);
    expect(log.programOutput.map((p) => p.text)).toEqual(['prog']);
  });

  it('a block cut by the end of the stream keeps what parsed and is marked incomplete', () => {
    const block = BLOCK(0);
    const atP = parse(block.slice(0, 2).join('\n') + '\n');
    expect(atP.snapshots[0].detail).toMatchObject({
      incomplete: true,
      incompleteReason: 'cut off by the end of the stream: 1 of 2 P lines, no M lines, no G lines',
    });
    expect(atP.snapshots[0].runqueues).toEqual([0]);
    const atM = parse(block.slice(0, 4).join('\n') + '\n');
    expect(atM.snapshots[0].detail).toMatchObject({
      incomplete: true,
      incompleteReason: 'cut off by the end of the stream: no G lines',
    });
    const inLine = parse(block.slice(0, 6).join('\n') + '\n  G2: status=4(GC wor');
    expect(inLine.snapshots[0].detail).toMatchObject({
      incomplete: true,
      incompleteReason:
        'cut off by the end of the stream: the stream ended inside one of its lines',
    });
    expect(inLine.snapshots[0].detail!.gs).toHaveLength(1);
    // The cut text is not dropped: it is kept as program output (without newline), with a warning.
    expect(inLine.programOutput).toEqual([
      { text: '  G2: status=4(GC wor', line: 7, noNewline: true },
    ]);
    expect(inLine.warnings).toHaveLength(1);
  });

  it('the program prints its last line into a SCHED line and exits before sysmon ends it: the program line stays whole', () => {
    // Seen in CI with GOMAXPROCS=64: "SCHED …[0 0 " "golens-sched-exit …\n" "0 0 0" then exit.
    const list = (n: number) => Array<string>(n).fill('0').join(' ');
    const sched = `SCHED 700ms: gomaxprocs=64 idleprocs=64 threads=5 spinningthreads=0 needspinning=0 idlethreads=0 runqueue=0 [`;
    const report = 'golens-sched-exit gomaxprocs=64 numgc=3 live=5';
    for (const [head, tail] of [
      [`${list(20)} `, list(6)],
      [list(20), ` ${list(6)}`],
    ]) {
      const text = `hello
${sched}${head}${report}
${tail}`;
      const log = parse(text);
      expect(log.programOutput).toEqual([
        { text: 'hello', line: 1 },
        { text: report, line: 2 },
        { text: `${sched}${list(26)}`, line: 3, noNewline: true },
      ]);
      expect(log.warnings.map((w) => w.message)).toEqual([
        expect.stringContaining('the stream ended inside a runtime trace line'),
      ]);
      // Any chunking gives the same.
      const s = new SchedTraceStream();
      const events: SchedEvent[] = [];
      for (let i = 0; i < text.length; i += 5) events.push(...s.push(text.slice(i, i + 5)));
      events.push(...s.end());
      const { stats: _s, ...want } = log;
      expect(collectEvents(events)).toEqual(want);
    }
    // The process exits right after the program's line: no tail at all.
    const noTail = parse(`hello\n${sched}${list(20)} ${report}\n`);
    expect(noTail.programOutput).toEqual([
      { text: 'hello', line: 1 },
      { text: report, line: 2 },
      { text: `${sched}${list(20)} `, line: 2, noNewline: true },
    ]);
    // Without a tail, a program line that merely starts like a runtime line stays whole, and
    // program text written into a whole runtime line is still cut out of it.
    expect(program('SCHED is what I call my scheduler\n')).toEqual([
      'SCHED is what I call my scheduler',
    ]);
    const inside = parse(
      'SCHED 100ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [ 1 hello2 ] schedticks=[ 10 20 ]\n',
    );
    expect(inside.programOutput.map((p) => p.text)).toEqual(['hello']);
    expect(inside.snapshots[0].runqueues).toEqual([1, 2]);
    // A last line that does not continue the held line leaves both as they were.
    const other = parse(`${sched}${list(3)} ${report}
bye`);
    expect(other.programOutput.map((p) => p.text)).toEqual([`${sched}${list(3)} ${report}`, 'bye']);
  });

  it('a P line with an id no runtime prints is program output with a warning; per-P state never grows with a claimed id', () => {
    for (const id of ['2', '200000', '5000000']) {
      const bad = `  P${id}: status=1 schedtick=10 syscalltick=1 m=2 runqsize=0 gfreecnt=0 timerslen=5`;
      const log = parse([SCHED_DETAIL(0, 2), P(0), bad, M(0), G(1), SCHED_PLAIN, ''].join('\n'));
      expect(log.snapshots[0].runqueues, id).toEqual([0]);
      expect(log.programOutput.map((p) => p.text)).toEqual([bad]);
      expect(log.warnings.map((w) => w.message)).toEqual([
        expect.stringMatching(
          /^a P line with id \d+ in a block of gomaxprocs=2: the runtime prints P0 to P1 only/,
        ),
      ]);
    }
    // "  P1" then "8446744073709551615" written into the line by the program is a reading of this
    // one (the runtime prints the id as one piece): P1, with the digits kept as program text.
    const huge = parse(
      [
        SCHED_DETAIL(0, 2),
        P(0),
        '  P18446744073709551615: status=1 schedtick=10 syscalltick=1 m=2 runqsize=0 gfreecnt=0 timerslen=5',
        M(0),
        G(1),
        SCHED_PLAIN,
        '',
      ].join('\n'),
    );
    expect(huge.snapshots[0].runqueues).toEqual([0, 0]);
    expect(huge.programOutput.map((p) => p.text)).toEqual(['8446744073709551615']);
    // An id below gomaxprocs that skips more Ps than there were lines cannot be the runtime's either.
    const skip = parse(
      [SCHED_DETAIL(0, 1_000_000), P(0), P(999_999), M(0), G(1), SCHED_PLAIN, ''].join('\n'),
    );
    expect(skip.snapshots[0].runqueues).toEqual([0]);
    expect(skip.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^a P line with id 999999 skips more P lines than the block has lines/),
    ]);
  });

  it('a lost P line leaves -1 in runqueues and marks the block', () => {
    const log = parse(
      [SCHED_DETAIL(0, 3), P(0, 4), P(2, 5), M(0), G(1), SCHED_PLAIN, ''].join('\n'),
    );
    expect(log.snapshots[0].runqueues).toEqual([4, -1, 5]);
    expect(log.snapshots[0].schedticks).toEqual([7, -1, 9]);
    expect(log.snapshots[0].detail).toMatchObject({
      incomplete: true,
      incompleteReason: 'lines missing: 2 of 3 P lines',
    });
  });
});

describe('incremental feeding', () => {
  const text = [
    `partial 2: working...${SCHED_DETAIL(0)}`,
    P(0),
    P(1),
    M(0),
    G(1, 'sleep'),
    ' done ✓ 日本語',
    GC,
    'scav stderr',
    '0 KiB work (bg), 0 KiB work (eager), 1 KiB now, 1% util',
    SCHED_PLAIN,
    'end',
  ].join('\n');
  const oneShot = parse(text);

  it('byte by byte (splitting UTF-8 sequences) gives the same events as one go', () => {
    const bytes = new TextEncoder().encode(text);
    const s = new SchedTraceStream();
    const events: SchedEvent[] = [];
    for (let i = 0; i < bytes.length; i++) events.push(...s.push(bytes.subarray(i, i + 1)));
    events.push(...s.end());
    const { stats: _s, ...want } = oneShot;
    expect(collectEvents(events)).toEqual(want);
  });

  it('shows the open block and the pending program text while live', () => {
    const s = new SchedTraceStream();
    expect(s.push(`partial 2: working...${SCHED_DETAIL(0)}\n${P(0)}\n${P(1)}\n  M0: p=0`)).toEqual(
      [],
    );
    expect(s.openSnapshot()?.detail?.ps).toHaveLength(2);
    expect(s.pendingProgramText()).toBe('partial 2: working...  M0: p=0');
    const events = s.push(
      ` curg=nil mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil\n${G(1)}\n done\n`,
    );
    expect(events).toEqual([
      { kind: 'program', program: { text: 'partial 2: working... done', line: 6 } },
    ]);
    const end = s.end();
    expect(end.map((e) => e.kind)).toEqual(['snapshot']);
    expect(s.openSnapshot()).toBeUndefined();
    expect(() => s.push('x')).toThrow(SchedTraceError);
  });

  it('an over-long line without newline is handed back in pieces, the same in any chunking', () => {
    const long = 'x'.repeat(1000) + SCHED_PLAIN + '\n' + 'y'.repeat(300);
    const once = parseSchedTraceLog(long, { maxLineChars: 256, allowEmpty: true });
    expect(once.programOutput.every((p) => p.text.length <= 256)).toBe(true);
    expect(once.programOutput.map((p) => p.text).join('')).toBe(
      long.replace(SCHED_PLAIN + '\n', ''),
    );
    expect(once.snapshots).toHaveLength(1);
    const s = new SchedTraceStream({ maxLineChars: 256 });
    const events: SchedEvent[] = [];
    for (let i = 0; i < long.length; i += 7) events.push(...s.push(long.slice(i, i + 7)));
    events.push(...s.end());
    const { stats: _s, ...want } = once;
    expect(collectEvents(events)).toEqual(want);
  });
});

describe('lean mode (a live run the host cannot keep up with)', () => {
  it('reads whole runtime lines only, drops P/M/G lines unparsed and says so on their block', () => {
    const s = new SchedTraceStream();
    s.setLean(true);
    const events = [
      ...s.push([`partial ${SCHED_PLAIN}`, ...BLOCK(200), GC, 'hello', ''].join('\n')),
      ...s.end(),
    ];
    const log = collectEvents(events);
    // No mid-line search: the line with program text before SCHED stays program output.
    expect(log.programOutput.map((p) => p.text)).toEqual([`partial ${SCHED_PLAIN}`, 'hello']);
    expect(log.gcCycles).toHaveLength(1);
    expect(log.snapshots).toHaveLength(1);
    expect(log.snapshots[0].detail).toMatchObject({ ps: [], ms: [], gs: [], incomplete: true });
    expect(log.snapshots[0].detail!.incompleteReason).toMatch(
      /6 P\/M\/G lines dropped unparsed \(the parser fell behind the program's output\)/,
    );
    expect(s.stats).toMatchObject({ detailLinesDropped: 6, leanLines: 10 });
  });
});

describe('cost of looking for torn lines', () => {
  it('lines that all look like the start of a runtime line: every search draws from one budget, so each line costs time linear in its length', () => {
    // 16 copies of a torn M line; gc lines that are not; a P line of 100 K digits (issue 11's
    // fuzz findings). Each used to take seconds.
    const torn =
      '  M8: p=nil curg=nil mallocing=0 throwing=0 preemptoff= locks=0 dying=cked=false lockedg=nil';
    const inputs = [
      [SCHED_DETAIL(0, 1), P(0), ...Array(16).fill(torn), ''].join('\n'),
      Array(4000).fill('gc 7 is not a GC line @ all').join('\n'),
      [SCHED_DETAIL(0, 4), '  P' + '0'.repeat(100_000), ''].join('\n'),
    ];
    for (const text of inputs) {
      const t = performance.now();
      const log = parse(text);
      expect(performance.now() - t).toBeLessThan(3000);
      expect(log.programOutput.length).toBeGreaterThan(0);
    }
  });

  it('long program lines that start like runtime lines do not make the search slow', () => {
    const long =
      [
        'gc ' + 'a'.repeat(200_000),
        'SCHED ' + '0 '.repeat(100_000),
        ...Array.from({ length: 10 }, (_, i) => 'b'.repeat(50_000) + i),
      ].join('\n') + '\n';
    const t = performance.now();
    const log = parse(long);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(log.programOutput).toHaveLength(12);
  });
});

describe('parseSchedTraceLog', () => {
  it('throws a typed error naming the GODEBUG setting when there is no runtime line', () => {
    expect(() => parseSchedTraceLog('just my program\nSCHED is a word\n')).toThrow(SchedTraceError);
    try {
      parseSchedTraceLog('');
    } catch (e) {
      expect((e as SchedTraceError).code).toBe('no-trace-lines');
      expect((e as Error).message).toContain('GODEBUG=schedtrace=1000,gctrace=1');
    }
    expect(parseSchedTraceLog('', { allowEmpty: true }).programOutput).toEqual([]);
  });

  it('program output is the input with the runtime lines cut out', () => {
    const input = ['a', `b${SCHED_PLAIN}`, 'c', GC, `d${SCAV}`, 'e', 'f'].join('\n');
    const log = parse(input);
    const out = log.programOutput.map((p) => p.text + (p.noNewline ? '' : '\n')).join('');
    expect(out).toBe('a\nbc\nde\nf');
    expect(log.programOutput.at(-1)).toEqual({ text: 'f', line: 7, noNewline: true });
  });
});
