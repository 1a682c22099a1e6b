// Small checks for messages that arrive from a webview. A webview runs code we wrote, but it
// renders data from profiles and traces that came from elsewhere, so the host treats every
// message as untrusted input: it acts only on messages that match the protocol exactly.

/** A plain object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative integer no larger than `max`. */
export function isIndex(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** A string of at most `maxLength` characters (default 4096) without NUL characters. */
export function isShortString(v: unknown, maxLength = 4096): v is string {
  return typeof v === 'string' && v.length <= maxLength && !v.includes('\0');
}

/** A finite number. */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** True when the record has exactly the listed keys (and maybe fewer of the optional ones). */
export function hasOnlyKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(v).every((k) => keys.includes(k));
}
