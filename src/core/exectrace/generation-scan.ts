// A cheap look at a trace before reading it: its generations, where each lies in the file and
// the time it covers, from the batch headers and the frequency (sync) batches alone — no event
// is decoded and no model is built, so a 1 GB trace is scanned in well under a second by
// reading a few bytes at every batch. It lets the timeline offer a time range (a run of
// generations) to load when the whole trace would not fit in memory, and `generationSlice`
// then cuts that range out as a trace of its own.
//
// A v2 trace (Go 1.22+) can be read starting at any generation: each generation carries its
// own strings, stacks and clock data, and re-states every goroutine's and P's state at its
// start (Go's flight recorder writes traces that start at an arbitrary generation, which Go's
// reader reads). Go 1.11–1.21 traces (format v1) have no generations: they are converted as one
// whole, so a scan reports them as a single range that cannot be split.

import { readUvarint, type VarintCursor } from './bytes';
import { isLegacyVersion, readHeader, type TraceVersion } from './header';
import { Ev, MAX_BATCH_SIZE } from './spec';

/** Random access to a trace's bytes, so a scan needs no copy of the file in memory. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes at `pos` (fewer only at the end of the file). */
  read(pos: number, length: number): Uint8Array;
  /**
   * Optional: reads up to `length` bytes at `pos` straight into `target` from `target[at]`, and
   * says how many (fewer only at the end of the file). Saves a reader a buffer and a copy.
   */
  readInto?(target: Uint8Array, at: number, pos: number, length: number): number;
}

/** A `ByteSource` over bytes already in memory. */
export function bytesSource(data: Uint8Array): ByteSource {
  return {
    size: data.length,
    read: (pos, length) => data.subarray(pos, Math.min(data.length, pos + length)),
  };
}

/** One generation of a trace, as the scan finds it. */
export interface GenerationExtent {
  /** Generation number from the batch headers. */
  number: number;
  /** Its bytes [start, end) in the file (the end-of-generation marker included, Go 1.26+). */
  start: number;
  end: number;
  /**
   * Its time span in ns since the trace start (the first generation's earliest batch, which is
   * where the timeline's time 0 lies). The start is exact; the end is the next generation's
   * start, or for the last one the start of its last batch (events after it are not decoded).
   */
  startNs: number;
  endNs: number;
}

/** What a scan found. */
export interface TraceScan {
  version: TraceVersion;
  /** File size in bytes. */
  size: number;
  /** Go 1.11–1.21 (format v1): no generations; read as a whole. */
  legacy: boolean;
  /** The generations in file order (one pseudo-generation for a legacy trace). */
  generations: GenerationExtent[];
  /**
   * Absolute trace time (ns) of the first generation's start, which generation times count
   * from: pass it as the reader's `timeBase` to read a slice with the whole trace's times.
   */
  timeBase: number;
  /** Set when the scan stopped early (a truncated or damaged file): the generations before it are listed. */
  problem?: string;
}

/** The trace header's length; a slice of generations is this header followed by their bytes. */
export const TRACE_HEADER_BYTES = 16;
/** Enough bytes for any batch header: type, experiment, four varints of at most 10 bytes. */
const HEADER_PEEK = 48;
/** Bytes read at a time: batches are up to 64 KiB, so most reads hold a header or a few small batches. */
const WINDOW = 4096;

