// Per-goroutine execution statistics computed exactly as `go tool trace` computes them for its
// goroutine analysis pages (Go's internal/trace Summarizer): the same accounting rules,
// including their quirks, so our numbers and Go's agree to the nanosecond.
//
// Columnar, like the rest of the model: a trace can have hundreds of thousands of goroutines,
// and an object (plus maps) per goroutine would make every garbage collection scan them all.
// The model builder drives it with its own goroutine indices and interned strings.

import { NumMap } from './num-map';
import { f64, i32, u8, type Vec } from './vec';

/** Go's GoroutineSummary (times in ns), for one goroutine. Durations are sums over its life. */
export interface GoroutineExecStats {
  /** Go's goroutine ID. */
  id: number;
  /** Root-most frame of the first stack seen for it: the name go tool trace groups by. */
  name: string;
  pc: number;
  /** First appearance (creation, or the generation start if it existed before). */
  creationTime: number;
  /** First time it ran; NaN if never. */
  startTime: number;
  /** Exit (or blocked forever); NaN if still alive at the end. */
  endTime: number;
  execTime: number;
  schedWaitTime: number;
  /** Waiting time by block reason ("chan receive", "sync", "network", …). */
  blockTimeByReason: ReadonlyMap<string, number>;
  /** In a syscall while holding a P. */
  syscallTime: number;
  /** In a syscall after losing its P. */
  syscallBlockTime: number;
  /** Time present in the trace (overlaps the others). */
  totalTime: number;
  /** Time inside special ranges ("GC mark assist", "GC incremental sweep", "stop-the-world (…)"). */
  rangeTime: ReadonlyMap<string, number>;
}

/** Go's "Unknown time": total minus everything accounted for (never negative). */
export function unknownTime(s: GoroutineExecStats): number {
  let sum = s.execTime + s.schedWaitTime + s.syscallTime + s.syscallBlockTime;
  for (const v of s.blockTimeByReason.values()) sum += v;
  return sum < s.totalTime ? s.totalTime - sum : 0;
}

/**
 * The statistics of every goroutine, by model goroutine index. Times by reason and by range are
 * short linked lists in shared columns: entry e has key `entryKey[e]` (a model string index),
 * value `entryValue[e]`, and the next entry `entryNext[e]` (−1 ends a list).
 */
export interface GoroutineStatsTable {
  /** 1 when the analysis saw the goroutine change state (Go lists only those). */
  seen: Uint8Array;
  /** Start function (model string index) and PC, as go tool trace names goroutines. */
  name: Int32Array;
  pc: Float64Array;
  creationTime: Float64Array;
  startTime: Float64Array;
  endTime: Float64Array;
  execTime: Float64Array;
  schedWaitTime: Float64Array;
  syscallTime: Float64Array;
  syscallBlockTime: Float64Array;
  totalTime: Float64Array;
  /** First entry of the goroutine's waiting time by reason, and of its time by range (−1: none). */
  blockHead: Int32Array;
  rangeHead: Int32Array;
  entryKey: Int32Array;
  entryValue: Float64Array;
  entryNext: Int32Array;
}

const NONE = -1;
/**
 * The slot of a goroutine that holds none: slot 0 is never handed out and keeps every value
 * unset (NaN, no reason, no ranges), so reading a goroutine's state needs no branch. A branch
 * that returned the constant `NaN` was a heap allocation per read where V8 had never seen it
 * taken (the global `NaN` loaded generically, the read time boxed to meet it): 250 MB for a
 * 100 MB trace.
 */
const NO_SLOT = 0;
/** State codes, as in spec.ts GoState. */
const UNDETERMINED = 0;
const NOT_EXIST = 1;
const RUNNABLE = 2;
const RUNNING = 3;
const WAITING = 4;
const SYSCALL = 5;

