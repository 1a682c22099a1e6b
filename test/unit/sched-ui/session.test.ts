// The host side of the dashboard: what it sends the webview and when. Updates are throttled to
// one per interval (the first at once), carry the visible range decimated to the plot width and
// never the history, and skip the charts when new data lands outside a zoomed-back range.
import { describe, expect, it } from 'vitest';
import type { SchedEvent, SchedSnapshot } from '../../../src/core/schedtrace';
import type { SchedHostMessage, SchedUpdate, ViewRequest } from '../../../src/protocol/sched';
import { schedValidators } from '../../../src/protocol/sched';
import { parseTypedMessage } from '../../support/rpc-request';

const parseSchedWebviewMessage = (m: unknown) => parseTypedMessage(schedValidators, m);
import { SchedSession, type Scheduler } from '../../../src/views/sched/session';

/** A clock and timer queue the test advances by hand. */
class FakeScheduler implements Scheduler {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  set(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clear(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

const PROCS = 64;
function snap(i: number, intervalMs = 100): SchedEvent {
  const s: SchedSnapshot = {
    timeMs: i * intervalMs,
    gomaxprocs: PROCS,
    idleprocs: i % PROCS,
    threads: 70 + (i % 5),
    spinningthreads: i % 3,
    idlethreads: 2,
    runqueue: i % 17,
    runqueues: Array.from({ length: PROCS }, (_, p) => (i + p) % 9),
    line: i + 1,
  };
  return { kind: 'snapshot', snapshot: s };
}

function setup() {
  const clock = new FakeScheduler();
  const sent: SchedHostMessage[] = [];
  const sentAt: number[] = [];
  const session = new SchedSession(
    (m) => {
      sent.push(m);
      sentAt.push(clock.now());
    },
    { scheduler: clock },
  );
  const updates = () => sent.filter((m): m is SchedUpdate => m.type === 'update');
  return { clock, sent, sentAt, session, updates };
}

const follow = (width = 800, windowMs = 0): ViewRequest => ({
  seq: 1,
  follow: true,
  windowMs,
  t0: 0,
  t1: 1,
  width,
});

describe('SchedSession throttling', () => {
  it('sends nothing before the webview says what it shows, then answers at once', () => {
    const { clock, session, updates } = setup();
    session.ingest([snap(0), snap(1)]);
    clock.advance(1000);
    expect(updates()).toHaveLength(0);
    session.setView(follow());
    clock.advance(0);
    expect(updates()).toHaveLength(1);
    expect(updates()[0].charts).toBeDefined();
    expect(updates()[0].snapshotCount).toBe(2);
  });

  it('sends at most one update per 250 ms however fast data arrives (100 ms interval, 64 Ps)', () => {
    const { clock, session, updates, sentAt } = setup();
    session.setView(follow());
    clock.advance(0);
    // 10 s of data, a snapshot every 100 ms, arriving in 10 ms bursts.
    for (let i = 0; i < 100; i++) {
      session.ingest([snap(i)]);
      clock.advance(100);
    }
    const n = updates().length;
    // 10 s / 250 ms = 40, +1 for the first.
    expect(n).toBeGreaterThanOrEqual(35);
    expect(n).toBeLessThanOrEqual(41);
    for (let i = 1; i < sentAt.length; i++)
      expect(sentAt[i] - sentAt[i - 1]).toBeGreaterThanOrEqual(250);
    expect(updates().at(-1)!.snapshotCount).toBeGreaterThanOrEqual(99);
  });

  it('a burst of data yields one update, sent once the interval has passed', () => {
    const { clock, session, updates } = setup();
    session.setView(follow());
    clock.advance(0);
    expect(updates()).toHaveLength(1);
    for (let i = 0; i < 50; i++) session.ingest([snap(i)]);
    clock.advance(249);
    expect(updates()).toHaveLength(1);
    clock.advance(1);
    expect(updates()).toHaveLength(2);
    expect(updates()[1].snapshotCount).toBe(50);
    clock.advance(5000);
    expect(updates()).toHaveLength(2);
  });

  it('decimates to the plot width: an hour of 100 ms snapshots never reaches the webview whole', () => {
    const { clock, session, updates } = setup();
    const events: SchedEvent[] = [];
    for (let i = 0; i < 36_000; i++) events.push(snap(i));
    session.ingest(events);
    session.setView(follow(600));
    clock.advance(0);
    const u = updates()[0];
    expect(u.snapshotCount).toBe(36_000);
    for (const s of u.charts!.series) {
      expect(s.time.length).toBeLessThanOrEqual(600);
      expect(s.raw).toBe(false);
    }
    expect(u.charts!.heatmap.rows).toBe(PROCS);
    expect(u.charts!.heatmap.cols).toBeLessThanOrEqual(300);
    // Min/max decimation keeps the extremes of each bucket.
    const rq = u.charts!.series.find((s) => s.field === 'runqueue')!;
    expect(Math.max(...rq.max)).toBe(16);
    expect(Math.min(...rq.min)).toBe(0);
  });

  it('follows the newest window, and serves a zoomed range at full resolution when it fits', () => {
    const { clock, session, updates } = setup();
    const events: SchedEvent[] = [];
    for (let i = 0; i < 3000; i++) events.push(snap(i));
    session.ingest(events);
    session.setView(follow(1000, 30_000));
    clock.advance(0);
    let u = updates().at(-1)!;
    expect(u.t1).toBe(299_900);
    expect(u.t0).toBe(299_900 - 30_000);
    session.setView({ seq: 2, follow: false, windowMs: 0, t0: 10_000, t1: 20_000, width: 1000 });
    clock.advance(250);
    u = updates().at(-1)!;
    expect(u.viewSeq).toBe(2);
    const gm = u.charts!.series.find((s) => s.field === 'idleprocs')!;
    expect(gm.raw).toBe(true);
    expect(gm.time.length).toBe(101);
    expect(gm.time[0]).toBe(10_000);
  });

  it('a view zoomed into the past gets header updates without the same charts again', () => {
    const { clock, session, updates } = setup();
    for (let i = 0; i < 100; i++) session.ingest([snap(i)]);
    session.setView({ seq: 1, follow: false, windowMs: 0, t0: 0, t1: 2000, width: 500 });
    clock.advance(0);
    expect(updates().at(-1)!.charts).toBeDefined();
    session.ingest([snap(100), snap(101)]);
    clock.advance(250);
    const u = updates().at(-1)!;
    expect(u.snapshotCount).toBe(102);
    expect(u.charts).toBeUndefined();
    // Back to following: charts again.
    session.setView(follow(500));
    clock.advance(250);
    expect(updates().at(-1)!.charts).toBeDefined();
    expect(session.sent.updates).toBe(updates().length);
  });

  it('answers a picked instant with the nearest snapshot, and says why there are no tables', () => {
    const { session } = setup();
    session.ingest([snap(0), snap(1), snap(2)]);
    const d = session.detailAt(140);
    expect(d.snapshot?.timeMs).toBe(100);
    expect(d.snapshot?.runqueues).toHaveLength(PROCS);
    expect(d.detail).toBeUndefined();
    expect(d.note).toMatch(/scheddetail/);
  });

  it('feeds stderr text through the parser and hands back the program lines only', () => {
    const { session } = setup();
    const lines = session.pushStderr(
      'hello\nSCHED 0ms: gomaxprocs=2 idleprocs=1 threads=5 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=0 [0 0]\nworld\n',
    );
    expect(lines.map((l) => l.text)).toEqual(['hello', 'world']);
    expect(session.traceLines).toBe(1);
    expect(session.model.snapshotCount).toBe(1);
    expect(session.endStderr()).toEqual([]);
  });

  it('stops sending once disposed', () => {
    const { clock, session, updates } = setup();
    session.setView(follow());
    session.dispose();
    session.ingest([snap(0)]);
    clock.advance(1000);
    expect(updates()).toHaveLength(0);
    expect(clock.pending).toBe(0);
  });
});

describe('a program that writes faster than the host can parse', () => {
  const detailBlock = (t: number) =>
    [
      `SCHED ${t}ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=0 needspinning=1 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false`,
      '  P0: status=1 schedtick=7 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0',
      '  P1: status=1 schedtick=8 syscalltick=0 m=1 runqsize=3 gfreecnt=0 timerslen=0',
      '  M0: p=0 curg=nil mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil',
      '  G1: status=4(select) m=nil lockedm=nil',
      `log line ${t}`,
      '',
    ].join('\n');

  it('goes lean (whole trace lines only, detail rows dropped, program output still handed back), says so, and recovers after a calm', () => {
    // A parse clock where every chunk costs 100 ms of host time: 10 chunks a second is all of it.
    let t = 0;
    let cost = 100;
    const clock = new FakeScheduler();
    const sent: SchedHostMessage[] = [];
    const session = new SchedSession((m) => sent.push(m), {
      scheduler: clock,
      parseClock: () => (t += cost / 2),
    });
    session.setView(follow());
    const program: string[] = [];
    for (let i = 0; i < 10; i++)
      program.push(...session.pushStderr(detailBlock(i * 100)).map((l) => l.text));
    expect(program).toEqual(Array.from({ length: 10 }, (_, i) => `log line ${i * 100}`));
    const info = session.buildUpdate(follow(), false).downsampling.parser!;
    expect(info.lean).toBe(true);
    expect(info.episodes).toBe(1);
    expect(info.peakPercent).toBeGreaterThan(25);
    expect(info.detailLinesDropped).toBeGreaterThan(0);
    // Whole SCHED lines are still read: every block became a snapshot, the dropped ones marked.
    expect(session.model.snapshotCount).toBeGreaterThanOrEqual(9);
    expect(session.model.warnings().list.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^the program writes faster than Go Lens can parse/),
    );
    // Quiet: chunks cost nothing and arrive a second apart; after 10 s the parser reads fully again.
    cost = 0;
    for (let i = 0; i < 13; i++) {
      t += 1000;
      session.pushStderr('quiet\n');
    }
    const after = session.buildUpdate(follow(), false).downsampling.parser!;
    expect(after).toMatchObject({ lean: false, episodes: 1 });
    const dropped = after.detailLinesDropped;
    session.pushStderr(detailBlock(5000) + detailBlock(5100));
    expect(session.buildUpdate(follow(), false).downsampling.parser!.detailLinesDropped).toBe(
      dropped,
    );
  });

  it('a parser that throws (a bug) costs the run nothing: its text goes to the terminal, a lean parser takes over, the dashboard says so', () => {
    const session = new SchedSession(() => {}, { scheduler: new FakeScheduler() });
    session.pushStderr(detailBlock(0) + 'held without newline');
    const broken = session as unknown as { stream: { push: () => never } };
    broken.stream.push = () => {
      throw new RangeError('boom');
    };
    const out = session.pushStderr(' and more\n');
    expect(out).toEqual([{ text: 'held without newline and more\n', line: 0, noNewline: true }]);
    // The next chunks are parsed again, lean.
    expect(session.pushStderr(detailBlock(100)).map((l) => l.text)).toEqual(['log line 100']);
    expect(session.traceLines).toBe(5 + 1); // the first block, then the SCHED line of the second (its P/M/G lines dropped)
    expect(session.buildUpdate(follow(), false).downsampling.parser).toMatchObject({
      lean: true,
      failures: 1,
    });
    expect(session.model.warnings().list.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^the trace parser failed \(boom\) and was restarted/),
    );
  });

  it('a program that is parsed quickly never goes lean', () => {
    let t = 0;
    const session = new SchedSession(() => {}, {
      scheduler: new FakeScheduler(),
      parseClock: () => (t += 0.5),
    });
    for (let i = 0; i < 100; i++) {
      t += 100;
      session.pushStderr(detailBlock(i * 100));
    }
    expect(session.buildUpdate(follow(), false).downsampling.parser).toMatchObject({
      lean: false,
      episodes: 0,
      detailLinesDropped: 0,
    });
  });
});

describe('dashboard requests', () => {
  it.each([
    [{ type: 'ready' }],
    [{ type: 'stop' }],
    [{ type: 'saveLog' }],
    [{ type: 'selectTime', timeMs: 1234.5 }],
    [{ type: 'view', seq: 3, follow: true, windowMs: 0, t0: 0, t1: 10, width: 800 }],
  ])('accepts %j', (m) => {
    expect(parseSchedWebviewMessage(m)).toEqual(m);
  });
  it.each([
    [null],
    [{ type: 'stop', pid: 1 }],
    [{ type: 'selectTime', timeMs: Infinity }],
    [{ type: 'selectTime', timeMs: '5' }],
    [{ type: 'view', seq: 3, follow: true, windowMs: 0, t0: 10, t1: 0, width: 800 }],
    [{ type: 'view', seq: 3, follow: true, windowMs: 0, t0: 0, t1: 10, width: 0 }],
    [{ type: 'view', seq: 3, follow: true, windowMs: 0, t0: 0, t1: 10 }],
    [{ type: 'view', seq: 3, follow: 'yes', windowMs: 0, t0: 0, t1: 10, width: 800 }],
    [{ type: 'run', command: 'rm -rf /' }],
  ])('rejects %j', (m) => {
    expect(parseSchedWebviewMessage(m)).toBeUndefined();
  });
});
