// Reads the runtime's traceback text (runtime/traceback.go, panic.go, signal_unix.go) as printed
// by goroutine?debug=2, runtime.Stack, unrecovered panics, fatal errors, fatal signals, SIGQUIT
// and `go test` timeouts, from Go 1.21 to 1.27. The dump may sit inside other text (a test log,
// program output): lines before the first goroutine that are not part of a panic/fatal header
// are ignored, and so is trailing text after the last goroutine.
//
// Grammar (one goroutine block; blocks are separated by an empty line):
//   goroutine <id>[ gp=0x… m=<n|nil>[ mp=0x…]] [<status>[ (leaked)][ (scan)][ (durable)][, N minutes][, locked to thread][, synctest bubble N][ labels:{…}]]:[ {labels}]
//   <func>(<args>)                      ← one frame: two lines
//   \t<file>:<line>[ +0x<off>][ fp=0x… sp=0x… pc=0x…]
//   ...N frames elided...               ← Go 1.21+: innermost 50 and outermost 50 frames kept
//   \tgoroutine running on other thread; stack unavailable
//   created by <func>[ in goroutine <id>]
//   \t<file>:<line>[ +0x<off>]
//   [originating from goroutine <id>]:  ← GODEBUG=tracebackancestors=N, then frames and created by
import { ownString, type SnapshotBuilder } from './builder';
import { readLabelMap } from './labels';
import {
  GoroutineFlag,
  type DumpHeader,
  type PanicInfo,
  type SignalInfo,
  type TestTimeout,
} from './model';

/**
 * Frames being collected for a goroutine, an ancestor section or the `runtime stack:` section.
 * One instance is reused for every goroutine (reset, not reallocated): allocating per block
 * tripled the parse time of a 100k-goroutine dump.
 */
class FrameList {
  /** Frames collected so far; the arrays below are reused and only their first `count` entries count. */
  count = 0;
  frames: number[] = [];
  args: number[] = [];
  fp: string[] = [];
  sp: string[] = [];
  hasAddrs = false;
  elided = 0;
  elidedAt = 0;
  createdBy = -1;
  parentId = -1;

  reset(): void {
    // Not `length = 0`: truncating four arrays per goroutine showed up in profiles.
    this.count = 0;
    this.hasAddrs = false;
    this.elided = 0;
    this.elidedAt = 0;
    this.createdBy = -1;
    this.parentId = -1;
  }
}

class AncestorDraft extends FrameList {
  constructor(readonly id: number) {
    super();
  }
}

class GoroutineDraft extends FrameList {
  id = 0;
  state = '';
  waitMinutes = 0;
  flags = 0;
  labels = -1;
  line = 0;
  thread: { gp: string; m: string; mp: string } | undefined = undefined;
  extra: string[] | undefined = undefined;
  ancestors: AncestorDraft[] | undefined = undefined;
}

interface HeaderDraft {
  panics: PanicInfo[];
  /** Raw lines of the panic value being read, and whether its continuation lines are tab-indented. */
  panicLines: string[];
  panicIndented: boolean | undefined;
  fatalError: string;
  signal: SignalInfo | undefined;
  runtimeMessages: string[];
  runtimeStack: number;
  line: number;
  /** An empty line ended the header text (only goroutines or `runtime stack:` may follow). */
  closed: boolean;
  /** The last line read belonged to a panic value (so a following line may continue it). */
  inPanic: boolean;
}

const RUNNING_ELSEWHERE = 'goroutine running on other thread; stack unavailable';
const REGISTER_LINE = /^[a-z][a-z0-9]{0,7} +0x[0-9a-f]+$/;
const SIGNAL_NAME_LINE = /^(SIG[A-Z0-9]+): (.*)$/;

/** `goroutine running on other thread; stack unavailable`, indented or not (no trim: hot path). */
function isRunningElsewhere(s: string): boolean {
  const extra = s.length - RUNNING_ELSEWHERE.length;
  // The first-letter test rejects location lines of the same length cheaply.
  return (
    extra >= 0 &&
    extra <= 8 &&
    s.charCodeAt(extra) === 103 /* g */ &&
    s.endsWith(RUNNING_ELSEWHERE) &&
    s.slice(0, extra).trim() === ''
  );
}

/**
 * Whether `s`, the input's last line, may be a frame, created-by, header or elided-frames line
 * cut short.
 */