/** Accumulates Go's per-goroutine statistics from the transitions the model builder sees. */
export class GoroutineSummarizer {
  /** Goroutines 0..count−1 have rows in the per-goroutine columns (grown together, see ensure). */
  private count = 0;
  private readonly seen = u8(0);
  private readonly name = i32(0);
  private readonly pc = f64(0);
  private readonly creationTime = f64(0);
  private readonly startTime = f64(0);
  private readonly endTime = f64(0);
  private readonly execTime = f64(0);
  private readonly schedWaitTime = f64(0);
  private readonly syscallTime = f64(0);
  private readonly syscallBlockTime = f64(0);
  private readonly totalTime = f64(0);
  // Analysis state (Go zeroes it when the goroutine ends); NaN = unset (Go uses 0). Kept by
  // slot, not by goroutine: a goroutine holds a slot from when some of it is set until Go would
  // zero it (its end, a fresh summary), and no slot means all unset. Only the goroutines alive
  // at one time hold slots (thousands, where a trace has hundreds of thousands in all): 48
  // bytes a goroutine were 30 MB of a 100 MB trace's peak.
  private readonly slotOf = i32(0);
  private readonly freeSlots = i32();
  private readonly lastStart = f64();
  private readonly lastRunnable = f64();
  private readonly lastBlock = f64();
  private readonly lastBlockReason = i32();
  private readonly lastSyscall = f64();
  private readonly lastSyscallBlock = f64();
  private readonly blockHead = i32(0);
  private readonly rangeHead = i32(0);
  /** By slot, like the analysis state above: the goroutine's open ranges. */
  private readonly lastRangeHead = i32();
  private readonly entryKey = i32();
  private readonly entryValue = f64();
  private readonly entryNext = i32();
  // NumMaps, not Maps: a JS Map allocates a new table each time it is emptied (it shrinks on
  // delete), and rangesP is emptied at the end of nearly every sweep (88K in a 100 MB trace,
  // 13 MB allocated).
  private readonly syscallingP = new NumMap<number>(16);
  private readonly syscallingG = new NumMap<number>(16);
  /** Proc-scoped ranges (sweeps, the only kind) by P: the goroutine they were begun on. */
  private readonly rangesP = new NumMap<number>(16);
  private lastTs = NaN;
  private syncTs = NaN;

  /**
   * @param forever model string index of the reason "forever" (blocking forever counts as exiting)
   * @param rootFrame the root-most frame of a stack of the current generation, as an index
   *   into `frames` (−1 if the stack has no frames)
   * @param frames the model's frame columns (function as a model string index, PC), read when
   *   a goroutine is named: one index, where a pair was an array allocated per goroutine
   */
  constructor(
    private readonly forever: number,
    private readonly rootFrame: (stack: number) => number,
    private readonly frames: { func: Vec<Int32Array>; pc: Vec<Float64Array> },
  ) {
    // Slot 0: NO_SLOT, all unset.
    this.addSlot();
  }

  /** A new slot, all unset; returns its index. */
  private addSlot(): number {
    const s = this.lastStart.push(NaN);
    this.lastRunnable.push(NaN);
    this.lastBlock.push(NaN);
    this.lastSyscall.push(NaN);
    this.lastSyscallBlock.push(NaN);
    this.lastBlockReason.push(0);
    this.lastRangeHead.push(NONE);
    return s;
  }

  /** Every event's time, in order (Go records the first and the last). */
  time(t: number): void {
    if (Number.isNaN(this.syncTs)) this.syncTs = t;
    this.lastTs = t;
  }

  /** A Sync event. */
  sync(t: number): void {
    this.syncTs = t;
  }

  /** Makes rows for goroutines up to gi, at their initial values. */
  private ensure(gi: number): void {
    if (gi < this.count) return;
    if (gi >= this.seen.a.length) {
      const n = gi + 1;
      this.seen.reserve(n);
      this.name.reserve(n);
      this.pc.reserve(n);
      this.creationTime.reserve(n);
      this.startTime.reserve(n);
      this.endTime.reserve(n);
      this.execTime.reserve(n);
      this.schedWaitTime.reserve(n);
      this.syscallTime.reserve(n);
      this.syscallBlockTime.reserve(n);
      this.totalTime.reserve(n);
      this.blockHead.reserve(n);
      this.rangeHead.reserve(n);
      this.slotOf.reserve(n);
    }
    // New rows are 0 (no slot: NO_SLOT is 0) but for these.
    for (let g = this.count; g <= gi; g++) {
      this.creationTime.a[g] = NaN;
      this.startTime.a[g] = NaN;
      this.endTime.a[g] = NaN;
      this.blockHead.a[g] = NONE;
      this.rangeHead.a[g] = NONE;
    }
    this.count = gi + 1;
  }

