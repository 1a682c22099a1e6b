// What one timeline lane shows in a time window at a resolution: the spans wide enough to see,
// and every run of spans narrower than the resolution merged into one "mixed" mark (as
// gotraceui does), so a lane costs about as many marks as it has pixels whatever the trace size.
//
// A lane is a time-ordered list of non-overlapping intervals (a P's running goroutines, one
// goroutine's states, GC cycles), addressed by position. `LaneIndex` finds the first visible
// position by binary search and the end of a run of narrow intervals with a 64-ary tree of
// maxima, so a query costs O(marks × log n), not O(intervals in the window): a zoomed-out lane
// of millions of spans answers in microseconds.

import { blockCategory, BLOCK_CATEGORIES } from '../exectrace/analysis';
import { GoState } from '../exectrace/spec';
import { searchFirst } from '../binary-search';
import { rowEnd, rowStart, type SpanColumnArrays } from '../exectrace/span-columns';

/**
 * Colour classes of goroutine state spans: running, runnable, in a syscall, and waiting by the
 * category of its reason (`blockCategory`), in that order.
 */
export const SPAN_CLASSES = [
  'running',
  'runnable',
  'syscall',
  'chan',
  'select',
  'sync',
  'io',
  'sleep',
  'gc',
  'other',
] as const;
export type SpanClass = (typeof SPAN_CLASSES)[number];
/** Class index of the first waiting class (`chan`); waiting classes follow BLOCK_CATEGORIES' order. */
export const FIRST_WAITING_CLASS = 3;

/**
 * Classes a merged mark reports its time in: running, runnable, syscall, waiting (any reason).
 * Index of a span class's mix class: `Math.min(cls, 3)`.
 */
export const MIX_CLASSES = ['running', 'runnable', 'syscall', 'waiting'] as const;

/**
 * The colour class of span i (SPAN_CLASSES) from its state and, when waiting, the category of
 * its reason, computed when asked: an array of every span's class would take seconds to fill
 * for the 185 M spans of a 1 GB trace, and a byte a span. `reasonStrings` are the strings of the
 * reason codes in `reason`.
 */
export function spanClassOf(
  state: Uint8Array,
  reason: ArrayLike<number>,
  reasonStrings: readonly string[],
): (i: number) => number {
  // Categories per reason, computed once: reasons are a handful of distinct strings.
  const catOf = new Uint8Array(reasonStrings.length);
  for (let s = 0; s < reasonStrings.length; s++)
    catOf[s] = FIRST_WAITING_CLASS + BLOCK_CATEGORIES.indexOf(blockCategory(reasonStrings[s]));
  return (i) => {
    const st = state[i];
    return st === GoState.Running
      ? 0
      : st === GoState.Runnable
        ? 1
        : st === GoState.Syscall
          ? 2
          : catOf[reason[i]];
  };
}

/** The colour class of every span (`spanClassOf`), as an array by span index. */
export function spanClasses(
  state: Uint8Array,
  reason: ArrayLike<number>,
  reasonStrings: readonly string[],
): Uint8Array {
  const classOf = spanClassOf(state, reason, reasonStrings);
  const out = new Uint8Array(state.length);
  for (let i = 0; i < state.length; i++) out[i] = classOf(i);
  return out;
}

/**
 * Adds interval [s, e), clipped to [t0, t1), to the buckets of width `w` from t0 that it
 * covers: to each its covered time divided by `scale`.
 */
export function addCovered(
  out: Float64Array,
  s: number,
  e: number,
  t0: number,
  t1: number,
  w: number,
  scale: number,
): void {
  if (s < t0) s = t0;
  if (e > t1) e = t1;
  if (!(e > s)) return;
  const n = out.length;
  for (let b = Math.min(n - 1, Math.floor((s - t0) / w)); ; b++) {
    const bEnd = t0 + (b + 1) * w;
    if (e <= bEnd || b === n - 1) {
      out[b] += (e - s) / scale;
      return;
    }
    out[b] += (bEnd - s) / scale;
    s = bEnd;
  }
}

/**
 * Interval starts by interval index: a column, or a function where starts are derived (a
 * span's start is where its goroutine's previous span ended, see spanStart).
 */
export type Starts = Float64Array | ((i: number) => number);
/** Interval ends by interval index, likewise (a span's end is `spanEnd`). */
export type Ends = Starts;

