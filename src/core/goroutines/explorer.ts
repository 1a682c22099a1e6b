// What the goroutine explorer (sidebar tree and table) shows of a snapshot: groups filtered by
// text, optionally compared with an earlier snapshot, summarised into small plain objects that
// cross a worker or webview boundary cheaply. The snapshot itself stays where it was parsed;
// consumers ask for one page of groups or goroutines at a time.
import { compareSnapshots, type GroupChangeKind } from './compare';
import {
  groupGoroutines,
  type GoroutineGroup,
  type GroupFlag,
  type GroupSimilarity,
} from './group';
import { GoroutineFlag, type DumpFormat, type DumpWarning, type GoroutineSnapshot } from './model';
import { countLeaked } from './leak';
import { splitFuncName, type GoroutineFlagName } from './view';

/** How the explorer groups and filters. */
export interface ExplorerOptions {
  similarity: GroupSimilarity;
  /** Leave the runtime's own goroutines out. */
  hideSystem: boolean;
  /**
   * Space-separated terms, all of which must match (case-insensitive substrings) one of: a
   * function or `file:line` of the stack or `created by`, the state, a label `key=value`,
   * or the goroutine id (`17` or `#17`, exactly). '' shows everything.
   */
  filter: string;
  /** Show only the goroutines the runtime marked leaked (the goroutine leak profile's view); default false. */
  onlyLeaked?: boolean;
}

/** A frame reduced to what a view names and opens. */
export interface FrameRef {
  func: string;
  file: string;
  /** 0 when unknown. */
  line: number;
}

/** How a group changed since the baseline snapshot. */
export interface GroupChangeInfo {
  kind: GroupChangeKind;
  /** Goroutines in the group in the baseline (0 for new groups). */
  before: number;
  /** Now minus before. */
  delta: number;
}

/** One group of the explorer, as a plain object (no indexes into the snapshot). */
export interface GroupSummary {
  /** Position in the view; pass it back to ask for the group's goroutines. */
  index: number;
  /** The group's stack signature: stable across snapshots of one program (identity for trees). */
  signature: string;
  /** Goroutines in the group; 0 for a group that vanished since the baseline. */
  count: number;
  /** Goroutines matching the filter (= count without a filter). */
  matched: number;
  /** Matching rows: the unit goroutine pages are counted in (rows of debug=1/0 stand for several goroutines). */
  rowCount: number;
  states: { state: string; count: number }[];
  waitMinutes: { min: number; max: number };
  /** Innermost frame; undefined for an empty stack. */
  top: FrameRef | undefined;
  /** The frame to name the group by: the innermost frame outside the standard library, else `top`. */
  focus: FrameRef | undefined;
  /** The group's stack, innermost first. */
  stack: FrameRef[];
  createdBy: FrameRef | undefined;
  labels: { labels: Readonly<Record<string, string>>; count: number }[];
  flags: GroupFlag[];
  system: boolean;
  /** Set when comparing with a baseline. */
  change?: GroupChangeInfo;
}

/** One goroutine (or debug=1/0 record) row of a group, as a plain object. */
export interface GoroutineSummary {
  /** Row in the snapshot: pass it back to ask for the goroutine's frames. */
  row: number;
  /** -1 for debug=1/0 records (no ids). */
  id: number;
  /** Goroutines the row stands for (1 in tracebacks). */
  count: number;
  state: string;
  waitMinutes: number;
  flags: GoroutineFlagName[];
  labels: Readonly<Record<string, string>>;
  /** Frames in the row's stack (its own stack may differ in lines from the group's in relaxed mode). */
  frameCount: number;
  top: FrameRef | undefined;
  /** Id of the goroutine that created it (`created by … in goroutine N`), or -1. */
  parentId: number;
}

