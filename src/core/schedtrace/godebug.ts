// Merging the GODEBUG settings Go Lens needs into the ones the user already runs with.
//
// GODEBUG is a comma-separated list of `name=value` settings (runtime/extern.go). The runtime
// reads it left to right and a later setting of the same name wins, but other readers (the go
// command's //go:debug handling, people reading `env`) are clearer with one entry per name, so
// the merge removes the user's entries for the names we set and appends ours: everything else
// the user set (e.g. `madvdontneed=1`, `http2client=0`) is kept, in its order.

/** What Go Lens asks the runtime to print. */
export interface SchedTraceDebug {
  /** `schedtrace=<ms>`: a SCHED line every this many milliseconds (≥ 1). */
  intervalMs: number;
  /** `scheddetail=1`: P, M and G lines after every SCHED line. */
  detail: boolean;
  /** `gctrace=1`: one line per GC cycle. */
  gctrace: boolean;
  /** `scavtrace=1`: one scavenger line per GC cycle. */
  scavtrace: boolean;
}

/** The names this merge owns; every other GODEBUG setting is the user's and is kept. */
export const SCHED_GODEBUG_NAMES = ['schedtrace', 'scheddetail', 'gctrace', 'scavtrace'] as const;

/** Our settings as GODEBUG entries, in the order the runtime documents them. */
export function schedTraceSettings(d: SchedTraceDebug): string[] {
  const interval = Math.max(1, Math.round(d.intervalMs));
  return [
    `schedtrace=${interval}`,
    `scheddetail=${d.detail ? 1 : 0}`,
    `gctrace=${d.gctrace ? 1 : 0}`,
    `scavtrace=${d.scavtrace ? 1 : 0}`,
  ];
}

/**
 * `existing` (the user's GODEBUG, possibly undefined or empty) with our four settings replacing
 * any the user had, added at the end. Empty entries and surrounding spaces are dropped; an entry
 * without `=` is kept as written (the runtime ignores it, and it is not ours to fix).
 */
export function mergeGodebug(existing: string | undefined, ours: SchedTraceDebug): string {
  const owned = new Set<string>(SCHED_GODEBUG_NAMES);
  const kept: string[] = [];
  for (const raw of (existing ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    if (owned.has(name)) continue;
    kept.push(entry);
  }
  return [...kept, ...schedTraceSettings(ours)].join(',');
}

/**
 * The environment for the traced program: a copy of `env` whose GODEBUG (found under any letter
 * case on Windows, where environment names are case-insensitive) is merged with ours.
 */
export function withSchedGodebug(
  env: Record<string, string | undefined>,
  ours: SchedTraceDebug,
  caseInsensitive = false,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  let existing: string | undefined;
  for (const [k, v] of Object.entries(env)) {
    if (k === 'GODEBUG' || (caseInsensitive && k.toUpperCase() === 'GODEBUG')) {
      existing = existing === undefined ? v : (v ?? existing);
      continue;
    }
    out[k] = v;
  }
  out.GODEBUG = mergeGodebug(existing, ours);
  return out;
}
