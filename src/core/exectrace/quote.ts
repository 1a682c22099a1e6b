// Go's `%q` (strconv.Quote) for trace strings, so that printed names match `go tool trace`.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Quotes a string exactly as Go's `strconv.Quote`. Strings decoded by `decodeTraceString` carry
 * bytes that were not valid UTF-8 as lone surrogates U+DC80..U+DCFF; those print as `\xNN`.
 */
export function goQuote(s: string): string {
  // Fast path: printable ASCII without quotes or backslashes (nearly every trace string).
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      simple = false;
      break;
    }
  }
  if (simple) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    let r = s.charCodeAt(i);
    if (r >= 0xd800 && r <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        r = 0x10000 + ((r - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    } else if (r >= 0xdc80 && r <= 0xdcff) {
      // An escaped raw byte.
      out += '\\x' + hex(r & 0xff, 2);
      continue;
    }
    out += quoteRune(r);
  }
  return out + '"';
}

function quoteRune(r: number): string {
  if (r === 0x22) return '\\"';
  if (r === 0x5c) return '\\\\';
  if (r >= 0x20 && r < 0x7f) return String.fromCharCode(r);
  if (r >= 0x80 && !(r >= 0xd800 && r <= 0xdfff) && PRINTABLE.test(String.fromCodePoint(r)))
    return String.fromCodePoint(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  // Lone surrogates (not produced by our decoder except as byte escapes) are invalid runes.
  if (r >= 0xd800 && r <= 0xdfff) return '\\ufffd';
  if (r < 0x10000) return '\\u' + hex(r, 4);
  return '\\U' + hex(r, 8);
}
