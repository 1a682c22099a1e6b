import { addCovered, startsOf, type Ends, type Starts } from './timeline-lanes';
// The timeline's graphs, reduced to what a window of some pixels can show: metric series (heap,
// goroutine counts) as the smallest and largest value per pixel column, and the overview strip's
// CPU utilization per column. The model's series are steps: a value holds until the next point.
import { upperBound } from '../binary-search';

/** Per bucket, the least and greatest value a step series takes in it (NaN before its first point). */
export interface DecimatedSteps {
  min: Float64Array;
  max: Float64Array;
}

/** Points per block of `StepBlocks`. */
const STEP_BLOCK = 64;

/**
 * A step series' values in blocks of 64 points with each block's least and greatest value (NaN
 * for a block holding a NaN, read point by point), so that decimating a wide window skips whole
 * blocks: the goroutine counts of a 1 GB trace change tens of millions of times.
 */
export interface StepBlocks {
  min: Float64Array;
  max: Float64Array;
}

export function stepBlocks(value: ArrayLike<number>): StepBlocks {
  const count = Math.floor(value.length / STEP_BLOCK);
  const min = new Float64Array(count);
  const max = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = b * STEP_BLOCK; i < (b + 1) * STEP_BLOCK; i++) {
      const v = value[i];
      if (Number.isNaN(v)) {
        mn = mx = NaN;
        break;
      }
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    min[b] = mn;
    max[b] = mx;
  }
  return { min, max };
}

/**
 * Decimates a step series (`time` ascending, `value[i]` holding from `time[i]` until the next
 * point) over [t0, t1) into `buckets` equal columns. Each column gets the range of the values
 * holding at some time inside it: the one carried in from before it and every point within.
 * Costs a binary search plus the points in the window, or with `blocks` (`stepBlocks(value)`)
 * about a block per column plus the blocks in the window.
 */
export function decimateSteps(
  time: Float64Array,
  value: ArrayLike<number>,
  t0: number,
  t1: number,
  buckets: number,
  blocks?: StepBlocks,
): DecimatedSteps {
  const n = Math.max(0, Math.floor(buckets));
  const min = new Float64Array(n).fill(NaN);
  const max = new Float64Array(n).fill(NaN);
  if (n === 0 || time.length === 0 || !(t1 > t0)) return { min, max };
  const w = (t1 - t0) / n;
  // Last point at or before t0: its value holds at the window's start.
  let i = upperBound(time, t0);
  let cur = i > 0 ? value[i - 1] : NaN;
  for (let b = 0; b < n; b++) {
    const bStart = t0 + b * w;
    const bEnd = t0 + (b + 1) * w;
    // A point exactly at the column's start replaces the carried value before the column begins.
    while (i < time.length && time[i] <= bStart) cur = value[i++];
    let mn = cur;
    let mx = cur;
    while (i < time.length && time[i] < bEnd) {
      const k = i / STEP_BLOCK;
      if (blocks && k === Math.floor(k) && k < blocks.min.length) {
        // A whole block inside the column (and without NaN): its range at once.
        const last = i + STEP_BLOCK - 1;
        const bmn = blocks.min[k];
        if (time[last] < bEnd && !Number.isNaN(bmn)) {
          const bmx = blocks.max[k];
          if (!(bmn >= mn)) mn = Number.isNaN(mn) ? bmn : Math.min(mn, bmn);
          if (!(bmx <= mx)) mx = Number.isNaN(mx) ? bmx : Math.max(mx, bmx);
          cur = value[last];
          i = last + 1;
          continue;
        }
      }
      const v = value[i++];
      if (!(v >= mn)) mn = Number.isNaN(mn) ? v : Math.min(mn, v);
      if (!(v <= mx)) mx = Number.isNaN(mx) ? v : Math.max(mx, v);
      cur = v;
    }
    min[b] = mn;
    max[b] = mx;
    if (i >= time.length && b + 1 < n) {
      // No more points: the last value holds to the end.
      min.fill(cur, b + 1);
      max.fill(cur, b + 1);
      break;
    }
  }
  return { min, max };
}

/**
 * The share of time each of `buckets` columns of [t0, t1) is covered by the intervals (summed
 * over lanes, divided by `lanes`): the overview strip's CPU utilization when the intervals are
 * every P's running spans. `idx` lists the intervals to count (null: all of `start`).
 */
export function coverage(
  start: Starts,
  end: Ends,
  idx: Int32Array | null,
  t0: number,
  t1: number,
  buckets: number,
  lanes = 1,
  out?: Float64Array,
): Float64Array {
  const n = Math.max(0, Math.floor(buckets));
  const acc = out ?? new Float64Array(n);
  if (n === 0 || !(t1 > t0)) return acc;
  const w = (t1 - t0) / n;
  const count = idx ? idx.length : (start as Float64Array).length;
  const startOf = startsOf(start);
  const endOf = startsOf(end);
  for (let k = 0; k < count; k++) {
    const i = idx ? idx[k] : k;
    addCovered(acc, startOf(i), endOf(i), t0, t1, w, w * lanes);
  }
  return acc;
}
