// Object views of snapshot rows, for consumers that show one goroutine or one stack at a time
// (tree items, table rows, JSON output). Building them is cheap; do it on demand, not for all
// 100k rows up front.
import { isSystemGoroutine } from './system';
import { GoroutineFlag, type GoroutineSnapshot, type GoroutineThread } from './model';

/** One frame with its per-goroutine data when known. */
export interface FrameView {
  func: string;
  file: string;
  /** 0 when unknown. */
  line: number;
  /** PC offset from the function entry; -1 when not printed. */
  offset: number;
  /** '' when not printed. */
  pc: string;
  inlined: boolean;
  /** Argument text without parentheses, for frames of a traceback goroutine; else undefined. */
  args?: string;
  fp?: string;
  sp?: string;
}

/** `GoroutineFlag` bits by name, as `GoroutineView.flags` lists them. */
export type GoroutineFlagName =
  | 'locked-to-thread'
  | 'scan'
  | 'stack-unavailable'
  | 'leaked'
  | 'durable'
  | 'current'
  | 'truncated';

const FLAG_NAMES: [number, GoroutineFlagName][] = [
  [GoroutineFlag.LockedToThread, 'locked-to-thread'],
  [GoroutineFlag.Scan, 'scan'],
  [GoroutineFlag.StackUnavailable, 'stack-unavailable'],
  [GoroutineFlag.Leaked, 'leaked'],
  [GoroutineFlag.Durable, 'durable'],
  [GoroutineFlag.Current, 'current'],
  [GoroutineFlag.Truncated, 'truncated'],
];

/** One goroutine (or debug=1/debug=0 record) as a plain object. */
export interface GoroutineView {
  row: number;
  /** Goroutine id; -1 for debug=1/debug=0 records. */
  id: number;
  /** Goroutines this row stands for (1 in tracebacks). */
  count: number;
  /** Wait reason or status; '' when the format does not record it (debug=1/0). */
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  flags: GoroutineFlagName[];
  frames: FrameView[];
  /** `...N frames elided...` after `at` frames; count -1 when not printed. */
  elided: { count: number; at: number } | null;
  createdBy: (FrameView & { goroutine: number | null }) | null;
  labels: Readonly<Record<string, string>>;
  thread: GoroutineThread | null;
  ancestors: { id: number; frames: FrameView[]; createdBy: FrameView | null }[];
  /** Header items the parser did not recognise, verbatim. */
  extraHeaderItems: string[];
  system: boolean;
  /** 1-based line of the goroutine's header in the input; 0 when unknown. */
  line: number;
}

/** The frame at `frame` (an index into `frames`). */
export function frameAt(s: GoroutineSnapshot, frame: number): FrameView {
  const f = s.frames;
  return {
    func: f.func[frame],
    file: f.file[frame],
    line: f.line[frame],
    offset: f.offset[frame],
    pc: f.pc[frame],
    inlined: f.inlined[frame] === 1,
  };
}

/** The frames of stack `stack`, innermost first, without per-goroutine data. */
export function stackFrames(s: GoroutineSnapshot, stack: number): FrameView[] {
  const out: FrameView[] = [];
  for (let k = s.stacks.frameStart[stack]; k < s.stacks.frameStart[stack + 1]; k++)
    out.push(frameAt(s, s.stacks.frameIndex[k]));
  return out;
}

/** Frame indexes of stack `stack`, innermost first. */
export function stackFrameIndexes(s: GoroutineSnapshot, stack: number): Uint32Array {
  return s.stacks.frameIndex.subarray(s.stacks.frameStart[stack], s.stacks.frameStart[stack + 1]);
}

/** The state text of row `row`. */
export function stateOf(s: GoroutineSnapshot, row: number): string {
  return s.states[s.goroutines.state[row]];
}

/** Row `row` as a plain object, frames carrying their arguments (and fp/sp when printed). */
export function goroutineAt(s: GoroutineSnapshot, row: number): GoroutineView {
  const g = s.goroutines;
  const stack = g.stack[row];
  const frames = stackFrames(s, stack);
  const a0 = g.argStart[row];
  if (g.argStart[row + 1] - a0 === frames.length) {
    for (let k = 0; k < frames.length; k++) {
      frames[k].args = s.args[s.instances.args[a0 + k]];
      if (s.instances.fp && s.instances.fp[a0 + k]) {
        frames[k].fp = s.instances.fp[a0 + k];
        frames[k].sp = s.instances.sp![a0 + k];
      }
    }
  }
  const flags = g.flags[row];
  const cb = g.createdBy[row];
  const elided = s.stacks.elided[stack];
  return {
    row,
    id: g.id[row],
    count: g.weight[row],
    state: s.states[g.state[row]],
    waitMinutes: g.waitMinutes[row],
    lockedToThread: (flags & GoroutineFlag.LockedToThread) !== 0,
    flags: FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name),
    frames,
    elided: elided !== 0 ? { count: elided, at: s.stacks.elidedAt[stack] } : null,
    createdBy:
      cb >= 0
        ? { ...frameAt(s, cb), goroutine: g.parentId[row] >= 0 ? g.parentId[row] : null }
        : null,
    labels: g.labels[row] >= 0 ? s.labelSets[g.labels[row]] : {},
    thread: s.threads.get(row) ?? null,
    ancestors: (s.ancestors.get(row) ?? []).map((a) => ({
      id: a.id,
      frames: stackFrames(s, a.stack),
      createdBy: a.createdBy >= 0 ? frameAt(s, a.createdBy) : null,
    })),
    extraHeaderItems: s.extraHeaderItems.get(row) ?? [],
    system: isSystemGoroutine(s, row),
    line: g.line[row],
  };
}

/**
 * Splits a function name as printed into its package path and the rest:
 * `github.com/a/b.(*T).M` → `{ pkg: 'github.com/a/b', name: '(*T).M' }`. The package ends at the
 * first dot after the last slash (the runtime prints dots of the last path element as `%2e`).
 */
export function splitFuncName(func: string): { pkg: string; name: string } {
  const slash = func.lastIndexOf('/', func.indexOf('[') >= 0 ? func.indexOf('[') : func.length);
  const dot = func.indexOf('.', slash + 1);
  if (dot < 0) return { pkg: '', name: func };
  return { pkg: func.slice(0, dot), name: func.slice(dot + 1) };
}
