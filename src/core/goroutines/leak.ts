// The goroutine leak profile (`/debug/pprof/goroutineleak`: Go 1.27, and Go 1.26 built with
// GOEXPERIMENT=goroutineleakprofile). Asking for it runs a GC that marks goroutines blocked on
// channels, mutexes or conds that no running goroutine can reach as leaked. Its forms:
// - debug=2: every goroutine's traceback, the leaked ones' status ending ` (leaked)`;
// - debug=1: the goroutine profile's text under `goroutineleak profile: total N`, leaked only;
// - debug=0: the pprof protobuf with sample type `goroutineleak/count`, leaked only.
// The readers of each form mark leaked rows with GoroutineFlag.Leaked; this file groups them
// into leak sites: where the goroutines block, why, and who created them.
import { GoroutineFlag, type GoroutineSnapshot } from './model';
import { splitFuncName } from './view';

/** First line of the debug=1 form, before the total. */
export const LEAK_PROFILE_MARKER = 'goroutineleak profile: total ';
/** Sample type (and period type) name of the debug=0 form. */
export const LEAK_PROFILE_TYPE = 'goroutineleak';

/** Flags for a row of a debug=0/1 record: every record of the leak profile is a leaked goroutine. */
export function leakRowFlags(isLeakProfile: boolean): number {
  return isLeakProfile ? GoroutineFlag.Leaked : 0;
}

/** Goroutines marked leaked in `s` (the sum of the weights of leaked rows). */
export function countLeaked(s: GoroutineSnapshot): number {
  let n = 0;
  for (let row = 0; row < s.goroutines.count; row++)
    if (s.goroutines.flags[row] & GoroutineFlag.Leaked) n += s.goroutines.weight[row];
  return n;
}

/**
 * Packages whose frames are the mechanics of blocking, not the place a developer would fix:
 * the leak site is the first frame below them.
 */
function isBlockingMachinery(func: string): boolean {
  const { pkg } = splitFuncName(func);
  return (
    pkg === 'runtime' ||
    pkg === 'sync' ||
    pkg === 'sync/atomic' ||
    pkg === 'internal' ||
    pkg.startsWith('internal/') ||
    pkg.startsWith('runtime/internal/')
  );
}

/**
 * The wait reason the runtime would print, from the stack, for forms that do not record states
 * (debug=0 keeps the runtime frames; debug=1 hides leading runtime.* frames, so its channel
 * operations stay unnamed). Names as in runtime/runtime2.go's waitReasonStrings.
 */
const REASON_BY_FUNC: [RegExp, string][] = [
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.block$/, 'select (no cases)'],
  [/^runtime\.gopark$/, ''],
  [/^sync\.\(\*Mutex\)\.Lock$/, 'sync.Mutex.Lock'],
  [/^sync\.\(\*RWMutex\)\.RLock$/, 'sync.RWMutex.RLock'],
  [/^sync\.\(\*RWMutex\)\.Lock$/, 'sync.RWMutex.Lock'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'sync.Cond.Wait'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'sync.WaitGroup.Wait'],
];

function reasonFromStack(funcs: string[]): string {
  for (const f of funcs) {
    for (const [re, reason] of REASON_BY_FUNC) if (reason && re.test(f)) return reason;
  }
  return '';
}

/** Goroutines that leaked at the same place. */
export interface LeakSite {
  /** The frame they block at (index into `snapshot.frames`): the first frame outside runtime, sync and internal packages; -1 for an empty stack. */
  frame: number;
  /** What they wait for (`chan send`, `sync.Mutex.Lock`, …); '' when the form does not say. */
  reason: string;
  /** Leaked goroutines blocked here. */
  count: number;
  /** Where they were created (indexes into `snapshot.frames`), most goroutines first; empty for debug=0/1, which do not record it. */
  createdAt: { frame: number; count: number }[];
  /** Label sets with their goroutine counts, most first; `{}` for goroutines without labels. */
  labels: { labels: Readonly<Record<string, string>>; count: number }[];
  /** Range of `, N minutes` blocked over the members; both 0 when not printed (the runtime prints no minutes for leaked goroutines). */
  waitMinutes: { min: number; max: number };
  /** Member rows (indexes into `snapshot.goroutines`). */
  rows: number[];
}

function tally<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/**
 * The leaked goroutines of `s` grouped by where they block (function, file and line of the leak
 * site, and the wait reason), largest first. Empty when `s` has no goroutine marked leaked.
 */
