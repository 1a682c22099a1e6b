// Encodes the profile model as profile.proto (uncompressed; the caller gzips it), so any profile
// Go Lens reads — perf recordings and folded stacks included — saves as a `.pb.gz` that
// `go tool pprof` opens. Field numbers are profile.proto's; ids are indexes + 1 (pprof wants them
// nonzero); values are int64, so fractional values (some folded files) are rounded.
import type { Profile } from './model';

/** A protobuf writer into one growing buffer. */
class Writer {
  buf = new Uint8Array(1 << 16);
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  varint(v: number): void {
    this.ensure(10);
    if (v >= 0 && v < 0x80) {
      this.buf[this.len++] = v;
      return;
    }
    if (v < 0 || !Number.isSafeInteger(v)) {
      // Negative int64 (or beyond 2^53): ten bytes of two's complement via BigInt.
      let x = BigInt.asUintN(64, BigInt(Math.round(v)));
      while (x >= 0x80n) {
        this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
        x >>= 7n;
      }
      this.buf[this.len++] = Number(x);
      return;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.varint(Math.round(v));
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A length-delimited sub-message written by `body` into a scratch writer. */
  message(field: number, scratch: Writer, body: (w: Writer) => void): void {
    scratch.len = 0;
    body(scratch);
    this.bytes(field, scratch.buf.subarray(0, scratch.len));
  }

  packed(
    field: number,
    scratch: Writer,
    values: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    if (to <= from) return;
    scratch.len = 0;
    for (let i = from; i < to; i++) scratch.varint(Math.round(values[i]));
    this.bytes(field, scratch.buf.subarray(0, scratch.len));
  }
}

/** profile.proto bytes of `p` (not gzipped). */
export function encodeProfile(p: Profile): Uint8Array {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const w = new Writer();
  const a = new Writer();
  const b = new Writer();
  const nTypes = p.sampleTypes.length;

  for (const t of p.sampleTypes) {
    w.message(1, a, (m) => {
      m.int(1, str(t.type));
      m.int(2, str(t.unit));
    });
  }
  const s = p.samples;
  for (let i = 0; i < s.count; i++) {
    w.message(2, a, (m) => {
      m.packed(
        1,
        b,
        Array.from(s.stackLocations.subarray(s.stackStart[i], s.stackStart[i + 1]), (l) => l + 1),
        0,
        s.stackStart[i + 1] - s.stackStart[i],
      );
      m.packed(2, b, s.values, i * nTypes, (i + 1) * nTypes);
      for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
        b.len = 0;
        b.int(1, str(p.strings[s.labelKey[l]]));
        if (s.labelStr[l] !== 0) b.int(2, str(p.strings[s.labelStr[l]]));
        else {
          b.int(3, s.labelNum[l]);
          if (s.labelNumUnit[l] !== 0) b.int(4, str(p.strings[s.labelNumUnit[l]]));
        }
        m.bytes(3, b.buf.slice(0, b.len));
      }
    });
  }
  const mp = p.mappings;
  for (let i = 0; i < mp.count; i++) {
    w.message(3, a, (m) => {
      m.int(1, i + 1);
      m.int(2, mp.memoryStart[i]);
      m.int(3, mp.memoryLimit[i]);
      m.int(4, mp.fileOffset[i]);
      m.int(5, str(mp.filename[i]));
      m.int(6, str(mp.buildId[i]));
      m.int(7, mp.hasFunctions[i]);
      m.int(8, mp.hasFilenames[i]);
      m.int(9, mp.hasLineNumbers[i]);
      m.int(10, mp.hasInlineFrames[i]);
    });
  }
  const loc = p.locations;
  for (let i = 0; i < loc.count; i++) {
    w.message(4, a, (m) => {
      m.int(1, i + 1);
      if (loc.mapping[i] >= 0) m.int(2, loc.mapping[i] + 1);
      m.int(3, loc.address[i]);
      for (let f = loc.firstFrame[i]; f < loc.firstFrame[i] + loc.frameCount[i]; f++) {
        b.len = 0;
        if (p.frames.function[f] >= 0) b.int(1, p.frames.function[f] + 1);
        b.int(2, p.frames.line[f]);
        m.bytes(4, b.buf.slice(0, b.len));
      }
      m.int(5, loc.isFolded[i]);
    });
  }
  const fn = p.functions;
  for (let i = 0; i < fn.count; i++) {
    w.message(5, a, (m) => {
      m.int(1, i + 1);
      m.int(2, str(fn.name[i]));
      m.int(3, str(fn.systemName[i]));
      m.int(4, str(fn.filename[i]));
      m.int(5, fn.startLine[i]);
    });
  }
  // Everything that names a string is written before the table, so the table is complete here.
  const drop = str(p.dropFrames);
  const keep = str(p.keepFrames);
  const periodType = p.periodType ? [str(p.periodType.type), str(p.periodType.unit)] : undefined;
  const comments = p.comments.map(str);
  const defaultType =
    nTypes > 0 && p.defaultSampleType !== nTypes - 1
      ? str(p.sampleTypes[p.defaultSampleType].type)
      : 0;
  const enc = new TextEncoder();
  for (const t of strings) w.bytes(6, enc.encode(t));
  w.int(7, drop);
  w.int(8, keep);
  w.int(9, p.timeNanos);
  w.int(10, p.durationNanos);
  if (periodType) {
    w.message(11, a, (m) => {
      m.int(1, periodType[0]);
      m.int(2, periodType[1]);
    });
  }
  w.int(12, p.period);
  for (const c of comments) {
    w.tag(13, 0);
    w.varint(c);
  }
  w.int(14, defaultType);
  return w.buf.slice(0, w.len);
}
