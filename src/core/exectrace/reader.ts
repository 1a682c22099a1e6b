// The execution-trace reader: header, generations, per-thread cursors merged through the
// ordering state machine, CPU samples interleaved by time — producing the same event stream,
// in the same order and with the same timestamps, as Go's internal/trace Reader.

import { EventBlock } from './block';
import { TraceError } from './errors';
import { type Batch, type Generation, GenerationBuilder, readBatch } from './generation';
import type { ByteSource } from './generation-scan';
import { goSortFunc } from './gosort';
import { isLegacyVersion, readHeader, type TraceVersion } from './header';
import { LegacySource } from './legacy/source';
import {
  BURST_BATCH_END,
  BURST_LATER,
  BURST_UNTOUCHED,
  EventDecodeError,
  Ordering,
  ThreadCursor,
} from './order';
import { Ev, SPECS } from './spec';

/** Options of `TraceReader`. */
export interface ReaderOptions {
  /**
   * Checked between generations and every 64K events within one; when it reads true the reader
   * throws `TraceError` with code `cancelled`. An `AbortSignal` fits.
   */
  signal?: { readonly aborted: boolean };
  /** Called with the number of input bytes consumed so far (at least once per generation). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Most events per block (default 65536). A generation can hold millions of events; handing
   * them out in blocks of this size keeps memory flat whatever the generation size.
   */
  blockSize?: number;
  /**
   * Absolute trace time (ns) to count event times from, instead of the first generation's
   * start: the whole trace's start when reading a slice of its generations (`generationSlice`),
   * so that times match those of the whole trace.
   */
  timeBase?: number;
  /**
   * Bytes a reader given a `ByteSource` holds at first (default 64 MiB); a generation that
   * does not fit makes it hold twice as much from that generation's start.
   */
  windowBytes?: number;
}

/** The bytes a generation would need go past the reader's window (caught where it restarts). */
const WINDOW_SHORT = Symbol('window too short');
const DEFAULT_WINDOW_BYTES = 64 << 20;

/** Events between progress/cancellation checks: ~1–5 ms of work, short enough to feel instant. */
const CHECK_EVERY = 1 << 16;

/**
 * Reads a Go execution trace (format v2: Go 1.22 to 1.26) generation by generation. Go 1.11–1.21
 * traces (format v1) are read whole and converted as Go's reader converts them (`legacy/`): one
 * generation, handed out in blocks the same way.
 *
 * ```ts
 * const r = new TraceReader(bytes);
 * for (let b = r.next(); b; b = r.next()) { for (let i = 0; i < b.count; i++) … }
 * ```
 * `next()` returns the next block of events: a generation's events come in one or more blocks
 * (the first starts with the generation's Sync event, the last has `endOfGeneration` set), and
 * the trace ends with a block holding only the closing Sync event (`final` set); then null.
 * Errors are thrown as `TraceError`; when the trace fails part-way, the events before the
 * failure are returned first (with `block.error` set) and the following `next()` throws.
 * Memory: the input, the current generation's tables, and one block. Given a `ByteSource` (a
 * file read on demand) rather than the bytes, it holds a window of the file instead of all of it:
 * the generation being read and what follows, so a 1 GB trace's bytes are not resident while its
 * model is built.
 */
