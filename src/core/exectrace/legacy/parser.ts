// Reading Go 1.11–1.21 execution traces (format v1, headers "go 1.11", "go 1.19", "go 1.21"):
// the per-P batches, the string and stack dictionaries, the ordering of the batches' events
// into one stream by goroutine sequence numbers, and the consistency checks — the way Go 1.26's
// internal/trace/internal/tracev1 does it, so the same files read to the same events and the
// same files fail. See docs/exectrace.md ("Legacy traces").
//
// A v1 trace cannot be streamed: its events are ordered across the whole file. Like Go, we
// load it whole; v1 traces are small (the old tracer's overhead kept them so).

import { readUvarint, readUvarintBig, decodeTraceString, type VarintCursor } from '../bytes';
import { TraceError } from '../errors';
import { goSortFunc } from '../gosort';

/** Header versions of the v1 format that Go 1.26 still converts. */
export type LegacyVersion = 11 | 19 | 21;

/** v1 event types (the wire numbers). */
export const V1 = {
  None: 0,
  Batch: 1,
  Frequency: 2,
  Stack: 3,
  Gomaxprocs: 4,
  ProcStart: 5,
  ProcStop: 6,
  GCStart: 7,
  GCDone: 8,
  STWStart: 9,
  STWDone: 10,
  GCSweepStart: 11,
  GCSweepDone: 12,
  GoCreate: 13,
  GoStart: 14,
  GoEnd: 15,
  GoStop: 16,
  GoSched: 17,
  GoPreempt: 18,
  GoSleep: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoBlockSend: 22,
  GoBlockRecv: 23,
  GoBlockSelect: 24,
  GoBlockSync: 25,
  GoBlockCond: 26,
  GoBlockNet: 27,
  GoSysCall: 28,
  GoSysExit: 29,
  GoSysBlock: 30,
  GoWaiting: 31,
  GoInSyscall: 32,
  HeapAlloc: 33,
  HeapGoal: 34,
  TimerGoroutine: 35,
  FutileWakeup: 36,
  String: 37,
  GoStartLocal: 38,
  GoUnblockLocal: 39,
  GoSysExitLocal: 40,
  GoStartLabel: 41,
  GoBlockGC: 42,
  GCMarkAssistStart: 43,
  GCMarkAssistDone: 44,
  UserTaskCreate: 45,
  UserTaskEnd: 46,
  UserRegion: 47,
  UserLog: 48,
  CPUSample: 49,
  Count: 50,
} as const;

interface V1Desc {
  name: string;
  minVersion: number;
  /** The last argument is a stack ID. */
  stack: boolean;
  /** Named arguments after the timestamp (not counting the stack). */
  nargs: number;
}

const d = (name: string, minVersion: number, stack: boolean, nargs: number): V1Desc => ({
  name,
  minVersion,
  stack,
  nargs,
});

/** The v1 event table: name, first header version that has it, stack, argument count. */
export const V1_DESCS: readonly V1Desc[] = [
  d('None', 5, false, 0),
  d('Batch', 5, false, 2),
  d('Frequency', 5, false, 1),
  d('Stack', 5, false, 2),
  d('Gomaxprocs', 5, true, 1),
  d('ProcStart', 5, false, 1),
  d('ProcStop', 5, false, 0),
  d('GCStart', 5, true, 1),
  d('GCDone', 5, false, 0),
  d('GCSTWStart', 5, false, 1),
  d('GCSTWDone', 5, false, 0),
  d('GCSweepStart', 5, true, 0),
  d('GCSweepDone', 5, false, 2),
  d('GoCreate', 5, true, 2),
  d('GoStart', 5, false, 2),
  d('GoEnd', 5, false, 0),
  d('GoStop', 5, true, 0),
  d('GoSched', 5, true, 0),
  d('GoPreempt', 5, true, 0),
  d('GoSleep', 5, true, 0),
  d('GoBlock', 5, true, 0),
  d('GoUnblock', 5, true, 2),
  d('GoBlockSend', 5, true, 0),
  d('GoBlockRecv', 5, true, 0),
  d('GoBlockSelect', 5, true, 0),
  d('GoBlockSync', 5, true, 0),
  d('GoBlockCond', 5, true, 0),
  d('GoBlockNet', 5, true, 0),
  d('GoSysCall', 5, true, 0),
  d('GoSysExit', 5, false, 3),
  d('GoSysBlock', 5, false, 0),
  d('GoWaiting', 5, false, 1),
  d('GoInSyscall', 5, false, 1),
  d('HeapAlloc', 5, false, 1),
  d('HeapGoal', 5, false, 1),
  d('TimerGoroutine', 5, false, 1),
  d('FutileWakeup', 5, false, 0),
  d('String', 7, false, 0),
  d('GoStartLocal', 7, false, 1),
  d('GoUnblockLocal', 7, true, 1),
  d('GoSysExitLocal', 7, false, 2),
  d('GoStartLabel', 8, false, 3),
  d('GoBlockGC', 8, true, 0),
  d('GCMarkAssistStart', 9, true, 0),
  d('GCMarkAssistDone', 9, false, 0),
  d('UserTaskCreate', 11, true, 3),
  d('UserTaskEnd', 11, true, 1),
  d('UserRegion', 11, true, 3),
  d('UserLog', 11, true, 2),
  d('CPUSample', 19, true, 3),
];

