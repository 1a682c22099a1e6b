// The mutator of the fuzzing engine: libFuzzer/AFL-style byte-level mutations, stacked 1 to 8 at
// a time, plus the target's dictionary (format keywords) and, because most of our readers read
// text full of numbers, number-aware mutations (a digit run replaced by a boundary value).
// Randomness comes from the caller (a seeded PRNG), so a run is repeatable from its seed.

const enc = new TextEncoder();
const INTERESTING_NUMBERS = [
  '0',
  '1',
  '-1',
  '255',
  '256',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '18446744073709551615',
  '1e308',
  '99999999999999999999999',
  '00000000000000000000',
];
const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x20, 0x1f, 0x8b];

export class Mutator {
  constructor(rand, dictionary = [], maxLen = 1 << 18) {
    this.rand = rand;
    this.dict = dictionary.map((d) => enc.encode(d));
    this.numbers = INTERESTING_NUMBERS.map((d) => enc.encode(d));
    this.maxLen = maxLen;
  }

  int(n) {
    return Math.floor(this.rand() * n);
  }

  /** A mutated copy of `input`; `other` is another corpus entry for splicing. */
  mutate(input, other) {
    let data = input.length > this.maxLen ? input.subarray(0, this.maxLen) : input;
    const stack = 1 + this.int(8);
    for (let i = 0; i < stack; i++) data = this.once(data, other);
    return data.length > this.maxLen ? data.subarray(0, this.maxLen) : data;
  }

  once(d, other) {
    const n = d.length;
    switch (this.int(n === 0 ? 3 : 14)) {
      case 0: // insert random bytes
        return splice(
          d,
          this.int(n + 1),
          0,
          Uint8Array.from({ length: 1 + this.int(8) }, () => this.int(256)),
        );
      case 1: // insert a dictionary word
        return this.dict.length
          ? splice(d, this.int(n + 1), 0, this.dict[this.int(this.dict.length)])
          : d;
      case 2: // insert a boundary number
        return splice(d, this.int(n + 1), 0, this.numbers[this.int(this.numbers.length)]);
      case 3: {
        // flip a bit
        const c = Uint8Array.from(d);
        c[this.int(n)] ^= 1 << this.int(8);
        return c;
      }
      case 4: {
        // set an interesting byte
        const c = Uint8Array.from(d);
        c[this.int(n)] = INTERESTING_BYTES[this.int(INTERESTING_BYTES.length)];
        return c;
      }
      case 5: {
        // random byte
        const c = Uint8Array.from(d);
        c[this.int(n)] = this.int(256);
        return c;
      }
      case 6: {
        // delete a range
        const at = this.int(n);
        return splice(d, at, 1 + this.int(Math.min(n - at, 64)), new Uint8Array(0));
      }
      case 7: {
        // duplicate a range (repeated, sometimes many times: long lines, deep nesting)
        const at = this.int(n);
        const len = 1 + this.int(Math.min(n - at, 256));
        const times = this.rand() < 0.1 ? 1 + this.int(64) : 1;
        const piece = d.subarray(at, at + len);
        const rep = new Uint8Array(piece.length * times);
        for (let k = 0; k < times; k++) rep.set(piece, k * piece.length);
        return splice(d, at, 0, rep);
      }
      case 8: {
        // copy a range over another place
        const from = this.int(n);
        const len = 1 + this.int(Math.min(n - from, 64));
        const to = this.int(n);
        const c = Uint8Array.from(d);
        c.set(d.subarray(from, from + Math.min(len, n - to)), to);
        return c;
      }
      case 9: {
        // replace a digit run with a boundary number
        const at = this.int(n);
        let s = at;
        while (s < n && !(d[s] >= 0x30 && d[s] <= 0x39)) s++;
        if (s >= n) return d;
        let e = s;
        while (e < n && d[e] >= 0x30 && d[e] <= 0x39) e++;
        return splice(d, s, e - s, this.numbers[this.int(this.numbers.length)]);
      }
      case 10: // overwrite with a dictionary word
        if (!this.dict.length) return d;
        {
          const w = this.dict[this.int(this.dict.length)];
          const at = this.int(n);
          return splice(d, at, Math.min(w.length, n - at), w);
        }
      case 11: // truncate
        return d.subarray(0, this.int(n + 1));
      case 12: {
        // splice with another input
        if (!other || other.length === 0) return d;
        const at = this.int(n + 1);
        const from = this.int(other.length);
        return concat(
          d.subarray(0, at),
          other.subarray(from, from + 1 + this.int(Math.min(other.length - from, 4096))),
        );
      }
      default: {
        // change a byte by a small amount (lengths, varints, counts)
        const c = Uint8Array.from(d);
        const i = this.int(n);
        c[i] = (c[i] + (this.int(2) ? 1 : 255) * (1 + this.int(4))) & 0xff;
        return c;
      }
    }
  }
}

function splice(d, at, del, ins) {
  const out = new Uint8Array(d.length - del + ins.length);
  out.set(d.subarray(0, at), 0);
  out.set(ins, at);
  out.set(d.subarray(at + del), at + ins.length);
  return out;
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
