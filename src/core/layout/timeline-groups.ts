// Goroutines grouped by start function for the timeline's lanes and the goroutine analysis
// table, straight from the model's columns: a trace can hold hundreds of thousands of
// goroutines, and an object per goroutine (as `goroutineAnalysis` builds) costs about 0.7 KB
// each and seconds of garbage collection, for numbers the table shows a page of at a time.

import {
  BLOCK_CATEGORIES,
  blockCategory,
  RANGE_GC_ASSIST,
  RANGE_GC_SWEEP,
  type BlockCategory,
} from '../exectrace/analysis';
import type { TraceModel } from '../exectrace/model';

/**
 * Lane groups: every goroutine the trace shows (with state spans, or seen by the analysis),
 * grouped by start function. Groups are ordered by total execution time (largest first, then by
 * name); members by execution time (largest first, then by goroutine ID), so the busiest
 * goroutines of a group of thousands come first.
 */
export interface LaneGroups {
  count: number;
  /** Start function of each group ("" when no stack was ever seen). */
  names: string[];
  /** Members of group g: `members[memberStart[g] .. memberStart[g + 1])` (goroutine indices). */
  memberStart: Int32Array;
  members: Int32Array;
  /** Per goroutine index: its group (−1 when not shown) and position in the group. */
  groupOf: Int32Array;
  memberPos: Int32Array;
  /** Sum of the members' execution time, per group. */
  execTime: Float64Array;
}

export function laneGroups(model: TraceModel): LaneGroups {
  const G = model.goroutines.count;
  const st = model.execStats;
  const byName = new Map<number, number>();
  const groupOf = new Int32Array(G).fill(-1);
  const nameIds: number[] = [];
  const sizes: number[] = [];
  const exec: number[] = [];
  for (let gi = 0; gi < G; gi++) {
    if (model.goroutines.spanCount[gi] === 0 && st.seen[gi] === 0) continue;
    const name = st.name[gi];
    let g = byName.get(name);
    if (g === undefined) {
      g = nameIds.length;
      byName.set(name, g);
      nameIds.push(name);
      sizes.push(0);
      exec.push(0);
    }
    groupOf[gi] = g;
    sizes[g]++;
    exec[g] += st.execTime[gi];
  }
  const strings = model.strings;
  const order = nameIds
    .map((_, g) => g)
    .sort(
      (a, b) =>
        exec[b] - exec[a] ||
        (strings[nameIds[a]] < strings[nameIds[b]]
          ? -1
          : strings[nameIds[a]] > strings[nameIds[b]]
            ? 1
            : 0),
    );
  const rank = new Int32Array(order.length);
  order.forEach((g, r) => (rank[g] = r));
  const memberStart = new Int32Array(order.length + 1);
  for (let r = 0; r < order.length; r++) memberStart[r + 1] = memberStart[r] + sizes[order[r]];
  const fill = memberStart.slice(0, order.length);
  const members = new Int32Array(memberStart[order.length]);
  for (let gi = 0; gi < G; gi++) {
    if (groupOf[gi] < 0) continue;
    const r = rank[groupOf[gi]];
    groupOf[gi] = r;
    members[fill[r]++] = gi;
  }
  const ids = model.goroutines.id;
  const memberPos = new Int32Array(G).fill(-1);
  for (let r = 0; r < order.length; r++) {
    const part = members.subarray(memberStart[r], memberStart[r + 1]);
    part.sort((a, b) => st.execTime[b] - st.execTime[a] || ids[a] - ids[b]);
    for (let k = 0; k < part.length; k++) memberPos[part[k]] = k;
  }
  return {
    count: order.length,
    names: order.map((g) => strings[nameIds[g]]),
    memberStart,
    members,
    groupOf,
    memberPos,
    execTime: Float64Array.from(order, (g) => exec[g]),
  };
}

/** Columns of the goroutine analysis table (ns), for one goroutine or summed over a group. */
export interface AnalysisNumbers {
  count: number;
  totalTime: number;
  execTime: number;
  /** Runnable, waiting for a P. */
  schedWaitTime: number;
  /** In syscalls, holding a P and after losing it. */
  syscallTime: number;
  /** Waiting, by category, in BLOCK_CATEGORIES order. */
  blocked: number[];
  gcAssistTime: number;
  gcSweepTime: number;
  stwTime: number;
}

/** The table's numeric columns, by the keys a sort request names. */
export const ANALYSIS_COLUMNS = [
  'count',
  'totalTime',
  'execTime',
  'schedWaitTime',
  'syscallTime',
  ...BLOCK_CATEGORIES.map((c) => `blocked.${c}` as const),
  'gcAssistTime',
  'gcSweepTime',
  'stwTime',
] as const;
export type AnalysisColumn = (typeof ANALYSIS_COLUMNS)[number];

