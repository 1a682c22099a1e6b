// Groups goroutines that are doing the same thing, as panicparse does: the same stack (function,
// file and line at every frame) and the same `created by`. The relaxed mode matches on function
// names only, so goroutines parked in the same functions at different lines (or created at
// different places by the same function) fold together. Arguments never take part.
import { GoroutineFlag, type GoroutineSnapshot } from './model';
import { isSystemGoroutine } from './system';

/** How strictly stacks must match to share a group. */
export type GroupSimilarity = 'exact' | 'relaxed';

/** Options of `groupGoroutines` and `compareSnapshots`. */
export interface GroupOptions {
  /**
   * `exact` (default): same function, file and line at every frame, the same elision, and the
   * same `created by` location. `relaxed`: same function sequence and creating function.
   */
  similarity?: GroupSimilarity;
  /** Leave runtime goroutines (see `isSystemGoroutine`) out of the groups. Default true. */
  hideSystem?: boolean;
  /**
   * Groups with a goroutine blocked at least this many minutes get the `long-wait` flag.
   * Default 10: one minute is the runtime's printing threshold and catches every idle worker
   * of a long-running server; ten separates "stuck" from "idle between requests" better.
   */
  longWaitMinutes?: number;
  /** Group only the goroutines the runtime marked leaked (goroutine leak profile); default false. */
  onlyLeaked?: boolean;
}

/** Why a group stands out. */
export type GroupFlag =
  /** Holds the goroutine the panic, fatal error or signal happened on. */
  | 'current'
  /** Members are executing (`running`), ready to (`runnable`) or in a system call (`syscall`): not parked. */
  | 'running'
  | 'runnable'
  | 'syscall'
  /** A member has waited `longWaitMinutes` or more. */
  | 'long-wait'
  | 'locked-to-thread'
  | 'stack-unavailable'
  | 'leaked'
  /** A member's traceback was cut short. */
  | 'truncated';

/** Goroutines that share a stack. */
export interface GoroutineGroup {
  /**
   * The stack as text (`func file:line` per frame, then `created by …`; function names only in
   * relaxed mode). Equal signatures mean the same stack in other snapshots of the same program,
   * which is how `compareSnapshots` matches groups.
   */
  signature: string;
  /** Member rows (indexes into `snapshot.goroutines`), in input order. */
  rows: number[];
  /** Goroutines in the group: the sum of the rows' weights. */
  count: number;
  /** The first member's stack (index into `snapshot.stacks`); in relaxed mode others may differ in lines. */
  stack: number;
  /** Distinct states with their goroutine counts, most common first. */
  states: { state: string; count: number }[];
  /** Range of `, N minutes` over the members (0 = under a minute or not printed). */
  waitMinutes: { min: number; max: number };
  /** Members locked to their thread. */
  lockedToThread: number;
  /** The first member's `created by` frame (index into `snapshot.frames`), or -1. */
  createdBy: number;
  /** Distinct label sets with their counts, most common first (unlabelled goroutines not listed). */
  labels: { labels: Readonly<Record<string, string>>; count: number }[];
  /** Innermost frame of `stack` (index into `snapshot.frames`), or -1 for an empty stack. */
  topFrame: number;
  /** Runtime goroutines (see `isSystemGoroutine`). */
  system: boolean;
  flags: GroupFlag[];
}

/** The result of `groupGoroutines`. */
export interface Grouping {
  similarity: GroupSimilarity;
  /**
   * Sorted so what matters comes first: the group of the goroutine that crashed, then by
   * goroutine count (largest first), then flagged groups before others, longest wait first.
   */
  groups: GoroutineGroup[];
  /** Goroutines left out because they are system goroutines (0 when `hideSystem` is false). */
  hiddenSystem: number;
}

const NOT_PARKED: Record<string, GroupFlag | undefined> = {
  running: 'running',
  runnable: 'runnable',
  syscall: 'syscall',
};

/** Per-snapshot keys: each frame and stack mapped to an id that ignores what the mode ignores. */
class Keys {
  private readonly frameKey: Int32Array;
  private readonly frameIds = new Map<string, number>();
  private readonly stackKey: Int32Array;
  private readonly stackIds = new Map<string, number>();

  constructor(
    private readonly s: GoroutineSnapshot,
    private readonly similarity: GroupSimilarity,
  ) {
    this.frameKey = new Int32Array(s.frames.count).fill(-1);
    this.stackKey = new Int32Array(s.stacks.count).fill(-1);
  }

  frameText(f: number): string {
    const fr = this.s.frames;
    return this.similarity === 'exact' ? `${fr.func[f]} ${fr.file[f]}:${fr.line[f]}` : fr.func[f];
  }

  frame(f: number): number {
    let k = this.frameKey[f];
    if (k < 0) {
      const text = this.frameText(f);
      k = this.frameIds.get(text) ?? this.frameIds.size;
      this.frameIds.set(text, k);
      this.frameKey[f] = k;
    }
    return k;
  }

  stack(st: number): number {
    let k = this.stackKey[st];
    if (k < 0) {
      const s = this.s.stacks;
      let text = '';
      for (let i = s.frameStart[st]; i < s.frameStart[st + 1]; i++)
        text += this.frame(s.frameIndex[i]) + ',';
      if (this.similarity === 'exact' && s.elided[st] !== 0)
        text += `e${s.elided[st]}@${s.elidedAt[st]}`;
      k = this.stackIds.get(text) ?? this.stackIds.size;
      this.stackIds.set(text, k);
      this.stackKey[st] = k;
    }
    return k;
  }