/**
 * Bounds of the intervals at positions from..to−1 (interval `idx[k]`, or k) read at once into
 * `start[k − from]` and `end[k − from]`. Building a lane's index reads every interval: through
 * `Starts` functions each read is a call V8 does not inline, whose double result is a heap
 * allocation (90 MB for the P lanes of a 100 MB trace).
 */
export type BoundsReader = (
  idx: Int32Array | null,
  from: number,
  to: number,
  start: Float64Array,
  end: Float64Array,
) => void;

/** A BoundsReader of the model's span table (spanStart, spanEnd), for lanes of spans. */
export function spanBounds(spans: SpanColumnArrays): BoundsReader {
  return (idx, from, to, start, end) => {
    for (let k = from; k < to; k++) {
      const i = idx ? idx[k] : k;
      start[k - from] = rowStart(spans, i);
      end[k - from] = rowEnd(spans, i);
    }
  };
}

/** `starts` as a function. */
export function startsOf(starts: Starts): (i: number) => number {
  return typeof starts === 'function' ? starts : (i) => starts[i];
}

/** Fan-out of the tree of maxima: 64 keeps every level within a cache line or two per step. */
const B = 64;
const SHIFT = 6;
/** Lanes shorter than this are scanned linearly; an index would cost more than it saves. */
const INDEX_MIN = 2 * B;

/**
 * The marks of one lane in a window. Mark i covers [start[i], end[i]) and stands for the
 * `count[i]` consecutive lane positions from `first[i]`: one interval (count 1), or a merged run
 * of intervals each narrower than the resolution with gaps narrower than it. `mix` holds, per
 * mark, the share of its time spent in each of the lane's `classCount` classes (the rest is
 * gaps): for a single interval, 1 in its own class.
 */
export interface LaneMarks {
  count: number;
  start: Float64Array;
  end: Float64Array;
  first: Int32Array;
  /** Intervals the mark stands for (1: a single interval). */
  n: Int32Array;
  /** `classCount` shares per mark. */
  mix: Float32Array;
  classCount: number;
}

/**
 * A lane over shared interval columns: position k is interval `idx[k]` (or k itself when `idx`
 * is null) of `start`/`end`, in time order, not overlapping. `cls` gives each interval's class
 * (by interval index, as an array or a function) among `classCount`; null puts everything in
 * class 0.
 */
export class LaneIndex {
  readonly count: number;
  private readonly startOf: (i: number) => number;
  private readonly endOf: (i: number) => number;
  /** levels[l][b] = largest separation key among the positions under block b of level l. */
  private readonly levels: Float64Array[] = [];
  /** Per block of B positions, the summed duration of each class. */
  private readonly blockSums: Float64Array | null = null;

  constructor(
    readonly idx: Int32Array | null,
    start: Starts,
    end: Ends,
    readonly cls: Uint8Array | ((i: number) => number) | null,
    readonly classCount: number,
    /** Maps a raw class to a lane class (e.g. span classes to mix classes); identity if null. */
    readonly classMap: Uint8Array | null = null,
    count?: number,
    /** Reads `start` and `end` in bulk while the index is built (see BoundsReader). */
    bounds?: BoundsReader,
  ) {
    this.startOf = startsOf(start);
    this.endOf = startsOf(end);
    this.count = count ?? (idx ? idx.length : (start as Float64Array).length);
    if (this.count < INDEX_MIN) return;
    const n = this.count;
    let level = new Float64Array(Math.ceil(n / B));
    const sums = new Float64Array(level.length * classCount);
    const read = bounds ?? this.boundsOneByOne();
    const bs = new Float64Array(B);
    const be = new Float64Array(B);
    // The previous end in an array, not a variable: V8 kept that double boxed across the loop
    // (its code for this loop is compiled while it runs), a heap allocation per interval.
    const prevEnd = Float64Array.of(-Infinity);
    // One block of B positions at a time: the unit of the first level.
    for (let k0 = 0, b = 0; k0 < n; k0 += B, b++) {
      const k1 = Math.min(n, k0 + B);
      read(idx, k0, k1, bs, be);
      for (let k = k0; k < k1; k++) {
        const s = bs[k - k0];
        const e = be[k - k0];
        const d = e - s;
        const gap = s - prevEnd[0];
        prevEnd[0] = e;
        const key = d > gap ? d : gap;
        if (key > level[b]) level[b] = key;
        sums[b * classCount + this.classOf(idx ? idx[k] : k)] += d;
      }
    }
    this.blockSums = sums;
    this.levels.push(level);
    while (level.length > B) {
      const up = new Float64Array(Math.ceil(level.length / B));
      for (let b = 0; b < level.length; b++)
        if (level[b] > up[b >> SHIFT]) up[b >> SHIFT] = level[b];
      this.levels.push(up);
      level = up;
    }
  }