/** What a parsed snapshot is, for titles and messages. */
export interface DumpSummary {
  format: DumpFormat;
  /** Goroutines represented (sum of row weights). */
  totalGoroutines: number;
  rows: number;
  /** Total the input declares (debug=1/0), -1 for tracebacks. */
  declaredTotal: number;
  /** `panic: …`, `fatal error: …`, `SIGSEGV: …` for a crash dump; undefined for a live dump. */
  headline: string | undefined;
  /** The full header text: every panic of a chain, runtime messages, a test timeout. */
  headerDetail: string[];
  /** Id of the goroutine the crash happened on, or -1. */
  currentGoroutine: number;
  /** Parser warnings (the first 50) and how many there were. */
  warnings: DumpWarning[];
  warningCount: number;
  /** The dump ends in the middle of a goroutine: what parsed is shown, more existed. */
  truncated: boolean;
  /** Goroutines the runtime marked leaked (a goroutine leak profile); absent or 0 otherwise. */
  leakedGoroutines?: number;
}

/** A grouped, filtered (and maybe compared) snapshot: held where the snapshot lives. */
export interface ExplorerView {
  options: ExplorerOptions;
  entries: ExplorerEntry[];
  /** Goroutines in the snapshot, runtime ones included. */
  totalGoroutines: number;
  /** Runtime goroutines left out (0 when shown). */
  hiddenSystem: number;
  /** Goroutines in the listed groups that match the filter. */
  matchedGoroutines: number;
  /** Set when compared with a baseline: goroutines in visible groups before and now. */
  comparison: { totalBefore: number; totalAfter: number } | undefined;
}

/** One group of a view (or a group that vanished since the baseline). */
export interface ExplorerEntry {
  signature: string;
  /** The group in the current snapshot; undefined when it vanished. */
  group: GoroutineGroup | undefined;
  /** The group in the baseline; indexes refer to the baseline snapshot. */
  previous: GoroutineGroup | undefined;
  /** Member rows matching the filter, in input order. */
  rows: number[];
  matched: number;
  change: GroupChangeInfo | undefined;
}

/** Group a row belongs to in `GoroutineTableData.group` when the table shows it in no group (never happens for listed rows). */
export const NO_GROUP = 0xffffffff;

/**
 * Every goroutine of a view as columns, for the table webview: typed arrays move between
 * threads and into a webview without copying element by element, and 100k rows cost about
 * 4 MB. Rows are the visible goroutines (runtime ones left out when hidden), unfiltered: the
 * table filters and sorts them itself.
 */
export interface GoroutineTableData {
  rowCount: number;
  /** Row in the snapshot (for detail requests). */
  row: Uint32Array;
  /** Goroutine id; -1 for debug=1/0 records. */
  id: Float64Array;
  count: Uint32Array;
  /** Index into `states`. */
  state: Uint32Array;
  waitMinutes: Uint32Array;
  /** Index into the stack table. */
  stack: Uint32Array;
  /** Index into the frame table, or -1. */
  createdBy: Int32Array;
  /** Index into `labelTexts`, or -1. */
  labels: Int32Array;
  /** Index into `groups`. */
  group: Uint32Array;
  /** `GoroutineFlag` bits. */
  flags: Uint8Array;
  states: string[];
  /** Label sets as `key=value, key=value`. */
  labelTexts: string[];
  frames: { func: string[]; file: string[]; line: Uint32Array };
  stacks: {
    /** Stack s is `frameIndex[frameStart[s] .. frameStart[s+1])`, innermost first. */
    frameStart: Uint32Array;
    frameIndex: Uint32Array;
    /** The frame to name the stack by (see `GroupSummary.focus`), or -1 for an empty stack. */
    focus: Int32Array;
  };
  groups: TableGroup[];
}

/** One group row of the table. */
export interface TableGroup {
  signature: string;
  count: number;
  states: { state: string; count: number }[];
  waitMinutes: { min: number; max: number };
  /** Index into the table's stacks. */
  stack: number;
  /** Index into the table's frames, or -1. */
  createdBy: number;
  labels: string;
  flags: GroupFlag[];
  change?: GroupChangeInfo;
}

/**
 * Top-level directories of the standard library (go list std): frames there are "library"
 * frames the explorer looks past when naming a group, so `sync.(*Mutex).Lock` above
 * `main.handle` is named by `main.handle`.
 */
