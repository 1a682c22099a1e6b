// Whether two loaded profiles can be compared, and if not, a message naming both kinds and
// their sample types. No VS Code here: the unit tests call it.
import type { CaptureKind } from '../core/collect/capture-name';
import { ENDPOINTS } from '../core/collect/endpoints';
import type { LoadedProfile } from '../worker/profile-protocol';

const describeTypes = (p: Pick<LoadedProfile, 'sampleTypes'>) => p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');

/**
 * Why two profiles cannot be compared, or undefined when they can: pprof's rule (the same sample
 * types, type and unit, in order, and the same kind), plus the capture kinds when both are saved
 * captures — mutex and block profiles record the same sample types.
 */
export function incompatibility(
  base: { name: string; profile: Pick<LoadedProfile, 'kind' | 'sampleTypes'>; captureKind?: string },
  current: { name: string; profile: Pick<LoadedProfile, 'kind' | 'sampleTypes'>; captureKind?: string },
): string | undefined {
  const a = base.profile;
  const b = current.profile;
  const sameTypes = a.sampleTypes.length === b.sampleTypes.length && a.sampleTypes.every((t, i) => t.type === b.sampleTypes[i].type && t.unit === b.sampleTypes[i].unit);
  // Mutex and block profiles record the same sample types; only the capture tells them apart.
  // Heap and allocs profiles are the same data (allocs only defaults to another sample type).
  const family = (k: string) => (k === 'heap' ? 'allocs' : k);
  const sameCapture = !base.captureKind || !current.captureKind || family(base.captureKind) === family(current.captureKind);
  if (sameTypes && a.kind === b.kind && sameCapture) return undefined;
  const what = (x: typeof base) => {
    const kind = x.captureKind && x.captureKind in ENDPOINTS ? ENDPOINTS[x.captureKind as CaptureKind].title : x.profile.kind.replace(/^an? /, '');
    return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} (${describeTypes(x.profile)})`;
  };
  return `Go Lens cannot compare these profiles: the base ${base.name} is ${what(base)} and ${current.name} is ${what(current)}. Compare two profiles of the same kind, e.g. two CPU profiles of one service.`;
}

