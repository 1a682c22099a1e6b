// The ordering state machine: decides whether the next event of a thread may be emitted yet
// (its preconditions hold in the scheduler state reconstructed so far), validates it, updates
// the state, and emits it — sometimes together with events it implies. This is what turns
// per-thread batches into one consistent, globally ordered stream.
//
// It follows Go's internal/trace order.go rule for rule, because the order and contents of the
// emitted events must be identical to the reference reader's (`go tool trace -d=parsed`). Where
// Go "smuggles" derived values into spare argument slots (old states, task names, STW kinds),
// we put the same values in the same slots.

import { ARGS_PER_EVENT, type EventBlock } from './block';
import { readUvarint, type VarintCursor } from './bytes';
import { TraceError } from './errors';
import type { GenerationTable } from './generation';
import { NumMap } from './num-map';
import {
  Ev,
  GoState,
  ProcState,
  SPEC_COUNT,
  SPECS,
  TIMED_ARG_COUNT,
  WIRE_GO_STATUS_TO_STATE,
  WIRE_PROC_STATUS_TO_STATE,
  WireGoStatus as WG,
  WireProcStatus as WP,
} from './spec';

// Performance notes (the hot path is `burst`): V8 compiles hot functions from the types it has
// seen so far, and throws the compiled code away (and compiles again, slowly) when something
// else shows up. So values that can be large are kept in Float64Arrays or fields that start as
// doubles, small IDs are kept as small integers, and rarely taken branches avoid operations
// nothing else exercises. Each such trick has a comment where it is used.

/** An event as the general rules see it; they may rewrite its arguments (as Go does). */
export interface PendingEvent {
  typ: number;
  time: number;
  a0: number;
  a1: number;
  a2: number;
  a3: number;
}

/**
 * A thread's cursor (Go's batchCursor): where decoding of the thread's batches stands, and the
 * thread's next event (`typ`, `time`, `args`), decoded but not yet emitted.
 */
export class ThreadCursor {
  /** The thread's scheduler state once known, cached to skip a map lookup per event. */
  ms: MState | undefined = undefined;
  typ = 0;
  // Times start as NaN so V8 stores them as doubles from the start: starting with small values
  // (times near the trace start) would make the optimized code assume small integers and bail
  // out later. The arguments live in a Float64Array for the same reason.
  time = NaN;
  readonly args = new Float64Array(4);
  /** Decoding position: batch index, byte range, running time (relative ns). */
  bidx = 0;
  pos = 0;
  end = 0;
  lastTs = NaN;
  constructor(
    readonly m: number,
    readonly batches: readonly { start: number; end: number; time: number }[],
  ) {}
}

/** Scratch for `burst` (see there). */
const F64 = new Float64Array(1);

/** Types `Ordering.rule` handles (the common rules outside the hottest three). */
const RULE_FAST: Uint8Array = (() => {
  const r = new Uint8Array(256);
  for (const t of [
    Ev.GoDestroy,
    Ev.GoCreate,
    Ev.HeapAlloc,
    Ev.HeapGoal,
    Ev.GoSyscallBegin,
    Ev.GoSyscallEnd,
    Ev.ProcStart,
    Ev.ProcStop,
    Ev.GCSweepBegin,
    Ev.GCSweepEnd,
    Ev.GCMarkAssistBegin,
    Ev.GCMarkAssistEnd,
  ])
    r[t] = 1;
  return r;
})();

/** Outcome of `Ordering.burst` for the cursor at the top of the heap. */
export const BURST_STAYS = 0; // its next event is decoded and still first (not emitted: not a common rule, not ready, or no room)
export const BURST_LATER = 1; // its next event is later than another thread's: re-sift
export const BURST_BATCH_END = 2; // the thread's batch is used up: `decodeNext` moves on to its next one, if any
export const BURST_UNTOUCHED = 3; // the already decoded first event was not handled; nothing changed

/** The number as a small integer when it is one (a V8 "Smi", never boxed). */
function smi(x: number): number {
  const i = x | 0;
  return i === x ? i : x;
}

/** Low 8 bits of a stored uint64 argument (Go converts statuses with uint8(...)). */
function u8(v: number): number {
  // `& 0xff`, not `% 256`: the same low 8 bits of any integer (two's complement reads the
  // "none" sentinel −1 as 255, Go's uint8 of 2^64−1), and always a small integer, where `%`
  // gave a double: stored as a new goroutine's status, that made the field a double one
  // (V8 then threw away the hot loop's code it was compiling, twice per parse).
  return v & 0xff;
}

class GState {
  /** False once the goroutine is gone (a cached reference to it is then stale). */
  alive = true;
  status = 0;
  seqGen = 0;
  seq = 0;
  /** Open user regions, innermost last: task IDs and names. */
  regionTasks: number[] | null = null;
  regionNames: string[] | null = null;
  /** In-flight special ranges as pairs (begin event type, description string ID). */
  ranges: number[] | null = null;
  /** Reassigned when the state is reused for a new goroutine (see `Ordering.freeG`). */
  constructor(public id: number) {}
}

class PState {
  status = 0;
  seqGen = 0;
  seq = 0;
  ranges: number[] | null = null;
  constructor(readonly id: number) {}
}

/** What a thread (M) holds: its goroutine and proc, −1 for none. */
export class MState {
  g = -1;
  p = -1;
  /** Cached states of g and p (valid only while they still describe g and p). */
  gs: GState | null = null;
  ps: PState | null = null;
}

const GC_UNDETERMINED = 0;
const GC_NOT_RUNNING = 1;
const GC_RUNNING = 2;

const MUST_NOT = 0;
const MAY = 1;
const MUST = 2;

/**
 * An event that cannot be decoded, at `offset` in the bytes the ordering was given: the reader
 * may hold a window of the file, and says where in the file (`atFile`). The offset is not made
 * a file offset where the error is found: that is inside `burst`, and V8 compiled it 12% slower
 * for one more field read on its (never taken) error paths.
 */
export class EventDecodeError extends TraceError {
  constructor(
    private readonly detail: string,
    offset: number,
  ) {
    super('corrupt', `corrupt trace: ${detail} (at byte ${offset})`, offset);
  }

  /** The same error at its file offset, for bytes that start at file offset `base`. */
  atFile(base: number): TraceError {
    const at = base + (this.offset ?? 0);
    return new TraceError('corrupt', `corrupt trace: ${this.detail} (at byte ${at})`, at);
  }
}

function badEvent(msg: string, offset: number): TraceError {
  return new EventDecodeError(msg, offset);
}