/** Events by which the running goroutine leaves its P: it ends, yields, or waits. */
const LEAVES_P = new Uint8Array(64);
for (const t of [
  V1.GoEnd,
  V1.GoStop,
  V1.GoSched,
  V1.GoPreempt,
  V1.GoSleep,
  V1.GoBlock,
  V1.GoBlockSend,
  V1.GoBlockRecv,
  V1.GoBlockSelect,
  V1.GoBlockSync,
  V1.GoBlockCond,
  V1.GoBlockNet,
  V1.GoSysBlock,
  V1.GoBlockGC,
])
  LEAVES_P[t] = 1;

/** Fake P IDs the v1 reader gives events that belong to no real P. */
export const FAKE_P = {
  Timer: 1000001,
  Netpoll: 1000002,
  Syscall: 1000003,
  GC: 1000004,
  Profile: 1000005,
} as const;

/**
 * One v1 event. Values are doubles: IDs up to 2^53 exact, 2^64−1 read as −1 (Go's "none").
 * `ts` is in raw ticks relative to the first batch while parsing, then in ns from the first event.
 */
export class V1Event {
  ts = 0;
  g = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  stk = 0;
  p = 0;
  type = 0;
  /** GoSysExit's real time (relative ticks), or NaN when the tracer wrote 0 ("unknown"). */
  realTs = NaN;

  arg(i: number): number {
    return i === 0 ? this.a0 : i === 1 ? this.a1 : i === 2 ? this.a2 : this.a3;
  }
  setArg(i: number, v: number): void {
    if (i === 0) this.a0 = v;
    else if (i === 1) this.a1 = v;
    else if (i === 2) this.a2 = v;
    else this.a3 = v;
  }
  copy(): V1Event {
    const e = new V1Event();
    e.ts = this.ts;
    e.g = this.g;
    e.a0 = this.a0;
    e.a1 = this.a1;
    e.a2 = this.a2;
    e.a3 = this.a3;
    e.stk = this.stk;
    e.p = this.p;
    e.type = this.type;
    e.realTs = this.realTs;
    return e;
  }
}

/** A frame of the v1 PC table. */
export interface V1Frame {
  pc: number;
  fn: number;
  file: number;
  line: number;
}

/** A whole v1 trace, ordered, with ns times from its first event. */
export interface V1Trace {
  version: LegacyVersion;
  events: V1Event[];
  stacks: Map<number, number[]>;
  pcs: Map<number, V1Frame>;
  strings: Map<number, string>;
  /** UserLog messages (stored inline in v1), indexed by the ID in the event's `a3`. */
  inlineStrings: string[];
}

/** A problem found in the data; `eof` when it is that the bytes ran out. */
class Bad extends Error {
  constructor(
    message: string,
    readonly eof = false,
    readonly offset?: number,
  ) {
    super(message);
  }
}

interface RawEvent {
  typ: number;
  args: number[];
  /** Byte offset of each argument, to re-read timestamps exactly. */
  argAt: number[];
  sarg: string | null;
  batchPid: number;
  batchOffset: number;
}

const SKIP_ARGS = 1;
const SKIP_STRINGS = 2;
const MAX_INT32 = 2147483647;

interface Proc {
  pid: number;
  events: V1Event[];
  next: number;
  done: boolean;
}

interface BatchOffset {
  offset: number;
  numEvents: number;
}

// Goroutine ordering states (order.go), with the uint64 sentinels as their two's-complement doubles.
const G_DEAD = 0;
const G_RUNNABLE = 1;
const G_RUNNING = 2;
const G_WAITING = 3;
const UNORDERED = -1;
const GARBAGE = -2;
const NOSEQ = -1;
const SEQINC = -2;

interface GState {
  seq: number;
  status: number;
}

/** Where an event's goroutine must be before it, and where it goes. */
interface Transition {
  g: number;
  initSeq: number;
  initStatus: number;
  nextSeq: number;
  nextStatus: number;
}

function setTransition(
  t: Transition,
  g: number,
  initSeq: number,
  initStatus: number,
  nextSeq: number,
  nextStatus: number,
): void {
  t.g = g;
  t.initSeq = initSeq;
  t.initStatus = initStatus;
  t.nextSeq = nextSeq;
  t.nextStatus = nextStatus;
}

