// Turning an ordered v1 (Go 1.11–1.21) trace into the v2 event stream our blocks carry, the
// way Go 1.26's internal/trace/tracev1.go does: one generation sharing one table, events mapped
// one to one where v2 has an equivalent, status events for what existed when tracing started,
// GoSysCall made a 1 ns syscall (or the start of a blocked one), reasons as strings.

import { ARGS_PER_EVENT, type EventBlock } from '../block';
import { TraceError } from '../errors';
import { GenerationTable } from '../generation';
import { Ev, SPECS, WireGoStatus, WireProcStatus } from '../spec';
import { FAKE_P, V1, V1_DESCS, type V1Event, type V1Trace } from './parser';

/** Strings the conversion adds, in Go's order (their IDs follow the trace's own strings). */
const BUILTIN = [
  'forever',
  'preempted',
  'runtime.Gosched',
  'sleep',
  'chan send',
  'chan receive',
  'network',
  'sync',
  'sync.(*Cond).Wait',
  'select',
  '',
  'GC mark assist wait for work',
  // Stop-the-world reasons, indexed by the runtime's stwReason (Go 1.21) from here.
  '',
  'GC mark termination',
  'GC sweep termination',
  'write heap dump',
  'goroutine profile',
  'goroutine profile cleanup',
  'all goroutine stack trace',
  'read mem stats',
  'AllThreadsSyscall',
  'GOMAXPROCS',
  'start trace',
  'stop trace',
  'CountPagesInUse (test)',
  'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)',
  'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
];
const S = {
  forever: 0,
  preempted: 1,
  gosched: 2,
  sleep: 3,
  chanSend: 4,
  chanRecv: 5,
  network: 6,
  sync: 7,
  syncCond: 8,
  select: 9,
  empty: 10,
  markAssistWait: 11,
  stwUnknown: 12,
} as const;
const NUM_STW_REASONS = 17;

/** v1 blocking events → the reason string of the GoBlock/GoStop they become. */
const BLOCK_REASON: Readonly<Record<number, [number, number]>> = {
  [V1.GoStop]: [Ev.GoBlock, S.forever],
  [V1.GoSched]: [Ev.GoStop, S.gosched],
  [V1.GoPreempt]: [Ev.GoStop, S.preempted],
  [V1.GoSleep]: [Ev.GoBlock, S.sleep],
  [V1.GoBlock]: [Ev.GoBlock, S.empty],
  [V1.GoBlockSend]: [Ev.GoBlock, S.chanSend],
  [V1.GoBlockRecv]: [Ev.GoBlock, S.chanRecv],
  [V1.GoBlockSelect]: [Ev.GoBlock, S.select],
  [V1.GoBlockSync]: [Ev.GoBlock, S.sync],
  [V1.GoBlockCond]: [Ev.GoBlock, S.syncCond],
  [V1.GoBlockNet]: [Ev.GoBlock, S.network],
  [V1.GoBlockGC]: [Ev.GoBlock, S.markAssistWait],
};

/** v1 events that map to a v2 type with the same arguments. */
const SAME_ARGS: Readonly<Record<number, number>> = {
  [V1.GCStart]: Ev.GCBegin,
  [V1.GCDone]: Ev.GCEnd,
  [V1.GCSweepStart]: Ev.GCSweepBegin,
  [V1.GCSweepDone]: Ev.GCSweepEnd,
  [V1.GoEnd]: Ev.GoDestroy,
  [V1.GoUnblock]: Ev.GoUnblock,
  [V1.GoSysExit]: Ev.GoSyscallEndBlocked,
  [V1.HeapAlloc]: Ev.HeapAlloc,
  [V1.HeapGoal]: Ev.HeapGoal,
  [V1.GCMarkAssistStart]: Ev.GCMarkAssistBegin,
  [V1.GCMarkAssistDone]: Ev.GCMarkAssistEnd,
};

/** One converted event before it is written to a block. */
interface Out {
  typ: number;
  time: number;
  m: number;
  p: number;
  g: number;
  a: [number, number, number, number];
}

