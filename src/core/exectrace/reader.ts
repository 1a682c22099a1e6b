// The execution-trace reader: header, generations, per-thread cursors merged through the
// ordering state machine, CPU samples interleaved by time — producing the same event stream,
// in the same order and with the same timestamps, as Go's internal/trace Reader.

import { EventBlock } from './block';
import { TraceError } from './errors';
import { type Batch, type Generation, GenerationBuilder, readBatch } from './generation';
import { goSortFunc } from './gosort';
import { isLegacyVersion, readHeader, type TraceVersion } from './header';
import { LegacySource } from './legacy/source';
import { BURST_BATCH_END, BURST_LATER, BURST_UNTOUCHED, Ordering, ThreadCursor } from './order';
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
}

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
 * Memory: the input, the current generation's tables, and one block.
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
  private readonly data: Uint8Array;
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

  constructor(data: Uint8Array, opts: ReaderOptions = {}) {
    // A plain Uint8Array view (no copy): a Node Buffer is a subclass, which makes every byte
    // access in the hot loop slightly slower.
    this.data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.version = readHeader(data);

    this.opts = opts;
    this.blockSize = Math.max(16, Math.floor(opts.blockSize ?? 1 << 16));
    this.workBudget = 50_000_000 + 64 * data.length;
    // One advance emits at most three events (a coroutine switch), so a little slack suffices.
    this.block = new EventBlock(this.blockSize + 8);
    this.order = new Ordering(this.block);
    this.order.lastTs = 0; // absolute 0 until a time base is chosen, as in Go
    if (isLegacyVersion(this.version))
      this.legacy = new LegacySource(this.data, this.version, opts);
  }

  /** Bytes of the input consumed so far. */
  get bytesRead(): number {
    return this.pos;
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
      failure = this.classify(e);
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
    this.opts.onProgress?.(this.pos, this.data.length);
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
    const b = new GenerationBuilder(this.data, this.version);
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
      const r = readBatch(this.data, this.pos, next);
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
    const b = new GenerationBuilder(this.data, this.version);
    const next = { pos: 0 };
    for (;;) {
      const r = readBatch(this.data, this.pos, next);
      if (r.kind === 'eof') {
        this.pos = this.data.length;
        if (b.batchesByThread.size !== 0)
          throw new TraceError(
            'truncated',
            `trace is truncated: the file ends inside generation ${b.gen}, before its end-of-generation marker (was the program stopped before trace.Stop, or the copy cut short?)`,
            this.data.length,
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
        this.opts.onProgress?.(this.pos, this.data.length);
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
