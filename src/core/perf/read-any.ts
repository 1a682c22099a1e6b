// One entry for every profile file Go Lens reads from bytes: pprof (profile.proto, gzipped or
// not), `perf script` text and folded stacks (gzipped or not), told apart by content.
import { decodeProfile, type Inflate } from '../pprof/decode';
import { isLegacyProfile } from '../pprof/legacy';
import { looksLikeText } from '../pprof/sniff';
import { ProfileError, type Profile } from '../pprof/model';
import { readFolded } from '../folded/folded-reader';
import { readPerfScript } from './perf-script';
import { isPerfData, sniffTextProfile, type TextProfileFormat } from './sniff-text';

/** What a profile file was read as. */
export type ProfileFormat = 'pprof' | TextProfileFormat;

export interface ReadProfileResult {
  profile: Profile;
  format: ProfileFormat;
  /** Sentences for the user about what was skipped (bad lines, a cut-off end). */
  warnings: string[];
}

/** Thrown for a perf.data file, which only `perf script` can read: the caller runs it or says how. */
export class PerfDataError extends ProfileError {
  override name = 'PerfDataError';
}

export const PERF_DATA_ADVICE =
  'this is a perf.data recording, which Go Lens reads through "perf script". Install perf (Debian: apt install linux-perf; Ubuntu: apt install linux-tools-$(uname -r); Fedora: dnf install perf) or run "perf script -i perf.data > out.perf" and open out.perf.';

/** The text format of the first bytes of `data`, if it is one Go Lens reads. */
export function sniffText(data: Uint8Array): TextProfileFormat | undefined {
  const n = Math.min(data.length, 16 << 10);
  // Control bytes (protobuf, gzip, ELF) mean binary: pprof is never mistaken for text.
  if (!looksLikeText(data)) return undefined;
  // `heap profile: 71: 1234 [71: 1234] @ heap/…` has the shape of a perf sample header: pprof's
  // legacy signatures are exact, so they go first.
  if (isLegacyProfile(data)) return undefined;
  return sniffTextProfile(new TextDecoder('utf-8').decode(data.subarray(0, n)));
}

/** Reads a profile of any supported format from its bytes. Throws ProfileError (PerfDataError for perf.data). */
export function readProfileBytes(bytes: Uint8Array, inflate: Inflate): ReadProfileResult {
  let data = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    data = inflate(bytes);
  }
  if (isPerfData(data)) throw new PerfDataError(PERF_DATA_ADVICE);
  const text = sniffText(data);
  if (text === 'perf-script') {
    const r = readPerfScript(data);
    if (r.stats.samples === 0) throw new ProfileError(noSamples('perf script', r.warnings));
    return { profile: r.profile, format: text, warnings: r.warnings };
  }
  if (text === 'folded') {
    const r = readFolded(data);
    if (r.stats.stacks === 0) throw new ProfileError(noSamples('folded stacks', r.warnings));
    return { profile: r.profile, format: text, warnings: r.warnings };
  }
  return { profile: decodeProfile(data, inflate), format: 'pprof', warnings: [] };
}

/** The message for text that looked like a format but held no sample. */
export function noSamples(format: string, warnings: string[]): string {
  return `this looks like ${format} text but holds no complete sample${warnings.length ? ': ' + warnings.join(' ') : '.'}`;
}
