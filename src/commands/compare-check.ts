// Whether two loaded profiles can be compared, and if not, a message naming both kinds and
// their sample types. No VS Code here: the unit tests call it.
import type { CaptureKind } from '../core/collect/capture-name';
import { ENDPOINTS } from '../core/collect/endpoints';
import { incomparability } from '../core/pprof/comparable';
import type { LoadedProfile } from '../worker/profile-protocol';

const describeTypes = (p: Pick<LoadedProfile, 'sampleTypes'>) =>
  p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');

/**
 * Why two profiles cannot be compared, as a message naming both, or undefined when they can
 * (the rule: src/core/pprof/comparable.ts, with the capture kinds when both are saved captures).
 */
export function incompatibility(
  base: {
    name: string;
    profile: Pick<LoadedProfile, 'kind' | 'sampleTypes' | 'periodType'>;
    captureKind?: string;
  },
  current: {
    name: string;
    profile: Pick<LoadedProfile, 'kind' | 'sampleTypes' | 'periodType'>;
    captureKind?: string;
  },
): string | undefined {
  if (
    !incomparability(
      { ...base.profile, captureKind: base.captureKind },
      { ...current.profile, captureKind: current.captureKind },
    )
  )
    return undefined;
  const what = (x: typeof base) => {
    const kind =
      x.captureKind && x.captureKind in ENDPOINTS
        ? ENDPOINTS[x.captureKind as CaptureKind].title
        : x.profile.kind.replace(/^an? /, '');
    return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} (${describeTypes(x.profile)})`;
  };
  return `Go Lens cannot compare these profiles: the base ${base.name} is ${what(base)} and ${current.name} is ${what(current)}. Compare two profiles of the same kind, e.g. two CPU profiles of one service.`;
}
