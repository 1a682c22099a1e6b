// Recognises files that are certainly not pprof profiles, so the user reads "this is an HTML
// page" instead of a protobuf wire error. Only signatures that a profile.proto message cannot
// start with are used here (a profile starts with a field tag such as 0x0A, never with text).

const textDecoder = new TextDecoder('utf-8');

function startsWith(data: Uint8Array, prefix: string, from = 0): boolean {
  if (data.length - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[from + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Bytes 0x00–0x08, 0x0E–0x1F and 0x7F do not occur in text; protobuf has them everywhere. */
function isTextByte(b: number): boolean {
  return !(b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f);
}

/** True when the first 512 bytes contain no control characters (tab and line breaks aside). */
export function looksLikeText(data: Uint8Array): boolean {
  if (data.length === 0) return false;
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) if (!isTextByte(data[i])) return false;
  return true;
}

function firstLine(data: Uint8Array): string {
  const head = textDecoder.decode(data.subarray(0, 300));
  return (
    head
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 80) ?? ''
  );
}

/**
 * If `data` is recognisably something other than a profile.proto message, a sentence for the
 * user saying what it is and what to do; otherwise undefined. `gzipped` says the bytes came
 * out of gzip, which the message mentions.
 */
export function describeNotAProfile(data: Uint8Array, gzipped: boolean): string | undefined {
  const inside = gzipped ? ' (inside gzip)' : '';
  if (data.length === 0) {
    return gzipped
      ? 'the file is gzip data that decompresses to nothing, so it holds no profile: capture the profile again.'
      : 'the file is empty (0 bytes), so it is not a pprof profile. The request or program that wrote it probably failed or was interrupted: capture the profile again.';
  }
  // Execution traces start "go 1.NN trace\0\0\0".
  if (startsWith(data, 'go 1.') && data.length >= 16) {
    const head = textDecoder.decode(data.subarray(0, 16));
    const m = /^go (1\.\d+) trace\0/.exec(head);
    if (m) {
      return `this is a Go execution trace${inside} (format of Go ${m[1]}), not a pprof profile. Open it as an execution trace instead (for example with go tool trace).`;
    }
  }
  if (!looksLikeText(data)) return undefined;
  const line = firstLine(data);
  const lower = line.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<\w/.test(lower)) {
    return (
      `this is an HTML page${inside}, not a pprof profile (it starts with "${line.slice(0, 40)}"). ` +
      'Was it saved from the /debug/pprof/ index page? Fetch a profile endpoint instead, e.g. /debug/pprof/profile?seconds=30 for CPU or /debug/pprof/heap for memory.'
    );
  }
  if (
    /^(heap|goroutine|threadcreate|allocs|block|mutex)? ?profile: /.test(line) ||
    line.startsWith('--- contention') ||
    line.startsWith('--- mutex')
  ) {
    return `this is a profile in the legacy text format${inside} (what /debug/pprof/…?debug=1 returns), which Go Lens does not read. Fetch it again without debug=1 (or with debug=0) to get the protobuf format.`;
  }
  if (/^goroutine \d+ \[/.test(line)) {
    return `this is a goroutine stack dump${inside} (/debug/pprof/goroutine?debug=2 or a panic traceback), not a pprof profile. Fetch /debug/pprof/goroutine without debug=2 for the profile.`;
  }
  return undefined;
}