export function leakSites(s: GoroutineSnapshot): LeakSite[] {
  const g = s.goroutines;
  const sites = new Map<
    string,
    { site: LeakSite; created: Map<number, number>; labels: Map<number, number> }
  >();
  const siteOfStack = new Map<number, { frame: number; reason: string }>();
  for (let row = 0; row < g.count; row++) {
    if ((g.flags[row] & GoroutineFlag.Leaked) === 0) continue;
    const stack = g.stack[row];
    let at = siteOfStack.get(stack);
    if (!at) {
      const funcs: string[] = [];
      let frame = -1;
      for (let k = s.stacks.frameStart[stack]; k < s.stacks.frameStart[stack + 1]; k++) {
        const f = s.stacks.frameIndex[k];
        funcs.push(s.frames.func[f]);
        if (frame < 0 && !isBlockingMachinery(s.frames.func[f])) frame = f;
      }
      // A stack entirely inside the runtime: its innermost frame is the best place we have.
      if (frame < 0 && funcs.length > 0) frame = s.stacks.frameIndex[s.stacks.frameStart[stack]];
      at = { frame, reason: reasonFromStack(funcs) };
      siteOfStack.set(stack, at);
    }
    const reason = s.states[g.state[row]] || at.reason;
    const key =
      at.frame < 0
        ? `\u0000${reason}`
        : `${s.frames.func[at.frame]}\u0000${s.frames.file[at.frame]}\u0000${s.frames.line[at.frame]}\u0000${reason}`;
    let entry = sites.get(key);
    if (!entry) {
      entry = {
        site: {
          frame: at.frame,
          reason,
          count: 0,
          createdAt: [],
          labels: [],
          waitMinutes: { min: Infinity, max: 0 },
          rows: [],
        },
        created: new Map(),
        labels: new Map(),
      };
      sites.set(key, entry);
    }
    const w = g.weight[row];
    entry.site.count += w;
    entry.site.rows.push(row);
    entry.site.waitMinutes.min = Math.min(entry.site.waitMinutes.min, g.waitMinutes[row]);
    entry.site.waitMinutes.max = Math.max(entry.site.waitMinutes.max, g.waitMinutes[row]);
    if (g.createdBy[row] >= 0) tally(entry.created, g.createdBy[row], w);
    tally(entry.labels, g.labels[row], w);
  }
  const out: LeakSite[] = [];
  for (const { site, created, labels } of sites.values()) {
    site.createdAt = [...created]
      .map(([frame, count]) => ({ frame, count }))
      .sort((a, b) => b.count - a.count || a.frame - b.frame);
    site.labels = [...labels]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([set, count]) => ({ labels: set >= 0 ? s.labelSets[set] : {}, count }));
    if (site.waitMinutes.min === Infinity) site.waitMinutes.min = 0;
    out.push(site);
  }
  return out.sort(
    (a, b) =>
      b.count - a.count ||
      (a.frame >= 0 && b.frame >= 0
        ? s.frames.file[a.frame].localeCompare(s.frames.file[b.frame]) ||
          s.frames.line[a.frame] - s.frames.line[b.frame]
        : 0),
  );
}

/** "5 goroutines leaked here: chan send, created at main.handleRequest (main.go:106)": the Problems panel's text for a site. */
export function describeLeakSite(s: GoroutineSnapshot, site: LeakSite): string {
  const n = site.count === 1 ? '1 goroutine' : `${site.count} goroutines`;
  let text = `${n} leaked here${site.reason ? `: ${site.reason}` : ''}`;
  const creator = site.createdAt[0];
  if (creator) {
    const file = s.frames.file[creator.frame];
    const base = file.slice(file.lastIndexOf('/') + 1);
    text += `, created at ${s.frames.func[creator.frame]} (${base}:${s.frames.line[creator.frame]})`;
    if (site.createdAt.length > 1) text += ` and ${site.createdAt.length - 1} other place(s)`;
  }
  const labelled = site.labels.filter((l) => Object.keys(l.labels).length > 0);
  if (labelled.length > 0) {
    text += `; labels ${labelled
      .slice(0, 3)
      .map((l) =>
        Object.entries(l.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      )
      .join(' | ')}${labelled.length > 3 ? ' …' : ''}`;
  }
  return text;
}

/** A frame as views name and open it. */
interface LeakFrameRef {
  func: string;
  file: string;
  line: number;
}

/** A leak site as a plain object (no indexes into the snapshot), for the host and views. */
export interface LeakSiteSummary {
  count: number;
  reason: string;
  /** Where the goroutines block; undefined for an empty stack. */
  frame: LeakFrameRef | undefined;
  /** Creation sites, most goroutines first (empty for debug=0/1). */
  createdAt: (LeakFrameRef & { count: number })[];
  labels: { labels: Readonly<Record<string, string>>; count: number }[];
  waitMinutes: { min: number; max: number };
  /** `describeLeakSite`'s sentence. */
  message: string;
}

function frameRef(s: GoroutineSnapshot, f: number): LeakFrameRef {
  return { func: s.frames.func[f], file: s.frames.file[f], line: s.frames.line[f] };
}

/** `leakSites` of `s` as plain objects. */
export function summariseLeakSites(s: GoroutineSnapshot): LeakSiteSummary[] {
  return leakSites(s).map((site) => ({
    count: site.count,
    reason: site.reason,
    frame: site.frame >= 0 ? frameRef(s, site.frame) : undefined,
    createdAt: site.createdAt.map((c) => ({ ...frameRef(s, c.frame), count: c.count })),
    labels: site.labels,
    waitMinutes: site.waitMinutes,
    message: describeLeakSite(s, site),
  }));
}