export class TraceReader {
  /** Header version: 22, 23 (Go 1.23 and 1.24), 25 or 26; 11, 19 or 21 for converted legacy traces. */
  readonly version: TraceVersion;
  /**
   * Absolute trace time (ns) that event times are relative to: the first generation's start.
   * Absolute times can exceed 2^53 on machines up for months, so events carry small relative
   * times; add this (as bigint) to get Go's absolute `Time`.
   */
  timeBase = 0;
  /** The input, or the window of it the reader holds (from file offset `base`). */
  private data: Uint8Array;
  private base = 0;
  /** Where the rest of the file comes from when `data` is a window of it. */
  private readonly source: ByteSource | null = null;
  /** The input's size (a file that turns out shorter when read ends there). */
  private size: number;
  private readonly windowBytes: number;
  /** Position in `data` (file offset `base + pos`). */
  private pos = 16;
  private readonly block: EventBlock;
  private readonly blockSize: number;
  /**
   * Budget for the rare slow paths (events that must wait for other threads): real traces use
   * a tiny fraction of it; only crafted files could exhaust it, and then they would otherwise
   * take time quadratic in their size.
   */
  private readonly workBudget: number;
  /** True when the current generation ended at the end of the file (Go < 1.26: maybe cut). */
  private genAtEof = false;
  /** True while the current generation still has events to hand out. */
  private inGen = false;
  private readonly order: Ordering;
  private syncs = 0;
  private done = false;
  private pendingError: TraceError | null = null;
  private haveGen = false;
  private spill: Batch | null = null;
  private spillErr: TraceError | null = null;
  private spillErrSync = false;
  private readGenErr: TraceError | null = null;
  private readonly opts: ReaderOptions;
  private sinceCheck = 0;
  // Current generation.
  private frontier: ThreadCursor[] = [];
  private gen: Generation | null = null;
  private cpuNext = 0;
  private nsPerUnit = 1;
  /** Set for Go 1.11–1.21 traces, which take the conversion path instead of the generations. */
  private readonly legacy: LegacySource | null = null;

  constructor(input: Uint8Array | ByteSource, opts: ReaderOptions = {}) {
    this.windowBytes = Math.max(64, Math.floor(opts.windowBytes ?? DEFAULT_WINDOW_BYTES));
    if (input instanceof Uint8Array) {
      // A plain Uint8Array view (no copy): a Node Buffer is a subclass, which makes every byte
      // access in the hot loop slightly slower.
      this.data = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      this.size = input.length;
    } else {
      this.source = input;
      this.size = input.size;
      this.data = new Uint8Array(0);
      this.slideWindow(0);
    }
    this.version = readHeader(this.data);
    // Go 1.11–1.21 traces are converted whole.
    if (this.source && isLegacyVersion(this.version)) this.slideWindow(0, this.size);

    this.opts = opts;
    this.blockSize = Math.max(16, Math.floor(opts.blockSize ?? 1 << 16));
    this.workBudget = 50_000_000 + 64 * this.size;
    // One advance emits at most three events (a coroutine switch), so a little slack suffices.
    this.block = new EventBlock(this.blockSize + 8);
    this.order = new Ordering(this.block);
    this.order.lastTs = 0; // absolute 0 until a time base is chosen, as in Go
    if (isLegacyVersion(this.version))
      this.legacy = new LegacySource(this.data, this.version, opts);
  }

  /** Bytes of the input consumed so far. */
  get bytesRead(): number {
    return this.base + this.pos;
  }

  /** The next block of events, or null at the end. Throws TraceError. */
  next(): EventBlock | null {
    if (this.pendingError) {
      const e = this.pendingError;
      this.pendingError = null;
      this.done = true;
      throw e;
    }
    if (this.done) return null;
    const block = this.block;
    block.reset();
    let failure: TraceError | null = null;
    try {
      this.checkCancel();
      if (this.legacy) {
        if (!this.legacy.fill(block, this.blockSize)) {
          this.done = true;
          return null;
        }
        this.pos = this.data.length;
      } else if (this.inGen) {
        block.table = this.gen!.table;
        block.gen = this.gen!.gen;
        this.runGeneration(block);
      } else {
        const installed = this.version < 26 ? this.nextGenWithSpill(block) : this.nextGen(block);
        if (installed) {
          this.inGen = true;
          this.runGeneration(block);
        }
      }
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      // The ordering decodes events of the window the reader holds; the file offset is the base's.
      failure = this.classify(e instanceof EventDecodeError ? e.atFile(this.base) : e);
    }
    if (failure) {
      this.frontier = [];
      this.inGen = false;
      this.done = true;
      if (block.count === 0) throw failure;
      // Deliver what came before the failure, as Go's reader returns those events first.
      block.error = failure;
      this.pendingError = failure;
    }
    this.opts.onProgress?.(this.base + this.pos, this.size);
    return block;
  }

