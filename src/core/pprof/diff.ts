// Profile diffs: what changed from a base profile to a new one, as `go tool pprof -diff_base`
// shows it.
//
// pprof's rule (internal/driver/fetch.go, profile/merge.go): the base must have the same sample
// types (type and unit, in order) and period type as the new profile; with -normalize the *new*
// profile's values are scaled by Σbase / Σnew per sample type (sums over all samples, before any
// filter), each sample's value rounded half away from zero; then the base is negated and both are
// merged, so every value is new − base. Filters apply to the merged profile, which is the same as
// applying them to each side.
// The diff's call tree is built in flame/diff-tree.ts from these rules.
import type { ProfileIndex } from './profile-index';
import { evaluate, type Evaluation, type ProfileQuery } from './evaluate';
import { ProfileError, type Profile, type ValueType } from './model';
import { incomparability } from './comparable';
import { absoluteTotal, sortTopRows, topRowsOf, type TopRow } from './top';

/** Two profiles that cannot be compared. The message names both kinds and says what to do. */
export class IncompatibleProfilesError extends ProfileError {
  override name = 'IncompatibleProfilesError';
}

function describeTypes(types: ValueType[]): string {
  return types.length === 0
    ? 'no sample types'
    : types.map((t) => `${t.type}/${t.unit}`).join(', ');
}

/** What kind of profile the sample types say it is, for messages. */
export function profileKind(p: Profile): string {
  const types = p.sampleTypes.map((t) => t.type).join(',');
  if (types === 'samples,cpu') return 'a CPU profile';
  if (types === 'alloc_objects,alloc_space,inuse_objects,inuse_space')
    return 'a heap/allocs profile';
  if (types === 'contentions,delay')
    return p.periodType?.type === 'contentions'
      ? 'a mutex or block profile'
      : 'a contention profile';
  if (types === 'goroutine') return 'a goroutine profile';
  if (types === 'threadcreate') return 'a threadcreate profile';
  return `a profile of ${describeTypes(p.sampleTypes)}`;
}

/** Throws IncompatibleProfilesError unless `current` can be compared with `base` (the rule: ./comparable.ts). */
export function checkComparable(base: Profile, current: Profile): void {
  const why = incomparability(base, current);
  if (why === undefined) return;
  const a = base.sampleTypes;
  const b = current.sampleTypes;
  if (why === 'sample-types') {
    throw new IncompatibleProfilesError(
      `cannot compare these profiles: the base is ${profileKind(base)} (${describeTypes(a)}) but the new one is ${profileKind(current)} (${describeTypes(b)}). ` +
        'Compare two profiles of the same kind, e.g. two CPU profiles or two heap profiles.',
    );
  }
  const show = (v: ValueType | undefined): string => (v ? `${v.type}/${v.unit}` : 'none');
  throw new IncompatibleProfilesError(
    `cannot compare these profiles: both have ${describeTypes(a)}, but the base's period type is ${show(base.periodType)} and the new one's is ${show(current.periodType)} ` +
      '(e.g. a mutex and a block profile, or profiles from different tools). Compare two profiles of the same kind.',
  );
}

/** A query on a pair of profiles. */
export interface DiffQuery extends ProfileQuery {
  /** pprof -normalize: scale the new profile so its total equals the base's (for each sample type). */
  normalize?: boolean;
}

/**
 * pprof -normalize's factor for the new profile's values of a sample type: Σbase / Σnew over all
 * samples (0 when the new profile sums to 0). 1 without normalization.
 */
export function normalizationScale(
  base: ProfileIndex,
  current: ProfileIndex,
  sampleType: number,
): number {
  const sum = (p: Profile): number => {
    const n = p.sampleTypes.length;
    let s = 0;
    for (let i = sampleType; i < p.samples.values.length; i += n) s += p.samples.values[i];
    return s;
  };
  const nb = sum(base.profile);
  const nc = sum(current.profile);
  return nc === 0 ? 0 : nb / nc;
}

/** The factor a diff multiplies the new profile's values by; throws IncompatibleProfilesError when the profiles cannot be compared. */
export function diffScale(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): number {
  checkComparable(base.profile, current.profile);
  return query.normalize ? normalizationScale(base, current, query.sampleType) : 1;
}

/** One row of a diff top table: new − base, and each side. */
export interface DiffTopRow extends TopRow {
  baseFlat: number;
  baseCum: number;
  newFlat: number;
  newCum: number;
}

/** The diff top table of a query. */
export interface DiffTopTable {
  sampleType: ValueType;
  /** pprof's percentage base for -diff_base: Σ|value| of the base profile. */
  total: number;
  scale: number;
  /** flat/cum = new − base, in pprof's -top order of those deltas. */
  rows: DiffTopRow[];
}

/**
 * The diff top table: per function name, flat and cum of new − base (the new side scaled when
 * normalizing), as `go tool pprof -top -diff_base BASE [-normalize] NEW` prints them.
 */
export function diffTop(base: ProfileIndex, current: ProfileIndex, query: DiffQuery): DiffTopTable {
  const scale = diffScale(base, current, query);
  return diffTopOf(evaluate(base, query), evaluate(current, query, scale));
}

/** `diffTop` of a query evaluated on the base and (scaled by `diffScale`) on the new profile. */
export function diffTopOf(evBase: Evaluation, evNew: Evaluation): DiffTopTable {
  const base = evBase.index;
  const current = evNew.index;
  const scale = evNew.scale;
  const rows = new Map<string, DiffTopRow>();
  const row = (name: string): DiffTopRow => {
    let r = rows.get(name);
    if (!r)
      rows.set(
        name,
        (r = { name, flat: 0, cum: 0, baseFlat: 0, baseCum: 0, newFlat: 0, newCum: 0 }),
      );
    return r;
  };
  for (const r of topRowsOf(evBase))
    Object.assign(row(r.name), { baseFlat: r.flat, baseCum: r.cum });
  for (const r of topRowsOf(evNew)) Object.assign(row(r.name), { newFlat: r.flat, newCum: r.cum });
  const out: DiffTopRow[] = [];
  for (const r of rows.values()) {
    r.flat = r.newFlat - r.baseFlat;
    r.cum = r.newCum - r.baseCum;
    if (r.flat !== 0 || r.cum !== 0) out.push(r);
  }
  return {
    sampleType: current.profile.sampleTypes[evNew.sampleType],
    total: absoluteTotal(base, evBase.sampleType),
    scale,
    rows: sortTopRows(out),
  };
}
