// The 16-byte header every execution trace starts with: "go 1.<minor> trace" and NUL padding.

import { TraceError } from './errors';

/**
 * Header versions this parser reads: Go 1.22, 1.23 (also written by 1.24), 1.25, 1.26 (format
 * v2), and the legacy (v1) versions Go 1.26 still converts: 1.11 (Go 1.11–1.18), 1.19 (Go 1.19
 * and 1.20), 1.21.
 */
export type TraceVersion = 11 | 19 | 21 | 22 | 23 | 25 | 26;

/** The legacy (v1) header versions that are read by conversion (see legacy/). */
export function isLegacyVersion(v: TraceVersion): v is 11 | 19 | 21 {
  return v < 22;
}

/** The Go releases that write each header version this parser reads. */
export const RELEASES_BY_VERSION: Readonly<Record<TraceVersion, string>> = {
  11: 'Go 1.11 to 1.18',
  19: 'Go 1.19 or 1.20',
  21: 'Go 1.21',
  22: 'Go 1.22',
  23: 'Go 1.23 or 1.24',
  25: 'Go 1.25',
  26: 'Go 1.26',
};

/** Legacy (v1) header versions nobody converts any more, and the releases that wrote them. */
const LEGACY: Readonly<Record<number, string>> = {
  5: 'Go 1.5 or 1.6',
  7: 'Go 1.7',
  8: 'Go 1.8',
  9: 'Go 1.9',
  10: 'Go 1.10',
};

const PREFIX = 'go 1.';
const SUFFIX = ' trace';

/**
 * Recognizes the header and returns its version. Throws TraceError naming what the file is
 * and what to do when it is not a trace this parser reads.
 */
export function readHeader(data: Uint8Array): TraceVersion {
  const minor = headerMinor(data);
  if (minor === null) {
    throw new TraceError(
      'not-a-trace',
      'not a Go execution trace: the file does not start with the "go 1.N trace" header (is it a CPU or heap profile? those open as profiles, not traces)',
      0,
    );
  }
  if (
    minor === 11 ||
    minor === 19 ||
    minor === 21 ||
    minor === 22 ||
    minor === 23 ||
    minor === 25 ||
    minor === 26
  )
    return minor;
  if (minor <= 21) {
    // Go 1.23 dropped these formats (its converter starts at Go 1.11), so Go 1.26 refuses them
    // too ("unknown or unsupported trace version"); Go 1.22's go tool trace was the last to read them.
    const by = LEGACY[minor] ?? `Go 1.${minor}`;
    throw new TraceError(
      'legacy-version',
      `this execution trace was written by ${by} (format "go 1.${minor}"), which neither Go Lens nor the "go tool trace" of Go 1.23 and later reads (Go 1.26 says "unknown or unsupported trace version go 1.${minor}"); open it with the "go tool trace" of Go 1.22 or older (e.g. GOTOOLCHAIN=go1.22.12 go tool trace FILE${minor <= 6 ? ", which for Go 1.5 and 1.6 traces also needs the program's binary: go tool trace BINARY FILE" : ''}), or record it again with Go 1.11 or newer (Go 1.22+ writes the current format)`,
      0,
    );
  }
  throw new TraceError(
    'unsupported-version',
    `unknown execution trace version "go 1.${minor}": Go Lens reads traces from Go 1.11 to 1.26; this trace is probably from a newer Go, so update Go Lens or open it with that Go's "go tool trace"`,
    0,
  );
}

/** The minor version in the header, or null if the bytes are not a trace header. */
function headerMinor(data: Uint8Array): number | null {
  if (data.length < 16) return null;
  for (let i = 0; i < PREFIX.length; i++) if (data[i] !== PREFIX.charCodeAt(i)) return null;
  let p = PREFIX.length;
  let minor = 0;
  const digitsStart = p;
  while (p < 16 && data[p] >= 0x30 && data[p] <= 0x39) {
    minor = minor * 10 + (data[p] - 0x30);
    p++;
  }
  if (p === digitsStart || p - digitsStart > 3) return null;
  for (let i = 0; i < SUFFIX.length; i++) if (data[p + i] !== SUFFIX.charCodeAt(i)) return null;
  p += SUFFIX.length;
  // Two-digit versions are followed by exactly three NULs; one-digit (legacy) ones by four.
  while (p < 16) if (data[p++] !== 0) return null;
  return minor;
}