const STD_ROOTS = new Set([
  'archive',
  'bufio',
  'builtin',
  'bytes',
  'cmp',
  'compress',
  'container',
  'context',
  'crypto',
  'database',
  'debug',
  'embed',
  'encoding',
  'errors',
  'expvar',
  'flag',
  'fmt',
  'go',
  'hash',
  'html',
  'image',
  'index',
  'internal',
  'io',
  'iter',
  'log',
  'maps',
  'math',
  'mime',
  'net',
  'os',
  'path',
  'plugin',
  'reflect',
  'regexp',
  'runtime',
  'slices',
  'sort',
  'strconv',
  'strings',
  'structs',
  'sync',
  'syscall',
  'testing',
  'text',
  'time',
  'unicode',
  'unique',
  'unsafe',
  'vendor',
  'weak',
]);

/** True for functions of the Go standard library (and the runtime's `panic`). */
export function isStandardLibraryFunc(func: string): boolean {
  if (func === 'panic') return true;
  const { pkg } = splitFuncName(func);
  if (pkg === '' || pkg === 'main') return false;
  const slash = pkg.indexOf('/');
  return STD_ROOTS.has(slash < 0 ? pkg : pkg.slice(0, slash));
}

/** `github.com/a/b.(*T).M` → `b.(*T).M`: the function with its package's last path element. */
export function shortFuncName(func: string): string {
  const { pkg, name } = splitFuncName(func);
  if (pkg === '') return func;
  return `${pkg.slice(pkg.lastIndexOf('/') + 1)}.${name}`;
}

/** The innermost frame of `stack` outside the standard library, else the innermost; -1 when empty. */
export function focusFrame(s: GoroutineSnapshot, stack: number): number {
  const { frameStart, frameIndex } = s.stacks;
  const start = frameStart[stack];
  const end = frameStart[stack + 1];
  if (start === end) return -1;
  for (let k = start; k < end; k++)
    if (!isStandardLibraryFunc(s.frames.func[frameIndex[k]])) return frameIndex[k];
  return frameIndex[start];
}

function frameRef(s: GoroutineSnapshot, frame: number): FrameRef | undefined {
  return frame < 0
    ? undefined
    : { func: s.frames.func[frame], file: s.frames.file[frame], line: s.frames.line[frame] };
}

/**
 * A predicate over snapshot rows for `filter` (see `ExplorerOptions.filter`), or undefined when
 * the filter is empty. Stacks, frames, states and label sets are shared by many goroutines,
 * so each is tested once per term and remembered: filtering 100k goroutines costs one pass.
 */
export function rowMatcher(
  s: GoroutineSnapshot,
  filter: string,
): ((row: number) => boolean) | undefined {
  const terms = filter
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '');
  if (terms.length === 0) return undefined;
  const g = s.goroutines;
  const frameText: (string | undefined)[] = new Array(s.frames.count);
  const textOfFrame = (f: number) =>
    (frameText[f] ??= `${s.frames.func[f]} ${s.frames.file[f]}:${s.frames.line[f]}`.toLowerCase());
  const labelText = s.labelSets.map((set) =>
    Object.entries(set)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
      .toLowerCase(),
  );
  const stateText = s.states.map((st) => st.toLowerCase());
  // Per term: 0 unknown, 1 match, 2 no match.
  const memo = (n: number) => terms.map(() => new Uint8Array(n));
  const stackMemo = memo(s.stacks.count);
  const frameMemo = memo(s.frames.count);
  const ids = terms.map((t) => (/^#?\d+$/.test(t) ? Number(t.replace('#', '')) : -2));

  const stackHas = (k: number, st: number): boolean => {
    let m = stackMemo[k][st];
    if (m === 0) {
      m = 2;
      for (let i = s.stacks.frameStart[st]; i < s.stacks.frameStart[st + 1]; i++) {
        if (textOfFrame(s.stacks.frameIndex[i]).includes(terms[k])) {
          m = 1;
          break;
        }
      }
      stackMemo[k][st] = m;
    }
    return m === 1;
  };
  const frameHas = (k: number, f: number): boolean => {
    let m = frameMemo[k][f];
    if (m === 0) frameMemo[k][f] = m = textOfFrame(f).includes(terms[k]) ? 1 : 2;
    return m === 1;
  };
  return (row) => {
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k];
      if (ids[k] === g.id[row]) continue;
      if (stateText[g.state[row]].includes(t)) continue;
      const l = g.labels[row];
      if (l >= 0 && labelText[l].includes(t)) continue;
      if (stackHas(k, g.stack[row])) continue;
      const cb = g.createdBy[row];
      if (cb >= 0 && frameHas(k, cb)) continue;
      return false;
    }
    return true;
  };
}