/** The value of a column of a row. */
export function columnValue(row: AnalysisNumbers, column: AnalysisColumn): number {
  if (column.startsWith('blocked.'))
    return row.blocked[BLOCK_CATEGORIES.indexOf(column.slice(8) as BlockCategory)];
  return row[column as Exclude<AnalysisColumn, `blocked.${string}`>];
}

/**
 * Reads the per-goroutine statistics of a model (`go tool trace`'s goroutine analysis numbers)
 * as table rows, summing waits into categories and ranges into GC assist, sweep and
 * stop-the-world time, with category lookups per distinct string rather than per entry.
 */
export class AnalysisReader {
  private readonly categoryOf: Int8Array;
  /** Per string: 0 other, 1 GC assist, 2 GC sweep, 3 stop-the-world. */
  private readonly rangeKind: Uint8Array;

  constructor(private readonly model: TraceModel) {
    const strings = model.strings;
    this.categoryOf = Int8Array.from(strings, (s) => BLOCK_CATEGORIES.indexOf(blockCategory(s)));
    this.rangeKind = Uint8Array.from(strings, (s) =>
      s === RANGE_GC_ASSIST ? 1 : s === RANGE_GC_SWEEP ? 2 : s.startsWith('stop-the-world') ? 3 : 0,
    );
  }

  /** A zero row. */
  static empty(): AnalysisNumbers {
    return {
      count: 0,
      totalTime: 0,
      execTime: 0,
      schedWaitTime: 0,
      syscallTime: 0,
      blocked: BLOCK_CATEGORIES.map(() => 0),
      gcAssistTime: 0,
      gcSweepTime: 0,
      stwTime: 0,
    };
  }

  /** Adds goroutine gi's numbers to `row`. */
  add(row: AnalysisNumbers, gi: number): AnalysisNumbers {
    const t = this.model.execStats;
    row.count++;
    row.totalTime += t.totalTime[gi];
    row.execTime += t.execTime[gi];
    row.schedWaitTime += t.schedWaitTime[gi];
    row.syscallTime += t.syscallTime[gi] + t.syscallBlockTime[gi];
    for (let e = t.blockHead[gi]; e >= 0; e = t.entryNext[e])
      row.blocked[this.categoryOf[t.entryKey[e]]] += t.entryValue[e];
    for (let e = t.rangeHead[gi]; e >= 0; e = t.entryNext[e]) {
      const k = this.rangeKind[t.entryKey[e]];
      if (k === 1) row.gcAssistTime += t.entryValue[e];
      else if (k === 2) row.gcSweepTime += t.entryValue[e];
      else if (k === 3) row.stwTime += t.entryValue[e];
    }
    return row;
  }

  /** One goroutine's row. */
  row(gi: number): AnalysisNumbers {
    return this.add(AnalysisReader.empty(), gi);
  }

  /**
   * One column of the rows of goroutines `gis` (as `columnValue(this.row(gi), column)`), without
   * a row object each: the analysis tab sorts groups of millions of goroutines by a column.
   */
  columnValues(gis: Int32Array, column: AnalysisColumn): Float64Array {
    const t = this.model.execStats;
    const out = new Float64Array(gis.length);
    const n = gis.length;
    if (column === 'count') out.fill(1);
    else if (column === 'syscallTime')
      for (let k = 0; k < n; k++) out[k] = 0 + t.syscallTime[gis[k]] + t.syscallBlockTime[gis[k]];
    else if (column === 'totalTime' || column === 'execTime' || column === 'schedWaitTime') {
      const col = t[column];
      for (let k = 0; k < n; k++) out[k] = col[gis[k]];
    } else if (column.startsWith('blocked.')) {
      const c = BLOCK_CATEGORIES.indexOf(column.slice(8) as BlockCategory);
      for (let k = 0; k < n; k++) {
        let sum = 0;
        for (let e = t.blockHead[gis[k]]; e >= 0; e = t.entryNext[e])
          if (this.categoryOf[t.entryKey[e]] === c) sum += t.entryValue[e];
        out[k] = sum;
      }
    } else {
      const kind = column === 'gcAssistTime' ? 1 : column === 'gcSweepTime' ? 2 : 3;
      for (let k = 0; k < n; k++) {
        let sum = 0;
        for (let e = t.rangeHead[gis[k]]; e >= 0; e = t.entryNext[e])
          if (this.rangeKind[t.entryKey[e]] === kind) sum += t.entryValue[e];
        out[k] = sum;
      }
    }
    return out;
  }

  /** One row per lane group, summed over its members. */
  groupRows(groups: LaneGroups): AnalysisNumbers[] {
    const rows: AnalysisNumbers[] = [];
    for (let g = 0; g < groups.count; g++) {
      const row = AnalysisReader.empty();
      for (let k = groups.memberStart[g]; k < groups.memberStart[g + 1]; k++)
        this.add(row, groups.members[k]);
      rows.push(row);
    }
    return rows;
  }
}
