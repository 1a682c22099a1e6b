// The test oracle for folded text: folded stacks straight from a profile's samples, one string
// per sample, which is how `golens folded` wrote them before it went through the profile index
// (flame/folded-tree.ts's foldedStacks). Tests check the index path against it.
import { escapeFoldedFrame, formatInteger, pprofAddressName } from '../../src/core/pprof/folded';
import type { Profile } from '../../src/core/pprof/model';

/** The escaped folded names of each location's frames, root-most (outermost inlined caller) first. */
function locationNames(profile: Profile): string[] {
  const { locations: locs, frames, functions: fns, mappings } = profile;
  const out: string[] = new Array(locs.count);
  for (let l = 0; l < locs.count; l++) {
    const m = locs.mapping[l];
    const unnamed = () => pprofAddressName(locs.address[l], m >= 0 ? mappings.filename[m] : '');
    const n = locs.frameCount[l];
    if (n === 0) {
      out[l] = unnamed();
      continue;
    }
    const names: string[] = [];
    for (let f = locs.firstFrame[l] + n - 1; f >= locs.firstFrame[l]; f--) {
      const fn = frames.function[f];
      names.push(fn >= 0 && fns.name[fn] !== '' ? escapeFoldedFrame(fns.name[fn]) : unnamed());
    }
    out[l] = names.join(';');
  }
  return out;
}

/**
 * The folded-stack lines of one sample type: one line per distinct stack of function names
 * (inlined frames included, root first, joined by `;`), then a space and the summed value.
 * Frames without a function name are named as pprof names them (see pprofAddressName). Stacks
 * that sum to 0 are left out. Sorted by stack text, so the output is deterministic.
 */
export function foldedStacksOracle(profile: Profile, sampleType: number): string[] {
  const names = locationNames(profile);
  const { samples } = profile;
  const nTypes = profile.sampleTypes.length;
  const sums = new Map<string, number>();
  const parts: string[] = [];
  for (let s = 0; s < samples.count; s++) {
    const v = samples.values[s * nTypes + sampleType];
    if (v === 0) continue;
    parts.length = 0;
    // Locations are leaf first; folded text is root first.
    for (let k = samples.stackStart[s + 1] - 1; k >= samples.stackStart[s]; k--)
      parts.push(names[samples.stackLocations[k]]);
    if (parts.length === 0) continue;
    const text = parts.join(';');
    sums.set(text, (sums.get(text) ?? 0) + v);
  }
  const stacks = [...sums.keys()]
    .filter((k) => sums.get(k) !== 0)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return stacks.map((k) => `${k} ${formatInteger(sums.get(k)!)}`);
}