/** The single table a converted v1 trace shares across its events (Go: one evTable). */
export function legacyTable(tr: V1Trace): {
  table: GenerationTable;
  builtin: number[];
  inline: number[];
} {
  const t = new GenerationTable();
  t.gen = 1;
  t.nsPerUnit = 1;
  let max = 0;
  for (const [id, s] of tr.strings) {
    t.strings.set(id, s);
    if (id > max) max = id;
  }
  const inline = tr.inlineStrings.map((s, i) => {
    t.strings.set(max + 1 + i, s);
    return max + 1 + i;
  });
  max += tr.inlineStrings.length;
  const builtin = BUILTIN.map((s, c) => {
    t.strings.set(max + 1 + c, s);
    return max + 1 + c;
  });
  for (const [id, pcs] of tr.stacks) {
    t.stackIndex.set(id, t.stackStart.length - 1);
    for (const pc of pcs) {
      let f = t.pcToFrame.get(pc);
      if (f === undefined) {
        const fr = tr.pcs.get(pc)!;
        f = t.framePc.length;
        t.pcToFrame.set(pc, f);
        t.framePc.push(fr.pc);
        t.frameFunc.push(fr.fn);
        t.frameFile.push(fr.file);
        t.frameLine.push(fr.line);
      }
      t.frameOf.push(f);
    }
    t.stackStart.push(t.frameOf.length);
  }
  t.compact();
  return { table: t, builtin, inline };
}

/**
 * Converts the ordered v1 events into v2 events, a block at a time. Times come out strictly
 * increasing (an event at or before the previous one moves to previous + 1 ns), as in Go.
 */
export class LegacyConverter {
  readonly table: GenerationTable;
  private readonly builtin: number[];
  private readonly inline: number[];
  private readonly events: V1Event[];
  /** Index of the same goroutine's next event (−1: none), for the GoSysCall look-ahead. */
  private readonly nextOfG: Int32Array;
  private next = 0;
  private readonly extra: Out[] = [];
  private preInit = true;
  private createdPreInit: Map<number, true> | null = new Map();
  private readonly tasks = new Map<number, { name: string; parent: number }>();
  private readonly seenProcs = new Set<number>();
  private readonly procMs = new Map<number, number>();
  private lastStwReason = 0;
  /** Time of the last event handed out (−1 before the first, as in Go). */
  lastTs = -1;

  constructor(private readonly trace: V1Trace) {
    const { table, builtin, inline } = legacyTable(trace);
    this.table = table;
    this.builtin = builtin;
    this.inline = inline;
    this.events = trace.events;
    // Go scans forward for each syscall; one backward pass gives the same answer in linear time.
    const evs = trace.events;
    this.nextOfG = new Int32Array(evs.length);
    const seen = new Map<number, number>();
    for (let i = evs.length - 1; i >= 0; i--) {
      this.nextOfG[i] = seen.get(evs[i].g) ?? -1;
      seen.set(evs[i].g, i);
    }
  }

  /** Time of the first v1 event, or null for a trace without events. */
  firstTime(): number | null {
    return this.events.length > 0 ? this.events[0].ts : null;
  }

  /**
   * Writes converted events to `block` until it holds `limit` events or the trace ends.
   * Returns true when the trace is exhausted. Throws TraceError on an event v1 never has.
   */
  fill(block: EventBlock, limit: number): boolean {
    for (;;) {
      if (block.count >= limit) return false;
      let o = this.extra.shift();
      if (!o) {
        if (this.next >= this.events.length) return true;
        const ev = this.events[this.next++];
        o = this.convert(ev) ?? undefined;
        if (!o) continue;
      }
      if (o.time <= this.lastTs) o.time = this.lastTs + 1;
      this.lastTs = o.time;
      write(block, o);
    }
  }

  /** The converted event `convert` returns (reused: written to the block before the next call). */
  private readonly out: Out = { typ: 0, time: 0, m: 0, p: 0, g: 0, a: [0, 0, 0, 0] };