function broken(msg: string): TraceError {
  return new TraceError('corrupt', `invalid trace: ${msg}`);
}

function evName(typ: number): string {
  return SPECS[typ]?.name || `event type ${typ}`;
}

/** The start event of a range type (itself if it is a begin). */
function rangeStart(typ: number): number {
  const s = SPECS[typ].startEv;
  return s !== 0 ? s : typ;
}

function hasRange(r: number[] | null, typ: number, desc: number): boolean {
  if (!r) return false;
  for (let i = 0; i < r.length; i += 2) if (r[i] === typ && r[i + 1] === desc) return true;
  return false;
}

/** Scheduler state reconstructed from the events so far, across generations. */
export class Ordering {
  private readonly gStates = new NumMap<GState>(256);
  private readonly pStates = new NumMap<PState>(64);
  private readonly mStates = new Map<number, MState>();
  private readonly taskNames = new Map<number, string>();
  private readonly taskParents = new Map<number, number>();
  /**
   * States of goroutines that ended, reused for new ones: a busy program creates and ends
   * hundreds of thousands, and their states were a large part of what the garbage collector
   * had to copy. A cached reference to a reused state stays safe: it is checked by ID.
   */
  private readonly freeG: GState[] = [];
  private gcSeq = 0;
  private gcState = GC_UNDETERMINED;
  private initialGen = 0;
  /** The generation's tables, for string lookups and synthesized strings. */
  table!: GenerationTable;

  /**
   * Time of the last emitted event (relative ns). Starts at absolute 0, as in Go: the reader
   * sets it (to −timeBase) before any event.
   */
  lastTs = NaN;

  /**
   * Work done outside the constant-time rules (searches over all threads), for the reader's
   * budget: a crafted file must not be able to make parsing quadratic.
   */
  work = 0;

  // The output block's columns, cached here: emitting is the hottest code after decoding.
  private oType!: Uint8Array;
  private oTime!: Float64Array;
  private oM!: Float64Array;
  private oP!: Float64Array;
  private oG!: Float64Array;
  private oArgs!: Float64Array;

  /** @param out the block emitted events are appended to (the reader's current block) */
  constructor(private readonly out: EventBlock) {
    this.bindOutput();
  }

  private bindOutput(): void {
    const b = this.out;
    this.oType = b.type;
    this.oTime = b.time;
    this.oM = b.m;
    this.oP = b.p;
    this.oG = b.g;
    this.oArgs = b.args;
  }

  /**
   * Appends an event to the output block, after checking its stack and string references (as
   * Go's reader checks every event it returns), making times strictly increase (Go's reader
   * bumps any time not after the previous one by 1 ns).
   */
  emit(
    typ: number,
    time: number,
    m: number,
    p: number,
    g: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ): void {
    const block = this.out;
    const mask = ID_MASK[typ];
    if (mask !== 0 && !idsPresent(block.table!, mask, a0, a1, a2, a3))
      validateIds(block.table!, typ, a0, a1, a2, a3);
    if (time <= this.lastTs) time = this.lastTs + 1;
    this.lastTs = time;
    const n = block.count;
    if (n === this.oType.length) {
      block.grow();
      this.bindOutput();
    }
    this.oType[n] = typ;
    this.oTime[n] = time;
    this.oM[n] = m;
    this.oP[n] = p;
    this.oG[n] = g;
    const k = n * ARGS_PER_EVENT;
    const args = this.oArgs;
    args[k] = a0;
    args[k + 1] = a1;
    args[k + 2] = a2;
    args[k + 3] = a3;
    block.count = n + 1;
  }

  private ctxCheck(m: number, p: number, g: number, rm: number, rp: number, rg: number): void {
    if (rm === MUST && m === -1) throw broken("expected a thread but didn't have one");
    if (rm === MUST_NOT && m !== -1) throw broken('expected no thread but had one');
    if (rp === MUST && p === -1) throw broken("expected a proc but didn't have one");
    if (rp === MUST_NOT && p !== -1) throw broken('expected no proc but had one');
    if (rg === MUST && g === -1) throw broken("expected a goroutine but didn't have one");
    if (rg === MUST_NOT && g !== -1) throw broken('expected no goroutine but had one');
  }

  /** State of the goroutine the thread runs, through the thread's cache. */
  private curGState(ms: MState, g: number): GState | undefined {
    const c = ms.gs;
    if (c !== null && c.id === g && c.alive) return c;
    const s = this.gStates.get(g);
    ms.gs = s ?? null;
    return s;
  }

  /** State of the proc the thread holds, through the thread's cache. */
  private curPState(ms: MState, p: number): PState | undefined {
    const c = ms.ps;
    if (c !== null && c.id === p) return c;
    const s = this.pStates.get(p);
    ms.ps = s ?? null;
    return s;
  }

  /**
   * Tries to emit the cursor's next event, read from its thread in generation `gen`. Returns
   * false if it cannot be emitted yet (another thread must advance first); throws TraceError if
   * the trace contradicts itself.
   */
  advance(c: ThreadCursor, gen: number): boolean {
    if (this.initialGen === 0) this.initialGen = gen;
    const m = c.m;
    let ms: MState | undefined;
    let curP = -1;
    let curG = -1;
    if (m !== -1) {
      // Created lazily, on the thread's first event, as Go does: whether a thread is already
      // known matters to GoStatus events naming it from another thread.
      ms = c.ms;
      if (ms === undefined) {
        ms = this.mStates.get(m);
        if (ms === undefined) {
          ms = new MState();
          this.mStates.set(m, ms);
        }
        c.ms = ms;
      }
      curP = ms.p;
      curG = ms.g;
    }
    const ev = this.scratch;
    ev.typ = c.typ;
    ev.time = c.time;
    // As small integers where they are (IDs always are): stored into goroutine and thread
    // states, boxed numbers would change those objects' layout and deoptimize the hot loop.
    ev.a0 = smi(c.args[0]);
    ev.a1 = smi(c.args[1]);
    ev.a2 = smi(c.args[2]);
    ev.a3 = smi(c.args[3]);
    return this.advanceAny(ev, m, gen, ms, curP, curG);
  }
  /** The event being advanced by the general rules. */
  private readonly scratch: PendingEvent = { typ: 0, time: NaN, a0: 0, a1: 0, a2: 0, a3: 0 };

