// Byte-level helpers: unsigned LEB128 varints as Go's encoding/binary reads them, and the
// decoding of trace strings (which are raw bytes, not necessarily UTF-8).

const TWO_64 = 18446744073709551616; // 2^64 as a double (exact)
const TWO_63 = 9223372036854775808;

/**
 * Result slot of `readUvarint`: the position after the varint, or a negative status like the
 * `n` of Go's `binary.Uvarint`: 0 = the buffer ended first, -1 = more than 64 bits.
 */
export interface VarintCursor {
  pos: number;
}

/**
 * Decodes the varint at `c.pos` (bounded by `end`) and advances `c.pos`. Values up to 2^53 are
 * exact. Values with the top bit set are returned as their two's-complement reinterpretation
 * (2^64−1 → −1), which is how Go reads the "none" IDs (thread, proc, goroutine) and what keeps
 * them exact; values in between are rounded (they only occur in corrupted traces).
 * On failure returns NaN and sets `c.pos` to 0 (truncated) or −1 (overflow), as
 * `binary.Uvarint` reports them.
 */
export function readUvarint(buf: Uint8Array, c: VarintCursor, end: number): number {
  let p = c.pos;
  if (p >= end) {
    c.pos = 0;
    return NaN;
  }
  let b = buf[p++];
  if (b < 0x80) {
    c.pos = p;
    return b;
  }
  let v = b & 0x7f;
  let mul = 128;
  for (let i = 1; ; i++) {
    if (p >= end) {
      c.pos = 0;
      return NaN;
    }
    b = buf[p++];
    if (i === 9 && b > 1) {
      c.pos = -1;
      return NaN;
    }
    if (b < 0x80) {
      v += b * mul;
      c.pos = p;
      // Above 2^53 the float sum may be rounded: recompute exactly (rare: sentinels, garbage).
      return v <= 9007199254740991 ? v : slowUvarint(buf, c.pos - i - 1, i + 1);
    }
    v += (b & 0x7f) * mul;
    mul *= 128;
  }
}

function slowUvarint(buf: Uint8Array, start: number, n: number): number {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 7n) | BigInt(buf[start + i] & 0x7f);
  return v >= BigInt(TWO_63) ? Number(v - BigInt(TWO_64)) : Number(v);
}

/** Decodes a varint exactly as an unsigned 64-bit bigint; null if truncated or overlong. */
export function readUvarintBig(buf: Uint8Array, c: VarintCursor, end: number): bigint | null {
  let v = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= end) return null;
    const b = buf[c.pos++];
    if (i === 9 && b > 1) return null;
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return v;
    shift += 7n;
  }
  return null;
}

/** A stored argument read back as the unsigned 64-bit value it was on the wire. */
export function toUint64(v: number): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** Decimal text of a stored argument as Go prints a uint64 with %d. */
export function uint64String(v: number): string {
  if (v >= 0 && v <= 9007199254740991) return String(v);
  if (!Number.isFinite(v)) return '0';
  return toUint64(Math.trunc(v)).toString();
}

/** Decimal text of an integer-valued double that may exceed 2^53 (exact for any double). */
export function intString(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return BigInt(v).toString();
}

/**
 * Decodes trace string bytes. Valid UTF-8 decodes normally; every byte that is not part of a
 * valid sequence (by the rules of Go's `utf8.DecodeRune`, which consumes one byte per error)
 * becomes the lone surrogate U+DC80+byte ("surrogate escape"). Lone surrogates cannot come from
 * valid UTF-8, so the original bytes stay recoverable and quoting can print them as `\xNN` the
 * way Go's `%q` does.
 */
export function decodeTraceString(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // Chunked so long strings do not overflow the argument limit of fromCharCode.apply.
    let s = '';
    for (let i = start; i < end; i += 4096)
      s += String.fromCharCode.apply(
        null,
        buf.subarray(i, Math.min(end, i + 4096)) as unknown as number[],
      );
    return s;
  }
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = buf[i];
    if (b0 < 0x80) {
      out.push(b0);
      i++;
      continue;
    }
    const r = decodeRune(buf, i, end);
    if (r < 0) {
      out.push(0xdc00 | b0);
      i++;
      continue;
    }
    const cp = r >>> 3; // decodeRune packs (codepoint << 3) | width
    const w = r & 7;
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      out.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
    } else {
      out.push(cp);
    }
    i += w;
  }
  let s = '';
  for (let k = 0; k < out.length; k += 4096)
    s += String.fromCharCode.apply(null, out.slice(k, k + 4096));
  return s;
}

/** One multi-byte UTF-8 sequence at i, as (codepoint << 3 | width), or −1 if invalid. */
function decodeRune(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i];
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  let cp: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    need = 1;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    cp = b0 & 0x0f;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f; // surrogates are invalid
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    cp = b0 & 0x07;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else {
    return -1;
  }
  if (i + need >= end) return -1;
  const b1 = buf[i + 1];
  if (b1 < lo || b1 > hi) return -1;
  cp = (cp << 6) | (b1 & 0x3f);
  for (let k = 2; k <= need; k++) {
    const b = buf[i + k];
    if (b < 0x80 || b > 0xbf) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  return (cp << 3) | (need + 1);
}

/**
 * Encodes text made of trace strings back to the bytes Go would print: UTF-8, except that the
 * lone surrogates U+DC80..U+DCFF that `decodeTraceString` made of invalid bytes become those
 * bytes again (Go prints file and function names unquoted, byte for byte).
 */
export function encodeTraceText(s: string): Uint8Array {
  const utf8 = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  let from = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    total += b.length;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    // A low surrogate after a high one is half of a real character, not an escaped byte.
    if (i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff) continue;
    if (i > from) push(utf8.encode(s.slice(from, i)));
    push(Uint8Array.of(c - 0xdc00));
    from = i + 1;
  }
  if (from < s.length) push(utf8.encode(s.slice(from)));
  const out = new Uint8Array(total);
  let p = 0;
  for (const b of parts) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/** True when the text holds bytes escaped by `decodeTraceString` (so `encodeTraceText` is needed). */
export function hasEscapedBytes(s: string): boolean {
  return /[\udc80-\udcff]/.test(s);
}