  /** The goroutine's slot, taken (all unset) if it has none. */
  private slot(gi: number): number {
    let s = this.slotOf.a[gi];
    if (s !== NO_SLOT) return s;
    if (this.freeSlots.n > 0) {
      s = this.freeSlots.a[--this.freeSlots.n];
      this.lastStart.a[s] =
        this.lastRunnable.a[s] =
        this.lastBlock.a[s] =
        this.lastSyscall.a[s] =
        this.lastSyscallBlock.a[s] =
          NaN;
      this.lastBlockReason.a[s] = 0;
      this.lastRangeHead.a[s] = NONE;
    } else {
      s = this.addSlot();
    }
    this.slotOf.a[gi] = s;
    return s;
  }

  /** Unsets all of the goroutine's analysis state (gives its slot back). */
  private unslot(gi: number): void {
    const s = this.slotOf.a[gi];
    if (s === NO_SLOT) return;
    this.freeSlots.push(s);
    this.slotOf.a[gi] = NO_SLOT;
  }

  /** A time of the goroutine's analysis state (NaN: unset). */
  private last(v: Vec<Float64Array>, gi: number): number {
    return v.a[this.slotOf.a[gi]];
  }

  /** Unsets one time of the goroutine's analysis state (NO_SLOT's stays unset). */
  private unset(v: Vec<Float64Array>, gi: number): void {
    v.a[this.slotOf.a[gi]] = NaN;
  }

  private lastRangeHeadOf(gi: number): number {
    return this.lastRangeHead.a[this.slotOf.a[gi]];
  }

  /** A new summary for the goroutine (Go replaces its map entry). */
  private fresh(gi: number): void {
    this.ensure(gi);
    this.seen.a[gi] = 1;
    this.name.a[gi] = 0;
    this.pc.a[gi] = 0;
    this.startTime.a[gi] = NaN;
    this.endTime.a[gi] = NaN;
    this.execTime.a[gi] = 0;
    this.schedWaitTime.a[gi] = 0;
    this.syscallTime.a[gi] = 0;
    this.syscallBlockTime.a[gi] = 0;
    this.totalTime.a[gi] = 0;
    this.blockHead.a[gi] = NONE;
    this.rangeHead.a[gi] = NONE;
    this.unslot(gi);
  }

  /** Adds v to key's entry in the list starting at heads[gi]. */
  private add(heads: Vec<Int32Array>, gi: number, key: number, v: number): void {
    const e = this.entry(heads, gi, key);
    this.entryValue.a[e] += v;
  }

  /**
   * The entry for key in the list starting at heads[gi], added (at 0) if missing. The hot caller
   * adds to `entryValue.a[entry]` itself: a double passed to a call that is not inlined is a heap
   * allocation, and there is one for every goroutine that stops waiting.
   */
  private entry(heads: Vec<Int32Array>, gi: number, key: number): number {
    for (let e = heads.a[gi]; e !== NONE; e = this.entryNext.a[e])
      if (this.entryKey.a[e] === key) return e;
    const e = this.entryKey.push(key);
    this.entryValue.push(0);
    this.entryNext.push(heads.a[gi]);
    heads.a[gi] = e;
    return e;
  }

  /** The entry for key in the list starting at entry `head` (−1 if none); removed ones have key −1. */
  private find(head: number, key: number): number {
    for (let e = head; e !== NONE; e = this.entryNext.a[e])
      if (this.entryKey.a[e] === key) return e;
    return NONE;
  }

  // The three transitions that are most of a trace (GoStart, GoBlock, GoUnblock: 17.5M of the
  // 100 MB trace's 19M events), each goTransition's steps for its fixed states and no more:
  // small enough for V8 to inline into the builder's loop, where goTransition's switch on
  // both states is a call and a dozen branches an event.

  /** Runnable → Running (GoStart), as goTransition. */
  runnableToRunning(gi: number): void {
    if (gi >= this.count || this.seen.a[gi] !== 1) return; // (as goTransition)
    const t = this.lastTs;
    const lr = this.last(this.lastRunnable, gi);
    if (!Number.isNaN(lr)) {
      this.schedWaitTime.a[gi] += t - lr;
      this.unset(this.lastRunnable, gi);
    }
    const s = this.slot(gi);
    this.lastStart.a[s] = t;
    if (Number.isNaN(this.startTime.a[gi])) this.startTime.a[gi] = t;
  }

