// The one rule for "can these two profiles be compared" (a diff view, `golens diff`, Compare
// Profiles…). Callers word their own message from the reason; the decision lives only here.
import type { ValueType } from './model';

/** What the rule reads of a profile: its header, and the capture kind when it is a saved capture. */
export interface ComparableProfile {
  sampleTypes: readonly ValueType[];
  periodType?: ValueType;
  /** The endpoint it was captured from ("heap", "mutex", …), when known. */
  captureKind?: string;
}

/** Why two profiles cannot be compared. */
export type Incomparability = 'sample-types' | 'period-type' | 'capture-kind';

/** Heap and allocs captures are the same data (allocs only defaults to another sample type). */
const captureFamily = (kind: string): string => (kind === 'heap' ? 'allocs' : kind);

/**
 * Undefined when `current` can be compared with `base`, else why not. pprof's rule
 * (internal/driver/fetch.go, profile/merge.go): the same sample types (type and unit, in order)
 * and the same period type. Ours adds the capture kinds when both are known, since mutex and block
 * profiles record the same sample and period types and only the endpoint tells them apart.
 */
export function incomparability(
  base: ComparableProfile,
  current: ComparableProfile,
): Incomparability | undefined {
  const a = base.sampleTypes;
  const b = current.sampleTypes;
  if (a.length !== b.length || !a.every((t, i) => t.type === b[i].type && t.unit === b[i].unit))
    return 'sample-types';
  const pa = base.periodType;
  const pb = current.periodType;
  if ((pa?.type ?? '') !== (pb?.type ?? '') || (pa?.unit ?? '') !== (pb?.unit ?? ''))
    return 'period-type';
  if (
    base.captureKind &&
    current.captureKind &&
    captureFamily(base.captureKind) !== captureFamily(current.captureKind)
  )
    return 'capture-kind';
  return undefined;
}
