/**
 * A copy of `s` that shares no memory with the text it was sliced from. V8 keeps a substring as a
 * view of its parent, so one interned name would keep a whole piece of the input (a 4 MiB chunk of
 * perf script text, a 40 MB goroutine dump) alive for as long as the model lives. Concatenation
 * then slicing forces a flat copy; short strings are copied by V8 anyway.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