  /** Go < 1.26: generations end where a batch of the next one appears ("spill"). */
  private nextGenWithSpill(block: EventBlock): boolean {
    if (this.spillErr) {
      if (this.spillErrSync) {
        const e = this.spillErr;
        this.spillErr = null;
        this.done = true;
        throw e;
      }
      this.spillErrSync = true;
      this.emitSync(null);
      return false;
    }
    if (this.haveGen && this.spill === null) {
      this.done = true;
      this.emitSync(null);
      block.final = true;
      return false;
    }
    let gen: Generation;
    try {
      gen = this.readGenerationWithSpill();
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      this.haveGen = false;
      this.spillErr = this.classify(e);
      this.spillErrSync = true;
      this.emitSync(null);
      return false;
    }
    this.installGen(block, gen);
    return true;
  }

  /** Go 1.26+: every generation ends with an explicit marker. */
  private nextGen(block: EventBlock): boolean {
    if (this.readGenErr) {
      const e = this.readGenErr;
      this.done = true;
      throw e;
    }
    let gen: Generation | null;
    try {
      gen = this.readGeneration();
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      this.readGenErr = e;
      this.emitSync(null);
      return false;
    }
    if (gen === null) {
      this.done = true;
      this.emitSync(null);
      block.final = true;
      return false;
    }
    this.installGen(block, gen);
    return true;
  }

  private readGenerationWithSpill(): Generation {
    // The generation starts with the batch that ended the one before (the spill), if any.
    const spill = this.spill;
    const resumeAt = this.base + this.pos;
    this.slideEarly(spill ? spill.offset : resumeAt);
    for (;;) {
      try {
        return this.readGenerationWithSpillInWindow();
      } catch (e) {
        if (e !== WINDOW_SHORT) throw e;
        this.spill = spill;
        this.pos = resumeAt - this.base;
        this.slideWindow(spill ? spill.offset : resumeAt);
      }
    }
  }

  private readGenerationWithSpillInWindow(): Generation {
    const b = new GenerationBuilder(this.data, this.version, this.base);
    let atEof = false;
    this.genAtEof = false;
    if (this.spill) {
      b.gen = this.spill.gen;
      b.minTs = this.spill.time;
      b.process(this.spill);
      this.spill = null;
    }
    const next = { pos: 0 };
    for (;;) {
      const r = this.readBatchInWindow(next);
      if (r.kind === 'eof') {
        this.pos = this.data.length;
        atEof = true;
        break;
      }
      if (r.kind === 'error') {
        // Possibly the first batch of the next generation: deliver this one, then fail.
        if (b.gen !== 0) {
          this.spillErr = r.error;
          atEof = true;
          break;
        }
        throw r.error;
      }
      const batch = r.batch;
      this.pos = next.pos;
      if (batch.gen === 0)
        throw new TraceError(
          'corrupt',
          `corrupt trace: invalid generation number 0 in the batch at byte ${batch.offset}`,
          batch.offset,
        );
      if (b.gen === 0) b.gen = batch.gen;
      if (batch.gen === b.gen + 1) {
        this.spill = batch;
        break;
      }
      if (batch.gen !== b.gen)
        throw new TraceError(
          'corrupt',
          `corrupt trace: generations out of order (batch of generation ${batch.gen} at byte ${batch.offset} inside generation ${b.gen})`,
          batch.offset,
        );
      b.noteTime(batch.time);
      b.process(batch);
      this.checkCancel();
    }
    this.genAtEof = atEof;
    return this.finishGen(b);
  }