  /** Running → Waiting (GoBlock) for `reason` at `stack`, as goTransition. */
  runningToWaiting(gi: number, reason: number, stack: number): void {
    if (gi >= this.count || this.seen.a[gi] !== 1) return;
    const t = this.lastTs;
    this.execTime.a[gi] += t - this.last(this.lastStart, gi);
    this.unset(this.lastStart, gi);
    if (this.name.a[gi] === 0 && stack > 0) this.nameBy(gi, stack);
    if (reason === this.forever) {
      this.finalize(gi, true);
      return;
    }
    const s = this.slot(gi);
    this.lastBlock.a[s] = t;
    this.lastBlockReason.a[s] = reason;
  }

  /** Waiting → Runnable (GoUnblock), as goTransition. */
  waitingToRunnable(gi: number): void {
    if (gi >= this.count || this.seen.a[gi] !== 1) return;
    this.endWait(gi);
    const s = this.slot(gi);
    this.lastRunnable.a[s] = this.lastTs;
  }

  /**
   * Ends the goroutine's wait at the time of the last event: its length goes to the block reason
   * it waited for. (The time is read here, not passed: see goTransition.)
   */
  private endWait(gi: number): void {
    const lb = this.last(this.lastBlock, gi);
    if (Number.isNaN(lb)) return;
    const s = this.slotOf.a[gi];
    const e = this.entry(this.blockHead, gi, this.lastBlockReason.a[s]);
    this.entryValue.a[e] += this.lastTs - lb;
    this.lastBlock.a[s] = NaN;
  }

  /** Names the goroutine by the root-most frame of `stack`, if it has frames. */
  private nameBy(gi: number, stack: number): void {
    const f = this.rootFrame(stack);
    if (f !== NONE) {
      this.name.a[gi] = this.frames.func.a[f];
      this.pc.a[gi] = this.frames.pc.a[f];
    }
  }

  /**
   * A goroutine state transition at the time of the event last given to `time` (not passed:
   * a double argument to a call that is not inlined is a heap allocation, one per event here).
   * old !== new is checked here, as Go skips the others.
   * @param reason block/stop reason (model string index; 0 for "")
   * @param stack the transition's stack (generation-local ID; 0 or −1: none)
   * @param proc P of the event's context (−1 none)
   */
  goTransition(
    gi: number,
    from: number,
    to: number,
    reason: number,
    stack: number,
    proc: number,
  ): void {
    if (from === to) return;
    const t = this.lastTs;
    const seenBefore = gi < this.count && this.seen.a[gi] === 1;
    switch (from) {
      case UNDETERMINED: {
        this.fresh(gi);
        // Known from now on, in this state since the generation started.
        this.creationTime.a[gi] = this.syncTs;
        const dt = t - this.syncTs;
        if (to === RUNNING) this.execTime.a[gi] += dt;
        else if (to === WAITING) this.add(this.blockHead, gi, reason, dt);
        else if (to === RUNNABLE) this.schedWaitTime.a[gi] += dt;
        else if (to === SYSCALL) {
          if (proc === NONE) this.syscallBlockTime.a[gi] += dt;
          else this.syscallTime.a[gi] += dt;
        }
        break;
      }
      case NOT_EXIST:
        this.fresh(gi);
        this.creationTime.a[gi] = t;
        break;
      default:
        if (!seenBefore) return; // (Go would dereference a missing summary here)
        if (from === RUNNING) {
          this.execTime.a[gi] += t - this.last(this.lastStart, gi);
          this.unset(this.lastStart, gi);
        } else if (from === WAITING) {
          this.endWait(gi);
        } else if (from === RUNNABLE) {
          const lr = this.last(this.lastRunnable, gi);
          if (!Number.isNaN(lr)) {
            this.schedWaitTime.a[gi] += t - lr;
            this.unset(this.lastRunnable, gi);
          }
        } else if (from === SYSCALL) {
          const ls = this.last(this.lastSyscall, gi);
          if (!Number.isNaN(ls)) {
            const lsb = this.last(this.lastSyscallBlock, gi);
            if (!Number.isNaN(lsb)) {
              this.syscallBlockTime.a[gi] += t - lsb;
              this.syscallTime.a[gi] += lsb - ls;
            } else {
              this.syscallTime.a[gi] += t - ls;
            }
            this.unset(this.lastSyscall, gi);
            this.unset(this.lastSyscallBlock, gi);
            const p = this.syscallingG.get(gi);
            if (p !== undefined) this.syscallingP.delete(p);
            this.syscallingG.delete(gi);
          }
        }
    }
    // Named once, by the root-most frame of the first stack seen on a transition.
    if (this.name.a[gi] === 0 && stack > 0) this.nameBy(gi, stack);
    // Slots are taken before `.a` is read: taking one can grow the columns.
    switch (to) {
      case RUNNING: {
        const s = this.slot(gi);
        this.lastStart.a[s] = t;
        if (Number.isNaN(this.startTime.a[gi])) this.startTime.a[gi] = t;
        break;
      }
      case RUNNABLE: {
        const s = this.slot(gi);
        this.lastRunnable.a[s] = t;
        break;
      }
      case WAITING:
        if (reason !== this.forever) {
          const s = this.slot(gi);
          this.lastBlock.a[s] = t;
          this.lastBlockReason.a[s] = reason;
          break;
        }
        this.finalize(gi, true); // blocked forever is like exiting
        break;
      case NOT_EXIST:
        this.finalize(gi, true);
        break;
      case SYSCALL: {
        this.syscallingP.set(proc, gi);
        this.syscallingG.set(gi, proc);
        const s = this.slot(gi);
        this.lastSyscall.a[s] = t;
        break;
      }
    }
  }

