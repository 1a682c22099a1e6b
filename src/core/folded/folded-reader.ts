// Reads folded stacks (`root;caller;leaf 123`, one stack per line, as stackcollapse-*, inferno,
// speedscope, py-spy and `golens folded` write) into the profile model, streaming.
//
// Frame names are kept as written, except for two conventions:
//  - Go Lens's escapes inside a name (`\\`, `\;`, `\n`, `\r`; see docs: the folded-stack escape
//    scheme) are undone, so a `;` inside a name does not split it. Any other backslash is literal,
//    so other tools' files read unchanged.
//  - stackcollapse's annotations `_[k]` (kernel), `_[j]` (JIT), `_[i]` (inlined) and `_[w]` (waker)
//    are taken off the name and kept as the frame's kind: kernel frames get the file name
//    `[kernel.kallsyms]` and JIT frames `[jit]`, so the flame graph colours them.
import type { Profile } from '../pprof/model';
import { ProfileBuilder } from '../pprof/profile-builder';
import { KERNEL_FILE } from '../perf/frame-names';

export interface FoldedStats {
  stacks: number;
  lines: number;
  /** Lines with no count at the end (or an unreadable one). */
  linesWithoutCount: number;
  /** The text ended without a newline and its last line did not parse. */
  truncated: boolean;
}

export interface FoldedResult {
  profile: Profile;
  stats: FoldedStats;
  warnings: string[];
}

