// A minimal protobuf wire-format reader over a Uint8Array, written for profile.proto: varints
// (64-bit values become numbers, exact up to 2^53), length-delimited fields, skipping of unknown
// fields. It never allocates per value, so a million samples cost no garbage.
import { ProfileError } from './model';

const TWO32 = 4294967296;

// Wire types of the protobuf encoding. 3 and 4 (groups) are obsolete and not accepted.
/** Wire type 0: a varint (int64, uint64, bool, enum). */
export const WIRE_VARINT = 0;
/** Wire type 1: eight bytes (fixed64, double). */
export const WIRE_FIXED64 = 1;
/** Wire type 2: a length, then that many bytes (strings, messages, packed lists). */
export const WIRE_LEN = 2;
/** Wire type 5: four bytes (fixed32, float). */
export const WIRE_FIXED32 = 5;

/**
 * A cursor over `buf[pos .. end)`. Reading past `end` throws a ProfileError: "truncated" when
 * `end` is the end of the whole input (the file stopped early), "malformed" otherwise (a field
 * claims more bytes than its enclosing message has).
 */
export class ProtoReader {
  /** High 32 bits of the last varint longer than 4 bytes; `int64()` needs them for the sign. */
  private hi = 0;
  private lo = 0;

  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  /** Repositions the reader on another byte range of the same buffer. */
  reset(pos: number, end: number): void {
    this.pos = pos;
    this.end = end;
  }

  /** An unsigned varint (uint64/uint32/bool/enum/tag) as a number; exact below 2^53. */
  varint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) throw this.pastEnd('a number');
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    // Up to four bytes fit in 28 bits, which small-integer arithmetic handles exactly: ids,
    // string indexes and line numbers almost always end here.
    let lo = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) throw this.pastEnd('a number');
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo;
      }
    }
    if (pos >= end) throw this.pastEnd('a number');
    b = buf[pos++];
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      let shift = 3;
      for (;;) {
        if (pos >= end) throw this.pastEnd('a number');
        b = buf[pos++];
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
        shift += 7;
        if (shift > 31)
          throw malformed(`a number at byte ${pos} is longer than the 10 bytes a varint may have`);
      }
    }
    this.pos = pos;
    this.hi = hi;
    this.lo = lo;
    return (hi >>> 0) * TWO32 + lo;
  }

  /** A signed int64 (two's complement varint, as proto3 `int64` is encoded) as a number. */
  int64(): number {
    const v = this.varint();
    // Only a 10-byte varint can have the top bit set; varint() left its halves in hi/lo.
    return v >= 9223372036854775808 ? (this.hi | 0) * TWO32 + this.lo : v;
  }

  /** Reads the length of a length-delimited field and returns the field's end offset. */
  lengthEnd(what: string): number {
    const len = this.varint();
    if (len > this.end - this.pos) throw this.pastEnd(what, len);
    return this.pos + len;
  }

  /** Skips the value of a field with the given wire type. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd('a field');
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        throw malformed(
          `byte ${this.pos} holds a field of wire type ${wire}, which protobuf does not define`,
        );
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw this.pastEnd('a field', n);
    this.pos += n;
  }

  /** The error for reading past `end`; see the class comment for which kind it is. */
  pastEnd(what: string, len?: number): ProfileError {
    const need = len === undefined ? '' : ` (${len} bytes, only ${this.end - this.pos} left)`;
    if (this.end === this.buf.length) {
      return new ProfileError(
        `the file is truncated: ${what} at byte ${this.pos} runs past the end of the data${need}. ` +
          `The profile was probably cut off while being saved or downloaded: capture it again.`,
      );
    }
    return malformed(
      `${what} at byte ${this.pos} runs past the end of its enclosing message${need}`,
    );
  }
}

/** A ProfileError for data that decodes but breaks profile.proto's rules. */
export function malformed(detail: string): ProfileError {
  return new ProfileError(`malformed profile: ${detail}`);
}