  /**
   * Before Go 1.26 nothing marks the end of a generation, so a file cut at a batch boundary
   * looks complete until its last generation fails to add up. Say so instead of "corrupt".
   */
  private classify(e: TraceError): TraceError {
    if (this.version >= 26 || !this.genAtEof || e.code !== 'corrupt') return e;
    // A batch that could not be read ended the generation early: that is the real cause.
    const cause = this.spillErr && !this.spillErrSync ? this.spillErr : null;
    if (cause)
      return new TraceError(
        cause.code,
        `${cause.message} (and so the generation before it is incomplete: ${e.message})`,
        cause.offset,
      );
    return new TraceError(
      'truncated',
      `trace is truncated or corrupt: its last generation is incomplete (${e.message})`,
      e.offset,
    );
  }

  private readGeneration(): Generation | null {
    const start = this.base + this.pos;
    this.slideEarly(start);
    for (;;) {
      try {
        return this.readGenerationInWindow();
      } catch (e) {
        if (e !== WINDOW_SHORT) throw e;
        this.pos = start - this.base;
        this.slideWindow(start);
      }
    }
  }

  private readGenerationInWindow(): Generation | null {
    const b = new GenerationBuilder(this.data, this.version, this.base);
    const next = { pos: 0 };
    for (;;) {
      const r = this.readBatchInWindow(next);
      if (r.kind === 'eof') {
        this.pos = this.data.length;
        if (b.batchesByThread.size !== 0)
          throw new TraceError(
            'truncated',
            `trace is truncated: the file ends inside generation ${b.gen}, before its end-of-generation marker (was the program stopped before trace.Stop, or the copy cut short?)`,
            this.size,
          );
        return null;
      }
      if (r.kind === 'error') throw r.error;
      const batch = r.batch;
      this.pos = next.pos;
      if (b.gen === 0) b.gen = batch.gen;
      if (batch.endOfGeneration) break;
      if (batch.gen === 0)
        throw new TraceError(
          'corrupt',
          `corrupt trace: invalid generation number 0 in the batch at byte ${batch.offset}`,
          batch.offset,
        );
      if (batch.gen !== b.gen)
        throw new TraceError(
          'corrupt',
          `corrupt trace: missing end-of-generation event, or generations are interleaved (batch of generation ${batch.gen} at byte ${batch.offset} inside generation ${b.gen})`,
          batch.offset,
        );
      b.noteTime(batch.time);
      b.process(batch);
      this.checkCancel();
    }
    return this.finishGen(b);
  }

  /**
   * The batch header at `pos`. When the window ends before the file does and cuts that batch
   * off (or ends right there), throws WINDOW_SHORT: the generation is read again in a window
   * that holds more of it.
   */
  private readBatchInWindow(next: { pos: number }): ReturnType<typeof readBatch> {
    const r = readBatch(this.data, this.pos, next, this.base);
    if (
      this.base + this.data.length < this.size &&
      (r.kind === 'eof' || (r.kind === 'error' && r.error.code === 'truncated'))
    )
      throw WINDOW_SHORT;
    return r;
  }

  /**
   * Before a generation is read: a window with less than a quarter of its size left slides to
   * the generation's start now, rather than make the generation be read twice (once up to the
   * window's end, once again whole).
   */
  private slideEarly(genStart: number): void {
    const windowEnd = this.base + this.data.length;
    if (this.source && windowEnd < this.size && windowEnd - genStart < this.windowBytes / 4)
      this.slideWindow(genStart);
  }