function matchedRows(
  s: GoroutineSnapshot,
  rows: number[],
  match: ((row: number) => boolean) | undefined,
): { rows: number[]; matched: number } {
  if (!match) {
    let n = 0;
    for (const r of rows) n += s.goroutines.weight[r];
    return { rows, matched: n };
  }
  const out: number[] = [];
  let n = 0;
  for (const r of rows) {
    if (match(r)) {
      out.push(r);
      n += s.goroutines.weight[r];
    }
  }
  return { rows: out, matched: n };
}

/**
 * Groups `s` (see `groupGoroutines`; sorted the same way), keeps the groups with goroutines
 * matching the filter, and — given a baseline — compares: groups then come in the order of
 * `compareSnapshots` (new and grown first, largest increase first) and vanished groups are listed.
 */
export function exploreSnapshot(
  s: GoroutineSnapshot,
  options: ExplorerOptions,
  baseline?: GoroutineSnapshot,
): ExplorerView {
  const groupOptions = {
    similarity: options.similarity,
    hideSystem: options.hideSystem,
    onlyLeaked: options.onlyLeaked === true,
  };
  const entries: ExplorerEntry[] = [];
  let comparison: ExplorerView['comparison'];
  let visible = 0;
  const all = (rows: number[], count: number) => ({ rows, matched: count });
  if (baseline) {
    const cmp = compareSnapshots(baseline, s, groupOptions);
    comparison = { totalBefore: cmp.totalBefore, totalAfter: cmp.totalAfter };
    for (const c of cmp.changes) {
      const change = { kind: c.kind, before: c.before, delta: c.delta };
      if (c.current) visible += c.current.count;
      const m = c.current ? all(c.current.rows, c.current.count) : all([], 0);
      entries.push({
        signature: c.signature,
        group: c.current,
        previous: c.previous,
        ...m,
        change,
      });
    }
  } else {
    for (const group of groupGoroutines(s, groupOptions).groups) {
      visible += group.count;
      entries.push({
        signature: group.signature,
        group,
        previous: undefined,
        ...all(group.rows, group.count),
        change: undefined,
      });
    }
  }
  const grouped: ExplorerView = {
    options: { ...options, filter: '' },
    entries,
    totalGoroutines: s.totalGoroutines,
    hiddenSystem: options.hideSystem
      ? (options.onlyLeaked ? countLeaked(s) : s.totalGoroutines) - visible
      : 0,
    matchedGoroutines: visible,
    comparison,
  };
  return options.filter === '' ? grouped : filterView(s, grouped, options.filter, baseline);
}

/**
 * `view` (unfiltered) narrowed to the goroutines matching `filter`: regrouping is not needed, so
 * typing a filter over 100k goroutines costs one pass over their rows. `baseline` is the
 * snapshot `view` was compared with (its vanished groups are matched against it).
 */
export function filterView(
  s: GoroutineSnapshot,
  view: ExplorerView,
  filter: string,
  baseline?: GoroutineSnapshot,
): ExplorerView {
  const match = rowMatcher(s, filter);
  if (!match) return { ...view, options: { ...view.options, filter } };
  const baselineMatch = baseline ? rowMatcher(baseline, filter) : undefined;
  const entries: ExplorerEntry[] = [];
  let matchedGoroutines = 0;
  for (const e of view.entries) {
    if (e.group) {
      const m = matchedRows(s, e.group.rows, match);
      if (m.matched === 0) continue;
      matchedGoroutines += m.matched;
      entries.push({ ...e, rows: m.rows, matched: m.matched });
    } else if (e.previous && baselineMatch && e.previous.rows.some(baselineMatch)) {
      entries.push(e);
    }
  }
  return { ...view, options: { ...view.options, filter }, entries, matchedGoroutines };
}

