// Accumulates goroutines while a parser reads them and interns everything repeated (frames,
// stacks, argument texts, states, label sets), then freezes the result into typed arrays.
import { ownString } from '../own-string';
import { U32List } from '../u32-list';
import type {
  AncestorTrace,
  DumpFormat,
  DumpHeader,
  DumpWarning,
  GoroutineSnapshot,
  GoroutineThread,
} from './model';

export { ownString };

/** FNV-1a over the last 32 characters and the length, kept in small-integer range for fast Map keys. */
function tailHash(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = Math.max(0, s.length - 32); i < s.length; i++)
    h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h & 0x3fffffff;
}

/** Frame fields as a parser saw them (see FrameTable for their meaning). */
export interface FrameFields {
  func: string;
  file: string;
  line: number;
  offset: number;
  pc: string;
  inlined: boolean;
}

/** One goroutine row as a parser saw it. */
export interface RowFields {
  id: number;
  weight: number;
  state: string;
  waitMinutes: number;
  flags: number;
  stack: number;
  createdBy: number;
  parentId: number;
  labels: number;
  line: number;
}

/** Collects one snapshot; the parsers of each format feed it, `finish` freezes it. */
export class SnapshotBuilder {
  private readonly frameIds = new Map<string, number>();
  private readonly frameByLocHash = new Map<number, number>();
  /** The location text of frames registered in frameByLocHash (sparse). */
  private readonly frameLoc: string[] = [];
  private readonly frameFunc_: string[] = [];
  private readonly frameFile: string[] = [];
  private readonly frameLine: number[] = [];
  private readonly frameOffset: number[] = [];
  private readonly framePc: string[] = [];
  private readonly frameInlined: number[] = [];

  /** Stack ids by a hash of their content; collisions are resolved by comparing frames. */
  private readonly stackBuckets = new Map<number, number | number[]>();
  private readonly stackFrameStart = new U32List(256);
  private readonly stackFrameIndex = new U32List(1024);
  private readonly stackElided: number[] = [];
  private readonly stackElidedAt: number[] = [];

  private readonly argIds = new Map<string, number>([['', 0]]);
  readonly args: string[] = [''];
  private readonly stateIds = new Map<string, number>([['', 0]]);
  readonly states: string[] = [''];
  private readonly labelIds = new Map<string, number>();
  readonly labelSets: Readonly<Record<string, string>>[] = [];

  private readonly rowId: number[] = [];
  private readonly rowWeight = new U32List();
  private readonly rowState = new U32List();
  private readonly rowWait = new U32List();
  private readonly rowFlags: number[] = [];
  private readonly rowStack = new U32List();
  private readonly rowCreatedBy: number[] = [];
  private readonly rowParent: number[] = [];
  private readonly rowLabels: number[] = [];
  private readonly rowLine = new U32List();
  private readonly argStart = new U32List();
  private readonly instArgs = new U32List(4096);
  private instFp: string[] | undefined;
  private instSp: string[] | undefined;

  readonly threads = new Map<number, GoroutineThread>();
  readonly ancestors = new Map<number, AncestorTrace[]>();
  readonly extraHeaderItems = new Map<number, string[]>();
  readonly warnings: DumpWarning[] = [];
  header: DumpHeader | undefined;
  declaredTotal = -1;
  private total = 0;

  constructor(readonly format: DumpFormat) {
    this.stackFrameStart.push(0);
    this.argStart.push(0);
  }

  get rowCount(): number {
    return this.rowId.length;
  }

  /**
   * Returns the index of the frame, creating it when `key` (which must identify function,
   * file, line and offset) is new. `make` is only called for new frames.
   */
  frame(key: string, make: () => FrameFields): number {
    const known = this.frameIds.get(key);
    if (known !== undefined) return known;
    const f = make();
    const id = this.frameFunc_.length;
    this.frameFunc_.push(ownString(f.func));
    this.frameFile.push(ownString(f.file));
    this.frameLine.push(f.line);
    this.frameOffset.push(f.offset);
    this.framePc.push(ownString(f.pc));
    this.frameInlined.push(f.inlined ? 1 : 0);
    this.frameIds.set(ownString(key), id);
    return id;
  }

