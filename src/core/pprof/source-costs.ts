// Costs for the editor: per source line and per function, for one query, grouped by source file
// as the profile records it; and the callers and callees of one line.
//
// Line costs follow pprof's "lines" granularity (what `-list` and `-top -lines` show): flat is the
// value of the samples whose leaf frame is on the line, cum the value of the samples with a frame
// on the line, counted once per sample however often the line occurs on the stack (recursion,
// inlining). Function costs are per (name, file) function key: self = flat, total = cum.
import {
  cumulativeByIds,
  evaluate,
  flatById,
  funcIdMap,
  lineIdMap,
  nodeAbsAt,
  nodeTotalAt,
  type Evaluation,
  type ProfileQuery,
} from './evaluate';
import { FIRST_FUNC, FIRST_LINE, nodeOfEntry } from './profile-index';
import type { ValueType } from './model';
import type { ProfileIndex } from './profile-index';

/** Costs of one function (one (name, file) key). */
export interface FunctionCosts {
  name: string;
  file: string;
  /** The function's first line as the profile records it (0 when unknown). */
  startLine: number;
  self: number;
  total: number;
}

/** Costs of the lines and functions of one source file. */
export interface FileCosts {
  /** The file as recorded in the profile (absolute, or module-relative with -trimpath). */
  file: string;
  /** Lines with a cost, ascending; `flat[i]`, `cum[i]` belong to `lines[i]`. */
  lines: Int32Array;
  flat: Float64Array;
  cum: Float64Array;
  /** The file's functions with a cost, by start line. */
  functions: FunctionCosts[];
}

/** The source costs of a query. Plain data (Maps and typed arrays): it can be posted as is. */
export interface SourceCosts {
  sampleType: ValueType;
  /** The summed value of the samples the filter keeps. */
  total: number;
  /** Per recorded file name. Files without any cost are absent. */
  files: Map<string, FileCosts>;
}

/**
 * Per-line and per-function costs of a query, for every file at once (one walk of the index), so
 * that "costs for this file" is a Map lookup. Frames without a file (unsymbolized code) are left
 * out. Throws FilterError for an invalid filter, RangeError for a bad sample type.
 */
export function sourceCosts(index: ProfileIndex, query: ProfileQuery): SourceCosts {
  return sourceCostsOf(evaluate(index, query));
}

