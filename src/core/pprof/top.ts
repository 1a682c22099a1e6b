// The top table: flat and cum per function, as `go tool pprof -top` computes them.
//
// pprof's -top works at "functions" granularity: Profile.Aggregate drops file names, line numbers
// and addresses, so frames are merged by function name alone (the same name in two files is one
// row), inlined frames are rows of their own, and a frame without a function is named after its
// mapping's file (`[binary]`) or `<unknown>`. flat is the value of the samples whose leaf frame is
// the function; cum the value of the samples with the function anywhere on the stack, counted
// once per sample however often it recurses (graph.newGraph). Rows with flat = cum = 0 are left
// out, as pprof's selectNodesForGraph does.
import {
  cumulativeByIds,
  evaluate,
  flatById,
  topNameIdMap,
  type Evaluation,
  type ProfileQuery,
} from './evaluate';
import type { ValueType } from './model';
import { topRowOrder, type ProfileIndex } from './profile-index';

/** One row of the top table. Values are raw, in the sample type's unit. */
export interface TopRow {
  /** The function name as pprof's -top prints it. */
  name: string;
  flat: number;
  cum: number;
}

/** The top table of a query. */
export interface TopTable {
  sampleType: ValueType;
  /**
   * pprof's percentage base: the sum of |value| over all samples of the profile, before any
   * filter (pprof computes it before applying focus). flat% = flat / total, and so on.
   */
  total: number;
  /** The summed value of the samples the filter keeps. */
  shownTotal: number;
  /** In pprof's -top order: |flat| descending, then name, then |cum| descending. */
  rows: TopRow[];
}

/** Σ|v| of a sample type over all samples: pprof's report total. */
export function absoluteTotal(index: ProfileIndex, sampleType: number): number {
  return index.typeAbsTotal[sampleType];
}

/** Sorts rows as pprof's -top does (FlatNameOrder), or by |cum| first for -cum. */
export function sortTopRows<T extends TopRow>(rows: T[], by: 'flat' | 'cum' = 'flat'): T[] {
  return rows.sort((a, b) => {
    if (by === 'cum') {
      const c = Math.abs(b.cum) - Math.abs(a.cum);
      if (c !== 0) return c;
    }
    const f = Math.abs(b.flat) - Math.abs(a.flat);
    if (f !== 0) return f;
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    return Math.abs(b.cum) - Math.abs(a.cum);
  });
}

/** sortTopRows with names compared by their precomputed rank (rows of one index). */
/** Rows by top-name id: flat and cum of each listed name. */
interface RowIds {
  ids: Int32Array;
  flat: Float64Array;
  cum: Float64Array;
}

function sortedRows(index: ProfileIndex, r: RowIds): TopRow[] {
  const order = topRowOrder(r.ids, r.flat, index.topNameRank);
  return Array.from(order, (j) => ({
    name: index.topNames[r.ids[j]],
    flat: r.flat[j],
    cum: r.cum[j],
  }));
}

/**
 * The top table of a query (sample type + filter): per function name, flat and cum exactly as
 * `go tool pprof -top -nodecount=<all> -nodefraction=0 -edgefraction=0` computes them with the
 * same -sample_index and -focus/-ignore/-hide/-show/-show_from/-prune_from/-tagfocus/-tagignore.
 * Throws FilterError for an invalid filter, RangeError for a sample type the profile lacks.
 */
export function topTable(index: ProfileIndex, query: ProfileQuery): TopTable {
  return topTableOf(evaluate(index, query));
}

/** `topTable` of an evaluated query (the worker evaluates each query once for every view). */
export function topTableOf(ev: Evaluation): TopTable {
  const index = ev.index;
  const t = ev.sampleType;
  let rows: TopRow[];
  if (!ev.structural && ev.filter.empty && ev.scale === 1) {
    // The index holds every sample type's unfiltered table, in order.
    const n = index.topNames.length;
    const order = index.topOrder.subarray(index.topOrderStart[t], index.topOrderStart[t + 1]);
    rows = Array.from(order, (i) => ({
      name: index.topNames[i],
      flat: index.topFlat[t * n + i],
      cum: index.topCum[t * n + i],
    }));
  } else rows = sortedRows(index, rowIdsOf(ev));
  return {
    sampleType: index.profile.sampleTypes[t],
    total: index.typeAbsTotal[t],
    shownTotal: ev.total,
    rows,
  };
}

function rowIdsOf(ev: Evaluation): RowIds {
  const index = ev.index;
  const n = index.topNames.length;
  let flat: Float64Array;
  let cum: Float64Array;
  if (!ev.structural && ev.filter.empty && ev.scale === 1) {
    // The index holds every sample type's unfiltered table.
    flat = index.topFlat.subarray(ev.sampleType * n, (ev.sampleType + 1) * n);
    cum = index.topCum.subarray(ev.sampleType * n, (ev.sampleType + 1) * n);
  } else {
    const map = topNameIdMap(index);
    flat = flatById(ev, map);
    [cum] = cumulativeByIds(ev, [map]);
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (flat[i] !== 0 || cum[i] !== 0) count++;
  const out: RowIds = {
    ids: new Int32Array(count),
    flat: new Float64Array(count),
    cum: new Float64Array(count),
  };
  count = 0;
  for (let i = 0; i < n; i++) {
    if (flat[i] === 0 && cum[i] === 0) continue;
    out.ids[count] = i;
    out.flat[count] = flat[i];
    out.cum[count++] = cum[i];
  }
  return out;
}

/** The rows (unsorted) of an evaluation: per top name, flat and cum; all-zero rows left out. */
export function topRowsOf(ev: Evaluation): TopRow[] {
  const r = rowIdsOf(ev);
  return Array.from(r.ids, (id, i) => ({
    name: ev.index.topNames[id],
    flat: r.flat[i],
    cum: r.cum[i],
  }));
}