  /**
   * The frame printed as the function line `fnLine` (function name up to `nameEnd`) at location
   * text `loc` (the location line less per-goroutine addresses), or -1. This is the hot path of
   * a large dump, so it allocates nothing: a hash of the location's tail (file name, line and
   * offset are at the end; directories repeat) finds the candidate, which is then compared
   * whole. Other cases fall back to a string-keyed map.
   */
  lookupFrameAt(loc: string, fnLine: string, nameEnd: number): number {
    const id = this.frameByLocHash.get(tailHash(loc));
    if (id !== undefined && this.frameLoc[id] === loc) {
      const func = this.frameFunc_[id];
      if (func.length === nameEnd && fnLine.startsWith(func)) return id;
    }
    return this.frameIds.get(fnLine.slice(0, nameEnd) + '\u0000' + loc) ?? -1;
  }

  /** Adds the frame for `lookupFrameAt(loc, …)`, which must have returned -1. */
  addFrameAt(loc: string, f: FrameFields): number {
    const id = this.frame(f.func + '\u0000' + loc, () => f);
    const h = tailHash(loc);
    if (!this.frameByLocHash.has(h)) {
      this.frameByLocHash.set(h, id);
      this.frameLoc[id] = ownString(loc);
    }
    return id;
  }

  /** The function of frame `frame`. */
  frameFunc(frame: number): string {
    return this.frameFunc_[frame];
  }

  /** Records the PC of a frame first seen without one (a later goroutine may print it). */
  setFramePc(frame: number, pc: string): void {
    if (!this.framePc[frame]) this.framePc[frame] = ownString(pc);
  }

  /** Returns the index of the stack made of `frames`, with an elision of `elided` frames after `elidedAt` of them. */
  stack(frames: ArrayLike<number>, count: number, elided = 0, elidedAt = 0): number {
    // FNV-1a over the frame ids: no key string per goroutine (100k of them in a large dump).
    let h = (0x811c9dc5 ^ count) >>> 0;
    for (let i = 0; i < count; i++) h = Math.imul(h ^ frames[i], 16777619);
    h = Math.imul(h ^ elided, 16777619) ^ elidedAt;
    const bucket = this.stackBuckets.get(h);
    if (bucket !== undefined) {
      if (typeof bucket === 'number') {
        if (this.sameStack(bucket, frames, count, elided, elidedAt)) return bucket;
      } else {
        for (const id of bucket) if (this.sameStack(id, frames, count, elided, elidedAt)) return id;
      }
    }
    const id = this.stackElided.length;
    for (let i = 0; i < count; i++) this.stackFrameIndex.push(frames[i]);
    this.stackFrameStart.push(this.stackFrameIndex.length);
    this.stackElided.push(elided);
    this.stackElidedAt.push(elidedAt);
    if (bucket === undefined) this.stackBuckets.set(h, id);
    else if (typeof bucket === 'number') this.stackBuckets.set(h, [bucket, id]);
    else bucket.push(id);
    return id;
  }

  private sameStack(
    id: number,
    frames: ArrayLike<number>,
    count: number,
    elided: number,
    elidedAt: number,
  ): boolean {
    const start = this.stackFrameStart.data[id];
    if (this.stackFrameStart.data[id + 1] - start !== count) return false;
    if (this.stackElided[id] !== elided || this.stackElidedAt[id] !== elidedAt) return false;
    const data = this.stackFrameIndex.data;
    for (let i = 0; i < count; i++) if (data[start + i] !== frames[i]) return false;
    return true;
  }

  arg(text: string): number {
    const known = this.argIds.get(text);
    if (known !== undefined) return known;
    const id = this.args.length;
    const own = ownString(text);
    this.args.push(own);
    this.argIds.set(own, id);
    return id;
  }

  state(text: string): number {
    const known = this.stateIds.get(text);
    if (known !== undefined) return known;
    const id = this.states.length;
    const own = ownString(text);
    this.states.push(own);
    this.stateIds.set(own, id);
    return id;
  }

