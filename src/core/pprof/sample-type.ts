// Choosing a sample type the way pprof's -sample_index does.
import type { Profile } from './model';

/**
 * The index of the sample type `spec` names, or -1 when none matches. Like pprof's
 * -sample_index: undefined or '' means the profile's default; a decimal number is an index; a
 * name matches a sample type's `type`, also without an `inuse_` prefix (pprof's legacy names).
 */
export function findSampleType(profile: Profile, spec: string | undefined): number {
  const types = profile.sampleTypes;
  if (spec === undefined || spec === '') return types.length === 0 ? -1 : profile.defaultSampleType;
  if (/^\d+$/.test(spec)) {
    const i = Number(spec);
    return i < types.length ? i : -1;
  }
  const noInuse = spec.startsWith('inuse_') ? spec.slice('inuse_'.length) : spec;
  return types.findIndex((t) => t.type === spec || t.type === noInuse);
}

/** `samples/count, cpu/nanoseconds`: the sample types for messages. */
export function describeSampleTypes(profile: Profile): string {
  return profile.sampleTypes.map((t, i) => `${i}: ${t.type}/${t.unit}`).join(', ');
}

/** Sum of one sample type over all samples; 0 for a profile with no samples. */
export function sampleTotal(profile: Profile, sampleType: number): number {
  const n = profile.sampleTypes.length;
  const v = profile.samples.values;
  let sum = 0;
  for (let i = sampleType; i < v.length; i += n) sum += v[i];
  return sum;
}