/** Lists a trace's generations from its batch headers (see the file comment). Throws TraceError for a file that is not a trace. */
export function scanGenerations(src: ByteSource): TraceScan {
  const version = readHeader(src.read(0, TRACE_HEADER_BYTES));
  const size = src.size;
  if (isLegacyVersion(version))
    return {
      version,
      size,
      legacy: true,
      generations: [{ number: 1, start: TRACE_HEADER_BYTES, end: size, startNs: 0, endNs: NaN }],
      timeBase: 0,
    };
  const win = new Window(src);
  const generations: GenerationExtent[] = [];
  interface Current {
    number: number;
    start: number;
    minTs: number;
    maxTs: number;
    nsPerUnit: number;
  }
  let cur: Current | null = null;
  let problem: string | undefined;
  let base = NaN;
  const close = (end: number) => {
    if (!cur) return;
    const f = cur.nsPerUnit > 0 ? cur.nsPerUnit : 1;
    const startAbs = Math.trunc(cur.minTs * f);
    if (Number.isNaN(base)) base = startAbs;
    generations.push({
      number: cur.number,
      start: cur.start,
      end,
      startNs: startAbs - base,
      endNs: Math.trunc(cur.maxTs * f) - base,
    });
    cur = null;
  };
  let pos = TRACE_HEADER_BYTES;
  while (pos < size) {
    const view = win.at(pos, HEADER_PEEK);
    const typ = view[0];
    if (typ === Ev.EndOfGeneration && version >= 26) {
      pos += 1;
      close(pos);
      continue;
    }
    if (typ !== Ev.EventBatch && typ !== Ev.ExperimentalBatch) {
      problem = `expected a batch header at byte ${pos}, found event type ${typ}`;
      break;
    }
    const c: VarintCursor = { pos: typ === Ev.ExperimentalBatch ? 2 : 1 };
    const vals = [0, 0, 0, 0];
    let bad = false;
    for (let i = 0; i < 4 && !bad; i++) {
      vals[i] = readUvarint(view, c, view.length);
      bad = c.pos <= 0;
    }
    const [gen, , time, len] = vals;
    if (bad || len < 0 || len > MAX_BATCH_SIZE || gen === 0) {
      problem = `the batch header at byte ${pos} is cut off or damaged`;
      break;
    }
    const payload = pos + c.pos;
    if (payload + len > size) {
      problem = `the batch at byte ${pos} is cut off by the end of the file`;
      break;
    }
    if (cur && gen !== cur.number) {
      if (version >= 26) {
        problem = `generation ${cur.number} has no end-of-generation marker before byte ${pos}`;
        break;
      }
      close(pos);
    }
    cur ??= { number: gen, start: pos, minTs: 0, maxTs: 0, nsPerUnit: 0 };
    // Go's rule for a generation's start: the earliest batch time, 0 meaning "unset".
    if (cur.minTs === 0 || time < cur.minTs) cur.minTs = time;
    if (time > cur.maxTs) cur.maxTs = time;
    if (typ === Ev.EventBatch && len > 0) {
      const f = frequencyOf(win, payload, len, version);
      if (f > 0) cur.nsPerUnit = 1e9 / f;
    }
    pos = payload + len;
  }
  if (cur) {
    // A v1.26 generation without its end marker, or any cut generation: listed, as the reader
    // would read it up to the failure, but not as a whole.
    if (version >= 26 && !problem)
      problem = `the file ends inside generation ${(cur as Current).number}, before its end-of-generation marker`;
    close(pos);
  }
  // The end of each generation is where the next one starts (batches of a generation are
  // written up to its end, so the next one's earliest batch is a closer bound than our own).
  for (let i = 0; i + 1 < generations.length; i++)
    generations[i].endNs = Math.max(generations[i].endNs, generations[i + 1].startNs);
  return {
    version,
    size,
    legacy: false,
    generations,
    timeBase: Number.isNaN(base) ? 0 : base,
    problem,
  };
}

/** The trace frequency in ticks per second if this batch is the generation's sync batch, else 0. */
function frequencyOf(win: Window, payload: number, len: number, version: number): number {
  const bytes = win.at(payload, Math.min(len, HEADER_PEEK * 2));
  const end = Math.min(len, bytes.length);
  let i = 0;
  if (version >= 25) {
    if (bytes[0] !== Ev.Sync) return 0;
    i = 1;
  }
  // Go ≥ 1.25: Sync, then Frequency and ClockSnapshot in either order.
  for (let k = 0; k < 2 && i < end; k++) {
    const ev = bytes[i];
    const c: VarintCursor = { pos: i + 1 };
    if (ev === Ev.Frequency) {
      const f = readUvarint(bytes, c, end);
      return c.pos > 0 ? f : 0;
    }
    if (ev !== Ev.ClockSnapshot || version < 25) return 0;
    for (let v = 0; v < 4 && c.pos > 0; v++) readUvarint(bytes, c, end);
    if (c.pos <= 0) return 0;
    i = c.pos;
  }
  return 0;
}

/** A small cache of the bytes around the scan position. */
class Window {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  constructor(private readonly src: ByteSource) {}
  /** Up to `length` bytes at `pos` (fewer at the end of the file). */
  at(pos: number, length: number): Uint8Array {
    const off = pos - this.start;
    if (off < 0 || off + length > this.bytes.length) {
      if (off >= 0 && this.start + this.bytes.length >= this.src.size)
        return this.bytes.subarray(off);
      this.start = pos;
      this.bytes = this.src.read(pos, Math.max(length, WINDOW));
      return this.bytes.subarray(0, length);
    }
    return this.bytes.subarray(off, off + length);
  }
}

/** The generations numbered first..last of a scan, or an Error saying which do not exist. */
export function selectGenerations(
  scan: TraceScan,
  first: number,
  last: number,
): GenerationExtent[] {
  const picked = scan.generations.filter((g) => g.number >= first && g.number <= last);
  if (scan.legacy || picked.length === 0 || first > last)
    throw new Error(
      scan.legacy
        ? `a Go 1.11–1.21 trace has no generations and is read whole; open the whole file`
        : `the trace has no generations ${first}–${last} (it has ${scan.generations.map((g) => g.number).join(', ') || 'none'})`,
    );
  return picked;
}

/** Where the bytes of some consecutive generations lie in the file: [from, from + length). */
export function sliceExtent(picked: readonly GenerationExtent[]): {
  from: number;
  length: number;
} {
  const from = picked[0].start;
  return { from, length: picked[picked.length - 1].end - from };
}

/**
 * The bytes of a trace holding only the given (consecutive) generations: the header, then the
 * generations as they lie in the file (`sliceExtent`). `read` fetches a byte range of the
 * original file into `into` at `at`.
 */
export function generationSlice(
  header: Uint8Array,
  picked: readonly GenerationExtent[],
  read: (pos: number, length: number, into: Uint8Array, at: number) => void,
): Uint8Array {
  const { from, length } = sliceExtent(picked);
  const out = new Uint8Array(TRACE_HEADER_BYTES + length);
  out.set(header.subarray(0, TRACE_HEADER_BYTES), 0);
  read(from, length, out, TRACE_HEADER_BYTES);
  return out;
}