  // Decoding state of the current generation (set by `beginGeneration`).
  private data: Uint8Array = new Uint8Array(0);
  /**
   * ns per trace-clock unit, in a Float64Array: read from there it is a double to the
   * optimizing compiler, which would otherwise take 64 for a small integer and bail out the
   * first time a product no longer fits in 32 bits.
   */
  private readonly clock = new Float64Array(1);
  /** See `burst`. */
  readonly burstBound = new Float64Array(1);
  private timeBase = 0;

  /** Prepares for the events of a new generation. */
  beginGeneration(
    table: GenerationTable,
    data: Uint8Array,
    nsPerUnit: number,
    timeBase: number,
  ): void {
    this.table = table;
    this.data = data;
    this.clock[0] = nsPerUnit;
    this.timeBase = timeBase;
  }

  /**
   * Decodes the cursor's next event into its fields (Go's batchCursor.nextEvent). False when
   * the thread has no more events; throws TraceError on a malformed event.
   */
  decodeNext(c: ThreadCursor): boolean {
    const d = this.data;
    const f = this.clock[0];
    let pos = c.pos;
    let end = c.end;
    if (pos === end) {
      // The thread's next non-empty batch; its first delta counts from its header time.
      const batches = c.batches;
      let bi = c.bidx;
      while (pos === end && bi + 1 < batches.length) {
        bi++;
        pos = batches[bi].start;
        end = batches[bi].end;
        c.lastTs = Math.trunc(batches[bi].time * f) - this.timeBase;
      }
      c.bidx = bi;
      c.pos = pos;
      c.end = end;
      if (pos === end) return false;
    }
    const typ = d[pos];
    const nargs = TIMED_ARG_COUNT[typ];
    if (nargs < 0)
      throw badEvent(
        typ >= SPEC_COUNT
          ? `found invalid event type ${typ}`
          : `found event without a timestamp: type=${typ}`,
        pos,
      );
    const vc = this.vc;
    vc.pos = pos + 1;
    const dt = readUvarint(d, vc, end);
    if (vc.pos <= 0) throw badEvent('found invalid uvarint for timestamp', pos + 1);
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < nargs; j++) {
      const at = vc.pos;
      const v = readUvarint(d, vc, end);
      if (vc.pos <= 0) throw badEvent('found invalid uvarint', at);
      if (j === 0) a0 = v;
      else if (j === 1) a1 = v;
      else if (j === 2) a2 = v;
      else a3 = v;
    }
    c.typ = typ;
    c.args[0] = a0;
    c.args[1] = a1;
    c.args[2] = a2;
    c.args[3] = a3;
    // Each delta is converted and truncated on its own, then accumulated, as Go does.
    const t = c.lastTs + Math.trunc(dt * f);
    c.time = t;
    c.lastTs = t;
    c.pos = vc.pos;
    return true;
  }
  private readonly vc: VarintCursor = { pos: 0 };

  /**
   * The hot loop. Called right after the cursor at the top of the heap had an event emitted:
   * decodes the thread's following events and emits them for as long as Go's reader would
   * pick this thread again — the event is not later than `bound` (the earliest other thread's
   * event or CPU sample; the heap keeps its root on ties) — and the event is one of the common
   * ones whose rule holds. Decoding, rule and emission are fused here, without calls or
   * intermediate copies; anything else is left decoded in the cursor for `advance`, which
   * applies every rule (including the ones here) and reports errors.
   * The bound is set in `burstBound[0]` by the caller.
   * @param room most events to emit
   * @returns BURST_STAYS, BURST_LATER, BURST_BATCH_END or BURST_UNTOUCHED
   */
  burst(c: ThreadCursor, gen: number, room: number, pendingFirst: boolean): number {
    // The bound comes through a Float64Array for the reason ThreadCursor's fields start as NaN.
    const bound = this.burstBound[0];
    const ms = c.ms;
    if (this.initialGen === 0) this.initialGen = gen;
    const d = this.data;
    const f = this.clock[0];
    const m = c.m;
    const gStates = this.gStates;
    const table = this.table;
    const sd = table.stackDense;
    const td = table.stringDense;
    const block = this.out;
    const oType = this.oType;
    const oTime = this.oTime;
    const oM = this.oM;
    const oP = this.oP;
    const oG = this.oG;
    const oArgs = this.oArgs;
    let n = block.count;
    if (room > oType.length - n) room = oType.length - n;
    let lastOut = this.lastTs;
    let pos = c.pos;
    const end = c.end;
    let lastTs = c.lastTs;
    let curP = ms !== undefined ? ms.p : -1;
    let curG = ms !== undefined ? ms.g : -1;
    // Cached states of the thread's goroutine and proc (null: look up).
    let gs: GState | null =
      ms !== undefined && ms.gs !== null && ms.gs.id === curG && ms.gs.alive ? ms.gs : null;
    let ps: PState | null = ms !== undefined && ms.ps !== null && ms.ps.id === curP ? ms.ps : null;
    let status = BURST_STAYS;
    let err: TraceError | null = null;
    let typ = 0;
    let t = 0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const vc = this.vc;
    let lastWoken: GState | null = null;
    let first = pendingFirst;
    if (first) {
      typ = c.typ;
      t = c.time;
      a0 = c.args[0];
      a1 = c.args[1];
      a2 = c.args[2];
      a3 = c.args[3];
    }
    for (;;) {
      if (first) {
        // The thread's already decoded event: it is the earliest, so no bound applies.
        if (room === 0 || ms === undefined) {
          status = BURST_UNTOUCHED;
          break;
        }
      } else {
        // Decode the next event (Go's batchCursor.nextEvent). The next batch is left to
        // `decodeNext` (once per 64 KB of a thread): here, code that runs that rarely would
        // have no type feedback when V8 compiles the loop, and when first run throw the
        // compiled code away (one more compilation, 20–60 ms of CPU).
        if (pos === end) {
          status = BURST_BATCH_END;
          break;
        }
        typ = d[pos];
        const nargs = TIMED_ARG_COUNT[typ];
        if (nargs < 0) {
          err = badEvent(
            typ >= SPEC_COUNT
              ? `found invalid event type ${typ}`
              : `found event without a timestamp: type=${typ}`,
            pos,
          );
          break;
        }
        // The delta and the arguments. One decoding site for all of them keeps this function
        // small, which matters: V8 compiles it several times while it warms up.
        let p = pos + 1;
        let dt = 0;
        a0 = a1 = a2 = a3 = 0;
        let j = 0;
        for (; j <= nargs; j++) {
          let v: number;
          const b0 = d[p];
          if (b0 < 0x80 && p < end) {
            v = b0;
            p += 1;
          } else if (p + 2 < end && d[p + 1] < 0x80) {
            v = (b0 & 0x7f) | (d[p + 1] << 7);
            p += 2;
          } else {
            vc.pos = p;
            // Through a Float64Array: the optimizing compiler then knows the type statically
            // instead of guessing from the small values it saw first (and bailing out later).
            F64[0] = readUvarint(d, vc, end);
            v = F64[0];
            if (vc.pos <= 0) break;
            p = vc.pos;
          }
          if (j === 0) dt = v;
          else if (j === 1) a0 = v;
          else if (j === 2) a1 = v;
          else if (j === 3) a2 = v;
          else a3 = v;
        }
        if (j <= nargs) {
          err = badEvent(
            j === 0 ? 'found invalid uvarint for timestamp' : 'found invalid uvarint',
            p,
          );
          break;
        }
        // Each delta is converted and truncated on its own, then accumulated, as Go does.
        t = lastTs + Math.trunc(dt * f);
        lastTs = t;
        pos = p;
        if (bound < t) {
          status = BURST_LATER;
          break;
        }
        if (room === 0 || ms === undefined) break;
      }
      // The common rules. On success each writes the event and continues; otherwise the event
      // stays pending for `advance`.
      const eP = curP;
      const eG = curG;
      // The arguments as small integers (what IDs always are in real traces): used that way,
      // the compiled code never meets a boxed number where it expects an integer. Rare events
      // with bigger values go the general way.
      const i0 = a0 | 0;
      const i1 = a1 | 0;
      const i2 = a2 | 0;
      const small = i0 === a0 && i1 === a1 && i2 === a2;
      switch (small ? typ : 0) {
        case Ev.GoStart: {
          // Usually the goroutine this thread has just woken (channel hand-offs).
          const s =
            lastWoken !== null && lastWoken.id === i0 && lastWoken.alive
              ? lastWoken
              : gStates.get(i0);
          if (
            s === undefined ||
            s.status !== WG.Runnable ||
            s.seqGen !== gen ||
            i1 !== s.seq + 1 ||
            curP === -1 ||
            curG !== -1
          )
            break;
          s.status = WG.Running;
          s.seq = i1;
          curG = i0;
          gs = s;
          typ = -typ;
          break;
        }
        case Ev.GoBlock:
        case Ev.GoStop: {
          if (curP === -1 || curG === -1) break;
          if (
            sd === null ||
            td === null ||
            (i0 !== 0 && td[i0] !== 1) ||
            (i1 !== 0 && sd[i1] !== 1)
          )
            break;
          // With the goroutine's state not cached (set by the general rules), the general
          // rules take this event too: a lookup here ran so rarely that it had no type
          // feedback when V8 compiled this loop, and threw the compiled code away when first
          // run (see BURST_BATCH_END).
          const s = gs;
          if (s === null || s.status !== WG.Running) break;
          s.status = typ === Ev.GoBlock ? WG.Waiting : WG.Runnable;
          curG = -1;
          gs = null;
          typ = -typ;
          break;
        }
        case Ev.GoUnblock: {
          const s = gStates.get(i0);
          if (s === undefined || s.status !== WG.Waiting || s.seqGen !== gen || i1 !== s.seq + 1)
            break;
          if (i2 !== 0 && (sd === null || sd[i2] !== 1)) break;
          s.status = WG.Runnable;
          s.seq = i1;
          lastWoken = s;
          typ = -typ;
          break;
        }
        case 0:
          break;
        default:
          // Less frequent rules live in their own method, so that this one stays small (V8
          // compiles it several times while warming up, and compile time grows with size).
          if (RULE_FAST[typ] === 0) break;
          ms.p = curP;
          ms.g = curG;
          ms.gs = gs;
          ms.ps = ps;
          if (this.rule(typ, gen, ms, i0, i1, i2)) typ = -typ;
          curP = ms.p;
          curG = ms.g;
          gs = ms.gs;
          ps = ms.ps;
      }
      if (typ >= 0) {
        // Not handled here: leave it pending.
        if (first) status = BURST_UNTOUCHED;
        break;
      }
      first = false;
      typ = -typ;
      // Emit (the time rule of Go's reader: strictly increasing).
      // (The sum is computed every time: in the rarely taken branch alone it would be compiled
      // without type feedback, and bail out the first time a time is bumped.)
      const next = lastOut + 1;
      const et = t < next ? next : t;
      lastOut = et;
      oType[n] = typ;
      oTime[n] = et;
      oM[n] = m;
      oP[n] = eP;
      oG[n] = eG;
      const k = n << 2;
      oArgs[k] = a0;
      oArgs[k + 1] = a1;
      oArgs[k + 2] = a2;
      oArgs[k + 3] = a3;
      n++;
      room--;
    }
    block.count = n;
    this.lastTs = lastOut;
    c.pos = pos;
    c.lastTs = lastTs;
    c.typ = typ;
    c.time = t;
    c.args[0] = a0;
    c.args[1] = a1;
    c.args[2] = a2;
    c.args[3] = a3;
    if (ms !== undefined) {
      ms.p = curP;
      ms.g = curG;
      ms.gs = gs;
      ms.ps = ps;
    }
    if (err) throw err;
    return status;
  }

  /**
   * The common rules that are not among the very hottest, for `burst`: with the thread's state
   * in `ms` (including its cached goroutine and proc states), applies the rule and returns true,
   * or returns false having changed nothing.
   */
  private rule(typ: number, gen: number, ms: MState, a0: number, a1: number, a2: number): boolean {
    const curP = ms.p;
    const curG = ms.g;
    const gStates = this.gStates;
    const pStates = this.pStates;
    // States go through curGState/curPState (not "cache or lookup" inline): their lookups then
    // always have type feedback, so the compiled code does not bail out on a rare cache miss.
    const sd = this.table.stackDense;
    switch (typ) {
      case Ev.GoDestroy: {
        if (curP === -1 || curG === -1) return false;
        const s = this.curGState(ms, curG);
        if (s === undefined || s.status !== WG.Running) return false;
        s.alive = false;
        gStates.delete(curG);
        if (this.freeG.length < 4096) this.freeG.push(s);
        ms.g = -1;
        ms.gs = null;
        return true;
      }
      case Ev.GoCreate: {
        if (curP === -1 || gStates.has(a0)) return false;
        if (sd === null || (a1 !== 0 && sd[a1] !== 1) || (a2 !== 0 && sd[a2] !== 1)) return false;
        if (curG !== -1) {
          const cs = this.curGState(ms, curG);
          if (cs !== undefined && cs.status !== WG.Running) return false;
        }
        let ns = this.freeG.pop();
        if (ns === undefined) ns = new GState(a0);
        else {
          ns.id = a0;
          ns.alive = true;
          ns.seq = 0;
          ns.regionTasks = null;
          ns.regionNames = null;
          ns.ranges = null;
        }
        ns.status = WG.Runnable;
        ns.seqGen = gen;
        gStates.set(a0, ns);
        return true;
      }
      case Ev.HeapAlloc:
      case Ev.HeapGoal:
        return curP !== -1;
      case Ev.GoSyscallBegin: {
        if (curP === -1 || curG === -1 || (a1 !== 0 && (sd === null || sd[a1] !== 1))) return false;
        const s = this.curGState(ms, curG);
        if (s === undefined || s.status !== WG.Running) return false;
        const q = this.curPState(ms, curP);
        if (q === undefined || q.seqGen !== gen || a0 !== q.seq + 1) return false;
        s.status = WG.Syscall;
        q.status = WP.Syscall;
        q.seq = a0;
        return true;
      }
      case Ev.GoSyscallEnd: {
        if (curP === -1 || curG === -1) return false;
        const s = this.curGState(ms, curG);
        if (s === undefined || s.status !== WG.Syscall) return false;
        const q = this.curPState(ms, curP);
        if (q === undefined || q.status !== WP.Syscall) return false;
        s.status = WG.Running;
        q.status = WP.Running;
        return true;
      }
      case Ev.ProcStart: {
        const q = pStates.get(a0);
        if (
          q === undefined ||
          q.status !== WP.Idle ||
          q.seqGen !== gen ||
          a1 !== q.seq + 1 ||
          curP !== -1
        )
          return false;
        q.status = WP.Running;
        q.seq = a1;
        ms.p = a0;
        ms.ps = q;
        return true;
      }
      case Ev.ProcStop: {
        if (curP === -1) return false;
        const q = this.curPState(ms, curP);
        if (q === undefined || (q.status !== WP.Running && q.status !== WP.Syscall)) return false;
        q.status = WP.Idle;
        ms.p = -1;
        ms.ps = null;
        return true;
      }
      case Ev.GCSweepBegin:
      case Ev.GCSweepEnd: {
        // Sweeps are bound to the P (frequent in allocation-heavy programs).
        if (curP === -1) return false;
        const q = this.curPState(ms, curP);
        if (q === undefined) return false;
        if (typ === Ev.GCSweepBegin) {
          if ((a0 !== 0 && (sd === null || sd[a0] !== 1)) || hasRange(q.ranges, Ev.GCSweepBegin, 0))
            return false;
          (q.ranges ??= []).push(Ev.GCSweepBegin, 0);
        } else {
          if (!hasRange(q.ranges, Ev.GCSweepBegin, 0)) return false;
          endRange(q, typ);
        }
        return true;
      }
      case Ev.GCMarkAssistBegin:
      case Ev.GCMarkAssistEnd: {
        if (curP === -1 || curG === -1) return false;
        const s = this.curGState(ms, curG);
        if (s === undefined) return false;
        if (typ === Ev.GCMarkAssistBegin) {
          if (
            (a0 !== 0 && (sd === null || sd[a0] !== 1)) ||
            hasRange(s.ranges, Ev.GCMarkAssistBegin, 0)
          )
            return false;
          (s.ranges ??= []).push(Ev.GCMarkAssistBegin, 0);
        } else {
          if (!hasRange(s.ranges, Ev.GCMarkAssistBegin, 0)) return false;
          endRange(s, typ);
        }
        return true;
      }
    }
    return false;
  }

  /** Every rule of Go's ordering, for any event (see `advance`). */
  private advanceAny(
    ev: PendingEvent,
    m: number,
    gen: number,
    ms: MState | undefined,
    curP: number,
    curG: number,
  ): boolean {
    let newP = curP;
    let newG = curG;
    const sink = this; // oxlint-disable-line typescript/no-this-alias -- one name for the emit calls below
    const typ = ev.typ;
    const t = ev.time;
    switch (typ) {
      case Ev.ProcStatus: {
        const pid = ev.a0;
        const status = u8(ev.a1);
        if (status >= 5) throw broken(`invalid status for proc ${pid}: ${status}`);
        let oldState = WIRE_PROC_STATUS_TO_STATE[status];
        const s = this.pStates.get(pid);
        if (s !== undefined) {
          if (status === WP.SyscallAbandoned && s.status === WP.Syscall) {
            // Abandoned is Syscall seen from afar: nothing was lost, promote and go on.
            oldState = ProcState.Running;
            ev.a1 = WP.Syscall;
          } else if (status === WP.SyscallAbandoned && s.status === WP.SyscallAbandoned) {
            oldState = ProcState.Idle;
            ev.a1 = WP.SyscallAbandoned;
          } else if (s.status !== status) {
            throw broken(`inconsistent status for proc ${pid}: old ${s.status} vs. new ${status}`);
          }
          s.seqGen = gen;
          s.seq = 0;
        } else {
          const ns = new PState(pid);
          ns.status = status;
          ns.seqGen = gen;
          this.pStates.set(pid, ns);
          oldState = gen === this.initialGen ? ProcState.Undetermined : ProcState.NotExist;
        }
        ev.a2 = oldState;
        if (status === WP.Running || status === WP.Syscall) newP = pid;
        let em = m;
        let ep = curP;
        let eg = curG;
        if (status === WP.SyscallAbandoned && oldState === ProcState.Running) {
          // The status is about to be stolen and may come from another thread: emit it in the
          // context of the thread the proc is bound to.
          let found = false;
          this.work += this.mStates.size;
          for (const [mid, st] of this.mStates) {
            if (st.p === pid) {
              em = mid;
              ep = pid;
              eg = st.g;
              found = true;
            }
          }
          if (!found)
            throw broken(`failed to find sched context for proc ${pid} that's about to be stolen`);
        }
        sink.emit(typ, t, em, ep, eg, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.ProcStart: {
        const pid = ev.a0;
        const st = this.pStates.get(pid);
        if (
          st === undefined ||
          st.status !== WP.Idle ||
          !(st.seqGen === gen && ev.a1 === st.seq + 1) ||
          curP !== -1
        )
          return false;
        this.ctxCheck(m, curP, curG, MUST, MUST_NOT, MAY);
        st.status = WP.Running;
        st.seqGen = gen;
        st.seq = ev.a1;
        newP = pid;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.ProcStop: {
        const st = this.pStates.get(curP);
        if (st === undefined) throw broken(`event ProcStop for proc (${curP}) that doesn't exist`);
        if (st.status !== WP.Running && st.status !== WP.Syscall)
          throw broken("ProcStop event for proc that's not Running or Syscall");
        this.ctxCheck(m, curP, curG, MUST, MUST, MAY);
        st.status = WP.Idle;
        newP = -1;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.ProcSteal: {
        const pid = ev.a0;
        const st = this.pStates.get(pid);
        if (
          st === undefined ||
          (st.status !== WP.Syscall && st.status !== WP.SyscallAbandoned) ||
          !(st.seqGen === gen && ev.a1 === st.seq + 1)
        )
          return false;
        this.ctxCheck(m, curP, curG, MUST, MAY, MAY);
        const oldStatus = st.status;
        ev.a3 = oldStatus;
        st.status = WP.Idle;
        st.seqGen = gen;
        st.seq = ev.a1;
        if (oldStatus === WP.SyscallAbandoned) {
          sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
          break;
        }
        const mid = ev.a2;
        if (mid === m) {
          if (curP !== pid)
            throw broken(
              `tried to self-steal proc ${pid} (thread ${mid}), but got proc ${curP} instead`,
            );
          newP = -1;
          sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
          break;
        }
        const victim = this.mStates.get(mid);
        if (victim === undefined) throw broken(`stole proc from non-existent thread ${mid}`);
        if (victim.p !== pid)
          throw broken(
            `tried to steal proc ${pid} from thread ${mid}, but got proc ${victim.p} instead`,
          );
        victim.p = -1;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoStatus:
      case Ev.GoStatusStack: {
        const gid = ev.a0;
        const mid = ev.a1;
        const status = u8(ev.a2);
        if (status >= 5) throw broken(`invalid status for goroutine ${gid}: ${status}`);
        let oldState: number = WIRE_GO_STATUS_TO_STATE[status];
        const s = this.gStates.get(gid);
        if (s !== undefined) {
          if (s.status !== status)
            throw broken(
              `inconsistent status for goroutine ${gid}: old ${s.status} vs. new ${status}`,
            );
          s.seqGen = gen;
          s.seq = 0;
        } else if (gen === this.initialGen) {
          const ns = new GState(gid);
          ns.status = status;
          ns.seqGen = gen;
          this.gStates.set(gid, ns);
          oldState = GoState.Undetermined;
        } else {
          throw broken(
            `found goroutine status for new goroutine after the first generation: id=${gid} status=${status}`,
          );
        }
        // Old state and new status packed as Go packs them (old<<32 | status).
        ev.a2 = oldState * 4294967296 + status;
        let em = m;
        let eg = curG;
        if (status === WG.Running) {
          newG = gid;
        } else if (status === WG.Syscall) {
          if (mid === -1) throw broken(`found goroutine ${gid} in syscall without a thread`);
          if (mid === m) {
            if (gen !== this.initialGen && curG !== gid)
              throw broken(
                `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${curG}`,
              );
            newG = gid;
          } else {
            const other = this.mStates.get(mid);
            if (other !== undefined) {
              if (other.g !== gid)
                throw broken(
                  `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
                );
              eg = other.g;
            } else {
              const nm = new MState();
              nm.g = gid;
              this.mStates.set(mid, nm);
            }
            em = mid;
          }
        }
        sink.emit(typ, t, em, curP, eg, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoCreate:
      case Ev.GoCreateBlocked: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MAY);
        const cs = this.gStates.get(curG);
        if (cs !== undefined && cs.status !== WG.Running)
          throw broken(`${evName(typ)} event for goroutine that's not Running`);
        const newgid = ev.a0;
        if (this.gStates.has(newgid))
          throw broken(`tried to create goroutine (${newgid}) that already exists`);
        const ns = new GState(newgid);
        ns.status = typ === Ev.GoCreateBlocked ? WG.Waiting : WG.Runnable;
        ns.seqGen = gen;
        this.gStates.set(newgid, ns);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoDestroy:
      case Ev.GoStop:
      case Ev.GoBlock: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(`event ${evName(typ)} for goroutine (${curG}) that doesn't exist`);
        if (s.status !== WG.Running)
          throw broken(`${evName(typ)} event for goroutine that's not Running`);
        if (typ === Ev.GoDestroy) {
          s.alive = false;
          this.gStates.delete(curG);
        } else {
          s.status = typ === Ev.GoStop ? WG.Runnable : WG.Waiting;
        }
        newG = -1;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoStart: {
        const gid = ev.a0;
        const s = this.gStates.get(gid);
        if (
          s === undefined ||
          s.status !== WG.Runnable ||
          !(s.seqGen === gen && ev.a1 === s.seq + 1)
        )
          return false;
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST_NOT);
        s.status = WG.Running;
        s.seqGen = gen;
        s.seq = ev.a1;
        newG = gid;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoUnblock: {
        const gid = ev.a0;
        const s = this.gStates.get(gid);
        if (
          s === undefined ||
          s.status !== WG.Waiting ||
          !(s.seqGen === gen && ev.a1 === s.seq + 1)
        )
          return false;
        s.status = WG.Runnable;
        s.seqGen = gen;
        s.seq = ev.a1;
        // No context check: anything (e.g. sysmon) may unblock a goroutine.
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const cs = this.gStates.get(curG);
        if (cs === undefined)
          throw broken(`event ${evName(typ)} for goroutine (${curG}) that doesn't exist`);
        if (cs.status !== WG.Running)
          throw broken(`${evName(typ)} event for goroutine that's not Running`);
        const nextg = ev.a0;
        const ns = this.gStates.get(nextg);
        if (
          ns === undefined ||
          ns.status !== WG.Waiting ||
          !(ns.seqGen === gen && ev.a1 === ns.seq + 1)
        )
          return false;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        // A switch is three events: unblock of the next goroutine (above), block or exit of
        // the current one, start of the next one.
        if (typ === Ev.GoSwitch) {
          cs.status = WG.Waiting;
          sink.emit(Ev.GoBlock, t, m, curP, curG, 0, 0, 0, 0);
        } else {
          cs.alive = false;
          this.gStates.delete(curG);
          sink.emit(Ev.GoDestroy, t, m, curP, curG, 0, 0, 0, 0);
        }
        ns.status = WG.Running;
        ns.seqGen = gen;
        ns.seq = ev.a1;
        newG = nextg;
        sink.emit(Ev.GoStart, t, m, curP, -1, nextg, ev.a1, 0, 0);
        break;
      }
      case Ev.GoSyscallBegin: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(`event GoSyscallBegin for goroutine (${curG}) that doesn't exist`);
        if (s.status !== WG.Running)
          throw broken("GoSyscallBegin event for goroutine that's not Running");
        s.status = WG.Syscall;
        const ps = this.pStates.get(curP);
        if (ps === undefined)
          throw broken(`uninitialized proc ${curP} found during GoSyscallBegin`);
        ps.status = WP.Syscall;
        // The P sequence number only disambiguates steals; on a running P it must be next.
        if (!(ps.seqGen === gen && ev.a0 === ps.seq + 1))
          throw broken(
            `failed to advance GoSyscallBegin: can't make sequence: ${ps.seq} (gen=${ps.seqGen}) -> ${ev.a0} (gen=${gen})`,
          );
        ps.seqGen = gen;
        ps.seq = ev.a0;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoSyscallEnd: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(`event GoSyscallEnd for goroutine (${curG}) that doesn't exist`);
        if (s.status !== WG.Syscall)
          throw broken("GoSyscallEnd event for goroutine that's not Syscall");
        s.status = WG.Running;
        const ps = this.pStates.get(curP);
        if (ps === undefined) throw broken(`uninitialized proc ${curP} found during GoSyscallEnd`);
        if (ps.status !== WP.Syscall)
          throw broken(`expected proc ${curP} in state Syscall, but got ${ps.status} instead`);
        ps.status = WP.Running;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoSyscallEndBlocked: {
        // Not before this thread has lost the P it held in the syscall (stop or steal).
        if (curP !== -1) {
          const ps = this.pStates.get(curP);
          if (ps === undefined)
            throw broken(`uninitialized proc ${curP} found during GoSyscallEndBlocked`);
          if (ps.status === WP.Syscall) return false;
        }
        this.ctxCheck(m, curP, curG, MUST, MAY, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(`event GoSyscallEndBlocked for goroutine (${curG}) that doesn't exist`);
        if (s.status !== WG.Syscall)
          throw broken("GoSyscallEndBlocked event for goroutine that's not Syscall");
        newG = -1;
        s.status = WG.Runnable;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoCreateSyscall: {
        this.ctxCheck(m, curP, curG, MUST, MAY, MUST_NOT);
        const newgid = ev.a0;
        if (this.gStates.has(newgid))
          throw broken(`tried to create goroutine (${newgid}) in syscall that already exists`);
        const ns = new GState(newgid);
        ns.status = WG.Syscall;
        ns.seqGen = gen;
        this.gStates.set(newgid, ns);
        newG = newgid;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GoDestroySyscall: {
        this.ctxCheck(m, curP, curG, MUST, MAY, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(`event GoDestroySyscall for goroutine (${curG}) that doesn't exist`);
        if (s.status !== WG.Syscall)
          throw broken("GoDestroySyscall event for goroutine that's not Syscall");
        s.alive = false;
        this.gStates.delete(curG);
        newG = -1;
        if (curP !== -1) {
          // The thread ID may be reused for another thread: drop the P now, as a self-steal.
          const ps = this.pStates.get(curP);
          if (ps === undefined) throw broken(`found invalid proc ${curP} during GoDestroySyscall`);
          if (ps.status !== WP.Syscall)
            throw broken(`proc ${curP} in unexpected state ${ps.status} during GoDestroySyscall`);
          ps.status = WP.SyscallAbandoned;
          newP = -1;
          sink.emit(Ev.ProcSteal, t, m, curP, curG, curP, 0, 0, WP.Syscall);
        }
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.UserTaskBegin: {
        const id = ev.a0;
        if (this.taskNames.has(id)) throw broken(`task ID conflict: ${id}`);
        let parent = ev.a1;
        if (parent === 0) {
          // 0 means "no parent" here (not the background task).
          parent = -1;
          ev.a1 = -1;
        }
        if (!this.table.hasString(ev.a2))
          throw broken(`invalid string ID ${ev.a2} for ${typ} event`);
        this.taskNames.set(id, this.table.string(ev.a2));
        this.taskParents.set(id, parent);
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.UserTaskEnd: {
        const id = ev.a0;
        const name = this.taskNames.get(id);
        if (name !== undefined) {
          // The name may come from an earlier generation: carry it as an extra string.
          ev.a2 = this.taskParents.get(id)!;
          ev.a3 = this.table.addExtraString(name);
          this.taskNames.delete(id);
          this.taskParents.delete(id);
        } else {
          ev.a2 = -1;
          ev.a3 = 0;
        }
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.UserRegionBegin:
      case Ev.UserRegionEnd: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const tid = ev.a0;
        if (!this.table.hasString(ev.a1))
          throw broken(`invalid string ID ${ev.a1} for ${typ} event`);
        const name = this.table.string(ev.a1);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(
            `encountered ${typ === Ev.UserRegionBegin ? 'EvUserRegionBegin' : 'EvUserRegionEnd'} without known state for current goroutine ${curG}`,
          );
        if (typ === Ev.UserRegionBegin) {
          if (!s.regionTasks) {
            s.regionTasks = [];
            s.regionNames = [];
          }
          s.regionTasks.push(tid);
          s.regionNames!.push(name);
        } else if (s.regionTasks && s.regionTasks.length > 0) {
          // Regions begun before tracing started are unknown; ends of those are tolerated.
          const n = s.regionTasks.length - 1;
          if (s.regionTasks[n] !== tid || s.regionNames![n] !== name) {
            throw broken(
              `misuse of region in goroutine ${curG}: region end {${tid} ${name}} when the inner-most active region start event is {${s.regionTasks[n]} ${s.regionNames![n]}}`,
            );
          }
          s.regionTasks.pop();
          s.regionNames!.pop();
        }
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCActive: {
        const seq = ev.a0;
        if (gen === this.initialGen) {
          if (this.gcState !== GC_UNDETERMINED)
            throw broken("GCActive in the first generation isn't first GC event");
          this.gcSeq = seq;
          this.gcState = GC_RUNNING;
          sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
          break;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState !== GC_RUNNING)
          throw broken('encountered GCActive while GC was not in progress');
        this.gcSeq = seq;
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCBegin: {
        const seq = ev.a0;
        if (this.gcState === GC_UNDETERMINED) {
          this.gcSeq = seq;
          this.gcState = GC_RUNNING;
          sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
          break;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === GC_RUNNING)
          throw broken('encountered GCBegin while GC was already in progress');
        this.gcSeq = seq;
        this.gcState = GC_RUNNING;
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCEnd: {
        const seq = ev.a0;
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === GC_NOT_RUNNING)
          throw broken('encountered GCEnd when GC was not in progress');
        if (this.gcState === GC_UNDETERMINED)
          throw broken('encountered GCEnd when GC was in an undetermined state');
        this.gcSeq = seq;
        this.gcState = GC_NOT_RUNNING;
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.ProcsChange:
      case Ev.GoLabel:
      case Ev.UserLog:
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      case Ev.HeapAlloc:
      case Ev.HeapGoal:
        this.ctxCheck(m, curP, curG, MUST, MUST, MAY);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      case Ev.GCSweepBegin: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MAY);
        const ps = this.pStates.get(curP);
        if (ps === undefined) throw broken(`GCSweepBegin on unknown proc ${curP}`);
        if (hasRange(ps.ranges, Ev.GCSweepBegin, 0))
          throw broken('discovered event already in-flight for when starting event GCSweepBegin');
        (ps.ranges ??= []).push(Ev.GCSweepBegin, 0);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCSweepActive: {
        const pid = ev.a0;
        const ps = this.pStates.get(pid);
        if (ps === undefined) throw broken(`encountered GCSweepActive for unknown proc ${pid}`);
        this.activeRange(ps, Ev.GCSweepBegin, gen === this.initialGen);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCSweepEnd: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MAY);
        const ps = this.pStates.get(curP);
        if (ps === undefined) throw broken(`GCSweepEnd on unknown proc ${curP}`);
        endRange(ps, typ);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.STWBegin:
      case Ev.GCMarkAssistBegin: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const desc = typ === Ev.STWBegin ? ev.a0 : 0;
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(
            `encountered event of type ${typ} without known state for current goroutine ${curG}`,
          );
        if (hasRange(s.ranges, typ, desc))
          throw broken(`discovered event already in-flight for when starting event ${evName(typ)}`);
        (s.ranges ??= []).push(typ, desc);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.GCMarkAssistActive: {
        const gid = ev.a0;
        const s = this.gStates.get(gid);
        if (s === undefined)
          throw broken(`uninitialized goroutine ${gid} found during GCMarkAssistActive`);
        this.activeRange(s, Ev.GCMarkAssistBegin, gen === this.initialGen);
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      case Ev.STWEnd:
      case Ev.GCMarkAssistEnd: {
        this.ctxCheck(m, curP, curG, MUST, MUST, MUST);
        const s = this.gStates.get(curG);
        if (s === undefined)
          throw broken(
            `encountered event of type ${typ} without known state for current goroutine ${curG}`,
          );
        const desc = endRange(s, typ);
        // The STW kind travels from the begin to the end, as in Go.
        if (typ === Ev.STWEnd) ev.a0 = desc;
        sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
        break;
      }
      default:
        if (typ >= Ev.Span && typ <= Ev.GoroutineStackFree) {
          this.ctxCheck(m, curP, curG, MUST, MAY, MAY);
          sink.emit(typ, t, m, curP, curG, ev.a0, ev.a1, ev.a2, ev.a3);
          break;
        }
        throw broken(`bad event type found while ordering: ${typ}`);
    }
    if (ms !== undefined) {
      ms.p = newP;
      ms.g = newG;
      ms.gs = null;
      ms.ps = null;
    }
    return true;
  }

  private activeRange(s: { ranges: number[] | null }, typ: number, initialGen: boolean): void {
    if (initialGen) {
      if (hasRange(s.ranges, typ, 0))
        throw broken(`found named active range already in first gen: ${evName(typ)}`);
      (s.ranges ??= []).push(typ, 0);
    } else if (!hasRange(s.ranges, typ, 0)) {
      throw broken(`resource is missing active range: ${evName(typ)}`);
    }
  }
}

/** Ends the first in-flight range begun by the start event of `typ`; returns its description. */
function endRange(s: { ranges: number[] | null }, typ: number): number {
  const st = rangeStart(typ);
  const r = s.ranges;
  if (r) {
    for (let i = 0; i < r.length; i += 2) {
      if (r[i] === st) {
        const desc = r[i + 1];
        // Swap-remove, as Go does (the order of what remains matters for later searches).
        const last = r.length - 2;
        r[i] = r[last];
        r[i + 1] = r[last + 1];
        r.length = last;
        return desc;
      }
    }
  }
  throw broken(`tried to end event ${evName(st)}, but not in-flight`);
}

/** Per type: bits 0–3 = args 0–3 that are stack IDs, bits 4–7 = args that are string IDs. */
export const ID_MASK: Uint8Array = (() => {
  const m = new Uint8Array(256);
  for (let t = 0; t < SPECS.length; t++) {
    for (const pos of SPECS[t].stackIds) m[t] |= 1 << (pos - 1);
    for (const pos of SPECS[t].stringIds) m[t] |= 16 << (pos - 1);
  }
  return m;
})();

/** Fast check of an event's references against the generation's presence bitmaps. */
export function idsPresent(
  t: GenerationTable,
  mask: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
): boolean {
  const sd = t.stackDense;
  const td = t.stringDense;
  if (sd === null || td === null) return false;
  if ((mask & 0x11) !== 0 && a0 !== 0 && (mask & 1 ? sd[a0] : td[a0]) !== 1) return false;
  if ((mask & 0x22) !== 0 && a1 !== 0 && (mask & 2 ? sd[a1] : td[a1]) !== 1) return false;
  if ((mask & 0x44) !== 0 && a2 !== 0 && (mask & 4 ? sd[a2] : td[a2]) !== 1) return false;
  if ((mask & 0x88) !== 0 && a3 !== 0 && (mask & 8 ? sd[a3] : td[a3]) !== 1) return false;
  return true;
}

/** Checks an event's stack and string references in Go's order; throws on the first bad one. */
function validateIds(
  table: GenerationTable,
  typ: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
): void {
  const spec = SPECS[typ];
  for (const pos of spec.stackIds) {
    const id = pos === 1 ? a0 : pos === 2 ? a1 : pos === 3 ? a2 : a3;
    if (!table.hasStack(id))
      throw new TraceError(
        'corrupt',
        `corrupt trace: found invalid stack ID ${id} for event ${spec.name}`,
      );
  }
  for (const pos of spec.stringIds) {
    const id = pos === 1 ? a0 : pos === 2 ? a1 : pos === 3 ? a2 : a3;
    if (!table.hasString(id))
      throw new TraceError(
        'corrupt',
        `corrupt trace: found invalid string ID ${id} for event ${spec.name}`,
      );
  }
}