  /** A proc went idle (it may have been taken from a goroutine in a syscall). */
  procIdle(pid: number, t: number): void {
    const gi = this.syscallingP.get(pid);
    if (gi !== undefined) {
      const s = this.slot(gi); // before reading .a: taking a slot can grow the columns
      this.lastSyscallBlock.a[s] = t;
      this.syscallingP.delete(pid);
    }
  }

  /**
   * A range begins (or, `active`, was already going at the generation start) on a goroutine or a
   * proc. For a proc, `gi` is the goroutine running on it (the range is attributed to it if it
   * ends on the same goroutine), −1 if none, and `procKey` the P.
   */
  rangeBegin(gi: number, name: number, active: boolean, t: number, procKey: number | null): void {
    if (gi === NONE || gi >= this.count || this.seen.a[gi] === 0) return;
    if (procKey !== null) this.rangesP.set(procKey, gi);
    const e = this.find(this.lastRangeHeadOf(gi), name);
    if (active) {
      if (e !== NONE) this.add(this.rangeHead, gi, name, this.syncTs - this.entryValue.a[e]);
      this.setLastRange(gi, name, this.syncTs, e);
    } else {
      this.setLastRange(gi, name, t, e);
    }
  }

  private setLastRange(gi: number, name: number, t: number, e: number): void {
    if (e === NONE) {
      // Reuse the entry of a range that ended (key −1): otherwise a long-lived goroutine's list
      // grows by one per range (every GC sweep on its P), and each lookup walks all of them.
      e = this.find(this.lastRangeHeadOf(gi), NONE);
      if (e !== NONE) this.entryKey.a[e] = name;
    }
    if (e !== NONE) this.entryValue.a[e] = t;
    else {
      const n = this.entryKey.push(name);
      this.entryValue.push(t);
      this.entryNext.push(this.lastRangeHeadOf(gi));
      const s = this.slot(gi); // before reading .a: taking a slot can grow the columns
      this.lastRangeHead.a[s] = n;
    }
  }

  /** A range ends; for a proc range, `gi` is the goroutine on the proc and `procKey` the P. */
  rangeEnd(gi: number, name: number, t: number, procKey: number | null): void {
    if (procKey !== null) {
      const owner = this.rangesP.get(procKey);
      if (owner === undefined) return;
      this.rangesP.delete(procKey);
      if (owner !== gi) return;
    }
    if (gi === NONE || gi >= this.count || this.seen.a[gi] === 0) return;
    const e = this.find(this.lastRangeHeadOf(gi), name);
    if (e === NONE) return;
    this.add(this.rangeHead, gi, name, t - this.entryValue.a[e]);
    this.entryKey.a[e] = NONE; // removed
  }

