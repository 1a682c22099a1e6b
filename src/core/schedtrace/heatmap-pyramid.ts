// Pre-aggregated per-P run-queue maxima for the heatmap of long ranges.
//
// The model's perPMatrix walks every per-P value in the range: an hour of 100 ms snapshots of
// 64 Ps is 2.3 M values, about 50 ms on the extension host, four times a second while the
// dashboard follows the whole run. This keeps, as snapshots arrive, the per-P maximum over
// fixed time buckets of 250 ms, 1 s, 4 s, 16 s and 64 s. A heatmap column of a long range is
// then the maximum of the buckets that start in it, from the coarsest level whose buckets are
// no wider than a column: at most 4 buckets per column, so the cost follows the plot width, not
// the run's length. Short ranges (few snapshots per column) still go to the model, exactly.
import type { SchedModel } from './model-queries';
import type { PMatrix } from './model-types';
import { lowerBound } from '../binary-search';

/** Bucket widths, ms: a factor 4 apart, so a column never takes more than 4 buckets of the level chosen. */
export const LEVEL_WIDTHS_MS = [250, 1000, 4000, 16_000, 64_000];
/**
 * Buckets kept per level (each a float per P: 64 Ps → 256 B). A level that would grow past this
 * stops being kept (and is no longer used); coarser levels cover the run: the 250 ms level
 * covers 83 minutes, the 1 s level 5.5 hours, the 64 s level two weeks.
 */
export const MAX_BUCKETS_PER_LEVEL = 20_000;

interface Level {
  width: number;
  /** Bucket number (start time / width) of each bucket, ascending. */
  index: Float64Array;
  pStart: Uint32Array;
  pCount: Uint16Array;
  values: Float32Array;
  count: number;
  valuesLength: number;
  /** Too many buckets: dropped, never consulted again. */
  dropped: boolean;
}

function newLevel(width: number): Level {
  return {
    width,
    index: new Float64Array(256),
    pStart: new Uint32Array(256),
    pCount: new Uint16Array(256),
    values: new Float32Array(256 * 16),
    count: 0,
    valuesLength: 0,
    dropped: false,
  };
}

function grow<T extends Float64Array | Uint32Array | Uint16Array | Float32Array>(
  a: T,
  need: number,
): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class HeatmapPyramid {
  private readonly levels = LEVEL_WIDTHS_MS.map(newLevel);
  private lastMs = -Infinity;

  /** Builds the pyramid of a model that already holds data (a loaded log). */
  static fromModel(model: SchedModel): HeatmapPyramid {
    const p = new HeatmapPyramid();
    for (let i = 0; i < model.snapshotCount; i++) {
      const s = model.snapshot(i);
      p.add(s.timeMs, s.runqueues);
    }
    return p;
  }

  /** Adds one snapshot (time on the model's axis, local run-queue length per P; -1 = unknown). */
  add(timeMs: number, runqueues: ArrayLike<number>): void {
    // The model keeps its axis sorted; so do we (a restart shifted into the past is clamped).
    const t = Math.max(timeMs, this.lastMs === -Infinity ? timeMs : this.lastMs);
    this.lastMs = t;
    const np = Math.min(runqueues.length, 0xffff);
    for (const L of this.levels) {
      if (L.dropped) continue;
      const b = Math.floor(t / L.width);
      let k = L.count - 1;
      if (k < 0 || L.index[k] !== b) {
        if (L.count >= MAX_BUCKETS_PER_LEVEL) {
          L.dropped = true;
          L.count = 0;
          L.valuesLength = 0;
          L.index = new Float64Array(0);
          L.pStart = new Uint32Array(0);
          L.pCount = new Uint16Array(0);
          L.values = new Float32Array(0);
          continue;
        }
        k = L.count++;
        L.index = grow(L.index, L.count);
        L.pStart = grow(L.pStart, L.count);
        L.pCount = grow(L.pCount, L.count);
        L.index[k] = b;
        L.pStart[k] = L.valuesLength;
        L.pCount[k] = 0;
      }
      // A bucket's Ps are the most any of its snapshots had (GOMAXPROCS can change).
      const start = L.pStart[k];
      const had = L.pCount[k];
      if (np > had) {
        L.values = grow(L.values, start + np);
        L.values.fill(NaN, start + had, start + np);
        L.pCount[k] = np;
        L.valuesLength = start + np;
      }
      for (let p = 0; p < np; p++) {
        const v = runqueues[p];
        if (v < 0) continue;
        const cur = L.values[start + p];
        if (Number.isNaN(cur) || v > cur) L.values[start + p] = v;
      }
    }
  }

  /**
   * The heatmap of `[t0, t1]` in `cols` columns from the coarsest level whose buckets fit in a
   * column, or undefined when no level can answer (a column is narrower than the finest bucket
   * kept): ask the model then. A bucket goes to the column its start is in (the one holding t0
   * to the first column), so a column's edges are exact to within a bucket.
   */
  matrix(t0: number, t1: number, cols: number): PMatrix | undefined {
    const ncols = Math.max(1, Math.floor(cols));
    const colWidth = (t1 - t0) / ncols;
    let level: Level | undefined;
    for (const L of this.levels) if (!L.dropped && L.width <= colWidth && L.count > 0) level = L;
    if (!level) return undefined;
    const L = level;
    const bucketOf = (t: number) => Math.floor(t / L.width);
    // The bucket holding t0.
    const lo = lowerBound(L.index, bucketOf(t0), 0, L.count);
    const b1 = bucketOf(t1);
    let rows = 0;
    for (let k = lo; k < L.count && L.index[k] <= b1; k++) rows = Math.max(rows, L.pCount[k]);
    const colTimeMs = new Float64Array(ncols);
    for (let c = 0; c < ncols; c++) colTimeMs[c] = t0 + c * colWidth;
    const values = new Float32Array(ncols * rows).fill(NaN);
    for (let k = lo; k < L.count && L.index[k] <= b1; k++) {
      const start = L.index[k] * L.width;
      const col = Math.max(0, Math.min(ncols - 1, Math.floor((start - t0) / colWidth)));
      const base = L.pStart[k];
      for (let p = 0; p < L.pCount[k]; p++) {
        const v = L.values[base + p];
        if (Number.isNaN(v)) continue;
        const i = col * rows + p;
        const cur = values[i];
        if (Number.isNaN(cur) || v > cur) values[i] = v;
      }
    }
    return { kind: 'runqueue', cols: ncols, rows, colTimeMs, values };
  }

  /** Buckets held over all levels (for tests and the benchmark). */
  get buckets(): number {
    return this.levels.reduce((a, L) => a + L.count, 0);
  }
}