function stackRefs(s: GoroutineSnapshot, stack: number): FrameRef[] {
  const out: FrameRef[] = [];
  for (let k = s.stacks.frameStart[stack]; k < s.stacks.frameStart[stack + 1]; k++)
    out.push(frameRef(s, s.stacks.frameIndex[k])!);
  return out;
}

/** Entry `index` of `view` as a plain object. `baseline` is needed for vanished groups. */
export function groupSummary(
  s: GoroutineSnapshot,
  view: ExplorerView,
  index: number,
  baseline?: GoroutineSnapshot,
): GroupSummary {
  const e = view.entries[index];
  const from = e.group ? s : baseline;
  const g = e.group ?? e.previous;
  if (!from || !g) throw new RangeError(`group ${index} has no snapshot to describe it`);
  return {
    index,
    signature: e.signature,
    count: e.group?.count ?? 0,
    matched: e.matched,
    rowCount: e.rows.length,
    states: g.states,
    waitMinutes: g.waitMinutes,
    top: frameRef(from, g.topFrame),
    focus: frameRef(from, focusFrame(from, g.stack)),
    stack: stackRefs(from, g.stack),
    createdBy: frameRef(from, g.createdBy),
    labels: g.labels,
    flags: g.flags,
    system: g.system,
    ...(e.change ? { change: e.change } : {}),
  };
}

/** Rows `offset .. offset+limit` of entry `index`'s matching goroutines. */
export function goroutineSummaries(
  s: GoroutineSnapshot,
  view: ExplorerView,
  index: number,
  offset: number,
  limit: number,
): GoroutineSummary[] {
  const g = s.goroutines;
  return view.entries[index].rows.slice(offset, offset + limit).map((row) => {
    const stack = g.stack[row];
    const start = s.stacks.frameStart[stack];
    const end = s.stacks.frameStart[stack + 1];
    return {
      row,
      id: g.id[row],
      count: g.weight[row],
      state: s.states[g.state[row]],
      waitMinutes: g.waitMinutes[row],
      flags: flagNames(g.flags[row]),
      labels: g.labels[row] >= 0 ? s.labelSets[g.labels[row]] : {},
      frameCount: end - start,
      top: start < end ? frameRef(s, s.stacks.frameIndex[start]) : undefined,
      parentId: g.parentId[row],
    };
  });
}

function headerLines(s: GoroutineSnapshot): { headline: string | undefined; detail: string[] } {
  const h = s.header;
  if (!h) return { headline: undefined, detail: [] };
  const detail: string[] = [...h.runtimeMessages];
  h.panics.forEach((p, i) =>
    detail.push(
      `${i === 0 ? 'panic' : '\tpanic'}: ${p.value}${p.recovered ? (p.repanicked ? ' [recovered, repanicked]' : ' [recovered]') : ''}`,
    ),
  );
  if (h.fatalError) detail.push(`fatal error: ${h.fatalError}`);
  if (h.signal)
    detail.push(`${h.signal.name}${h.signal.description ? `: ${h.signal.description}` : ''}`);
  if (h.testTimeout) {
    detail.push(`test timed out after ${h.testTimeout.after}`);
    for (const r of h.testTimeout.running) detail.push(`\trunning ${r.name} (${r.duration})`);
  }
  // The newest panic is the one that killed the program; a test timeout explains itself best.
  const last = h.panics[h.panics.length - 1];
  const headline = h.testTimeout
    ? `test timed out after ${h.testTimeout.after}`
    : h.fatalError
      ? `fatal error: ${h.fatalError}`
      : last
        ? `panic: ${last.value.split('\n')[0]}`
        : h.signal
          ? `${h.signal.name}${h.signal.description ? `: ${h.signal.description}` : ''}`
          : undefined;
  return { headline, detail };
}