function couldBeCutLine(s: string): boolean {
  if (s.indexOf(' ') < 0 || /^[^\s(]+\(/.test(s)) return true;
  for (const start of ['created by ', 'goroutine '])
    if (s.startsWith(start) || start.startsWith(s)) return true;
  return isCutElidedLine(s);
}

/** `...10815 frame`, `...additional fr`: the start of a `...N frames elided...` line. */
function isCutElidedLine(s: string): boolean {
  if (!s.startsWith('...')) return false;
  const counted = /^\.\.\.\d+/.exec(s);
  return counted
    ? ' frames elided...'.startsWith(s.slice(counted[0].length))
    : '...additional frames elided...'.startsWith(s);
}

/** Returns true for a `\t…` (or space-indented, as pasting often turns tabs into spaces) line. */
function isIndented(s: string): boolean {
  const c = s.charCodeAt(0);
  // ` \t` too: text indented by spaces in front of the runtime's tab (a quoted dump).
  return c === 9 || (c === 32 && (s.charCodeAt(1) === 32 || s.charCodeAt(1) === 9));
}

/**
 * Splits a frame line `pkg.F(args)` into the function and the argument text, or returns -1 when
 * the line is not shaped like one. Function names never contain spaces, and arguments never
 * contain parentheses, so the last `(` opens the arguments.
 */
function argsOpen(s: string): number {
  if (s.charCodeAt(s.length - 1) !== 41 /* ) */) return -1;
  const p = s.lastIndexOf('(');
  return p > 0 ? p : -1;
}

/**
 * argsOpen, plus the check that the function name has no blanks. The hot path skips the check
 * because a location line right after proves the line was a frame; only a candidate without
 * one must show it is shaped like a frame.
 */
function strictArgsOpen(s: string): number {
  const p = argsOpen(s);
  if (p < 0) return -1;
  const space = s.indexOf(' ');
  if (space >= 0 && space < p) return -1;
  const tab = s.indexOf('\t');
  return tab >= 0 && tab < p ? -1 : p;
}

/**
 * The location line without its per-goroutine ` fp=… sp=… pc=…` tail, plus the tail's values.
 * Only lines whose last word starts with `pc=` have a tail, which keeps the common case to one
 * short scan from the end.
 */
function splitLocation(s: string): { core: string; fp: string; sp: string; pc: string } {
  const lastSpace = s.lastIndexOf(' ');
  if (lastSpace < 0 || !s.startsWith(' pc=', lastSpace)) return { core: s, fp: '', sp: '', pc: '' };
  let cut = s.lastIndexOf(' fp=', lastSpace);
  if (cut < 0) cut = lastSpace;
  let fp = '';
  let sp = '';
  let pc = '';
  for (const part of s.slice(cut + 1).split(' ')) {
    if (part.startsWith('fp=')) fp = part.slice(3);
    else if (part.startsWith('sp=')) sp = part.slice(3);
    else if (part.startsWith('pc=')) pc = part.slice(3);
  }
  return { core: s.slice(0, cut), fp, sp, pc };
}

/** Parses `\t/path/file.go:123 +0x45` (already without fp/sp/pc). */
function parseLocation(core: string): { file: string; line: number; offset: number } {
  let s = core.trim();
  let offset = -1;
  const plus = s.lastIndexOf(' +0x');
  if (plus >= 0 && /^[0-9a-f]+$/.test(s.slice(plus + 4))) {
    offset = parseInt(s.slice(plus + 4), 16);
    s = s.slice(0, plus);
  }
  const colon = s.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(s.slice(colon + 1))) {
    return { file: s.slice(0, colon), line: Number(s.slice(colon + 1)), offset };
  }
  return { file: s, line: 0, offset };
}

/** Parses the signal text after `[signal ` or from `SIGQUIT: quit` + `PC=…` lines. */
function parseSignalFields(text: string, into: Record<string, string>): void {
  for (const m of text.matchAll(/(\w+)=(\S+)/g)) into[m[1]] = m[2];
}

/** `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1f20]` */
function parseBracketSignal(s: string): SignalInfo {
  const body = s.slice('[signal '.length, s.endsWith(']') ? -1 : undefined);
  const colon = body.indexOf(': ');
  const name = colon >= 0 ? body.slice(0, colon) : body.split(' ')[0];
  const rest = colon >= 0 ? body.slice(colon + 2) : body.slice(name.length);
  const firstField = rest.search(/\s\w+=/);
  const description = (firstField >= 0 ? rest.slice(0, firstField) : rest).trim();
  const fields: Record<string, string> = {};
  parseSignalFields(firstField >= 0 ? rest.slice(firstField) : '', fields);
  return { name, description, fields };
}

/** Splits `status, N minutes, locked to thread` on commas (the items never contain one). */
function headerItems(content: string): string[] {
  return content.indexOf(',') < 0 ? [content] : content.split(', ');
}

/** Reads traceback text line by line into a SnapshotBuilder; `run` returns the goroutines found. */
export class TracebackReader {
  private mode: 'outside' | 'goroutine' | 'ancestor' | 'runtime-stack' | 'done' = 'outside';
  private header: HeaderDraft | undefined;
  private cur: GoroutineDraft | undefined;
  /** The one goroutine draft, reused (see FrameList). */
  private readonly draft = new GoroutineDraft();
  private readonly runtimeStackList = new FrameList();
  /** Where frames go: the goroutine, its current ancestor section, or the runtime stack. */
  private list: FrameList | undefined;
  private pendingFunc: string | undefined;
  /** Where the arguments of `pendingFunc` open (see argsOpen), computed once. */
  private pendingParen = 0;
  private pendingFuncLine = 0;
  private pendingCreatedBy: string | undefined;
  /** An unknown line inside a block: noise if frames follow it, else the block had ended. */
  private suspect: { text: string; lineNo: number; offset: number } | undefined;
  private seenIds = new Set<number>();
  private goroutinesSeen = 0;
  private garbageStart = 0;
  private garbageCount = 0;
  private headerAttached = false;
  private lineNo = 0;
  /** Offset in the text of the line being read. */
  private lineOffset = 0;
  /** Offset of the first line counted in garbageCount. */
  private garbageOffset = 0;
  /** Line number of the last line counted as garbage after goroutines. */
  private lastGarbageLine = -1;
  /** A `-----` line was seen: the sections of other Ms of a GOTRACEBACK=crash dump follow. */
  private crashSections = false;
  /**
   * Where the next dump in the text starts, when the reader stopped at one (a second panic, a
   * second SIGQUIT, a goroutine id listed again, a stack printed right after a log line).
   */
  next: { offset: number; line: number } | undefined;

  /** `start`/`startLine`: read from this offset of `text`, whose line number is `startLine` (1-based). */
  constructor(
    private readonly text: string,
    private readonly b: SnapshotBuilder,
    private readonly start = 0,
    startLine = 1,
  ) {
    this.lineNo = startLine - 1;
  }

  /** Reads the text up to its end or the start of another dump; returns how many goroutine blocks were found. */
  run(): number {
    const text = this.text;
    const len = text.length;
    let pos = this.start;
    while (pos < len && this.mode !== 'done') {
      let nl = text.indexOf('\n', pos);
      const terminated = nl >= 0;
      if (!terminated) nl = len;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      this.lineNo++;
      this.lineOffset = pos;
      this.onLine(text.slice(pos, end), terminated);
      pos = nl + 1;
    }
    this.endOfInput(len > 0 && text.charCodeAt(len - 1) !== 10);
    return this.goroutinesSeen;
  }

  private onLine(s: string, terminated: boolean): void {
    if (this.mode === 'done') return;
    if (this.pendingFunc !== undefined) {
      const fn = this.pendingFunc;
      this.pendingFunc = undefined;
      if (isIndented(s) && !isRunningElsewhere(s)) {
        this.addFrame(fn, s, this.pendingParen);
        return;
      }
      if (strictArgsOpen(fn) > 0) {
        // A frame line without its location: keep the function, say where.
        this.b.warn(
          'garbage',
          this.pendingFuncLine,
          `frame "${fn.slice(0, 80)}" at line ${this.pendingFuncLine} has no location line`,
        );
        this.addFrame(fn, undefined, this.pendingParen);
      } else {
        this.b.warn(
          'garbage',
          this.pendingFuncLine,
          `line ${this.pendingFuncLine} inside the traceback of ${this.describeCurrent()} is not part of a traceback: "${fn.slice(0, 80)}" (skipped)`,
        );
      }
    }
    if (this.pendingCreatedBy !== undefined) {
      const cb = this.pendingCreatedBy;
      this.pendingCreatedBy = undefined;
      if (isIndented(s)) {
        this.setCreatedBy(cb, s);
        return;
      }
      this.setCreatedBy(cb, undefined);
    }
    if (this.mode === 'outside') this.outside(s, terminated);
    else this.inFrames(s, terminated);
  }

  // ── inside a goroutine block, an ancestor section or the runtime stack ──

  private inFrames(s: string, terminated: boolean): void {
    const list = this.list!;
    if (this.suspect !== undefined) {
      const prev = this.suspect;
      this.suspect = undefined;
      if (this.continuesFrames(s)) {
        // Something else wrote into the middle of the traceback (interleaved output).
        this.b.warn(
          'garbage',
          prev.lineNo,
          `line ${prev.lineNo} inside the traceback of ${this.describeCurrent()} is not part of a traceback: "${prev.text.slice(0, 80)}" (skipped)`,
        );
      } else {
        // The block had ended without an empty line (e.g. "exit status 2" or a test's FAIL line
        // right after the last frame): treat the line as text after the block.
        this.endBlock();
        this.outside(prev.text, true, prev.lineNo, prev.offset);
        this.onLine(s, terminated);
        return;
      }
    }
    if (s === '') {
      this.endBlock();
      return;
    }
    const c = s.charCodeAt(0);
    if (c === 103 /* g */ && s.startsWith('goroutine ')) {
      if (this.tryGoroutineHeader(s)) {
        if (!terminated) this.markTruncated();
        return;
      }
    }
    if (c === 99 /* c */ && s.startsWith('created by ')) {
      this.pendingCreatedBy = s.slice('created by '.length);
      return;
    }
    if (c === 46 /* . */ && s.startsWith('...') && s.endsWith(' elided...')) {
      const m = /^\.\.\.(\d+) frames elided\.\.\.$/.exec(s);
      list.elided = m ? Number(m[1]) : -1;
      list.elidedAt = list.count;
      return;
    }
    if (c === 91 /* [ */ && s.startsWith('[originating from goroutine ')) {
      this.startAncestor(s);
      return;
    }
    // Frame lines first: they are most of the input.
    const paren = isIndented(s) ? -1 : argsOpen(s);
    if (paren > 0) {
      this.pendingFunc = s;
      this.pendingParen = paren;
      this.pendingFuncLine = this.lineNo;
      if (!terminated) this.markTruncated();
      return;
    }
    if (isRunningElsewhere(s)) {
      if (this.cur) this.cur.flags |= GoroutineFlag.StackUnavailable;
      return;
    }
    const cgo = s.indexOf('non-Go function at pc=');
    if (cgo >= 0 && s.slice(0, cgo).trim() === '') {
      // cgo frame without a symbolizer: keep it as a frame with no location.
      const pc = s.slice(cgo + 'non-Go function at pc='.length).trim();
      const f = this.b.frame('\u0000cgo' + pc, () => ({
        func: 'non-Go function',
        file: '',
        line: 0,
        offset: -1,
        pc,
        inlined: false,
      }));
      this.pushFrame(list, f, 0, '', '');
      return;
    }
    if (isIndented(s)) {
      // A location line with no function line before it (a line was lost or overwritten).
      this.b.warn(
        'garbage',
        this.lineNo,
        `line ${this.lineNo} in the traceback of ${this.describeCurrent()} is a source location without a function line (skipped)`,
      );
      return;
    }
    if (this.mode !== 'runtime-stack' && this.startsNewDump(s)) {
      // A new panic/fatal/signal header right after a block without the empty line.
      this.endBlock();
      this.outside(s, terminated);
      return;
    }
    // Decide with the next line whether this is noise inside the block or text after it.
    this.suspect = { text: s, lineNo: this.lineNo, offset: this.lineOffset };
  }

  /** True when `s` can only be the continuation of a traceback block. */
  private continuesFrames(s: string): boolean {
    if (s === '') return false;
    if (s.startsWith('created by ') || s.startsWith('[originating from goroutine ')) return true;
    if (s.startsWith('...') && s.endsWith(' elided...')) return true;
    if (isIndented(s)) return true;
    return strictArgsOpen(s) > 0;
  }

  private describeCurrent(): string {
    return this.mode === 'runtime-stack' ? 'the runtime stack' : `goroutine ${this.cur?.id ?? '?'}`;
  }

  private markTruncated(): void {
    if (this.cur) this.cur.flags |= GoroutineFlag.Truncated;
  }

  private pushFrame(list: FrameList, frame: number, args: number, fp: string, sp: string): void {
    const i = list.count++;
    list.frames[i] = frame;
    list.args[i] = args;
    list.fp[i] = fp;
    list.sp[i] = sp;
    if (fp || sp) list.hasAddrs = true;
  }

  private addFrame(fnLine: string, loc: string | undefined, paren = argsOpen(fnLine)): void {
    const list = this.list;
    if (!list) return;
    // `()` is the commonest argument list: no slice, no lookup.
    const argText = paren + 2 === fnLine.length ? '' : fnLine.slice(paren + 1, -1);
    let core = '';
    let fp = '';
    let sp = '';
    let pc = '';
    if (loc !== undefined) {
      // Most lines have no fp/sp/pc tail: skip the split (and its allocations) for them.
      const lastSpace = loc.lastIndexOf(' ');
      if (lastSpace >= 0 && loc.startsWith(' pc=', lastSpace))
        ({ core, fp, sp, pc } = splitLocation(loc));
      else core = loc;
    }
    let frame = this.b.lookupFrameAt(core, fnLine, paren);
    if (frame < 0) {
      const l = loc !== undefined ? parseLocation(core) : { file: '', line: 0, offset: -1 };
      const func = fnLine.slice(0, paren);
      frame = this.b.addFrameAt(core, {
        func,
        file: l.file,
        line: l.line,
        offset: l.offset,
        pc,
        inlined: argText === '...',
      });
    }
    if (pc) this.b.setFramePc(frame, pc);
    this.pushFrame(list, frame, argText === '' ? 0 : this.b.arg(argText), fp, sp);
  }

  private setCreatedBy(text: string, loc: string | undefined): void {
    const list = this.list;
    if (!list) return;
    let func = text;
    const at = text.lastIndexOf(' in goroutine ');
    if (at > 0) {
      // Digits by hand: a regex per goroutine costs more than the rest of this line.
      let id = 0;
      let i = at + ' in goroutine '.length;
      const digitsStart = i;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        id = id * 10 + c;
      }
      if (i === text.length && i > digitsStart) {
        func = text.slice(0, at);
        list.parentId = id;
      }
    }
    const core = loc === undefined ? '' : loc.indexOf(' pc=') < 0 ? loc : splitLocation(loc).core;
    let frame = this.b.lookupFrameAt(core, func, func.length);
    if (frame < 0) {
      const l = loc !== undefined ? parseLocation(core) : { file: '', line: 0, offset: -1 };
      frame = this.b.addFrameAt(core, {
        func,
        file: l.file,
        line: l.line,
        offset: l.offset,
        pc: '',
        inlined: false,
      });
    }
    list.createdBy = frame;
  }

  private startAncestor(s: string): void {
    if (!this.cur) return;
    const m = /^\[originating from goroutine (\d+)\]:$/.exec(s);
    const a = new AncestorDraft(m ? Number(m[1]) : -1);
    (this.cur.ancestors ??= []).push(a);
    this.list = a;
    this.mode = 'ancestor';
  }

  // ── goroutine headers ──

  /** Starts a goroutine block if `s` is a goroutine header; returns false otherwise. */
  private tryGoroutineHeader(s: string): boolean {
    // goroutine <id>[ gp=… m=…[ mp=…]] [<items>]:   (labels may follow the bracket in Go 1.27)
    let i = 'goroutine '.length;
    const idStart = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === idStart || s.charCodeAt(i) !== 32) return false;
    const id = Number(s.slice(idStart, i));
    let thread: GoroutineDraft['thread'];
    const open = s.indexOf(' [', i);
    if (open < 0 || !s.endsWith(':')) return false;
    if (open > i) {
      const t: Record<string, string> = {};
      for (const part of s.slice(i + 1, open).split(' ')) {
        const eq = part.indexOf('=');
        if (eq > 0) t[part.slice(0, eq)] = part.slice(eq + 1);
      }
      if (t.gp === undefined) return false;
      thread = { gp: t.gp, m: t.m ?? '', mp: t.mp ?? '' };
    }
    // Status and items run up to `]` or to ` labels:{` (Go 1.26), whose quoted values may hold `]`.
    let j = open + 2;
    const close = s.indexOf(']', j);
    const labelsAt = s.indexOf(' labels:{', j);
    let labels: [string, string][] = [];
    let itemsEnd: number;
    let after: number;
    if (labelsAt >= 0 && (close < 0 || labelsAt < close)) {
      itemsEnd = labelsAt;
      const lm = readLabelMap(s, labelsAt + ' labels:'.length);
      if (!lm || s[lm.next] !== ']') return this.badHeader(s);
      labels = lm.pairs;
      after = lm.next + 1;
    } else {
      if (close < 0) return this.badHeader(s);
      itemsEnd = close;
      after = close + 1;
    }
    if (s.startsWith(' {', after)) {
      // Go 1.27: `[status] {key: value, …}:`
      const lm = readLabelMap(s, after + 1);
      if (!lm) return this.badHeader(s);
      labels = lm.pairs;
      after = lm.next;
    }
    if (after !== s.length - 1) return this.badHeader(s);

    const items = headerItems(s.slice(j, itemsEnd));
    let state = items[0];
    let flags = 0;
    for (;;) {
      if (state.endsWith(' (scan)')) flags |= GoroutineFlag.Scan;
      else if (state.endsWith(' (leaked)')) flags |= GoroutineFlag.Leaked;
      else break;
      state = state.slice(0, state.lastIndexOf(' ('));
    }
    // " (durable)" is part of some synctest wait reasons' names, so it stays in the state text.
    if (state.endsWith(' (durable)')) flags |= GoroutineFlag.Durable;
    let waitMinutes = 0;
    let extra: string[] | undefined;
    for (let k = 1; k < items.length; k++) {
      const item = items[k];
      if (item === 'locked to thread') flags |= GoroutineFlag.LockedToThread;
      else if (item.endsWith(' minutes') && /^\d+ minutes$/.test(item))
        waitMinutes = parseInt(item, 10);
      else (extra ??= []).push(item);
    }

    this.endBlock();
    if (this.goroutinesSeen > 0 && !this.crashSections) {
      // A goroutine listed again (outside another M's section of a crash dump), or a stack
      // printed right after a line of other output: the next dump of a log with several.
      const repeated = id > 0 && this.seenIds.has(id);
      const afterLogLine = this.garbageCount > 0 && this.lastGarbageLine === this.lineNo - 1;
      if (repeated || afterLogLine) {
        this.stopAtNextDump(
          this.lineNo,
          this.lineOffset,
          `goroutine ${id} is listed again at line ${this.lineNo}`,
        );
        return true;
      }
    }
    this.beginGoroutine(id, state, waitMinutes, flags, thread, extra, labels);
    return true;
  }

  private badHeader(s: string): boolean {
    this.b.warn(
      'bad-header',
      this.lineNo,
      `line ${this.lineNo} looks like a goroutine header but could not be read: "${s.slice(0, 120)}"`,
    );
    return false;
  }

  private beginGoroutine(
    id: number,
    state: string,
    waitMinutes: number,
    flags: number,
    thread: GoroutineDraft['thread'],
    extra: string[] | undefined,
    labels: [string, string][],
  ): void {
    if (this.garbageCount > 0 && this.goroutinesSeen > 0) {
      this.b.warn(
        'garbage',
        this.garbageStart,
        `${this.garbageCount} line(s) between goroutines that are not part of the dump, from line ${this.garbageStart} (skipped)`,
      );
    }
    this.garbageCount = 0;
    if (this.goroutinesSeen === 0) this.attachHeader();
    this.goroutinesSeen++;
    const g = this.draft;
    g.reset();
    g.id = id;
    g.state = state;
    g.waitMinutes = waitMinutes;
    g.flags = flags;
    g.labels = labels.length ? this.b.labels(labels) : -1;
    g.line = this.lineNo;
    g.thread = thread;
    g.extra = extra;
    g.ancestors = undefined;
    this.cur = g;
    this.list = g;
    this.mode = 'goroutine';
  }

  /** Closes the current block (goroutine or runtime stack), committing it to the builder. */
  private endBlock(): void {
    if (this.pendingFunc !== undefined) {
      const fn = this.pendingFunc;
      this.pendingFunc = undefined;
      if (strictArgsOpen(fn) > 0) this.addFrame(fn, undefined, this.pendingParen);
      else
        this.b.warn(
          'garbage',
          this.pendingFuncLine,
          `line ${this.pendingFuncLine} inside the traceback of ${this.describeCurrent()} is not part of a traceback: "${fn.slice(0, 80)}" (skipped)`,
        );
    }
    if (this.pendingCreatedBy !== undefined) {
      const cb = this.pendingCreatedBy;
      this.pendingCreatedBy = undefined;
      this.setCreatedBy(cb, undefined);
    }
    if (this.mode === 'runtime-stack' && this.list && this.header) {
      const l = this.list;
      this.header.runtimeStack = this.b.stack(l.frames, l.count, l.elided, l.elidedAt);
    }
    const g = this.cur;
    if (g) {
      this.cur = undefined;
      this.commitGoroutine(g);
    }
    this.list = undefined;
    this.mode = 'outside';
  }

  private commitGoroutine(g: GoroutineDraft): void {
    const b = this.b;
    if (g.id > 0 && this.seenIds.has(g.id)) {
      // Another M's section of a GOTRACEBACK=crash dump repeats goroutines printed already.
      b.warn(
        'duplicate',
        g.line,
        `goroutine ${g.id} at line ${g.line} was already listed; this copy is skipped`,
      );
      return;
    }
    this.seenIds.add(g.id);
    if (g.count === 0 && !(g.flags & GoroutineFlag.StackUnavailable))
      g.flags |= GoroutineFlag.Truncated;
    const stack = b.stack(g.frames, g.count, g.elided, g.elidedAt);
    for (let k = 0; k < g.count; k++)
      b.instance(g.args[k], g.hasAddrs ? g.fp[k] : '', g.hasAddrs ? g.sp[k] : '');
    const row = b.row({
      id: g.id,
      weight: 1,
      state: g.state,
      waitMinutes: g.waitMinutes,
      flags: g.flags,
      stack,
      createdBy: g.createdBy,
      parentId: g.parentId,
      labels: g.labels,
      line: g.line,
    });
    if (g.flags & GoroutineFlag.Truncated) {
      b.warn(
        'truncated',
        g.line,
        `goroutine ${g.id} (line ${g.line}) is incomplete: the input ends or breaks off inside its traceback`,
      );
    }
    if (g.thread)
      b.threads.set(row, {
        gp: ownString(g.thread.gp),
        m: ownString(g.thread.m),
        mp: ownString(g.thread.mp),
      });
    if (g.extra) b.extraHeaderItems.set(row, g.extra.map(ownString));
    if (g.ancestors) {
      b.ancestors.set(
        row,
        g.ancestors.map((a) => ({
          id: a.id,
          stack: b.stack(a.frames, a.count, a.elided, a.elidedAt),
          createdBy: a.createdBy,
        })),
      );
    }
    if (b.header && b.header.currentGoroutine === -1 && this.headerAttached && b.rowCount === 1) {
      b.header.currentGoroutine = row;
      b.addFlags(row, GoroutineFlag.Current);
    }
  }

  // ── outside blocks: headers, preamble, trailing text ──

  /**
   * Lines that end a block by starting another dump's header. `runtime: …` diagnostics are not
   * among them: the runtime prints those in the middle of a traceback it has trouble with.
   */
  private startsNewDump(s: string): boolean {
    return (
      s.startsWith('panic: ') ||
      s.startsWith('fatal error: ') ||
      s.startsWith('[signal ') ||
      SIGNAL_NAME_LINE.test(s)
    );
  }

  private outside(
    s: string,
    terminated: boolean,
    lineNo = this.lineNo,
    offset = this.lineOffset,
  ): void {
    if (s === '') {
      if (this.header) this.header.closed = true;
      return;
    }
    // A terminal echoes Ctrl+\ as `^\` in front of the runtime's `SIGQUIT: quit`.
    if (s.startsWith('^\\')) s = s.slice(2);
    const c = s.charCodeAt(0);
    if (c === 103 /* g */ && s.startsWith('goroutine ') && this.tryGoroutineHeader(s)) {
      if (!terminated) this.markTruncated();
      return;
    }
    if (this.stopped()) return;
    if (s.endsWith(':')) {
      // A header glued to program output that had no newline (`…dumping stacksgoroutine 1 [running]:`).
      const at = s.lastIndexOf('goroutine ');
      if (at > 0 && this.tryGoroutineHeader(s.slice(at))) {
        if (!terminated) this.markTruncated();
        return;
      }
      if (this.stopped()) return;
    }
    if (this.goroutinesSeen > 0) {
      this.afterGoroutines(s, lineNo, offset);
      return;
    }
    const h = this.header;
    if (s === 'runtime stack:') {
      const hd = (this.header ??= this.newHeader());
      hd.inPanic = false;
      this.runtimeStackList.reset();
      this.list = this.runtimeStackList;
      this.mode = 'runtime-stack';
      return;
    }
    if (s.startsWith('panic: ') || (h && !h.closed && h.inPanic && s.startsWith('\tpanic: '))) {
      const hd = h && !h.closed ? h : this.restartHeader();
      this.finishPanicValue(hd);
      hd.panicLines = [s.slice(s.indexOf('panic: ') + 'panic: '.length)];
      hd.panicIndented = undefined;
      hd.inPanic = true;
      return;
    }
    if (s.startsWith('fatal error: ')) {
      const hd = h && !h.closed ? h : this.restartHeader();
      this.finishPanicValue(hd);
      hd.fatalError = s.slice('fatal error: '.length);
      return;
    }
    if (s.startsWith('[signal ')) {
      const hd = h && !h.closed ? h : this.restartHeader();
      this.finishPanicValue(hd);
      hd.signal ??= parseBracketSignal(s);
      return;
    }
    const sig = SIGNAL_NAME_LINE.exec(s);
    if (sig) {
      const hd = h && !h.closed ? h : this.restartHeader();
      this.finishPanicValue(hd);
      hd.signal ??= { name: sig[1], description: sig[2], fields: {} };
      return;
    }
    if (h && !h.closed && h.signal && s.startsWith('PC=')) {
      parseSignalFields(s, h.signal.fields);
      return;
    }
    if (s.startsWith('runtime: ') || s.startsWith('unexpected fault address ')) {
      const hd = h && !h.closed ? h : this.restartHeader();
      this.finishPanicValue(hd);
      hd.runtimeMessages.push(s);
      return;
    }
    if (h && !h.closed) {
      if (h.inPanic) {
        // A continuation line of a multi-line panic value (Go 1.24+ indents them with a tab).
        if (h.panicIndented === undefined) h.panicIndented = s.charCodeAt(0) === 9;
        h.panicLines.push(h.panicIndented && s.charCodeAt(0) === 9 ? s.slice(1) : s);
        return;
      }
      if (
        h.signal &&
        (s === 'signal arrived during cgo execution' || s.startsWith('instruction bytes:'))
      ) {
        h.signal.fields[s.startsWith('instruction') ? 'instructionBytes' : 'cgo'] = s.startsWith(
          'instruction',
        )
          ? s.slice('instruction bytes:'.length).trim()
          : 'true';
        return;
      }
    }
    // Ordinary text before the dump: a header followed by something else was not the dump's.
    if (h && h.closed) this.header = undefined;
  }

  /** The reader stopped at the start of another dump (a method: TypeScript narrows a field read inline). */
  private stopped(): boolean {
    return this.mode === 'done';
  }

  /** Text after at least one goroutine block and outside any block. */
  private afterGoroutines(s: string, lineNo: number, offset: number): void {
    if (
      s.startsWith('panic: ') ||
      s.startsWith('fatal error: ') ||
      (!this.crashSections && SIGNAL_NAME_LINE.test(s))
    ) {
      // A second, separate dump (a log with two crashes, a SIGQUIT after a runtime.Stack print).
      this.stopAtNextDump(
        lineNo,
        offset,
        `another dump starts at line ${lineNo} ("${s.slice(0, 60)}")`,
      );
      return;
    }
    if (s === '-----') {
      this.crashSections = true;
      return;
    }
    // The tail of crash dumps: register dumps, each M's signal lines.
    if (
      REGISTER_LINE.test(s) ||
      SIGNAL_NAME_LINE.test(s) ||
      s.startsWith('PC=') ||
      s.startsWith('[signal ')
    )
      return;
    if (this.garbageCount === 0) {
      this.garbageStart = lineNo;
      this.garbageOffset = offset;
    }
    this.garbageCount++;
    this.lastGarbageLine = lineNo;
  }

  /**
   * Ends this dump where the next one begins: at the output lines right before it (they are its
   * preamble: a log line, the panic message) or at `lineNo`. `parseGoroutineDumps` reads on from there.
   */
  private stopAtNextDump(lineNo: number, offset: number, why: string): void {
    const line = this.garbageCount > 0 ? this.garbageStart : lineNo;
    this.next = this.garbageCount > 0 ? { offset: this.garbageOffset, line } : { offset, line };
    this.garbageCount = 0;
    this.b.warn(
      'second-dump',
      line,
      `${why}: another dump starts at line ${line}; only the first one was read`,
    );
    this.mode = 'done';
  }

  private newHeader(): HeaderDraft {
    return {
      panics: [],
      panicLines: [],
      panicIndented: undefined,
      fatalError: '',
      signal: undefined,
      runtimeMessages: [],
      runtimeStack: -1,
      line: this.lineNo,
      closed: false,
      inPanic: false,
    };
  }

  private restartHeader(): HeaderDraft {
    this.header = this.newHeader();
    return this.header;
  }

  private finishPanicValue(h: HeaderDraft): void {
    if (!h.inPanic) return;
    h.inPanic = false;
    let value = h.panicLines.join('\n');
    let recovered = false;
    let repanicked = false;
    if (value.endsWith(' [recovered, repanicked]')) {
      recovered = repanicked = true;
      value = value.slice(0, -' [recovered, repanicked]'.length);
    } else if (value.endsWith(' [recovered]')) {
      recovered = true;
      value = value.slice(0, -' [recovered]'.length);
    }
    h.panics.push({ value, recovered, repanicked });
    h.panicLines = [];
  }

  private attachHeader(): void {
    const h = this.header;
    this.header = undefined;
    if (!h) return;
    this.finishPanicValue(h);
    const kind =
      h.panics.length > 0 ? 'panic' : h.fatalError ? 'fatal' : h.signal ? 'signal' : undefined;
    if (!kind) return;
    let testTimeout: TestTimeout | undefined;
    const first = h.panics[0]?.value ?? '';
    const tm = /^test timed out after (\S+)(?:\nrunning tests:\n([\s\S]*))?$/.exec(first);
    if (tm) {
      const running: TestTimeout['running'] = [];
      for (const l of (tm[2] ?? '').split('\n')) {
        const r = /^\t(\S+) \((.*)\)$/.exec(l);
        if (r) running.push({ name: r[1], duration: r[2] });
      }
      testTimeout = { after: tm[1], running };
    }
    // Detached copies: slices of the input would keep all of it alive with the snapshot.
    const signal = h.signal && {
      name: ownString(h.signal.name),
      description: ownString(h.signal.description),
      fields: Object.fromEntries(
        Object.entries(h.signal.fields).map(([k, v]) => [ownString(k), ownString(v)]),
      ),
    };
    if (testTimeout)
      testTimeout.running = testTimeout.running.map((r) => ({
        name: ownString(r.name),
        duration: ownString(r.duration),
      }));
    if (testTimeout) testTimeout.after = ownString(testTimeout.after);
    const header: DumpHeader = {
      kind,
      panics: h.panics.map((p) => ({ ...p, value: ownString(p.value) })),
      fatalError: ownString(h.fatalError),
      signal,
      runtimeMessages: h.runtimeMessages.map(ownString),
      runtimeStack: h.runtimeStack,
      testTimeout,
      currentGoroutine: -1,
      line: h.line,
    };
    this.b.header = header;
    this.headerAttached = true;
  }

  private endOfInput(unterminated: boolean): void {
    if (this.mode === 'done') {
      this.cur = undefined;
      return;
    }
    if (this.suspect !== undefined) {
      // Text after the last block ("exit status 2") means the block was complete, unless that
      // text is a line broken off by the end of the input (a frame line cut before its `)`).
      // "exit status 2" without a newline is whole; a frame, header or created-by line cut short is not.
      const s = this.suspect.text;
      this.suspect = undefined;
      if (unterminated && couldBeCutLine(s)) this.markTruncated();
      this.endBlock();
      return;
    }
    // A last line without a newline may still be whole (files saved by editors often lack the
    // final newline): a location line with its ` +0x78` leaves the verdict to looksComplete.
    const cutLine = unterminated && !this.endsWithLocation();
    if (
      this.cur &&
      (this.pendingFunc !== undefined ||
        this.pendingCreatedBy !== undefined ||
        cutLine ||
        !this.looksComplete(this.cur))
    ) {
      this.markTruncated();
    }
    this.endBlock();
  }

  /** Whether the text's last line is a whole location line (`\t/a/b.go:12[ +0x1f]`). */
  private endsWithLocation(): boolean {
    const text = this.text;
    const last = text.slice(text.lastIndexOf('\n') + 1).replace(/\r$/, '');
    return isIndented(last) && /\.\w+:\d+ \+0x[0-9a-f]+(?: fp=\S+ sp=\S+ pc=\S+)?$/.test(last);
  }

  /**
   * Whether the block open at the end of the input could be whole. A cut at a line boundary
   * leaves no broken line, but a goroutine's traceback ends in a known way: with `created by`
   * (every goroutine but 1, 0 and a few the runtime creates), and goroutine 1's with main.main
   * (level all) or runtime.goexit (level system, whose frames carry fp/sp/pc).
   */
  private looksComplete(g: GoroutineDraft): boolean {
    if (g.flags & GoroutineFlag.StackUnavailable || g.id === 0 || g.createdBy >= 0 || g.ancestors)
      return true;
    // `...additional frames elided...` at the end: the runtime stopped printing there on purpose.
    if (g.elided !== 0 && g.elidedAt === g.count) return true;
    const outer = g.count > 0 ? this.b.frameFunc(g.frames[g.count - 1]) : '';
    // Tracebacks with fp/sp/pc are printed at level system or beyond, where goroutine 1 always
    // goes on past main.main and runtime.main to runtime.goexit.
    if (g.id === 1)
      return g.hasAddrs
        ? outer === 'runtime.goexit'
        : outer === 'main.main' || outer === 'runtime.main' || outer === 'runtime.goexit';
    return false;
  }
}
