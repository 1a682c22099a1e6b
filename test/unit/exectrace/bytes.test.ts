// Varints, trace strings and Go-style quoting: the byte-level pieces everything else rests on.
import { describe, expect, test } from 'vitest';
import {
  decodeTraceString,
  readUvarint,
  readUvarintBig,
  uint64String,
} from '../../../src/core/exectrace/bytes';
import { goQuote } from '../../../src/core/exectrace/quote';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('readUvarint', () => {
  const cases: [string, Uint8Array, number, number][] = [
    ['one byte', bytes(0x05), 5, 1],
    ['two bytes', bytes(0xac, 0x02), 300, 2],
    [
      'runtime-style padded size (10 bytes)',
      bytes(0x93, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
      19,
      10,
    ],
    ['2^53-1 exact', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), 2 ** 53 - 1, 8],
    [
      '2^64-1 reads as -1 (the "none" sentinel)',
      bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
      -1,
      10,
    ],
    [
      '2^64-2 reads as -2',
      bytes(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
      -2,
      10,
    ],
  ];
  test.each(cases)('%s', (_name, buf, value, len) => {
    const c = { pos: 0 };
    expect(readUvarint(buf, c, buf.length)).toBe(value);
    expect(c.pos).toBe(len);
  });

  test('truncated and overlong varints fail like binary.Uvarint', () => {
    const c = { pos: 0 };
    expect(readUvarint(bytes(0x80, 0x80), c, 2)).toBeNaN();
    expect(c.pos).toBe(0);
    const d = { pos: 0 };
    expect(
      readUvarint(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), d, 10),
    ).toBeNaN();
    expect(d.pos).toBe(-1);
    const e = { pos: 3 };
    expect(readUvarint(bytes(1, 2, 3), e, 3)).toBeNaN();
    expect(e.pos).toBe(0);
  });

  test('bigint decoding is exact over the whole range', () => {
    const c = { pos: 0 };
    expect(
      readUvarintBig(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), c, 10),
    ).toBe(2n ** 64n - 1n);
    expect(uint64String(-1)).toBe('18446744073709551615');
    expect(uint64String(42)).toBe('42');
  });
});

describe('decodeTraceString + goQuote reproduce strconv.Quote', () => {
  // Expected texts printed by Go's strconv.Quote on the same bytes.
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, Uint8Array, string][] = [
    ['plain', enc('plain'), '"plain"'],
    ['tab', enc('tab\there'), '"tab\\there"'],
    ['quote', enc('q"uote'), '"q\\"uote"'],
    ['backslash', enc('back\\slash'), '"back\\\\slash"'],
    ['invalid bytes', bytes(0xff, 0xfe), '"\\xff\\xfe"'],
    ['non-ASCII printable', enc('é世界'), '"é世界"'],
    ['no-break space', enc('nbsp\u00a0'), '"nbsp\\u00a0"'],
    ['zero-width space', enc('zw\u200b'), '"zw\\u200b"'],
    ['control bytes', bytes(0x63, 0x74, 0x6c, 0x01, 0x7f), '"ctl\\x01\\x7f"'],
    ['emoji', enc('😀'), '"😀"'],
    ['valid U+FFFD', enc('\ufffd'), '"\ufffd"'],
    ['encoded surrogate (invalid in Go)', bytes(0xed, 0xa0, 0x80), '"\\xed\\xa0\\x80"'],
    ['cut sequence', bytes(0xe4, 0xb8), '"\\xe4\\xb8"'],
    ['NUL', bytes(0x61, 0x00, 0x62), '"a\\x00b"'],
    ['line separator', enc('\u2028'), '"\\u2028"'],
    ['tag character', enc('\u{e0001}'), '"\\U000e0001"'],
    ['overlong encoding', bytes(0xc0, 0xaf), '"\\xc0\\xaf"'],
    ['beyond U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '"\\xf4\\x90\\x80\\x80"'],
    ['combining mark', enc('\u0301'), '"\u0301"'],
    ['escapes', enc('\n\r\x07\b\f\v'), '"\\n\\r\\a\\b\\f\\v"'],
  ];
  test.each(cases)('%s', (_name, raw, quoted) => {
    expect(goQuote(decodeTraceString(raw, 0, raw.length))).toBe(quoted);
  });

  test('long ASCII strings decode in chunks', () => {
    const s = 'x'.repeat(10000);
    expect(decodeTraceString(enc(s), 0, s.length)).toBe(s);
  });
});