  private boundsOneByOne(): BoundsReader {
    return (idx, from, to, start, end) => {
      for (let k = from; k < to; k++) {
        const i = idx ? idx[k] : k;
        start[k - from] = this.startOf(i);
        end[k - from] = this.endOf(i);
      }
    };
  }

  private classOf(i: number): number {
    if (!this.cls) return 0;
    const c = typeof this.cls === 'function' ? this.cls(i) : this.cls[i];
    return this.classMap ? this.classMap[c] : c;
  }

  /** Interval index at position k. */
  at(k: number): number {
    return this.idx ? this.idx[k] : k;
  }

  startAt(k: number): number {
    return this.startOf(this.idx ? this.idx[k] : k);
  }

  endAt(k: number): number {
    return this.endOf(this.idx ? this.idx[k] : k);
  }

  /**
   * The separation key of position k: the larger of its duration and the gap since the
   * previous interval ended. A run of narrow intervals continues at k while this is < the width.
   */
  private key(k: number): number {
    const i = this.at(k);
    const d = this.endOf(i) - this.startOf(i);
    // The first interval has nothing before it: an infinite gap, as in the constructor.
    if (k === 0) return Infinity;
    const gap = this.startOf(i) - this.endAt(k - 1);
    return d > gap ? d : gap;
  }

  private value(level: number, pos: number): number {
    return level < 0 ? this.key(pos) : this.levels[level][pos];
  }

  private size(level: number): number {
    return level < 0 ? this.count : this.levels[level].length;
  }

  /** First position ≥ from whose separation key is ≥ w (count when none). */
  findFirstSeparated(from: number, w: number): number {
    if (from >= this.count) return this.count;
    if (this.levels.length === 0) {
      for (let k = from; k < this.count; k++) if (this.key(k) >= w) return k;
      return this.count;
    }
    let level = -1;
    let pos = from;
    for (;;) {
      const size = this.size(level);
      const blockEnd = Math.min(size, ((pos >> SHIFT) + 1) << SHIFT);
      for (; pos < blockEnd; pos++) {
        if (this.value(level, pos) >= w) return this.descend(level, pos, w);
      }
      if (blockEnd >= size || level + 1 >= this.levels.length) {
        if (blockEnd >= size) return this.count;
        // At the top level with more blocks to the right: keep scanning this level.
        continue;
      }
      level++;
      pos = pos >> SHIFT;
    }
  }

  /** From a block at `level` known to hold a key ≥ w, the first such position below it. */
  private descend(level: number, pos: number, w: number): number {
    while (level >= 0) {
      const lower = level - 1;
      const size = this.size(lower);
      let p = pos << SHIFT;
      const end = Math.min(size, p + B);
      while (p < end && this.value(lower, p) < w) p++;
      // The block maximum says one exists; p < end always holds here.
      pos = p;
      level = lower;
    }
    return pos;
  }

  /** First position whose interval ends after t (count when none). */
  firstEndingAfter(t: number): number {
    return searchFirst(0, this.count, (i) => this.endAt(i) > t);
  }

  /** First position whose interval starts at or after t (count when none). */
  firstStartingAtOrAfter(t: number): number {
    return searchFirst(0, this.count, (i) => this.startAt(i) >= t);
  }

  /**
   * Adds the share of each of `buckets` equal parts of [t0, t1) that the lane's intervals cover,
   * divided by `lanes`, into `out` (what `coverage` of timeline-series.ts computes interval by
   * interval): a block of intervals that falls inside one part is added from its sums, so a P
   * lane of tens of millions of spans costs about a block per part, not a step per span.
   */
  coverage(
    t0: number,
    t1: number,
    buckets: number,
    lanes: number,
    out: Float64Array,
  ): Float64Array {
    const n = Math.max(0, Math.floor(buckets));
    if (n === 0 || !(t1 > t0)) return out;
    const w = (t1 - t0) / n;
    const scale = w * lanes;
    const C = this.classCount;
    const sums = this.blockSums;
    const stop = this.firstStartingAtOrAfter(t1);
    for (let k = this.firstEndingAfter(t0); k < stop;) {
      if (sums && (k & (B - 1)) === 0 && k + B <= stop) {
        const s = this.startAt(k);
        const e = this.endAt(k + B - 1);
        const b = Math.min(n - 1, Math.floor((s - t0) / w));
        if (s >= t0 && e <= t1 && (e <= t0 + (b + 1) * w || b === n - 1)) {
          let sum = 0;
          for (let c = 0; c < C; c++) sum += sums[(k >> SHIFT) * C + c];
          out[b] += sum / scale;
          k += B;
          continue;
        }
      }
      addCovered(out, this.startAt(k), this.endAt(k), t0, t1, w, scale);
      k++;
    }
    return out;
  }