  /**
   * Go's finalize: counts the current state up to the last event's time, records it as the end
   * if the goroutine `ended`, forgets the state. (The time is not an argument: see goTransition.)
   */
  private finalize(gi: number, ended: boolean): void {
    const lastTs = this.lastTs;
    if (ended) this.endTime.a[gi] = lastTs;
    if (this.totalTime.a[gi] === 0) this.totalTime.a[gi] = lastTs - this.creationTime.a[gi];
    const s = this.slotOf.a[gi];
    if (s === NO_SLOT) return; // nothing set: nothing to count
    if (!Number.isNaN(this.lastStart.a[s])) this.execTime.a[gi] += lastTs - this.lastStart.a[s];
    if (!Number.isNaN(this.lastRunnable.a[s]))
      this.schedWaitTime.a[gi] += lastTs - this.lastRunnable.a[s];
    if (!Number.isNaN(this.lastBlock.a[s]))
      this.add(this.blockHead, gi, this.lastBlockReason.a[s], lastTs - this.lastBlock.a[s]);
    if (!Number.isNaN(this.lastSyscall.a[s]))
      this.syscallTime.a[gi] += lastTs - this.lastSyscall.a[s];
    // Sic: Go counts a syscall that lost its P as scheduler wait from there.
    if (!Number.isNaN(this.lastSyscallBlock.a[s]))
      this.schedWaitTime.a[gi] += lastTs - this.lastSyscallBlock.a[s];
    for (let e = this.lastRangeHead.a[s]; e !== NONE; e = this.entryNext.a[e]) {
      if (this.entryKey.a[e] !== NONE)
        this.add(this.rangeHead, gi, this.entryKey.a[e], lastTs - this.entryValue.a[e]);
    }
    this.unslot(gi);
  }

  /** Finishes every goroutine at the last event; `count` goroutines in the model. */
  finish(count: number): GoroutineStatsTable {
    this.ensure(count - 1);
    for (let gi = 0; gi < this.count; gi++) if (this.seen.a[gi] === 1) this.finalize(gi, false);
    // The analysis state is spent: give it back before the model's last allocations.
    for (const v of [
      this.lastStart,
      this.lastRunnable,
      this.lastBlock,
      this.lastSyscall,
      this.lastSyscallBlock,
      this.lastBlockReason,
      this.lastRangeHead,
      this.slotOf,
      this.freeSlots,
    ])
      v.release();
    // Every column has `count` rows (ensure above): trimmed in place, not copied.
    for (const v of [this.seen, this.name, this.blockHead, this.rangeHead]) v.n = this.count;
    for (const v of [
      this.pc,
      this.creationTime,
      this.startTime,
      this.endTime,
      this.execTime,
      this.schedWaitTime,
      this.syscallTime,
      this.syscallBlockTime,
      this.totalTime,
    ])
      v.n = this.count;
    return {
      seen: this.seen.trim(),
      name: this.name.trim(),
      pc: this.pc.trim(),
      creationTime: this.creationTime.trim(),
      startTime: this.startTime.trim(),
      endTime: this.endTime.trim(),
      execTime: this.execTime.trim(),
      schedWaitTime: this.schedWaitTime.trim(),
      syscallTime: this.syscallTime.trim(),
      syscallBlockTime: this.syscallBlockTime.trim(),
      totalTime: this.totalTime.trim(),
      blockHead: this.blockHead.trim(),
      rangeHead: this.rangeHead.trim(),
      entryKey: this.entryKey.trim(),
      entryValue: this.entryValue.trim(),
      entryNext: this.entryNext.trim(),
    };
  }
}

/** The times of a list in a GoroutineStatsTable as a map from string to ns (list order). */
export function entriesToMap(
  t: GoroutineStatsTable,
  head: number,
  strings: readonly string[],
): Map<string, number> {
  const out: [string, number][] = [];
  for (let e = head; e !== NONE; e = t.entryNext[e])
    out.push([strings[t.entryKey[e]], t.entryValue[e]]);
  // Lists grow at the head: reverse to first-seen order.
  return new Map(out.reverse());
}
