// Folded stacks (Brendan Gregg's flamegraph.pl input): one line per distinct stack of function
// names, root first, `a;b;c 123`. Frame names are escaped so a reader gets them back exactly:
// `\` → `\\`, `;` → `\;`, newline → `\n`, CR → `\r`, nothing else (the contract with the folded
// reader). Names without any of these four characters, i.e. almost all, are written unchanged.
import type { Profile } from './model';

/** Prints an integer-valued sum without exponent notation (values are int64 in the profile). */
export function formatInteger(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return BigInt(Math.round(v)).toString();
}

/** A frame name escaped for folded text (see the file comment). */
export function escapeFoldedFrame(name: string): string {
  if (!/[\\;\n\r]/.test(name)) return name;
  return name.replace(/[\\;\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\' + c));
}

/**
 * How pprof names a frame that has no function name (an unsymbolized location, a Line without a
 * function, a function without a name) when it keeps addresses apart, as
 * `go tool pprof -traces -addresses` prints it: the address in 16 hex digits and the mapping's
 * file name in brackets (`00000000004e356c [server]`), or `<unknown>` without a mapping. (At the
 * default granularity, as in `-top`, pprof drops the address and keeps only `[server]`.)
 */
export function pprofAddressName(address: number, mappingFile = ''): string {
  const hex = address.toString(16).padStart(16, '0');
  if (!mappingFile) return `${hex} <unknown>`;
  const slash = Math.max(mappingFile.lastIndexOf('/'), mappingFile.lastIndexOf('\\'));
  return `${hex} [${slash >= 0 ? mappingFile.slice(slash + 1) : mappingFile}]`;
}

/**
 * How a frame of location `l` without a function is named: as `go tool pprof -traces -addresses`
 * and `golens folded` name it (pprofAddressName: address and mapping file), so the views and
 * their Export… write the same folded text as the CLI.
 */
export function unnamedFrameName(p: Profile, l: number): string {
  const m = p.locations.mapping[l];
  return pprofAddressName(p.locations.address[l], m >= 0 ? p.mappings.filename[m] : '');
}

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
export function foldedStacks(profile: Profile, sampleType: number): string[] {
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
    for (let k = samples.stackStart[s + 1] - 1; k >= samples.stackStart[s]; k--) parts.push(names[samples.stackLocations[k]]);
    if (parts.length === 0) continue;
    const text = parts.join(';');
    sums.set(text, (sums.get(text) ?? 0) + v);
  }
  const stacks = [...sums.keys()].filter((k) => sums.get(k) !== 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return stacks.map((k) => `${k} ${formatInteger(sums.get(k)!)}`);
}