/** What `s` is, for the explorer's title line and messages. */
export function summariseDump(s: GoroutineSnapshot): DumpSummary {
  const { headline, detail } = headerLines(s);
  const h = s.header;
  return {
    format: s.format,
    totalGoroutines: s.totalGoroutines,
    rows: s.goroutines.count,
    declaredTotal: s.declaredTotal,
    headline,
    headerDetail: detail,
    currentGoroutine: h && h.currentGoroutine >= 0 ? s.goroutines.id[h.currentGoroutine] : -1,
    warnings: s.warnings.slice(0, 50),
    warningCount: s.warnings.length,
    truncated: s.warnings.some((w) => w.kind === 'truncated'),
    leakedGoroutines: countLeaked(s),
  };
}

/**
 * Every goroutine of `view` as table columns (see `GoroutineTableData`). Give it an unfiltered
 * view: the table lists all visible goroutines and filters them itself. Copies: nothing in the
 * result shares memory with `s`, so it can be transferred to another thread.
 */
export function goroutineTable(s: GoroutineSnapshot, view: ExplorerView): GoroutineTableData {
  const g = s.goroutines;
  let n = 0;
  const group = new Uint32Array(g.count).fill(NO_GROUP);
  const groups: TableGroup[] = [];
  for (const e of view.entries) {
    if (!e.group) continue;
    const gi = groups.length;
    for (const r of e.rows) group[r] = gi;
    n += e.rows.length;
    groups.push({
      signature: e.signature,
      count: e.matched,
      states: e.group.states,
      waitMinutes: e.group.waitMinutes,
      stack: e.group.stack,
      createdBy: e.group.createdBy,
      labels: e.group.labels
        .map((l) => labelText(l.labels) + (e.group!.labels.length > 1 ? ` (${l.count})` : ''))
        .join('; '),
      flags: e.group.flags,
      ...(e.change ? { change: e.change } : {}),
    });
  }
  const out: GoroutineTableData = {
    rowCount: n,
    row: new Uint32Array(n),
    id: new Float64Array(n),
    count: new Uint32Array(n),
    state: new Uint32Array(n),
    waitMinutes: new Uint32Array(n),
    stack: new Uint32Array(n),
    createdBy: new Int32Array(n),
    labels: new Int32Array(n),
    group: new Uint32Array(n),
    flags: new Uint8Array(n),
    states: [...s.states],
    labelTexts: s.labelSets.map(labelText),
    frames: { func: [...s.frames.func], file: [...s.frames.file], line: s.frames.line.slice() },
    stacks: {
      frameStart: s.stacks.frameStart.slice(),
      frameIndex: s.stacks.frameIndex.slice(),
      focus: Int32Array.from({ length: s.stacks.count }, (_, st) => focusFrame(s, st)),
    },
    groups,
  };
  let i = 0;
  for (let r = 0; r < g.count; r++) {
    if (group[r] === NO_GROUP) continue;
    out.row[i] = r;
    out.id[i] = g.id[r];
    out.count[i] = g.weight[r];
    out.state[i] = g.state[r];
    out.waitMinutes[i] = g.waitMinutes[r];
    out.stack[i] = g.stack[r];
    out.createdBy[i] = g.createdBy[r];
    out.labels[i] = g.labels[r];
    out.group[i] = group[r];
    out.flags[i] = g.flags[r];
    i++;
  }
  return out;
}

/** `{a: 1, b: 2}` → `a=1, b=2`. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The GoroutineFlag bits of a table row as names (for tooltips and filters in the table). */
export function flagNames(bits: number): GoroutineFlagName[] {
  const out: GoroutineFlagName[] = [];
  if (bits & GoroutineFlag.Current) out.push('current');
  if (bits & GoroutineFlag.LockedToThread) out.push('locked-to-thread');
  if (bits & GoroutineFlag.Leaked) out.push('leaked');
  if (bits & GoroutineFlag.Durable) out.push('durable');
  if (bits & GoroutineFlag.Scan) out.push('scan');
  if (bits & GoroutineFlag.StackUnavailable) out.push('stack-unavailable');
  if (bits & GoroutineFlag.Truncated) out.push('truncated');
  return out;
}