function stateTransition(ev: V1Event, t: Transition): void {
  const set = setTransition;
  switch (ev.type) {
    case V1.GoCreate:
      return set(t, ev.a0, 0, G_DEAD, 1, G_RUNNABLE);
    case V1.GoWaiting:
    case V1.GoInSyscall:
      return set(t, ev.g, 1, G_RUNNABLE, 2, G_WAITING);
    case V1.GoStart:
    case V1.GoStartLabel:
      return set(t, ev.g, ev.a1, G_RUNNABLE, ev.a1 + 1, G_RUNNING);
    case V1.GoStartLocal:
      return set(t, ev.g, NOSEQ, G_RUNNABLE, SEQINC, G_RUNNING);
    case V1.GoBlock:
    case V1.GoBlockSend:
    case V1.GoBlockRecv:
    case V1.GoBlockSelect:
    case V1.GoBlockSync:
    case V1.GoBlockCond:
    case V1.GoBlockNet:
    case V1.GoSleep:
    case V1.GoSysBlock:
    case V1.GoBlockGC:
      return set(t, ev.g, NOSEQ, G_RUNNING, NOSEQ, G_WAITING);
    case V1.GoSched:
    case V1.GoPreempt:
      return set(t, ev.g, NOSEQ, G_RUNNING, NOSEQ, G_RUNNABLE);
    case V1.GoUnblock:
    case V1.GoSysExit:
      return set(t, ev.a0, ev.a1, G_WAITING, ev.a1 + 1, G_RUNNABLE);
    case V1.GoUnblockLocal:
    case V1.GoSysExitLocal:
      return set(t, ev.a0, NOSEQ, G_WAITING, SEQINC, G_RUNNABLE);
    case V1.GCStart:
      return set(t, GARBAGE, ev.a0, G_DEAD, ev.a0 + 1, G_DEAD);
    default:
      return set(t, UNORDERED, 0, 0, 0, 0);
  }
}

function transitionReady(g: number, cur: GState | undefined, t: Transition): boolean {
  if (g === UNORDERED) return true;
  const seq = cur ? cur.seq : 0;
  const status = cur ? cur.status : G_DEAD;
  return (t.initSeq === NOSEQ || t.initSeq === seq) && t.initStatus === status;
}

interface OrderEntry {
  ev: V1Event;
  proc: Proc;
}

/** The v1 reader's event heap, with its exact sift rules (ties resolve as Go's do). */
class Frontier {
  readonly h: OrderEntry[] = [];
  get length(): number {
    return this.h.length;
  }
  push(x: OrderEntry): void {
    const h = this.h;
    h.push(x);
    let j = h.length - 1;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !(h[j].ev.ts < h[i].ev.ts)) break;
      const t = h[i];
      h[i] = h[j];
      h[j] = t;
      j = i;
    }
  }
  pop(): OrderEntry {
    const h = this.h;
    const n = h.length - 1;
    let t = h[0];
    h[0] = h[n];
    h[n] = t;
    let i = 0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && h[j2].ev.ts < h[j1].ev.ts) j = j2;
      if (!(h[j].ev.ts < h[i].ev.ts)) break;
      t = h[i];
      h[i] = h[j];
      h[j] = t;
      i = j;
    }
    return h.pop()!;
  }
}

/** Options shared with the reader: cancellation is checked every 64K events. */
export interface LegacyParseOptions {
  signal?: { readonly aborted: boolean };
}

/**
 * Parses a whole v1 trace (the bytes after the 16-byte header). Throws TraceError: `truncated`
 * when the bytes run out inside an event, `corrupt` for anything else Go's reader rejects.
 */
export function parseLegacyTrace(
  data: Uint8Array,
  version: LegacyVersion,
  opts: LegacyParseOptions = {},
): V1Trace {
  const p = new V1Parser(data, version, opts);
  try {
    return p.parse();
  } catch (e) {
    if (e instanceof Bad) {
      if (e.eof)
        throw new TraceError(
          'truncated',
          `trace is truncated or corrupt: ${e.message} (the file ends inside an event; was the program stopped before trace.Stop, or the copy cut short?)`,
          e.offset,
        );
      throw new TraceError('corrupt', `corrupt trace: ${e.message}`, e.offset);
    }
    throw e;
  }
}