/** `sourceCosts` of an evaluated query (the worker evaluates each query once for every view). */
export function sourceCostsOf(ev: Evaluation): SourceCosts {
  const index = ev.index;
  const nLines = index.lineNo.length;
  const K = index.funcCount;
  const lines = lineIdMap(index);
  const funcs = funcIdMap(index);
  const [lineCum, funcCum] = cumulativeByIds(ev, [lines, funcs]);
  const lineFlat = flatById(ev, lines);
  const funcFlat = flatById(ev, funcs);

  // Lines grouped by file, ascending.
  const byFile = new Map<number, number[]>();
  for (let i = 0; i < nLines; i++) {
    if (lineCum[i] === 0 && lineFlat[i] === 0) continue;
    const f = index.lineFile[i];
    let list = byFile.get(f);
    if (!list) byFile.set(f, (list = []));
    list.push(i);
  }
  const files = new Map<string, FileCosts>();
  for (const [f, ids] of byFile) {
    ids.sort((a, b) => index.lineNo[a] - index.lineNo[b]);
    const name = index.files[f];
    files.set(name, {
      file: name,
      lines: Int32Array.from(ids, (i) => index.lineNo[i]),
      flat: Float64Array.from(ids, (i) => lineFlat[i]),
      cum: Float64Array.from(ids, (i) => lineCum[i]),
      functions: [],
    });
  }
  for (let k = 0; k < K; k++) {
    if (funcCum[k] === 0 && funcFlat[k] === 0) continue;
    const fc = files.get(index.funcFile[k]);
    if (!fc) continue;
    fc.functions.push({
      name: index.funcName[k],
      file: index.funcFile[k],
      startLine: index.funcStartLine[k],
      self: funcFlat[k],
      total: funcCum[k],
    });
  }
  for (const fc of files.values())
    fc.functions.sort(
      (a, b) => a.startLine - b.startLine || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  return { sampleType: index.profile.sampleTypes[ev.sampleType], total: ev.total, files };
}

const fileIds = new WeakMap<ProfileIndex, Map<string, number>>();

/**
 * The costs of one source file (as the profile records it; see `matchRecordedFile`) for a query,
 * or undefined when no kept sample has a frame in it. When the filter only selects samples
 * (focus, ignore, tags, none) this reads just the file's own frames from the index; filters that
 * edit stacks fall back to `sourceCosts`.
 */
export function fileCosts(
  index: ProfileIndex,
  query: ProfileQuery,
  file: string,
): FileCosts | undefined {
  return fileCostsOf(evaluate(index, query), file);
}

/** `fileCosts` of an evaluated query. */
export function fileCostsOf(ev: Evaluation, file: string): FileCosts | undefined {
  const index = ev.index;
  if (ev.structural) return sourceCostsOf(ev).files.get(file);
  let ids = fileIds.get(index);
  if (!ids) fileIds.set(index, (ids = new Map(index.files.map((f, i) => [f, i]))));
  const f = ids.get(file);
  if (f === undefined) return undefined;
  const lineFlat = new Map<number, number>();
  const lineCum = new Map<number, number>();
  const funcSelf = new Map<number, number>();
  const funcTotal = new Map<number, number>();
  const add = (m: Map<number, number>, k: number, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const nss = index.nodeStackStart;
  const size = index.nodeSize;
  const P = ev.prefix!;
  const PA = ev.prefixAbs!;
  for (let i = index.fileEntryStart[f]; i < index.fileEntryStart[f + 1]; i++) {
    const e = index.fileEntry[i];
    const n = nodeOfEntry(index, e);
    const lo = nss[n];
    const hi = nss[n + size[n]];
    if (PA[hi] === PA[lo]) continue;
    const v = P[hi] - P[lo];
    const x = index.chainX[e];
    const flags = index.fileEntryFlags[i];
    if (flags & FIRST_LINE) add(lineCum, index.xLineId[x], v);
    if (flags & FIRST_FUNC) add(funcTotal, index.xFunc[x], v);
  }
  for (let i = index.fileStackStart[f]; i < index.fileStackStart[f + 1]; i++) {
    const d = index.fileStacks[i];
    if (ev.stackAbs[d] === 0) continue;
    const x = index.stackLeafX[d];
    add(lineFlat, index.xLineId[x], ev.stackVal[d]);
    add(funcSelf, index.xFunc[x], ev.stackVal[d]);
  }
  const lineIdsOf = [...new Set([...lineCum.keys(), ...lineFlat.keys()])].filter(
    (l) => (lineCum.get(l) ?? 0) !== 0 || (lineFlat.get(l) ?? 0) !== 0,
  );
  if (lineIdsOf.length === 0) return undefined;
  lineIdsOf.sort((a, b) => index.lineNo[a] - index.lineNo[b]);
  const functions: FunctionCosts[] = [];
  for (const k of new Set([...funcTotal.keys(), ...funcSelf.keys()])) {
    const self = funcSelf.get(k) ?? 0;
    const total = funcTotal.get(k) ?? 0;
    if (self === 0 && total === 0) continue;
    functions.push({
      name: index.funcName[k],
      file,
      startLine: index.funcStartLine[k],
      self,
      total,
    });
  }
  functions.sort(
    (a, b) => a.startLine - b.startLine || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return {
    file,
    lines: Int32Array.from(lineIdsOf, (l) => index.lineNo[l]),
    flat: Float64Array.from(lineIdsOf, (l) => lineFlat.get(l) ?? 0),
    cum: Float64Array.from(lineIdsOf, (l) => lineCum.get(l) ?? 0),
    functions,
  };
}

/** A function calling or called from a line, and the value of the samples where it does. */
export interface LineCall {
  name: string;
  file: string;
  value: number;
}

/** What one source line calls and is called by. */
export interface LineCalls {
  file: string;
  line: number;
  flat: number;
  cum: number;
  /**
   * The functions whose frames call into a frame on this line (the frame's caller): for a line of
   * function F, F's callers. Each sample counts once per caller. Largest value first.
   */
  callers: LineCall[];
  /** The functions called from frames on this line. Each sample counts once per callee. Largest first. */
  callees: LineCall[];
}

/**
 * The callers and callees of one source line (file as recorded in the profile) for a query.
 * A line without samples gives empty lists.
 */
export function lineCalls(
  index: ProfileIndex,
  query: ProfileQuery,
  file: string,
  line: number,
): LineCalls {
  return lineCallsOf(evaluate(index, query), file, line);
}

/** `lineCalls` of an evaluated query. */
export function lineCallsOf(ev: Evaluation, file: string, line: number): LineCalls {
  const index = ev.index;
  const out: LineCalls = { file, line, flat: 0, cum: 0, callers: [], callees: [] };
  let target = -1;
  for (let i = 0; i < index.lineNo.length; i++) {
    if (index.lineNo[i] === line && index.files[index.lineFile[i]] === file) {
      target = i;
      break;
    }
  }
  if (target < 0) return out;
  const N = index.nodeCount;
  const K = index.funcCount;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const xLineId = index.xLineId;
  const xFunc = index.xFunc;
  const callerActive = new Int32Array(K);
  const calleeActive = new Int32Array(K);
  const callerSum = new Float64Array(K);
  const calleeSum = new Float64Array(K);
  let lineActive = 0;
  // Per node: the innermost kept frame on its path (the frame its first frame is called from).
  const lastFrame = new Int32Array(N);
  lastFrame[0] = -1;
  // Enter (+1) or leave (-1) node n: the (line, caller) and (line, callee) pairs of its frames.
  const visit = (n: number, delta: number, v: number): void => {
    let prev = lastFrame[parent[n]];
    for (let e = cs[n]; e < cs[n + 1]; e++) {
      const x = cx[e];
      if (prev >= 0 && xLineId[prev] === target) {
        const c = xFunc[x];
        if (delta > 0 && calleeActive[c] === 0) calleeSum[c] += v;
        calleeActive[c] += delta;
      }
      if (xLineId[x] === target) {
        if (delta > 0 && lineActive === 0) out.cum += v;
        lineActive += delta;
        if (prev >= 0) {
          const c = xFunc[prev];
          if (delta > 0 && callerActive[c] === 0) callerSum[c] += v;
          callerActive[c] += delta;
        }
      }
      prev = x;
    }
  };
  let prevNode = 0;
  for (let n = 1; n < N; n++) {
    if (nodeAbsAt(ev, n) === 0) {
      n += size[n] - 1;
      continue;
    }
    const p = parent[n];
    for (let m = prevNode; m !== p; m = parent[m]) visit(m, -1, 0);
    lastFrame[n] = cs[n] === cs[n + 1] ? lastFrame[p] : cx[cs[n + 1] - 1];
    visit(n, 1, nodeTotalAt(ev, n));
    prevNode = n;
  }
  const ids = new Int32Array(index.xLineId.length).fill(-1);
  for (let x = 0; x < ids.length; x++) if (xLineId[x] === target) ids[x] = 0;
  out.flat = flatById(ev, { idOf: ids, count: 1 })[0];
  const list = (sum: Float64Array): LineCall[] => {
    const calls: LineCall[] = [];
    for (let k = 0; k < K; k++)
      if (sum[k] !== 0)
        calls.push({ name: index.funcName[k], file: index.funcFile[k], value: sum[k] });
    return calls.sort(
      (a, b) =>
        Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  };
  out.callers = list(callerSum);
  out.callees = list(calleeSum);
  return out;
}

/**
 * The file of `recorded` (file names as the profile records them, e.g. `SourceCosts.files.keys()`)
 * that a local path most likely is: the one sharing the longest run of trailing path components
 * with it (at least the base name); ties go to the first. Profiles record build paths (another
 * machine's GOPATH, a module cache, or module-relative names with -trimpath), so the editor
 * matches by suffix.
 */
export function matchRecordedFile(
  recorded: Iterable<string>,
  localPath: string,
): string | undefined {
  const want = localPath.split(/[\\/]+/).filter((p) => p !== '');
  let best: string | undefined;
  let bestLen = 0;
  for (const r of recorded) {
    const have = r.split(/[\\/]+/).filter((p) => p !== '');
    let k = 0;
    while (
      k < want.length &&
      k < have.length &&
      want[want.length - 1 - k] === have[have.length - 1 - k]
    )
      k++;
    if (k > bestLen) {
      best = r;
      bestLen = k;
    }
  }
  return best;
}