const MAX_EXAMPLES = 3;
const COUNT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Splits a folded stack at unescaped `;` and undoes the four escapes; root first. */
export function splitFoldedStack(stack: string): string[] {
  if (stack.indexOf('\\') < 0) return stack.split(';');
  const frames: string[] = [];
  let cur = '';
  for (let i = 0; i < stack.length; i++) {
    const c = stack[i];
    if (c === '\\' && i + 1 < stack.length) {
      const n = stack[i + 1];
      if (n === '\\' || n === ';') {
        cur += n;
        i++;
        continue;
      }
      if (n === 'n') {
        cur += '\n';
        i++;
        continue;
      }
      if (n === 'r') {
        cur += '\r';
        i++;
        continue;
      }
      cur += c;
      continue;
    }
    if (c === ';') {
      frames.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  frames.push(cur);
  return frames;
}

/** A frame's name without its stackcollapse annotation, and the file name that marks its kind. */
function annotated(name: string): { name: string; file: string } {
  if (
    name.length > 4 &&
    name.charCodeAt(name.length - 1) === 0x5d /* ] */ &&
    name.charCodeAt(name.length - 4) === 0x5f /* _ */ &&
    name.charCodeAt(name.length - 3) === 0x5b /* [ */
  ) {
    const tag = name[name.length - 2];
    const bare = name.slice(0, -4);
    if (tag === 'k') return { name: bare, file: KERNEL_FILE };
    if (tag === 'j') return { name: bare, file: '[jit]' };
    if (tag === 'i' || tag === 'w') return { name: bare, file: '' };
  }
  return { name, file: '' };
}

// A frame name's hash is taken while the name is split off its line, four bytes at a time
// (murmur3's mixing) while none of the four is `;` or a backslash, then byte by byte, then finished
// with its length: so a name costs one pass, and a quarter of a byte-wise hash.

/** Mixes a 32-bit word into a running hash. */
function mixWord(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
}

/** Mixes a byte into a running hash. */
function mixByte(h: number, b: number): number {
  return Math.imul(h ^ b, 0x01000193);
}

/** The hash of `n` bytes from a running hash over them. */
function finishNameHash(h: number, n: number): number {
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Nonzero when one of the four bytes of `w` is `;` or a backslash (the zero-byte test on `w` xor each). */
function hasSeparator(w: number): number {
  const a = w ^ 0x3b3b3b3b;
  const b = w ^ 0x5c5c5c5c;
  return (((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b)) & 0x80808080;
}

/** Whether `a[as ..]` and `b[bs ..]` agree for `n` bytes (views over the same buffers). */
function sameBytes(
  a: Uint8Array,
  av: DataView,
  as: number,
  b: Uint8Array,
  bv: DataView,
  bs: number,
  n: number,
): boolean {
  let i = 0;
  // Eight bytes at a time as doubles; where they do not settle it (+0 and -0 are equal, a NaN
  // equals nothing), as two 32-bit words.
  for (; i + 8 <= n; i += 8) {
    const x = av.getFloat64(as + i, true);
    if (x === bv.getFloat64(bs + i, true) && x !== 0) continue;
    if (
      av.getInt32(as + i, true) !== bv.getInt32(bs + i, true) ||
      av.getInt32(as + i + 4, true) !== bv.getInt32(bs + i + 4, true)
    )
      return false;
  }
  for (; i + 4 <= n; i += 4)
    if (av.getInt32(as + i, true) !== bv.getInt32(bs + i, true)) return false;
  for (; i < n; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/**
 * Frame names by their UTF-8 bytes: an open-addressing table over a byte arena, so a frame seen
 * before is found without decoding it to a string (decoding and hashing strings was most of the
 * reading time of a large file).
 */
class ByteNameTable {
  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private arenaLength = 0;
  private slots = new Int32Array(1 << 12).fill(-1);
  private start: number[] = [];
  private length: number[] = [];
  private hash: number[] = [];
  readonly value: number[] = [];

  /** The value stored for the bytes `buf[s .. e)` (`view` over it), whose hash is `h`, or -1. */
  find(buf: Uint8Array, view: DataView, s: number, e: number, h: number): number {
    const mask = this.slots.length - 1;
    const n = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) return -1;
      if (
        this.hash[id] === h &&
        this.length[id] === n &&
        sameBytes(this.arena, this.arenaView, this.start[id], buf, view, s, n)
      )
        return this.value[id];
    }
  }

  /** Stores `value` for the bytes `buf[s .. e)` (not already in the table), whose hash is `h`. */
  add(buf: Uint8Array, s: number, e: number, h: number, value: number): void {
    const n = e - s;
    if (this.arenaLength + n > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + n));
      grown.set(this.arena.subarray(0, this.arenaLength));
      this.arena = grown;
      this.arenaView = new DataView(grown.buffer);
    }
    this.arena.set(buf.subarray(s, e), this.arenaLength);
    const id = this.value.length;
    this.start.push(this.arenaLength);
    this.length.push(n);
    this.hash.push(h);
    this.value.push(value);
    this.arenaLength += n;
    if (2 * this.value.length > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      for (let i = 0; i < this.value.length; i++) this.place(i);
    } else this.place(id);
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hash[id] & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }
}

const SEMICOLON = 0x3b;
const SPACE = 0x20;
const BACKSLASH = 0x5c;

/**
 * Reads folded stacks streamed as bytes. Lines are read as UTF-8 bytes (`;`, ` `, `\` and the
 * line end never occur inside a multi-byte character), and only names not seen before are
 * decoded. Sorted files (as every stackcollapse writes them) share long prefixes with the line
 * before, whose frames need no lookup at all.
 */
export class FoldedReader {
  private readonly builder = new ProfileBuilder();
  private readonly sampleType: number;
  private readonly labelSet: number;
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly names = new ByteNameTable();
  private lineNo = 0;
  private readonly examples: string[] = [];
  /** The bytes of a line cut by the end of a piece, copied. */
  private carry: Uint8Array | undefined;
  private atStart = true;
  // The previous line's stack (`prevLength` bytes at `prevStart` in `prevBuf`, -1: none) and its
  // frames (locations root first, frame ends from the line's start). The line is read where it
  // lies in the piece pushed, and copied only when the piece is done with.
  private prevBuf: Uint8Array = new Uint8Array(1 << 12);
  private prevView: DataView = new DataView(this.prevBuf.buffer);
  private prevStart = 0;
  private prevLength = -1;
  private prevCount = 0;
  private readonly prevLocs: number[] = [];
  private readonly prevEnds: number[] = [];
  /** The copy of the previous line's stack kept between pieces. */
  private ownBytes = new Uint8Array(1 << 12);
  private ownView = new DataView(this.ownBytes.buffer);
  readonly stats: FoldedStats = { stacks: 0, lines: 0, linesWithoutCount: 0, truncated: false };

  private bytesRead = 0;
  /** The size of the whole text, when known: once a first part is read, room is made for the rest. */
  private expectedBytes: number | undefined;

  constructor(options: { expectedBytes?: number } = {}) {
    this.sampleType = this.builder.sampleTypeIndex('samples', 'count');
    this.labelSet = this.builder.labelSet([]);
    this.expectedBytes = options.expectedBytes;
  }

  /**
   * Makes room for the samples of the whole text, estimated from the part read (a little more).
   * The estimate is capped (a stack per 64 bytes, a frame per 8), so a first part much denser
   * than the rest cannot reserve far more than the lists would grow to.
   */
  private reserveForRest(): void {
    const expected = this.expectedBytes;
    if (expected === undefined || this.bytesRead < 1 << 20 || this.stats.stacks < 1000) return;
    const scale = (1.02 * expected) / this.bytesRead;
    if (scale > 1.1)
      this.builder.reserve(
        Math.ceil(Math.min(this.stats.stacks * scale, expected / 64)) + 64,
        Math.ceil(Math.min(this.builder.stackEntries * scale, expected / 8)) + 1024,
      );
    this.expectedBytes = undefined;
  }

  push(chunk: Uint8Array): void {
    // A plain view: Node's Buffer makes every subarray cost more.
    if (chunk.constructor !== Uint8Array)
      chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.atStart) {
      if ((this.carry?.length ?? 0) + chunk.length < 3 && (this.carry ?? chunk)[0] === 0xef) {
        // Too short to tell whether it is a byte-order mark: wait for more.
        this.carry = this.carry === undefined ? chunk.slice() : concat(this.carry, chunk);
        return;
      }
      if (this.carry !== undefined) {
        chunk = concat(this.carry, chunk);
        this.carry = undefined;
      }
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) pos = 3;
      if (chunk.length > 0) this.atStart = false;
    }
    if (this.carry !== undefined) {
      const nl = chunk.indexOf(0x0a, pos);
      if (nl < 0) {
        this.carry = concat(this.carry, chunk);
        return;
      }
      const line = concat(this.carry, chunk.subarray(pos, nl));
      this.carry = undefined;
      this.line(line, viewOf(line), 0, line.length, false, -1);
      pos = nl + 1;
    }
    const view = viewOf(chunk);
    const end = chunk.length;
    for (;;) {
      // The part shared with the line before holds no line end: the search starts after it,
      // four bytes at a time (the zero-byte test on the word xor newlines).
      const common =
        this.prevLength > 0
          ? this.commonPrefix(chunk, view, pos, Math.min(this.prevLength, end - pos))
          : 0;
      let i = pos + common;
      for (; i + 4 <= end; i += 4) {
        const a = view.getInt32(i, true) ^ 0x0a0a0a0a;
        if (((a - 0x01010101) & ~a & 0x80808080) !== 0) break;
      }
      while (i < end && chunk[i] !== 0x0a) i++;
      if (i === end) break;
      this.line(chunk, view, pos, i, false, common);
      pos = i + 1;
    }
    this.keepPrevious(chunk);
    if (pos < chunk.length) this.carry = chunk.slice(pos);
    this.bytesRead += chunk.length;
    if (this.expectedBytes !== undefined) this.reserveForRest();
  }

  pushText(text: string): void {
    this.push(new TextEncoder().encode(text));
  }

  end(): FoldedResult {
    const rest = this.carry;
    this.carry = undefined;
    if (rest !== undefined && rest.length > 0)
      this.line(rest, viewOf(rest), 0, rest.length, true, -1);
    const s = this.stats;
    const warnings: string[] = [];
    if (s.truncated)
      warnings.push(
        'The folded text ends in the middle of a line (the file is cut off): that line was left out; the stacks before it are shown.',
      );
    if (s.linesWithoutCount > 0) {
      warnings.push(
        `${s.linesWithoutCount} line${s.linesWithoutCount === 1 ? ' has' : 's have'} no count at the end and ${s.linesWithoutCount === 1 ? 'was' : 'were'} skipped, e.g. ${this.examples.map((e) => JSON.stringify(e)).join(', ')}. ` +
          'Each line of a folded file is "frame;frame;frame count".',
      );
    }
    return { profile: this.builder.build(), stats: s, warnings };
  }

  private location(name: string): number {
    const known = this.builder.findLocation(name);
    if (known !== undefined) return known;
    const a = annotated(name);
    return this.builder.addLocation(name, 0, -1, [{ name: a.name, file: a.file, line: 0 }]);
  }

  /** The location of the frame named by the bytes `buf[s .. e)` (`view` over them), whose hash is `h`. */
  private locationOfBytes(
    buf: Uint8Array,
    view: DataView,
    s: number,
    e: number,
    h: number,
  ): number {
    const known = this.names.find(buf, view, s, e, h);
    if (known >= 0) return known;
    const loc = this.location(this.decoder.decode(buf.subarray(s, e)));
    this.names.add(buf, s, e, h, loc);
    return loc;
  }

  /** How many bytes `buf[s .. s + n)` (`view` over `buf`) share with the previous line's stack, four at a time. */
  private commonPrefix(buf: Uint8Array, view: DataView, s: number, n: number): number {
    const prev = this.prevBuf;
    const pv = this.prevView;
    const ps = this.prevStart;
    let common = 0;
    // Eight bytes at a time read as doubles: equal doubles are equal bytes, but for +0 and -0
    // (then this stops, as at a NaN, which equals nothing; the loops after go on exactly).
    for (; common + 8 <= n; common += 8) {
      const x = pv.getFloat64(ps + common, true);
      if (x !== view.getFloat64(s + common, true) || x === 0) break;
    }
    while (common + 4 <= n && pv.getInt32(ps + common, true) === view.getInt32(s + common, true))
      common += 4;
    while (common < n && prev[ps + common] === buf[s + common]) common++;
    return common;
  }

  /**
   * Sets prevLocs (root first) to the frames of the stack `buf[s .. e)` (`view` over `buf`);
   * returns their count. `lineCommon`: the bytes the line from `s` shares with the previous
   * line's stack (-1: not known yet).
   */
  private frames(
    buf: Uint8Array,
    view: DataView,
    s: number,
    e: number,
    lineCommon: number,
  ): number {
    const locs = this.prevLocs;
    const ends = this.prevEnds;
    const length = e - s;
    let k = 0;
    if (this.prevLength >= 0) {
      const common =
        lineCommon >= 0
          ? Math.min(lineCommon, length)
          : this.commonPrefix(buf, view, s, Math.min(this.prevLength, length));
      // Frames of the previous line that end inside the common prefix, at a frame boundary of this line too.
      const prevCount = this.prevCount;
      while (
        k < prevCount &&
        (ends[k] < common ||
          (ends[k] === common && (common === length || buf[s + common] === SEMICOLON)))
      )
        k++;
    }
    let count = k;
    if (!(k > 0 && ends[k - 1] === length)) {
      // The new frames: split at `;`, each looked up by its bytes; escapes send the line to the
      // slow path (the frames shared with the line before have none: that line was read here).
      let start = s + (k === 0 ? 0 : ends[k - 1] + 1);
      for (;;) {
        let i = start;
        let h = 0;
        for (; i + 4 <= e; i += 4) {
          const w = view.getInt32(i, true);
          if (hasSeparator(w) !== 0) break;
          h = mixWord(h, w);
        }
        for (; i < e; i++) {
          const c = buf[i];
          if (c === SEMICOLON) break;
          if (c === BACKSLASH) {
            // Escapes: split properly; no prefix reuse (rare).
            const names = splitFoldedStack(this.decoder.decode(buf.subarray(s, e)));
            for (let j = 0; j < names.length; j++) locs[j] = this.location(names[j]);
            this.prevLength = -1;
            return names.length;
          }
          h = mixByte(h, c);
        }
        locs[count] = this.locationOfBytes(buf, view, start, i, finishNameHash(h, i - start));
        ends[count] = i - s;
        count++;
        if (i === e) break;
        start = i + 1;
      }
    }
    this.prevBuf = buf;
    this.prevView = view;
    this.prevStart = s;
    this.prevLength = length;
    this.prevCount = count;
    return count;
  }

  /** Copies the previous line's stack out of `piece`, which the caller may reuse once push returns. */
  private keepPrevious(piece: Uint8Array): void {
    if (this.prevBuf !== piece || this.prevLength < 0) return;
    const n = this.prevLength;
    if (n + 4 > this.ownBytes.length) {
      this.ownBytes = new Uint8Array(2 * (n + 4));
      this.ownView = new DataView(this.ownBytes.buffer);
    }
    this.ownBytes.set(piece.subarray(this.prevStart, this.prevStart + n));
    this.prevBuf = this.ownBytes;
    this.prevView = this.ownView;
    this.prevStart = 0;
  }

  /** `common`: the bytes the line shares with the previous line's stack (-1: not known). */
  private line(
    buf: Uint8Array,
    view: DataView,
    s: number,
    e: number,
    last: boolean,
    common: number,
  ): void {
    this.lineNo++;
    this.stats.lines++;
    if (e > s && buf[e - 1] === 0x0d) e--;
    if (e === s || buf[s] === 0x23 /* # */) return;
    if (buf[s] <= SPACE) {
      let i = s;
      while (i < e && buf[i] <= SPACE) i++;
      if (i === e) return;
    }
    let sp = e - 1;
    while (sp >= s && buf[sp] !== SPACE) sp--;
    let stackEnd = sp;
    while (stackEnd > s && buf[stackEnd - 1] <= SPACE) stackEnd--;
    const value = sp > s ? countOf(buf, sp + 1, e) : NaN;
    if (Number.isNaN(value) || stackEnd === s) {
      if (last) this.stats.truncated = true;
      else {
        this.stats.linesWithoutCount++;
        if (this.examples.length < MAX_EXAMPLES)
          this.examples.push(
            `line ${this.lineNo}: ${this.decoder.decode(buf.subarray(s, e)).slice(0, 80)}`,
          );
      }
      return;
    }
    const frames = this.frames(buf, view, s, stackEnd, common);
    this.builder.appendSample(this.prevLocs, frames, this.labelSet, this.sampleType, value);
    this.stats.stacks++;
  }
}

function viewOf(a: Uint8Array): DataView {
  return new DataView(a.buffer, a.byteOffset, a.byteLength);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The count `buf[s .. e)` (an integer, or a decimal as stackcollapse-* may write), or NaN. */
function countOf(buf: Uint8Array, s: number, e: number): number {
  if (e - s > 0 && e - s <= 15) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const d = buf[i] - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === e) return v;
  }
  let text = '';
  for (let i = s; i < e; i++) text += String.fromCharCode(buf[i]);
  return COUNT.test(text) ? Number(text) : NaN;
}

/** Reads a whole folded-stacks text. */
export function readFolded(data: Uint8Array | string): FoldedResult {
  const r = new FoldedReader();
  if (typeof data === 'string') r.pushText(data);
  else r.push(data);
  return r.end();
}