  /**
   * Holds the file from offset `from` (the start of the generation being read) on: what the
   * window had from there, and more from the source, twice as much at least. What came before
   * `from` is let go (the generations before are handed out, and the model copies what it keeps).
   */
  private slideWindow(from: number, atLeast = 0): void {
    const source = this.source!;
    const windowEnd = this.base + this.data.length;
    const kept = windowEnd - from;
    const length = Math.min(this.size - from, Math.max(this.windowBytes, 2 * kept, atLeast));
    let next = new Uint8Array(length);
    next.set(this.data.subarray(from - this.base));
    let got: number;
    if (source.readInto) got = source.readInto(next, kept, windowEnd, length - kept);
    else {
      const more = source.read(windowEnd, length - kept);
      next.set(more, kept);
      got = more.length;
    }
    if (got < length - kept) {
      // The file is shorter than it was (cut while being read): it ends here.
      next = next.subarray(0, kept + got);
      this.size = from + next.length;
    }
    const shift = from - this.base;
    this.data = next;
    this.base = from;
    this.pos -= shift;
    if (this.spill) {
      this.spill.start -= shift;
      this.spill.end -= shift;
    }
  }

  private finishGen(b: GenerationBuilder): Generation {
    const first = !this.baseSet;
    const { gen, base } = b.finish(first ? (this.opts.timeBase ?? null) : this.timeBase);
    if (first) {
      // Relative times start here; the "last emitted time" starts at absolute 0 as in Go.
      this.baseSet = true;
      this.timeBase = base;
      this.order.lastTs = -base;
    }
    return gen;
  }
  private baseSet = false;

  private installGen(block: EventBlock, gen: Generation): void {
    this.gen = gen;
    this.haveGen = true;
    this.cpuNext = 0;
    this.nsPerUnit = gen.table.nsPerUnit;
    const frontier: ThreadCursor[] = [];
    this.order.beginGeneration(gen.table, this.data, this.nsPerUnit, this.timeBase);
    for (const m of gen.threads) {
      const batches = gen.batchesByThread.get(m)!;
      const c = new ThreadCursor(m, batches);
      c.pos = batches[0].start;
      c.end = batches[0].end;
      c.lastTs = Math.trunc(batches[0].time * this.nsPerUnit) - this.timeBase;
      if (!this.order.decodeNext(c)) continue;
      heapInsert(frontier, c);
    }
    this.frontier = frontier;
    block.table = gen.table;
    block.gen = gen.gen;
    this.emitSync(gen);
  }

  private emitSync(gen: Generation | null): void {
    this.syncs++;
    const t = gen ? Math.trunc(gen.minTs * gen.table.nsPerUnit) - this.timeBase : this.order.lastTs;
    this.order.emit(Ev.SyncEvent, t, -1, -1, -1, this.syncs, 0, 0, 0);
  }