  /** Interns a label set; pairs keep the order given. Returns -1 for an empty set. */
  labels(pairs: [string, string][]): number {
    if (pairs.length === 0) return -1;
    const key = JSON.stringify(pairs);
    const known = this.labelIds.get(key);
    if (known !== undefined) return known;
    const set: Record<string, string> = {};
    for (const [k, v] of pairs) set[ownString(k)] = ownString(v);
    const id = this.labelSets.length;
    this.labelSets.push(Object.freeze(set));
    this.labelIds.set(key, id);
    return id;
  }

  /** Appends the per-goroutine data of one frame of the row being built. */
  instance(args: number, fp = '', sp = ''): void {
    const i = this.instArgs.length;
    this.instArgs.push(args);
    if (fp || sp) {
      if (!this.instFp) {
        this.instFp = new Array<string>(i).fill('');
        this.instSp = new Array<string>(i).fill('');
      }
    }
    if (this.instFp) {
      this.instFp[i] = ownString(fp);
      this.instSp![i] = ownString(sp);
    }
  }

  /** Appends a row; its frame instances must have been added just before. Returns the row index. */
  row(r: RowFields): number {
    const i = this.rowId.length;
    this.rowId.push(r.id);
    this.rowWeight.push(r.weight);
    this.rowState.push(this.state(r.state));
    this.rowWait.push(r.waitMinutes);
    this.rowFlags.push(r.flags);
    this.rowStack.push(r.stack);
    this.rowCreatedBy.push(r.createdBy);
    this.rowParent.push(r.parentId);
    this.rowLabels.push(r.labels);
    this.rowLine.push(r.line);
    this.argStart.push(this.instArgs.length);
    this.total += r.weight;
    return i;
  }

  /** Drops frame instances added since the last row (a block that turned out not to be one). */
  discardInstances(): void {
    const start = this.argStart.data[this.argStart.length - 1];
    this.instArgs.length = start;
    if (this.instFp) {
      this.instFp.length = start;
      this.instSp!.length = start;
    }
  }

  /** Sets flag bits on an existing row. */
  addFlags(row: number, flags: number): void {
    this.rowFlags[row] |= flags;
  }

  warn(kind: DumpWarning['kind'], line: number, message: string): void {
    // Messages quote the input: detach them so a warning cannot keep a 40 MB text alive.
    this.warnings.push({ kind, line, message: ownString(message) });
  }

  finish(): GoroutineSnapshot {
    const n = this.rowId.length;
    const instCount = this.instArgs.length;
    if (this.instFp && this.instFp.length < instCount) {
      for (let i = this.instFp.length; i < instCount; i++) {
        this.instFp[i] = '';
        this.instSp![i] = '';
      }
    }
    return {
      format: this.format,
      header: this.header,
      goroutines: {
        count: n,
        id: Float64Array.from(this.rowId),
        weight: this.rowWeight.toArray(),
        state: this.rowState.toArray(),
        waitMinutes: this.rowWait.toArray(),
        flags: Uint8Array.from(this.rowFlags),
        stack: this.rowStack.toArray(),
        createdBy: Int32Array.from(this.rowCreatedBy),
        parentId: Float64Array.from(this.rowParent),
        labels: Int32Array.from(this.rowLabels),
        argStart: this.argStart.toArray(),
        line: this.rowLine.toArray(),
      },
      stacks: {
        count: this.stackElided.length,
        frameStart: this.stackFrameStart.toArray(),
        frameIndex: this.stackFrameIndex.toArray(),
        elided: Int32Array.from(this.stackElided),
        elidedAt: Uint32Array.from(this.stackElidedAt),
      },
      frames: {
        count: this.frameFunc_.length,
        func: this.frameFunc_,
        file: this.frameFile,
        line: Uint32Array.from(this.frameLine),
        offset: Int32Array.from(this.frameOffset),
        pc: this.framePc,
        inlined: Uint8Array.from(this.frameInlined),
      },
      instances: {
        count: instCount,
        args: this.instArgs.toArray(),
        ...(this.instFp ? { fp: this.instFp, sp: this.instSp } : {}),
      },
      args: this.args,
      states: this.states,
      labelSets: this.labelSets,
      threads: this.threads,
      ancestors: this.ancestors,
      extraHeaderItems: this.extraHeaderItems,
      totalGoroutines: this.total,
      declaredTotal: this.declaredTotal,
      warnings: this.warnings,
    };
  }
}