  /** Adds the time of positions [from, to) per class into out[o .. o + classCount). */
  private addClassTimes(from: number, to: number, out: Float64Array): void {
    const C = this.classCount;
    let k = from;
    if (this.blockSums) {
      const firstFull = ((from + B - 1) >> SHIFT) << SHIFT;
      const lastFull = (to >> SHIFT) << SHIFT;
      if (firstFull < lastFull) {
        for (; k < firstFull; k++) this.addOne(k, out);
        for (let b = firstFull >> SHIFT; b < lastFull >> SHIFT; b++)
          for (let c = 0; c < C; c++) out[c] += this.blockSums[b * C + c];
        k = lastFull;
      }
    }
    for (; k < to; k++) this.addOne(k, out);
  }

  private addOne(k: number, out: Float64Array): void {
    const i = this.at(k);
    out[this.classOf(i)] += this.endOf(i) - this.startOf(i);
  }

  /**
   * The marks of the window [t0, t1) at resolution `minWidth` (ns per pixel): intervals at least
   * that long are marks of their own; a run of consecutive shorter ones, each separated from the
   * previous by less than `minWidth`, becomes one merged mark (a run of one stays a single
   * mark, drawn at least a pixel wide). Intervals are visible when they end after t0 and start
   * before t1. Runs are cut where the window ends, not where it starts.
   */
  query(t0: number, t1: number, minWidth: number): LaneMarks {
    const C = this.classCount;
    let k = this.firstEndingAfter(t0);
    const stop = this.firstStartingAtOrAfter(t1);
    const cap = Math.max(0, stop - k);
    // At most one mark per interval, and (since each mark but the last ends a run at a key ≥
    // minWidth) about two per pixel; grow as needed instead of sizing for the worst case.
    let size = Math.min(cap, 1024);
    let start = new Float64Array(size);
    let end = new Float64Array(size);
    let first = new Int32Array(size);
    let n = new Int32Array(size);
    let mix = new Float32Array(size * C);
    let m = 0;
    const acc = new Float64Array(C);
    const push = (s: number, e: number, f: number, cnt: number) => {
      if (m === size) {
        size = Math.min(cap, size * 2);
        const grow = <T extends Float64Array | Int32Array | Float32Array>(
          a: T,
          ctor: new (n: number) => T,
          per = 1,
        ): T => {
          const b = new ctor(size * per);
          b.set(a);
          return b;
        };
        start = grow(start, Float64Array);
        end = grow(end, Float64Array);
        first = grow(first, Int32Array);
        n = grow(n, Int32Array);
        mix = grow(mix, Float32Array, C);
      }
      start[m] = s;
      end[m] = e;
      first[m] = f;
      n[m] = cnt;
      return m++;
    };
    while (k < stop) {
      const i = this.at(k);
      const s = this.startOf(i);
      const e = this.endOf(i);
      if (e - s >= minWidth) {
        const j = push(s, e, k, 1);
        mix[j * C + this.classOf(i)] = 1;
        k++;
        continue;
      }
      let j = this.findFirstSeparated(k + 1, minWidth);
      if (j > stop) j = stop;
      if (j === k + 1) {
        const x = push(s, e, k, 1);
        mix[x * C + this.classOf(i)] = 1;
        k++;
        continue;
      }
      const runEnd = this.endAt(j - 1);
      const x = push(s, runEnd, k, j - k);
      acc.fill(0);
      this.addClassTimes(k, j, acc);
      const total = runEnd - s;
      for (let c = 0; c < C; c++) mix[x * C + c] = total > 0 ? acc[c] / total : 0;
      k = j;
    }
    return {
      count: m,
      start: start.subarray(0, m),
      end: end.subarray(0, m),
      first: first.subarray(0, m),
      n: n.subarray(0, m),
      mix: mix.subarray(0, m * C),
      classCount: C,
    };
  }
}