  signature(stack: number, createdBy: number): string {
    const s = this.s.stacks;
    const lines: string[] = [];
    for (let i = s.frameStart[stack]; i < s.frameStart[stack + 1]; i++) {
      if (
        this.similarity === 'exact' &&
        s.elided[stack] !== 0 &&
        i - s.frameStart[stack] === s.elidedAt[stack]
      )
        lines.push(`...${s.elided[stack]} frames elided...`);
      lines.push(this.frameText(s.frameIndex[i]));
    }
    if (createdBy >= 0) lines.push('created by ' + this.frameText(createdBy));
    return lines.join('\n');
  }
}

/** Groups the goroutines of `s` by stack; see `GroupOptions` for what "the same" means. */
export function groupGoroutines(s: GoroutineSnapshot, options: GroupOptions = {}): Grouping {
  const similarity = options.similarity ?? 'exact';
  const hideSystem = options.hideSystem ?? true;
  const longWait = options.longWaitMinutes ?? 10;
  const keys = new Keys(s, similarity);
  const g = s.goroutines;

  // Group id per (stack key, created-by key); created-by keys are offset by one so -1 fits.
  const byKey = new Map<number, number>();
  const members: number[][] = [];
  const systemOfStack = new Map<number, boolean>();
  let hiddenSystem = 0;
  const createdByKeys = s.frames.count + 1;
  for (let row = 0; row < g.count; row++) {
    if (options.onlyLeaked && (g.flags[row] & GoroutineFlag.Leaked) === 0) continue;
    const stack = g.stack[row];
    const cb = g.createdBy[row];
    if (hideSystem) {
      // Stacks decide system-ness except for goroutine 0 and frameless rows, so cache per stack.
      let system: boolean;
      if (g.id[row] === 0 || s.stacks.frameStart[stack] === s.stacks.frameStart[stack + 1])
        system = isSystemGoroutine(s, row);
      else {
        const known = systemOfStack.get(stack);
        system = known ?? isSystemGoroutine(s, row);
        if (known === undefined) systemOfStack.set(stack, system);
      }
      if (system) {
        hiddenSystem += g.weight[row];
        continue;
      }
    }
    const key = keys.stack(stack) * createdByKeys + (cb >= 0 ? keys.frame(cb) + 1 : 0);
    let gi = byKey.get(key);
    if (gi === undefined) {
      gi = members.length;
      byKey.set(key, gi);
      members.push([]);
    }
    members[gi].push(row);
  }

  const groups = members.map((rows) => summarise(s, keys, rows, longWait));
  groups.sort(compareGroups);
  return { similarity, groups, hiddenSystem };
}

function summarise(
  s: GoroutineSnapshot,
  keys: Keys,
  rows: number[],
  longWait: number,
): GoroutineGroup {
  const g = s.goroutines;
  const first = rows[0];
  const stack = g.stack[first];
  let count = 0;
  let minWait = Infinity;
  let maxWait = 0;
  let locked = 0;
  let anyFlags = 0;
  const states = new Map<string, number>();
  const labels = new Map<number, number>();
  for (const row of rows) {
    const w = g.weight[row];
    count += w;
    const st = s.states[g.state[row]];
    states.set(st, (states.get(st) ?? 0) + w);
    const wait = g.waitMinutes[row];
    if (wait < minWait) minWait = wait;
    if (wait > maxWait) maxWait = wait;
    const fl = g.flags[row];
    anyFlags |= fl;
    if (fl & GoroutineFlag.LockedToThread) locked += w;
    const l = g.labels[row];
    if (l >= 0) labels.set(l, (labels.get(l) ?? 0) + w);
  }
  const flags: GroupFlag[] = [];
  if (anyFlags & GoroutineFlag.Current) flags.push('current');
  for (const st of states.keys()) {
    const f = NOT_PARKED[st];
    if (f && !flags.includes(f)) flags.push(f);
  }
  if (maxWait >= longWait && maxWait > 0) flags.push('long-wait');
  if (locked > 0) flags.push('locked-to-thread');
  if (anyFlags & GoroutineFlag.StackUnavailable) flags.push('stack-unavailable');
  if (anyFlags & GoroutineFlag.Leaked) flags.push('leaked');
  if (anyFlags & GoroutineFlag.Truncated) flags.push('truncated');
  const start = s.stacks.frameStart[stack];
  return {
    signature: keys.signature(stack, g.createdBy[first]),
    rows,
    count,
    stack,
    states: [...states]
      .map(([state, n]) => ({ state, count: n }))
      .sort((a, b) => b.count - a.count || (a.state < b.state ? -1 : 1)),
    waitMinutes: { min: minWait === Infinity ? 0 : minWait, max: maxWait },
    lockedToThread: locked,
    createdBy: g.createdBy[first],
    labels: [...labels]
      .map(([l, n]) => ({ labels: s.labelSets[l], count: n }))
      .sort((a, b) => b.count - a.count),
    topFrame: start < s.stacks.frameStart[stack + 1] ? s.stacks.frameIndex[start] : -1,
    system: isSystemGoroutine(s, first),
    flags,
  };
}

function compareGroups(a: GoroutineGroup, b: GoroutineGroup): number {
  const ac = a.flags.includes('current') ? 1 : 0;
  const bc = b.flags.includes('current') ? 1 : 0;
  if (ac !== bc) return bc - ac;
  if (a.count !== b.count) return b.count - a.count;
  const af = a.flags.length > 0 ? 1 : 0;
  const bf = b.flags.length > 0 ? 1 : 0;
  if (af !== bf) return bf - af;
  if (a.waitMinutes.max !== b.waitMinutes.max) return b.waitMinutes.max - a.waitMinutes.max;
  return a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0;
}