  /**
   * An event Go builds with its own context: the M is the P's last thread, or 0 (not "none")
   * when the P has none; the goroutine is the raw one (0 stays 0).
   */
  private direct(
    ev: V1Event,
    typ: number,
    time: number,
    args: [number, number, number, number],
  ): Out {
    return { typ, time, m: this.procMs.get(ev.p) ?? 0, p: ev.p, g: ev.g, a: args };
  }

  private setArgs(x0 = 0, x1 = 0, x2 = 0, x3 = 0): void {
    const a = this.out.a;
    a[0] = x0;
    a[1] = x1;
    a[2] = x2;
    a[3] = x3;
  }

  private convert(ev: V1Event): Out | null {
    let typ: number;
    const a = this.out.a;
    a[0] = ev.a0;
    a[1] = ev.a1;
    a[2] = ev.a2;
    a[3] = ev.a3;
    const reason = BLOCK_REASON[ev.type];
    if (reason) {
      typ = reason[0];
      this.setArgs(this.builtin[reason[1]], ev.stk);
    } else if (SAME_ARGS[ev.type] !== undefined) {
      typ = SAME_ARGS[ev.type];
    } else {
      switch (ev.type) {
        case V1.Gomaxprocs:
          typ = Ev.ProcsChange;
          if (this.preInit) {
            // The first GOMAXPROCS ends the trace's initial state: goroutines created before it
            // and never seen since were idle or runnable.
            this.preInit = false;
            for (const gid of this.createdPreInit!.keys()) {
              this.extra.push({
                typ: Ev.GoStatus,
                time: ev.ts,
                m: -1,
                p: -1,
                g: -1,
                a: [gid, -1, WireGoStatus.Runnable, 0],
              });
            }
            this.createdPreInit = null;
            return null;
          }
          break;
        case V1.ProcStart:
        case V1.ProcStop: {
          const start = ev.type === V1.ProcStart;
          if (start) this.procMs.set(ev.p, ev.a0);
          // The first event of a P says what state it was in: a status event, as v2 has.
          if (this.seenProcs.has(ev.p)) {
            typ = start ? Ev.ProcStart : Ev.ProcStop;
            this.setArgs(ev.p);
          } else {
            this.seenProcs.add(ev.p);
            typ = Ev.ProcStatus;
            this.setArgs(ev.p, start ? WireProcStatus.Running : WireProcStatus.Idle);
          }
          break;
        }
        case V1.STWStart: {
          const sid = this.builtin[S.stwUnknown + this.stwReason(ev.a0)];
          this.lastStwReason = sid;
          typ = Ev.STWBegin;
          this.setArgs(sid);
          break;
        }
        case V1.STWDone:
          typ = Ev.STWEnd;
          this.setArgs(this.lastStwReason);
          break;
        case V1.GoCreate:
          if (this.preInit) {
            this.createdPreInit!.set(ev.a0, true);
            return null;
          }
          typ = Ev.GoCreate;
          break;
        case V1.GoStart:
          if (this.preInit) {
            typ = Ev.GoStatus;
            this.setArgs(ev.a0, -1, WireGoStatus.Running);
            this.createdPreInit!.delete(ev.a0);
          } else {
            typ = Ev.GoStart;
          }
          break;
        case V1.GoStartLabel:
          this.extra.push(this.direct(ev, Ev.GoLabel, ev.ts, [ev.a2, 0, 0, 0]));
          return this.direct(ev, Ev.GoStart, ev.ts, [a[0], a[1], a[2], a[3]]);
        case V1.GoSysCall:
          if (this.syscallBlocks()) {
            typ = Ev.GoSyscallBegin;
            this.setArgs(0, ev.stk);
          } else {
            // An instantaneous v1 syscall becomes a 1 ns one.
            this.extra.push(this.direct(ev, Ev.GoSyscallEnd, ev.ts + 1, [0, 0, 0, 0]));
            return this.direct(ev, Ev.GoSyscallBegin, ev.ts, [0, ev.stk, 0, 0]);
          }
          break;
        case V1.GoSysBlock:
          return null;
        case V1.GoWaiting:
          typ = Ev.GoStatus;
          this.setArgs(ev.a0, -1, WireGoStatus.Waiting);
          this.createdPreInit?.delete(ev.a0);
          break;
        case V1.GoInSyscall:
          // v1 does not say which thread the syscall is on.
          typ = Ev.GoStatus;
          this.setArgs(ev.a0, -1, WireGoStatus.Syscall);
          this.createdPreInit?.delete(ev.a0);
          break;
        case V1.UserTaskCreate: {
          typ = Ev.UserTaskBegin;
          this.setArgs(ev.a0, ev.a1 === 0 ? -1 : ev.a1, ev.a2, ev.stk);
          this.tasks.set(ev.a0, { name: this.table.string(ev.a2), parent: ev.a1 });
          break;
        }
        case V1.UserTaskEnd: {
          typ = Ev.UserTaskEnd;
          // The parent and name ride in the spare arguments, as Go's reader smuggles them.
          const ts = this.tasks.get(ev.a0);
          if (ts) {
            this.tasks.delete(ev.a0);
            this.setArgs(ev.a0, ev.a1, ts.parent, this.table.addExtraString(ts.name));
          } else {
            this.setArgs(ev.a0, ev.a1, -1, this.table.addExtraString(''));
          }
          break;
        }
        case V1.UserRegion:
          // Other modes were refused when the trace was parsed.
          typ = ev.a1 === 0 ? Ev.UserRegionBegin : Ev.UserRegionEnd;
          this.setArgs(ev.a0, ev.a2, ev.stk);
          break;
        case V1.UserLog:
          typ = Ev.UserLog;
          this.setArgs(ev.a0, ev.a1, this.inline[ev.a3], ev.stk);
          break;
        case V1.CPUSample:
          typ = Ev.CPUSample;
          this.setArgs(ev.stk, -1, ev.p, ev.g);
          break;
        default:
          throw new TraceError(
            'corrupt',
            `corrupt trace: unexpected event type ${ev.type} (${V1_DESCS[ev.type]?.name ?? 'unknown'}), which Go 1.11–1.21 runtimes do not write`,
          );
      }
    }
    if (V1_DESCS[ev.type].stack) {
      const ids = SPECS[typ].stackIds;
      if (ids.length > 0) a[ids[0] - 1] = ev.stk;
    }
    const o = this.out;
    o.typ = typ;
    o.time = ev.ts;
    o.m = ev.p !== -1 && ev.type !== V1.CPUSample ? (this.procMs.get(ev.p) ?? -1) : -1;
    o.p = ev.p;
    o.g = ev.g === 0 ? -1 : ev.g;
    if (ev.type === V1.ProcStop) this.procMs.delete(ev.p);
    return o;
  }

  /** Whether the goroutine's next event after this GoSysCall (the one just taken) is GoSysBlock. */
  private syscallBlocks(): boolean {
    const n = this.nextOfG[this.next - 1];
    return n !== -1 && this.events[n].type === V1.GoSysBlock;
  }

  private stwReason(kind: number): number {
    const v = this.trace.version;
    if (v < 21) return kind === 0 || kind === 1 ? kind + 1 : 0;
    return kind >= 0 && kind < NUM_STW_REASONS ? kind : 0;
  }
}

/** Appends one event to a block, growing it when full. */
export function write(
  block: EventBlock,
  o: { typ: number; time: number; m: number; p: number; g: number; a: readonly number[] },
): void {
  const n = block.count;
  if (n === block.type.length) block.grow();
  block.type[n] = o.typ;
  block.time[n] = o.time;
  block.m[n] = o.m;
  block.p[n] = o.p;
  block.g[n] = o.g;
  const k = n * ARGS_PER_EVENT;
  for (let i = 0; i < ARGS_PER_EVENT; i++) block.args[k + i] = o.a[i];
  block.count = n + 1;
}

export { FAKE_P };