class V1Parser {
  private off = 16;
  private readonly strings = new Map<number, string>();
  private readonly inlineStrings: string[] = [];
  private readonly inlineIds = new Map<string, number>();
  private readonly batchOffsets = new Map<number, BatchOffset[]>();
  private readonly stacks = new Map<number, number[]>();
  private readonly pcs = new Map<number, V1Frame>();
  private ticksPerSec = 0;
  private readonly cpuSamples: V1Event[] = [];
  private readonly timerGoids = new Set<number>();
  /** Raw ticks of the first batch: times are kept relative to it so they stay exact doubles. */
  private tickBase: bigint | null = null;
  private lastTs = 0;
  private lastG = 0;
  private readonly lastGs = new Map<number, number>();
  private lastP = 0;
  private readonly raw: RawEvent = {
    typ: 0,
    args: [],
    argAt: [],
    sarg: null,
    batchPid: 0,
    batchOffset: 0,
  };
  private readonly cur: VarintCursor = { pos: 0 };
  private work = 0;
  /**
   * Budget for the ordering's scans of the P's (Go rescans every P with a pending event for each
   * event it takes): real traces use a sliver of it; a crafted file with very many P's whose
   * events never become ready would otherwise take time quadratic in its size.
   */
  private scanBudget: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly ver: LegacyVersion,
    private readonly opts: LegacyParseOptions,
  ) {
    this.scanBudget = 50_000_000 + 64 * data.length;
  }

  parse(): V1Trace {
    this.collectBatchesAndCPUSamples();
    const events = this.parseEventBatches();
    if (this.ticksPerSec === 0)
      throw new Bad(
        'no EvFrequency event (the trace holds no clock frequency: it is probably cut before its end)',
        true,
      );
    if (events.length > 0) {
      const minTs = events[0].ts;
      const nsPerTick = 1e9 / this.ticksPerSec;
      for (const ev of events) {
        ev.ts = Math.trunc((ev.ts - minTs) * nsPerTick);
        if (ev.type === V1.GoUnblock && this.timerGoids.has(ev.g)) ev.p = FAKE_P.Timer;
        if (ev.type === V1.GoSysExit) ev.p = FAKE_P.Syscall;
      }
    }
    this.postProcess(events);
    return {
      version: this.ver,
      events,
      stacks: this.stacks,
      pcs: this.pcs,
      strings: this.strings,
      inlineStrings: this.inlineStrings,
    };
  }

  private tick(): void {
    if (++this.work >= 65536) {
      this.work = 0;
      if (this.opts.signal?.aborted)
        throw new TraceError('cancelled', 'reading the trace was cancelled');
    }
  }

  /** Raw ticks at byte `at` (a varint known to be valid), relative to the first batch. */
  private ticksAt(at: number): number {
    const v = readUvarintBig(this.data, { pos: at }, this.data.length) ?? 0n;
    const signed = BigInt.asIntN(64, v);
    if (this.tickBase === null) this.tickBase = signed;
    return Number(signed - this.tickBase);
  }

  private readVal(what = ''): number {
    const c = this.cur;
    c.pos = this.off;
    const v = readUvarint(this.data, c, this.data.length);
    if (c.pos <= 0)
      throw new Bad(`${what}malformed base-128 varint at byte ${this.off}`, c.pos === 0, this.off);
    this.off = c.pos;
    return v;
  }

  private readRawEvent(flags: number): boolean {
    const data = this.data;
    if (this.off >= data.length) return false;
    const at = this.off;
    const b = data[this.off++];
    const typ = b & 0x3f;
    const narg = (b >> 6) + 1;
    const raw = this.raw;
    if (typ === V1.None || typ >= V1.Count || V1_DESCS[typ].minVersion > this.ver)
      throw new Bad(`unknown event type ${typ} at byte ${at}`, false, at);
    raw.args.length = 0;
    raw.argAt.length = 0;
    raw.sarg = null;
    raw.typ = typ;
    if (typ === V1.String) {
      if (flags & SKIP_STRINGS) {
        this.readVal();
        const ln = this.readVal();
        this.discard(ln);
      } else {
        const id = this.readVal();
        if (id === 0) throw new Bad(`string has invalid id 0 at byte ${at}`, false, at);
        if ((this.strings.get(id) ?? '') !== '')
          throw new Bad(`string has duplicate id ${id} at byte ${at}`, false, at);
        const ln = this.readVal();
        if (ln === 0) throw new Bad(`string has invalid length 0 at byte ${at}`, false, at);
        if (!(ln >= 0 && ln <= 1e6))
          throw new Bad(`string has too large length ${ln} at byte ${at}`, false, at);
        if (this.off + ln > data.length)
          throw new Bad(`string at byte ${at} runs past the end of the file`, true, at);
        this.strings.set(id, decodeTraceString(data, this.off, this.off + ln));
        this.off += ln;
      }
      raw.typ = V1.None;
      return true;
    }
    if (typ === V1.Batch) {
      if (narg !== 2)
        throw new Bad(`batch header at byte ${at} has ${narg} arguments, not 2`, false, at);
      const pid = this.readVal();
      if (pid !== -1 && (pid < 0 || pid > MAX_INT32))
        throw new Bad(`processor ID ${pid} of the batch at byte ${at} is too large`, false, at);
      const tsAt = this.off;
      const v = this.readVal();
      raw.args.push(pid, v);
      raw.argAt.push(at + 1, tsAt);
      raw.batchPid = pid;
      raw.batchOffset = at;
      return true;
    }
    if (narg <= 3) {
      // Like Go, skipping arguments keeps none (which a CPU sample then fails on).
      const keep = (flags & SKIP_ARGS) === 0;
      for (let i = 0; i < narg; i++) {
        const argAt = this.off;
        const v = this.readVal(`event ${typ} argument: `);
        if (keep) {
          raw.argAt.push(argAt);
          raw.args.push(v);
        }
      }
    } else {
      const v = this.readVal(`event ${typ} argument: `);
      if (v > 2048 || v < 0)
        throw new Bad(
          `event ${typ} at byte ${at} has a length-prefixed argument of ${v} bytes, the limit is 2048`,
          false,
          at,
        );
      if ((flags & SKIP_ARGS) === 0 || typ === V1.CPUSample) {
        if (this.off + v > data.length)
          throw new Bad(`event ${typ} at byte ${at} runs past the end of the file`, true, at);
        const end = this.off + v;
        const c = this.cur;
        while (this.off < end) {
          c.pos = this.off;
          const x = readUvarint(data, c, end);
          // Inside a length-prefixed buffer, a varint cut by the buffer end is malformed, not truncated.
          if (c.pos <= 0)
            throw new Bad(`malformed base-128 varint in event ${typ} at byte ${at}`, false, at);
          raw.argAt.push(this.off);
          raw.args.push(x);
          this.off = c.pos;
        }
      } else {
        this.discard(v);
      }
      if (typ === V1.UserLog) {
        if ((flags & SKIP_ARGS) === 0) {
          const sz = this.readVal();
          if (sz === 0) raw.sarg = '';
          else {
            if (!(sz > 0 && sz <= 1e6))
              throw new Bad(`log message at byte ${at} is too large (${sz} bytes)`, false, at);
            if (this.off + sz > data.length)
              throw new Bad(`log message at byte ${at} runs past the end of the file`, true, at);
            raw.sarg = decodeTraceString(data, this.off, this.off + sz);
            this.off += sz;
          }
        } else {
          this.discard(this.readVal());
        }
      }
    }
    return true;
  }

  private discard(n: number): void {
    if (!(n >= 0) || this.off + n > this.data.length)
      throw new Bad(`data at byte ${this.off} runs past the end of the file`, true, this.off);
    this.off += n;
  }

  private argNum(): number {
    const raw = this.raw;
    if (raw.typ === V1.Stack) return raw.args.length;
    const desc = V1_DESCS[raw.typ];
    let n = desc.nargs + (desc.stack ? 1 : 0);
    if (raw.typ === V1.Batch || raw.typ === V1.Frequency || raw.typ === V1.TimerGoroutine) return n;
    return n + 1;
  }

  private collectBatchesAndCPUSamples(): void {
    const raw = this.raw;
    let curP = 0;
    while (this.readRawEvent(SKIP_ARGS | SKIP_STRINGS)) {
      this.tick();
      if (raw.typ === V1.None) continue;
      if (raw.typ === V1.Batch) {
        let list = this.batchOffsets.get(raw.batchPid);
        if (!list) this.batchOffsets.set(raw.batchPid, (list = []));
        list.push({ offset: raw.batchOffset, numEvents: 0 });
        curP = raw.batchPid;
        if (this.tickBase === null) this.ticksAt(raw.argAt[1]);
      }
      const batches = this.batchOffsets.get(curP);
      if (!batches || batches.length === 0)
        throw new Bad(`event ${raw.typ} comes before any batch of P ${curP}`);
      batches[batches.length - 1].numEvents++;
      if (raw.typ === V1.CPUSample) {
        const want = this.argNum();
        if (raw.args.length !== want)
          throw new Bad(
            `CPU sample has wrong number of arguments: want ${want}, got ${raw.args.length}`,
          );
        const e = new V1Event();
        e.type = V1.CPUSample;
        e.stk = raw.args[want - 1] >>> 0;
        e.ts = this.ticksAt(raw.argAt[1]);
        e.p = raw.args[2] | 0;
        e.g = raw.args[3];
        this.cpuSamples.push(e);
      }
    }
  }

  private loadBatch(pid: number, out: V1Event[]): boolean {
    const offsets = this.batchOffsets.get(pid);
    if (!offsets || offsets.length === 0) return false;
    const { offset } = offsets.shift()!;
    this.off = offset;
    let gotHeader = false;
    const raw = this.raw;
    while (this.readRawEvent(0)) {
      if (raw.typ === V1.None || raw.typ === V1.CPUSample) continue;
      if (raw.typ === V1.Batch) {
        if (gotHeader) break;
        gotHeader = true;
      }
      const ev = this.parseEvent();
      if (ev) out.push(ev);
    }
    return true;
  }

  private parseEvent(): V1Event | null {
    const raw = this.raw;
    const desc = V1_DESCS[raw.typ];
    const narg = this.argNum();
    if (raw.args.length !== narg)
      throw new Bad(
        `${desc.name} has wrong number of arguments: want ${narg}, got ${raw.args.length}`,
      );
    const args = raw.args;
    switch (raw.typ) {
      case V1.Batch:
        this.lastGs.set(this.lastP, this.lastG);
        this.lastP = args[0] === -1 ? -1 : args[0];
        this.lastG = this.lastGs.get(this.lastP) ?? 0;
        this.lastTs = this.ticksAt(raw.argAt[1]);
        return null;
      case V1.Frequency:
        this.ticksPerSec = args[0];
        if (this.ticksPerSec <= 0)
          throw new Bad('time stamps out of order (the clock frequency is not positive)');
        return null;
      case V1.TimerGoroutine:
        this.timerGoids.add(args[0]);
        return null;
      case V1.Stack: {
        if (args.length < 2)
          throw new Bad(
            `EvStack has wrong number of arguments: want at least 2, got ${args.length}`,
          );
        const size = args[1];
        if (!(size >= 0 && size <= 1000))
          throw new Bad(`EvStack has bad number of frames: ${size}`);
        const want = 2 + 4 * size;
        if (args.length !== want)
          throw new Bad(`EvStack has wrong number of arguments: want ${want}, got ${args.length}`);
        const id = args[0] >>> 0;
        if (id !== 0 && size > 0) {
          const stk: number[] = new Array(size);
          for (let i = 0; i < size; i++) {
            const pc = args[2 + i * 4];
            stk[i] = pc;
            if (!this.pcs.has(pc))
              this.pcs.set(pc, {
                pc,
                fn: args[3 + i * 4],
                file: args[4 + i * 4],
                line: args[5 + i * 4],
              });
          }
          this.stacks.set(id, stk);
        }
        return null;
      }
    }
    const ev = new V1Event();
    ev.type = raw.typ;
    ev.p = this.lastP;
    ev.g = this.lastG;
    ev.ts = this.lastTs + args[0];
    this.lastTs = ev.ts;
    for (let i = 1; i < narg; i++) {
      if (i === narg - 1 && desc.stack) ev.stk = args[i] >>> 0;
      else ev.setArg(i - 1, args[i]);
    }
    if (LEAVES_P[raw.typ] === 1) this.lastG = 0;
    switch (raw.typ) {
      case V1.GoStart:
      case V1.GoStartLocal:
      case V1.GoStartLabel:
        this.lastG = ev.a0;
        ev.g = ev.a0;
        break;
      case V1.GoSysExit:
        ev.g = ev.a0;
        // The real time of the exit (0 = unknown): kept exact, relative to the first batch.
        if (args[3] !== 0) ev.realTs = this.ticksAt(raw.argAt[3]);
        break;
      case V1.GoWaiting:
      case V1.GoInSyscall:
        ev.g = ev.a0;
        break;
      case V1.UserLog: {
        const s = raw.sarg ?? '';
        let id = this.inlineIds.get(s);
        if (id === undefined) {
          id = this.inlineStrings.length;
          this.inlineIds.set(s, id);
          this.inlineStrings.push(s);
        }
        ev.a3 = id;
        break;
      }
    }
    return ev;
  }

  private parseEventBatches(): V1Event[] {
    goSortFunc(this.cpuSamples, (a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    const allProcs: Proc[] = [];
    for (const pid of this.batchOffsets.keys())
      allProcs.push({ pid, events: [], next: 0, done: false });
    allProcs.push({ pid: FAKE_P.Profile, events: this.cpuSamples, next: 0, done: false });
    const events: V1Event[] = [];
    const gs = new Map<number, GState>();
    const frontier = new Frontier();
    const available = allProcs.slice();
    const t: Transition = { g: 0, initSeq: 0, initStatus: 0, nextSeq: 0, nextStatus: 0 };
    for (;;) {
      this.tick();
      this.scanBudget -= available.length;
      if (this.scanBudget < 0)
        throw new TraceError(
          'too-large',
          "trace ordering does not converge: its P's wait on each other far more than any real trace does; the file is probably corrupt",
        );
      outer: for (let i = 0; i < available.length; i++) {
        const proc = available[i];
        while (proc.next >= proc.events.length) {
          const buf: V1Event[] = [];
          if (!this.loadBatch(proc.pid, buf)) {
            proc.done = true;
            available[i] = available[available.length - 1];
            available.pop();
            i--;
            continue outer;
          }
          proc.events = buf;
          proc.next = 0;
        }
        const ev = proc.events[proc.next];
        stateTransition(ev, t);
        if (!transitionReady(t.g, gs.get(t.g), t)) continue;
        proc.next++;
        available[i] = available[available.length - 1];
        available.pop();
        frontier.push({ ev, proc });
        i--;
      }
      if (frontier.length === 0) {
        for (const pr of allProcs)
          if (!pr.done)
            throw new Bad(
              "no consistent ordering of events possible (the goroutines' sequence numbers do not add up)",
            );
        break;
      }
      const f = frontier.pop();
      stateTransition(f.ev, t);
      if (f.ev.type === V1.GoStartLocal) f.ev.type = V1.GoStart;
      else if (f.ev.type === V1.GoUnblockLocal) f.ev.type = V1.GoUnblock;
      else if (f.ev.type === V1.GoSysExitLocal) f.ev.type = V1.GoSysExit;
      events.push(f.ev);
      if (t.g !== UNORDERED) {
        const cur = gs.get(t.g);
        if (!transitionReady(t.g, cur, t))
          throw new Bad('encountered impossible goroutine state transition');
        const curSeq = cur ? cur.seq : 0;
        const seq = t.nextSeq === NOSEQ ? curSeq : t.nextSeq === SEQINC ? curSeq + 1 : t.nextSeq;
        gs.set(t.g, { seq, status: t.nextStatus });
      }
      available.push(f.proc);
    }
    for (let i = 1; i < events.length; i++)
      if (events[i].ts < events[i - 1].ts) throw new Bad('time stamps out of order');
    const lastSysBlock = new Map<number, number>();
    for (const ev of events) {
      if (ev.type === V1.GoSysBlock || ev.type === V1.GoInSyscall) lastSysBlock.set(ev.g, ev.ts);
      else if (ev.type === V1.GoSysExit) {
        if (Number.isNaN(ev.realTs)) continue;
        const block = lastSysBlock.get(ev.g);
        // Go's map yields 0 for a missing entry, so a block at absolute time 0 counts as none too.
        if (block === undefined || BigInt(block) + (this.tickBase ?? 0n) === 0n)
          throw new Bad('stray syscall exit');
        if (ev.realTs < block)
          throw new Bad('time stamps out of order (a syscall exits before it blocked)');
        ev.ts = ev.realTs;
      }
    }
    // Array.prototype.sort is stable, as Go's sort.Stable.
    events.sort((a, b) => a.ts - b.ts);
    return events;
  }

  private postProcess(events: V1Event[]): void {
    interface GDesc {
      state: number;
      ev: V1Event | null;
      evCreate: V1Event | null;
      evMarkAssist: V1Event | null;
    }
    interface PDesc {
      running: boolean;
      g: number;
      evSweep: V1Event | null;
    }
    const gs = new Map<number, GDesc>();
    const ps = new Map<number, PDesc>();
    const getG = (g: number): GDesc => {
      let x = gs.get(g);
      if (!x) gs.set(g, (x = { state: G_DEAD, ev: null, evCreate: null, evMarkAssist: null }));
      return x;
    };
    const getP = (p: number): PDesc => {
      let x = ps.get(p);
      if (!x) ps.set(p, (x = { running: false, g: 0, evSweep: null }));
      return x;
    };
    const tasks = new Set<number>();
    const activeRegions = new Map<number, V1Event[]>();
    gs.set(0, { state: G_RUNNING, ev: null, evCreate: null, evMarkAssist: null });
    let evGC: V1Event | null = null;
    let evSTW: V1Event | null = null;
    const at = (ev: V1Event) => `(time ${ev.ts})`;
    const checkRunning = (p: PDesc, g: GDesc, ev: V1Event, allowG0: boolean) => {
      const name = V1_DESCS[ev.type].name;
      if (g.state !== G_RUNNING) throw new Bad(`g ${ev.g} is not running while ${name} ${at(ev)}`);
      if (p.g !== ev.g) throw new Bad(`p ${ev.p} is not running g ${ev.g} while ${name} ${at(ev)}`);
      if (!allowG0 && ev.g === 0) throw new Bad(`g 0 did ${name} ${at(ev)}`);
    };
    for (const ev of events) {
      this.tick();
      if (LEAVES_P[ev.type] === 1) {
        const g = getG(ev.g);
        const p = getP(ev.p);
        checkRunning(p, g, ev, false);
        const t = ev.type;
        g.state =
          t === V1.GoEnd || t === V1.GoStop
            ? G_DEAD
            : t === V1.GoSched || t === V1.GoPreempt
              ? G_RUNNABLE
              : G_WAITING;
        p.g = 0;
        if (t !== V1.GoEnd && t !== V1.GoStop && t !== V1.GoSysBlock) g.ev = ev;
        if (t === V1.GoEnd) activeRegions.delete(ev.g);
      }
      switch (ev.type) {
        case V1.ProcStart: {
          const p = getP(ev.p);
          if (p.running) throw new Bad(`p ${ev.p} is running before start ${at(ev)}`);
          p.running = true;
          break;
        }
        case V1.ProcStop: {
          const p = getP(ev.p);
          if (!p.running) throw new Bad(`p ${ev.p} is not running before stop ${at(ev)}`);
          if (p.g !== 0)
            throw new Bad(`p ${ev.p} is running a goroutine ${p.g} during stop ${at(ev)}`);
          p.running = false;
          break;
        }
        case V1.GCStart:
          if (evGC) throw new Bad(`previous GC is not ended before a new one ${at(ev)}`);
          evGC = ev;
          ev.p = FAKE_P.GC;
          break;
        case V1.GCDone:
          if (!evGC) throw new Bad(`bogus GC end ${at(ev)}`);
          evGC = null;
          break;
        case V1.STWStart:
          if (evSTW) throw new Bad(`previous STW is not ended before a new one ${at(ev)}`);
          evSTW = ev;
          break;
        case V1.STWDone:
          if (!evSTW) throw new Bad(`bogus STW end ${at(ev)}`);
          evSTW = null;
          break;
        case V1.GCSweepStart: {
          const p = getP(ev.p);
          if (p.evSweep) throw new Bad(`previous sweeping is not ended before a new one ${at(ev)}`);
          p.evSweep = ev;
          break;
        }
        case V1.GCMarkAssistStart: {
          const g = getG(ev.g);
          if (g.evMarkAssist)
            throw new Bad(`previous mark assist is not ended before a new one ${at(ev)}`);
          g.evMarkAssist = ev;
          break;
        }
        case V1.GCMarkAssistDone:
          getG(ev.g).evMarkAssist = null;
          break;
        case V1.GCSweepDone: {
          const p = getP(ev.p);
          if (!p.evSweep) throw new Bad(`bogus sweeping end ${at(ev)}`);
          p.evSweep = null;
          break;
        }
        case V1.GoWaiting:
        case V1.GoInSyscall: {
          const g = getG(ev.g);
          if (g.state !== G_RUNNABLE)
            throw new Bad(`g ${ev.g} is not runnable before ${V1_DESCS[ev.type].name} ${at(ev)}`);
          g.state = G_WAITING;
          g.ev = ev;
          break;
        }
        case V1.GoCreate: {
          // Read without creating an entry: Go's map read does not add one.
          checkRunning(
            getP(ev.p),
            gs.get(ev.g) ?? { state: G_DEAD, ev: null, evCreate: null, evMarkAssist: null },
            ev,
            true,
          );
          if (gs.has(ev.a0)) throw new Bad(`g ${ev.a0} already exists ${at(ev)}`);
          gs.set(ev.a0, { state: G_RUNNABLE, ev, evCreate: ev, evMarkAssist: null });
          break;
        }
        case V1.GoStart:
        case V1.GoStartLabel: {
          const g = getG(ev.g);
          const p = getP(ev.p);
          if (g.state !== G_RUNNABLE)
            throw new Bad(`g ${ev.g} is not runnable before start ${at(ev)}`);
          if (p.g !== 0)
            throw new Bad(`p ${ev.p} is already running g ${p.g} while start g ${ev.g} ${at(ev)}`);
          g.state = G_RUNNING;
          p.g = ev.g;
          if (g.evCreate) {
            ev.stk = g.evCreate.a1 >>> 0;
            g.evCreate = null;
          }
          g.ev = null;
          break;
        }
        case V1.GoUnblock: {
          const g = gs.get(ev.g) ?? { state: G_DEAD, ev: null, evCreate: null, evMarkAssist: null };
          const p = getP(ev.p);
          if (g.state !== G_RUNNING)
            throw new Bad(`g ${ev.g} is not running while unpark ${at(ev)}`);
          if (ev.p !== FAKE_P.Timer && p.g !== ev.g)
            throw new Bad(`p ${ev.p} is not running g ${ev.g} while unpark ${at(ev)}`);
          const g1 = getG(ev.a0);
          if (g1.state !== G_WAITING)
            throw new Bad(`g ${ev.a0} is not waiting before unpark ${at(ev)}`);
          if (g1.ev && g1.ev.type === V1.GoBlockNet) ev.p = FAKE_P.Netpoll;
          g1.state = G_RUNNABLE;
          g1.ev = ev;
          break;
        }
        case V1.GoSysCall: {
          const g = getG(ev.g);
          checkRunning(getP(ev.p), g, ev, false);
          g.ev = ev;
          break;
        }
        case V1.GoSysExit: {
          const g = getG(ev.g);
          if (g.state !== G_WAITING)
            throw new Bad(`g ${ev.g} is not waiting during syscall exit ${at(ev)}`);
          g.state = G_RUNNABLE;
          g.ev = ev;
          break;
        }
        case V1.UserTaskCreate:
          if (tasks.has(ev.a0)) throw new Bad(`task id conflicts (id:${ev.a0}) ${at(ev)}`);
          tasks.add(ev.a0);
          break;
        case V1.UserTaskEnd:
          tasks.delete(ev.a0);
          break;
        case V1.UserRegion: {
          const mode = ev.a1;
          const regions = activeRegions.get(ev.g) ?? [];
          if (mode === 0) {
            regions.push(ev);
            activeRegions.set(ev.g, regions);
          } else if (mode === 1) {
            const n = regions.length;
            if (n > 0) {
              const s = regions[n - 1];
              if (s.a0 !== ev.a0 || s.a2 !== ev.a2)
                throw new Bad(
                  `misuse of region in goroutine ${ev.g}: a region ends while another one is the innermost active ${at(ev)}`,
                );
              if (n > 1) regions.pop();
              else activeRegions.delete(ev.g);
            }
          } else {
            throw new Bad(`invalid user region mode ${mode} ${at(ev)}`);
          }
          break;
        }
      }
      if (ev.stk !== 0 && (this.stacks.get(ev.stk)?.length ?? 0) === 0) ev.stk = 0;
    }
  }
}