  /**
   * Runs the generation's events through the ordering until every thread is drained or the
   * block is full.
   */
  private runGeneration(block: EventBlock): void {
    const gen = this.gen!;
    const cpu = gen.cpu;
    const order = this.order;
    const frontier = this.frontier;
    const g = gen.gen;
    const limit = this.blockSize;
    for (;;) {
      if (this.sinceCheck >= CHECK_EVERY) {
        this.sinceCheck = 0;
        this.checkCancel();
        this.opts.onProgress?.(this.base + this.pos, this.size);
      }
      const hasCpu = this.cpuNext < cpu.count;
      if (frontier.length === 0 && !hasCpu) {
        this.inGen = false;
        block.endOfGeneration = true;
        return;
      }
      if (block.count >= limit) return;
      this.sinceCheck++;
      if (hasCpu && (frontier.length === 0 || cpu.time[this.cpuNext] < frontier[0].time)) {
        const i = this.cpuNext++;
        const stk = cpu.stack[i];
        // Go does not check this ID and then crashes printing the sample; refuse it instead.
        if (!gen.table.hasStack(stk))
          throw new TraceError(
            'corrupt',
            `corrupt trace: CPU sample refers to unknown stack ${stk} in generation ${g}`,
          );
        this.order.emit(Ev.CPUSample, cpu.time[i], cpu.m[i], cpu.p[i], cpu.g[i], stk, 0, 0, 0);
        continue;
      }
      // The earliest thread's event, then its following ones for as long as this thread stays
      // first (see Ordering.burst). Only the head changes meanwhile, so the bound (the earliest
      // other thread's event or CPU sample) holds for the whole burst.
      const head = frontier[0];
      const n = frontier.length;
      let bound = n > 1 ? frontier[1].time : Infinity;
      if (n > 2 && frontier[2].time < bound) bound = frontier[2].time;
      if (this.cpuNext < cpu.count && cpu.time[this.cpuNext] < bound)
        bound = cpu.time[this.cpuNext];
      const before = block.count;
      const room = Math.min(limit - before, CHECK_EVERY);
      order.burstBound[0] = bound;
      let r = order.burst(head, g, room, true);
      if (r === BURST_UNTOUCHED) {
        r = -1;
        if (order.advance(head, g)) r = order.burst(head, g, room - (block.count - before), false);
      }
      if (r !== -1) {
        this.sinceCheck += block.count - before;
        if (r === BURST_BATCH_END) this.refresh(frontier, 0);
        else if (r === BURST_LATER) siftDown(frontier, 0);
        continue;
      }
      // Rare: the earliest event must wait for another thread. Try the others in time order.
      this.order.work += frontier.length;
      if (this.order.work > this.workBudget) {
        throw new TraceError(
          'too-large',
          `trace ordering does not converge: threads wait on each other far more than any real trace does (generation ${g}); the file is probably corrupt`,
        );
      }
      goSortFunc(frontier, compareCursors);
      let ok = false;
      for (let i = 1; i < frontier.length; i++) {
        if (order.advance(frontier[i], g)) {
          this.refresh(frontier, i);
          ok = true;
          break;
        }
      }
      if (!ok)
        throw new TraceError(
          'corrupt',
          `invalid trace: failed to advance: no thread's next event is possible in generation ${g} (${describeFrontier(frontier)})`,
        );
    }
  }

  private refresh(frontier: ThreadCursor[], i: number): void {
    if (this.order.decodeNext(frontier[i])) heapUpdate(frontier, i);
    else heapRemove(frontier, i);
  }

  private checkCancel(): void {
    if (this.opts.signal?.aborted) throw new TraceError('cancelled', 'trace parsing was cancelled');
  }
}

function compareCursors(a: ThreadCursor, b: ThreadCursor): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

function describeFrontier(frontier: ThreadCursor[]): string {
  return (
    frontier
      .slice(0, 8)
      .map((c) => `thread ${c.m} waits with ${SPECS[c.typ].name}`)
      .join(', ') + (frontier.length > 8 ? `, and ${frontier.length - 8} more` : '')
  );
}

// A binary min-heap of cursors keyed by event time, with Go's exact sift rules (tie-breaking
// decides which thread is tried first when times are equal, which shows in the output order).

function heapInsert(h: ThreadCursor[], c: ThreadCursor): void {
  h.push(c);
  siftUp(h, h.length - 1);
}

function heapUpdate(h: ThreadCursor[], i: number): void {
  if (siftUp(h, i) !== i) return;
  siftDown(h, i);
}

function heapRemove(h: ThreadCursor[], i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  const last = h.length - 1;
  const t = h[0];
  h[0] = h[last];
  h[last] = t;
  h.pop();
  siftDown(h, 0);
}

function siftUp(h: ThreadCursor[], i: number): number {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!(h[p].time > h[i].time)) break;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  return i;
}

function siftDown(h: ThreadCursor[], i: number): void {
  const n = h.length;
  for (;;) {
    let m = i;
    let minT = i < n ? h[i].time : Infinity;
    const l = 2 * i + 1;
    const r = l + 1;
    if (l < n && h[l].time < minT) {
      minT = h[l].time;
      m = l;
    }
    if (r < n && h[r].time < minT) m = r;
    if (m === i) return;
    const t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}
