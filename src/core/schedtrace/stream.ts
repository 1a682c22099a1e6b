// Incremental parser for a Go program's stderr (or stdout+stderr) with GODEBUG schedtrace,
// scheddetail, gctrace and scavtrace lines in it. It is fed chunks as they arrive and separates
// the runtime's trace records from the program's own output, giving both back.
//
// Why it is built the way it is:
//  * The runtime writes every printed value with its own write(2) (print → gwrite → writeErr),
//    while the program writes to the same descriptor whenever it likes. So:
//    - a runtime line can start right after program text that has no newline yet
//      ("working...SCHED 100ms: …"): the trace part is parsed, and the program part is kept and
//      joined with the rest of the program's line that arrives after the runtime line(s);
//    - a program line can land inside a runtime line ("  G12: status=4(" "stderr line 5\n"
//      "select) m=nil lockedm=nil\n"): a line that starts like a runtime line but does not
//      parse is held for up to LOOKAHEAD more lines, looking for the runtime line's tail;
//    - another M's gc/scav line can land inside a sysmon line between two of its print calls:
//      the head waits as pending text, and joins its tail on the next line;
//    - a program write without newline can land inside a runtime line, leaving program text
//      in its middle: when no tail follows, the text is cut out of the line;
//    - a runtime line can be torn by several writes, each leaving part of it on a later line.
//    Program output is therefore the input with the runtime's lines cut out — nothing else is
//    dropped or added. Putting a line back together prefers the latest cuts (the runtime
//    writes each value whole), accepts only wait reasons and preemptoff texts that releases
//    print and SCHED lists as long as gomaxprocs. What still cannot be put back together stays
//    program output, with a warning. One ambiguity is inherent: program text starting with a
//    space, written right before the runtime's " " piece of a SCHED list, gives that space
//    to the runtime line.
//  * A line is a trace line only if all of it matches the runtime's grammar (see line.ts), and
//    P/M/G lines only inside a scheddetail block in the runtime's order (Ps, then Ms, then Gs).
//  * Every decision depends on the text alone, never on where chunks were split, so feeding the
//    same bytes in any chunking gives the same events as parsing them in one go.
//  * Cost: every line adds a fixed amount plus an amount per character to one work account, and
//    every regex and search draws from it (see CREDIT_PER_LINE): time is linear in the input
//    whatever it holds, and memory is bounded by the LOOKAHEAD held lines, maxLineChars and the
//    open block (whose per-P state is keyed by id and bounded by its lines, see pFits). A live
//    run that still comes faster than that can be parsed is read lean (setLean).
//  * A scheddetail block has no end marker and the runtime prints no goroutine count, so a
//    block is emitted when the next SCHED line starts (sysmon prints one block at a time, under
//    sched.lock) or when the stream ends. While live, `openSnapshot()` shows the block so far.
import {
  hasKnownFreeText,
  isLineHead,
  isLineTail,
  looksLikeTraceLine,
  parseTraceLine,
  TRACE_LINE_STARTS,
  type TraceLine,
} from './line';
import {
  SchedTraceError,
  type GcCycle,
  type LegacyTraceLine,
  type PRecord,
  type ProgramLine,
  type ScavRecord,
  type SchedEvent,
  type SchedSnapshot,
  type SchedWarning,
} from './types';

/** Options of {@link SchedTraceStream}. */
export interface SchedTraceStreamOptions {
  /**
   * A line without a newline that reaches this many UTF-16 code units is handed back as program
   * output in pieces of three quarters of it (a runtime line is at most ~20 K: 1024 Ps × a few
   * digits), so binary junk or a progress bar without newlines cannot grow memory without
   * bound. Default 1 Mi.
   */
  maxLineChars?: number;
}

/** Running counts kept by {@link SchedTraceStream}. */
export interface SchedTraceStats {
  /** Physical lines seen (a final line without newline counts). */
  lines: number;
  /** Runtime trace lines recognised (SCHED, P, M, G, gc, scav). */
  traceLines: number;
  /** Program output lines handed back. */
  programLines: number;
  snapshots: number;
  detailSnapshots: number;
  gcCycles: number;
  scavRecords: number;
  /** Lines of older formats recognised but not charted (Go 1.4 `gcN(P):`, `scvgN:`). */
  legacyLines: number;
  /** Runtime lines that began after program text on the same line. */
  midLineStarts: number;
  /** Runtime lines put back together after other output was written into their middle. */
  tornLinesRecovered: number;
  warnings: number;
  /** Lines read in lean mode (see {@link SchedTraceStream.setLean}). */
  leanLines: number;
  /** scheddetail P/M/G lines dropped unparsed in lean mode. */
  detailLinesDropped: number;
}

interface OpenBlock {
  snapshot: SchedSnapshot;
  phase: 'P' | 'M' | 'G';
  lastP: number;
  /** Per-P state by P id (never an array indexed by an id a line claims). */
  ps: Map<number, PRecord>;
  /** stats.lines when the block opened: bounds how many P ids a line may skip. */
  linesAtOpen: number;
  /** P/M/G lines dropped unparsed in lean mode. */
  dropped: number;
}

/** A line that starts like a runtime line but does not parse, waiting for its tail. */
interface Held {
  lines: string[];
  lineNos: number[];
  /** Where the runtime text starts in the first line. */
  start: number;
  /** Where a runtime line may start in each held line (tornStart with any block), computed once per line. */
  starts?: number[];
}

/**
 * How many lines after a torn runtime line its tail may come: a program write of a couple of
 * lines, twice in one runtime line, fits. The cost of a larger window is a longer delay for
 * held output.
 */
const LOOKAHEAD = 8;

/**
 * The work budget, in characters a regex or a scan looks at. Every line that arrives adds
 * CREDIT_PER_LINE + CREDIT_PER_CHAR × its length to one account, and every search and regex of
 * this parser (whole-line parses, searches for where a runtime line starts, the rebuilding of
 * torn lines, the cutting of program text out of one) draws from it; a search that finds the
 * account empty gives up, and its line stays program output (with a warning). So the work on any
 * input is at most that many characters per character and per line — linear in the input —
 * and the account never holds more than CREDIT_CAP, so no single line can spend more than that
 * (about a millisecond) whatever came before it. Real torn lines are put back together within a
 * few thousand characters of candidates; the figures leave room for ten times that.
 */
const CREDIT_PER_LINE = 16_384;
const CREDIT_PER_CHAR = 64;
const CREDIT_CAP = 1 << 19;
/** Charged for a position tried where no regex runs far (an anchored prefix check). */
const PROBE_COST = 16;

/** In a runtime line, two print pieces never meet digit-to-digit or letter-to-letter. */
function boundaryOk(prev: number, next: number): boolean {
  const digit = (c: number) => c >= 0x30 && c <= 0x39;
  const letter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return !(digit(prev) && digit(next)) && !(letter(prev) && letter(next));
}

/** A head with no tail at the end of the stream: past the runtime line's first value. */
const RUNTIME_HEAD_AT_END = /^(?:SCHED \d+ms: |gc \d+ @|scav \d+ |  [PMG]\d+: )/;

/**
 * What the head of a torn runtime line can hold, by its first print piece: the characters the
 * runtime prints in such a line, and the longest such line (a SCHED line lists up to 1024 Ps,
 * about 17 K characters with schedticks; the others stay under a few hundred).
 */
const HEAD_LIMITS: Record<string, { alphabet: RegExp; max: number; end: RegExp }> = {
  'SCHED ': { alphabet: /[a-z0-9 =:[\]-]/, max: 24_576, end: /(?:\]|true|false|[01])$/ },
  'gc ': { alphabet: /[A-Za-z0-9 @.%:+/,>()-]/, max: 1024, end: /(?:P|\))$/ },
  'scav ': { alphabet: /[A-Za-z0-9 (),.%[\]]/, max: 1024, end: /(?:util|\)|\])$/ },
  '  P': { alphabet: /[a-z0-9 =:-]/, max: 1024, end: /\d$/ },
  '  M': { alphabet: /[A-Za-z0-9 =:().\-_]/, max: 1024, end: /(?:\d|nil)$/ },
  '  G': { alphabet: /[A-Za-z0-9 =:().\-_]/, max: 1024, end: /(?:\d|nil)$/ },
};

/** Per start token: a sticky regex matching a run of its alphabet (one scan instead of a test per character). */
const ALPHABET_RUN: Record<string, RegExp> = Object.fromEntries(
  Object.entries(HEAD_LIMITS).map(([t, l]) => [t, new RegExp(`${l.alphabet.source}*`, 'y')]),
);

/** How many characters from `from` on are in the alphabet of lines starting with `token`. */
function alphabetRun(token: string, text: string, from: number): number {
  const re = ALPHABET_RUN[token];
  re.lastIndex = from;
  return re.exec(text)![0].length;
}

/**
 * A copy of `s` that does not point into the chunk it was cut from. Engines represent slices
 * of long strings as views of their parent; a program line kept for an hour would otherwise keep
 * its whole 64 KiB chunk alive. (Concatenation then slice makes the engine flatten a fresh copy.)
 */
export function detachString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Stricter checks for a runtime line put back together from pieces than for a whole line: free
 * text (wait reasons, preemptoff) must be text a release prints, so program text cannot pass
 * for it (nor be cut out whole, leaving a waiting G without reason), and a SCHED line must list
 * exactly gomaxprocs Ps, so program lines full of numbers cannot swallow or lend list entries.
 */
function plausibleRebuild(rec: TraceLine, text: string): boolean {
  if (!hasKnownFreeText(rec)) return false;
  // A waiting G always has a reason (gopark takes one); "()" is for the other statuses.
  if (rec.kind === 'g' && (rec.g.status & 0xfff) === 4 && rec.g.waitReason === '') return false;
  // The fields older releases lacked are printed by every release this rebuilds lines of (1.20+).
  if (rec.kind === 'p') return rec.p.timerslen !== undefined;
  if (rec.kind === 'gc') return rec.gc.stacksMB !== undefined;
  if (rec.kind !== 'sched') return true;
  const s = rec.snapshot;
  if (s.needspinning === undefined) return false;
  if (rec.detailHeader && !/ gcwaiting=(?:true|false) .* sysmonwait=(?:true|false)$/.test(text))
    return false;
  return (
    rec.detailHeader !== undefined ||
    (s.runqueues.length === s.gomaxprocs &&
      (s.schedticks === undefined || s.schedticks.length === s.gomaxprocs))
  );
}

function stripCR(raw: string): string {
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/**
 * The incremental parser. `push` chunks (bytes, or already-decoded text — do not mix the two in
 * one stream), then `end()`; each returns the events completed by that call, in stream order.
 *
 * Latency: a plain SCHED line, gc and scav lines and program lines come out as soon as their
 * newline arrives; a scheddetail snapshot when the next SCHED line (or the end) arrives; a line
 * that starts like a runtime line but does not parse is held until its tail or the next
 * runtime line arrives (at most LOOKAHEAD = 8 more lines). `openSnapshot()` and
 * `pendingProgramText()` show what is waiting.
 */
export class SchedTraceStream {
  /** Counts so far. */
  readonly stats: SchedTraceStats = {
    lines: 0,
    traceLines: 0,
    programLines: 0,
    snapshots: 0,
    detailSnapshots: 0,
    gcCycles: 0,
    scavRecords: 0,
    legacyLines: 0,
    midLineStarts: 0,
    tornLinesRecovered: 0,
    warnings: 0,
    leanLines: 0,
    detailLinesDropped: 0,
  };
  private readonly decoder = new TextDecoder('utf-8');
  private readonly maxLine: number;
  private partial = '';
  private pending = '';
  private lineNo = 0;
  private block: OpenBlock | undefined;
  private held: Held | undefined;
  private ended = false;
  private out: SchedEvent[] = [];
  /** The work account (see CREDIT_PER_LINE). */
  private credit = 0;
  private lean = false;
  private tailMemo: { text: string; fits: Map<string, boolean> } = { text: '', fits: new Map() };

  constructor(options: SchedTraceStreamOptions = {}) {
    this.maxLine = Math.max(64, options.maxLineChars ?? 1 << 20);
  }

  /** Feeds the next chunk; returns the events it completed. Chunks may split lines and UTF-8 sequences anywhere. */
  push(chunk: Uint8Array | string): SchedEvent[] {
    if (this.ended)
      throw new SchedTraceError(
        'the schedtrace stream has already ended; start a new parser for a new stream',
        'ended',
      );
    this.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    return this.take();
  }

  /** Ends the stream: flushes held lines, the last line and the open scheddetail block. */
  end(): SchedEvent[] {
    if (this.ended) return [];
    this.feed(this.decoder.decode());
    this.ended = true;
    const tail = this.partial;
    this.partial = '';
    const torn = this.lean ? undefined : this.tornHeadAtEnd(tail);
    while (this.held) this.release();
    let cutInBlock = false;
    if (tail !== '' || torn) {
      let rest = torn?.head ?? '';
      let lineNo = torn?.lineNo ?? this.lineNo;
      if (tail !== '') {
        lineNo = ++this.lineNo;
        this.stats.lines++;
        rest += this.cutLong(tail, lineNo);
        this.deposit(rest.length);
      }
      const text = stripCR(rest);
      // The runtime ends every line with a newline, so a last line without one is never taken
      // as a trace line: it may be a trace line cut short ("… 4 P" of "… 4 P (forced)").
      if (this.block && !text.includes('SCHED') && /(?: {2}[PMG]| $)/.test(text)) cutInBlock = true;
      if (this.tornStart(text) >= 0)
        this.warn(
          'the stream ended inside a runtime trace line (the program exited while the runtime was printing?); its text is kept as program output',
          lineNo,
        );
      this.emitProgram(this.pending + rest, true, lineNo);
      this.pending = '';
    } else if (this.pending !== '') {
      this.emitProgram(this.pending, true, this.lineNo);
      this.pending = '';
    }
    this.closeBlock(true, cutInBlock);
    return this.take();
  }

  /**
   * The program printed its last line into a runtime line and exited before the runtime
   * finished it: the last held line is the runtime line's head with the program's line after it,
   * and the stream ends with the start of the runtime line's tail ("SCHED …[0 0 " "golens-exit
   * …\n" "0 0 0") or with nothing. The program's line is handed back whole; the head is taken off
   * the held lines and returned, to be joined with the tail and kept as program output like any
   * runtime line the stream ends inside. With no tail the head must hold the runtime line's first
   * value and what follows it ("SCHED 700ms: ", "  G12: "), or a program line that merely starts
   * with "SCHED " would be split. The cut that gives the runtime line the most text wins, as in
   * rebuild.
   */
  private tornHeadAtEnd(tail: string): { head: string; lineNo: number } | undefined {
    const h = this.held;
    const partial = stripCR(tail);
    if (!h || (partial !== '' && this.tornStart(partial, true) >= 0)) return undefined;
    const last = h.lines.length - 1;
    const start = last === 0 ? h.start : (h.starts?.[last] ?? -1);
    if (start < 0) return undefined;
    const raw = h.lines[last];
    const line = stripCR(raw);
    const token = TRACE_LINE_STARTS.find((t) => line.startsWith(t, start))!;
    const { max } = HEAD_LIMITS[token];
    if (partial.length > max || alphabetRun(token, partial, 0) !== partial.length) return undefined;
    const settleBefore = () => {
      this.held =
        last === 0
          ? undefined
          : {
              ...h,
              lines: h.lines.slice(0, last),
              lineNos: h.lineNos.slice(0, last),
              starts: h.starts?.slice(0, last),
            };
      while (this.held) this.release();
    };
    if (partial === '') {
      // A whole runtime line out of its context (a P line after the Ms) is no head.
      if (this.parseFree(line.slice(start)) !== undefined) return undefined;
      // A whole runtime line with program text in its middle is settled as such.
      const cut = this.excise(line, start, h.lineNos[last]);
      if (cut) {
        settleBefore();
        this.settle(raw, h.lineNos[last], start, cut);
        return undefined;
      }
    }
    const reach = Math.min(
      start + token.length + alphabetRun(token, line, start + token.length),
      start + max - partial.length,
    );
    this.charge(reach - start);
    for (let k = reach; k >= start + token.length && this.credit > 0; k--) {
      const head = line.slice(start, k);
      if (partial === '') {
        // The program's line is what ended the head; without a tail it must be there.
        if (k === line.length || !RUNTIME_HEAD_AT_END.test(head) || !this.isHead(token, head))
          continue;
      } else if (
        !boundaryOk(line.charCodeAt(k - 1), partial.charCodeAt(0)) ||
        !this.isHead(token, head + partial)
      )
        continue;
      settleBefore();
      this.emitProgram(this.pending + raw.slice(0, start) + raw.slice(k), false, h.lineNos[last]);
      this.pending = '';
      this.stats.tornLinesRecovered++;
      return { head, lineNo: h.lineNos[last] };
    }
    return undefined;
  }

  /**
   * Lean mode, for a live run whose output comes faster than it can be parsed: each line is
   * tried whole as a runtime line and is otherwise program output (no search for runtime lines
   * that start mid-line or were torn by program writes), and the P/M/G lines of scheddetail
   * blocks are dropped unparsed (their blocks say so). The cost per byte is then a line split
   * and at most one anchored match. Lines held for a tail are settled when it is switched on.
   */
  setLean(on: boolean): void {
    this.lean = on;
  }

  /** Whether lean mode is on. */
  get isLean(): boolean {
    return this.lean;
  }

  /** The scheddetail snapshot still being received (its lines so far), for a live view. */
  openSnapshot(): SchedSnapshot | undefined {
    if (this.block) this.perP(this.block);
    return this.block?.snapshot;
  }

  /**
   * Program text received but not handed back yet: text cut off by a runtime line and waiting
   * for the rest of its line, lines held while looking for a torn runtime line's tail, then the
   * current line without its newline yet.
   */
  pendingProgramText(): string {
    return this.pending + (this.held ? this.held.lines.join('\n') + '\n' : '') + this.partial;
  }

  private deposit(chars: number): void {
    this.credit = Math.min(
      CREDIT_CAP,
      Math.max(0, this.credit) + CREDIT_PER_LINE + CREDIT_PER_CHAR * chars,
    );
  }

  /** Draws `chars` from the work account; false once it is empty (the search in progress gives up). */
  private charge(chars: number): boolean {
    this.credit -= chars;
    return this.credit > 0;
  }

  /** isLineHead, charged. */
  private isHead(token: string, head: string): boolean {
    this.charge(head.length);
    return isLineHead(token, head);
  }

  /** parseTraceLine without context, charged. */
  private parseFree(text: string, lineNo = 0): TraceLine | undefined {
    this.charge(text.length);
    return parseTraceLine(text, lineNo);
  }

  private take(): SchedEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private feed(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      const line = this.partial === '' ? piece : this.partial + piece;
      this.partial = '';
      this.lineNo++;
      this.stats.lines++;
      const rest = this.cutLong(line, this.lineNo);
      this.deposit(rest.length);
      this.processLine(rest, this.lineNo);
      start = nl + 1;
    }
    if (start < text.length) {
      // Over-long lines are cut the same way whether the line is complete or still arriving, so
      // the cut points depend on the text only, not on how it was chunked.
      const partial = this.partial + text.slice(start);
      this.partial =
        partial.length >= this.maxLine ? this.cutLong(partial, this.lineNo + 1) : partial;
    }
  }

  /**
   * Hands back fixed-size pieces off the front of an over-long line as program output (after
   * held lines and pending program text) and returns the rest.
   */
  private cutLong(line: string, lineNo: number): string {
    const piece = this.maxLine - (this.maxLine >> 2);
    while (line.length >= this.maxLine) {
      while (this.held) this.release();
      let cut = piece;
      // Do not split a surrogate pair.
      const c = line.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut--;
      this.emitProgram(this.pending + line.slice(0, cut), true, lineNo);
      this.pending = '';
      line = line.slice(cut);
    }
    return line;
  }

  private processLine(raw: string, lineNo: number): void {
    if (this.lean) this.processLean(raw, lineNo);
    else if (this.held) this.holdNext(raw, lineNo);
    else this.processFresh(raw, lineNo);
  }

  private processLean(raw: string, lineNo: number): void {
    while (this.held) this.release();
    this.stats.leanLines++;
    const text = stripCR(raw);
    const b = this.block;
    if (b && text.startsWith('  ') && /^ {2}[PMG]\d/.test(text)) {
      b.dropped++;
      this.stats.detailLinesDropped++;
      return;
    }
    const whole = this.parse(text, lineNo);
    if (whole) {
      this.handle(whole);
      return;
    }
    this.emitProgram(this.pending + raw, false, lineNo);
    this.pending = '';
  }

  private processFresh(raw: string, lineNo: number): void {
    // A CRLF log (edited or copied on Windows) still holds runtime lines; the runtime itself
    // only writes "\n". Program text keeps its "\r".
    const text = stripCR(raw);
    const whole = this.parse(text, lineNo);
    if (whole) {
      this.handle(whole);
      return;
    }
    if (this.pending !== '') {
      // The pending text may end with the head of a runtime line that another M's gc/scav line
      // interrupted; this line would then be its tail.
      const joined = this.pending + text;
      const found = this.findStart(joined, 0, this.pending.length, lineNo);
      if (found) {
        this.pending = this.pending.slice(0, found.pos);
        this.stats.tornLinesRecovered++;
        this.handle(found.rec);
        return;
      }
    }
    const mid = this.findStart(text, 1, text.length, lineNo);
    if (mid) {
      this.stats.midLineStarts++;
      this.pending += raw.slice(0, mid.pos);
      this.handle(mid.rec);
      if (this.pending.length >= this.maxLine) {
        this.emitProgram(this.pending, true, lineNo);
        this.pending = '';
      }
      return;
    }
    const start = this.tornStart(text);
    if (start >= 0) {
      // Held first: a line such as "…timerslen=stderr line 4" then "0" is a program line inside
      // the runtime line (its tail on the next line), though cutting "stderr line " out of the
      // first line alone would also leave a valid line. Only when no tail comes is it cut alone.
      this.held = { lines: [raw], lineNos: [lineNo], start };
      return;
    }
    this.warnNearMiss(text, lineNo);
    this.emitProgram(this.pending + raw, false, lineNo);
    this.pending = '';
  }

  /** Tells the user when a program line looked like a runtime line but was not taken as one. */
  private warnNearMiss(text: string, lineNo: number): void {
    if (this.traceLikeStart(text) < 0) return;
    const rec = /^ {2}[PMG]\d/.test(text) ? this.parseFree(text) : undefined;
    const b = this.block;
    let message =
      'a line starts like a runtime trace line but does not match its grammar (program output written into the middle of it?); kept as program output';
    if (
      rec?.kind === 'p' &&
      b &&
      b.phase === 'P' &&
      rec.p.id > b.lastP &&
      !(rec.p.id < b.snapshot.gomaxprocs)
    ) {
      message = `a P line with id ${String(rec.p.id).slice(0, 24)} in a block of gomaxprocs=${b.snapshot.gomaxprocs}: the runtime prints P0 to P${b.snapshot.gomaxprocs - 1} only, so it is not the runtime's; kept as program output`;
    } else if (rec?.kind === 'p' && b && b.phase === 'P' && rec.p.id > b.lastP) {
      message = `a P line with id ${rec.p.id} skips more P lines than the block has lines (the runtime prints every P in order); kept as program output`;
    } else if (rec) {
      message =
        'a scheddetail P/M/G line outside a scheddetail block (or out of order); kept as program output';
    }
    this.warn(message, lineNo);
  }

  /**
   * A held torn line: is this new line its tail, with the lines in between program output (or
   * program output after more pieces of the runtime line, when several program writes landed in
   * it — seen live: two near-miss lines inside one gc line)? A later held line that starts like
   * a runtime line is tried as the head first: "  P1: …timerslen=0progress 0%", "  P2: … m= done",
   * "nil runqsize=…" is P1 with program text in it, then P2 torn by " done".
   */
  private holdNext(raw: string, lineNo: number): void {
    const h = this.held!;
    h.lines.push(raw);
    h.lineNos.push(lineNo);
    const tail = stripCR(raw);
    // A runtime line's tail is never a whole runtime line itself (P/M/G lines count even with
    // no block open: the held line may be the SCHED line that opens it).
    if (this.parseFree(tail) !== undefined) {
      this.release();
      return;
    }
    // Which held line is the head: the latest that can be (the program more often writes lines
    // between runtime lines than several lines into one). P/M/G heads count even with no block
    // open: an earlier held line may be the SCHED line that opens it, so those are checked
    // without their context here and again once the lines before them are settled.
    const starts = (h.starts ??= [h.start]);
    starts.push(this.tornStart(tail, true));
    for (let j = h.lines.length - 2; j >= 0; j--) {
      const start = starts[j];
      if (start < 0) continue;
      if (this.credit <= 0) break;
      const found = this.rebuild(
        { lines: h.lines.slice(j), lineNos: h.lineNos.slice(j), start },
        lineNo,
        j > 0,
      );
      if (!found) continue;
      this.held = undefined;
      // The held lines before the head got no tail.
      for (let i = 0; i < j; i++) this.settle(h.lines[i], h.lineNos[i], starts[i]);
      const rec = j > 0 ? this.parse(found.text, lineNo) : found.rec;
      if (!rec) {
        // In context the line does not fit (a P line with no block after all): program output.
        for (let i = j; i < h.lines.length; i++) this.settle(h.lines[i], h.lineNos[i], -1);
        return;
      }
      const { cuts } = found;
      this.stats.tornLinesRecovered++;
      this.handle(rec);
      // The program wrote: [prefix before the runtime line][its text, newline][more lines, each
      // after the runtime piece that preceded it]…
      this.emitProgram(
        this.pending + h.lines[j].slice(0, start) + h.lines[j].slice(cuts[0]),
        false,
        h.lineNos[j],
      );
      this.pending = '';
      for (let i = 1; j + i < h.lines.length - 1; i++)
        this.emitProgram(h.lines[j + i].slice(cuts[i]), false, h.lineNos[j + i]);
      return;
    }
    if (h.lines.length > LOOKAHEAD || this.findStart(tail, 1, tail.length, lineNo)) this.release();
  }

  /**
   * A held line that got no tail: a runtime line with program text written into its middle
   * (the text is cut out and kept as program text), or program output.
   */
  private settle(
    raw: string,
    lineNo: number,
    start: number,
    cut = start >= 0 ? this.excise(stripCR(raw), start, lineNo) : undefined,
  ): void {
    const text = stripCR(raw);
    if (cut) {
      this.stats.tornLinesRecovered++;
      this.pending += raw.slice(0, start) + text.slice(cut.k, cut.e);
      this.handle(cut.rec);
      return;
    }
    this.warnNearMiss(text, lineNo);
    this.emitProgram(this.pending + raw, false, lineNo);
    this.pending = '';
  }

  /**
   * Searches the held lines for a runtime line: a head cut from the first line at `cuts[0]`,
   * then from each line in between its first `cuts[i]` characters (0: all program text), then
   * the whole last line. Of the ways that parse, the one that gives the runtime line the most
   * text wins (ties: the one found first, latest cuts first): the runtime writes each value
   * whole ("1.9", not "1" of it) and prints its optional parts (" (forced)", "timerslen=") when
   * they apply, while program text is arbitrary. Free text must be text a release prints (see
   * plausibleRebuild). A head cannot run past a character the runtime never prints in such a
   * line, nor past the longest such line; a bound on what is left to gain and a budget of
   * characters tried keep the search short.
   */
  private rebuild(
    h: Held,
    lineNo: number,
    contextFree = false,
  ): { rec: TraceLine; cuts: number[]; text: string } | undefined {
    const last = h.lines.length - 1;
    const tail = stripCR(h.lines[last]);
    const token = TRACE_LINE_STARTS.find((t) => h.lines[0].startsWith(t, h.start))!;
    const { max } = HEAD_LIMITS[token];
    if (!this.tailFits(token, tail)) return undefined;
    const lines = h.lines.map(stripCR);
    const first = lines[0];
    /** The longest prefix of `line` (from `from`) the runtime could have printed in this line. */
    const reach = (line: string, from: number, skip: number) => {
      const k = Math.min(
        from + skip + alphabetRun(token, line, from + skip),
        from + max,
        line.length,
      );
      this.charge(k - from + 1);
      return k;
    };
    // What the lines from i on can add at most, for the bound.
    const potential = new Array<number>(lines.length).fill(0);
    potential[last] = tail.length;
    for (let i = last - 1; i >= 1; i--) potential[i] = potential[i + 1] + reach(lines[i], 0, 0);
    const cuts = new Array<number>(last).fill(0);
    let best: { rec: TraceLine; cuts: number[]; text: string } | undefined;
    const search = (i: number, head: string): void => {
      if (head.length > max || this.credit <= 0) return;
      if (best && head.length + potential[i] <= best.text.length) return;
      if (i === last) {
        if (
          !boundaryOk(head.charCodeAt(head.length - 1), tail.length > 0 ? tail.charCodeAt(0) : 0x0a)
        )
          return;
        const text = head + tail;
        const rec = contextFree ? this.parseFree(text, lineNo) : this.parse(text, lineNo);
        if (rec && plausibleRebuild(rec, text)) best = { rec, cuts: cuts.slice(), text };
        return;
      }
      const line = lines[i];
      if (line.length > 0 && boundaryOk(head.charCodeAt(head.length - 1), line.charCodeAt(0))) {
        for (let k = reach(line, 0, 0); k >= 1 && this.credit > 0; k--) {
          const next = head + line.slice(0, k);
          if (!this.isHead(token, next)) continue;
          cuts[i] = k;
          search(i + 1, next);
        }
      }
      cuts[i] = 0;
      search(i + 1, head);
    };
    for (let k = reach(first, h.start, token.length); k > h.start && this.credit > 0; k--) {
      const head = first.slice(h.start, k);
      if (!this.isHead(token, head)) continue;
      cuts.fill(0);
      cuts[0] = k;
      search(1, head);
    }
    return best;
  }

  /**
   * Whether `tail` can end a runtime line starting with `token`: the runtime's text up to its
   * newline (printed as a piece of its own), all of it in the line's alphabet and ending the way
   * the line ends, or empty. Most program lines that merely start like a runtime line fail this
   * before any search. Remembered for the latest tail: each held head tries the same one.
   */
  private tailFits(token: string, tail: string): boolean {
    if (this.tailMemo.text !== tail) this.tailMemo = { text: tail, fits: new Map() };
    let fits = this.tailMemo.fits.get(token);
    if (fits === undefined) {
      const { max, end } = HEAD_LIMITS[token];
      this.charge(tail.length);
      fits =
        tail === '' ||
        (tail.length <= max &&
          end.test(tail) &&
          alphabetRun(token, tail, 0) === tail.length &&
          isLineTail(token, tail));
      this.tailMemo.fits.set(token, fits);
    }
    return fits;
  }

  /**
   * A program write without newline inside a runtime line leaves one physical line: the runtime
   * line with program text in its middle. Finds the shortest cut [k, e) that leaves a runtime
   * line (ties: the latest; see rebuild); the text cut out must hold every character the
   * runtime would not print in such a line.
   */
  private excise(
    text: string,
    start: number,
    lineNo: number,
  ): { rec: TraceLine; k: number; e: number } | undefined {
    const token = TRACE_LINE_STARTS.find((t) => text.startsWith(t, start))!;
    const { max, end } = HEAD_LIMITS[token];
    let lo = text.length;
    let hi = -1;
    for (let i = start + token.length; i < text.length; i++) {
      i += alphabetRun(token, text, i);
      if (i >= text.length) break;
      if (lo === text.length) lo = i;
      hi = i;
    }
    this.charge(text.length - start);
    const headMin = start + token.length;
    // A head is at most as long as such a line can be: no cut point beyond that is tried.
    const headMax = Math.min(lo, text.length, start + max);
    // Which cut points leave a possible head (computed once; the loops below revisit them).
    const heads = new Uint8Array(headMax + 1);
    for (let k = headMin; k <= headMax; k++) {
      if (this.credit <= 0) return undefined;
      heads[k] = this.isHead(token, text.slice(start, k)) ? 1 : 0;
    }
    // Which cut ends leave a possible tail (the whole rest of the line after the program text);
    // cutting to the end of the line leaves the head alone, which must then end like the line.
    // Every such tail ends the way the whole line does: when that is not a runtime line's end, none can.
    const tailMin = end.test(text) ? Math.max(hi + 1, text.length - max, headMin) : text.length;
    const tails = new Uint8Array(Math.max(0, text.length - tailMin));
    for (let e = tailMin; e < text.length; e++) {
      if (!this.charge(text.length - e)) return undefined;
      tails[e - tailMin] = isLineTail(token, text.slice(e)) ? 1 : 0;
    }
    // The cuts [k, e) to try: a possible head before, a possible tail after (or the line's end),
    // every character the runtime would not print inside, and the line left no longer than such
    // a line can be. Shortest cut first, then the latest.
    const minCut = Math.max(1, hi - lo + 1, text.length - start - max);
    const ks: number[] = [];
    for (let k = headMax; k >= headMin; k--) if (heads[k]) ks.push(k);
    const es: number[] = [];
    for (let e = Math.max(hi + 1, headMin + 1); e <= text.length; e++)
      if (e === text.length || (e >= tailMin && tails[e - tailMin])) es.push(e);
    if (!this.charge(ks.length * es.length)) return undefined;
    const cuts: [number, number][] = [];
    for (const k of ks) {
      for (const e of es) {
        if (e - k < minCut) continue;
        if (e === text.length && !end.test(text.slice(Math.max(start, k - 5), k))) continue;
        if (!boundaryOk(text.charCodeAt(k - 1), e < text.length ? text.charCodeAt(e) : 0x0a))
          continue;
        cuts.push([k, e]);
      }
    }
    cuts.sort((a, b) => a[1] - a[0] - (b[1] - b[0]) || b[0] - a[0]);
    for (const [k, e] of cuts) {
      if (this.credit <= 0) return undefined;
      const rest = text.slice(start, k) + text.slice(e);
      const rec = this.parse(rest, lineNo);
      if (rec && plausibleRebuild(rec, rest)) return { rec, k, e };
    }
    return undefined;
  }

  /** No tail came for the held line: settle it, and parse the lines after it afresh. */
  private release(): void {
    const h = this.held!;
    this.held = undefined;
    this.settle(h.lines[0], h.lineNos[0], h.start);
    for (let i = 1; i < h.lines.length; i++) this.processLine(h.lines[i], h.lineNos[i]);
  }

  /**
   * Where a runtime line may start in a line that did not parse: the first print piece of a
   * runtime line ("SCHED ", "gc ", "scav ", or "  P"/"  M"/"  G" inside a scheddetail block) at
   * the start or after program text; -1 when there is none. Only the first piece is required
   * because the program's write can land right after it ("scav " "stderr line 11\n" "0 KiB …").
   */
  private tornStart(text: string, anyBlock = false): number {
    let best = -1;
    for (const s of TRACE_LINE_STARTS) {
      if (s.startsWith('  ') && !this.block && !anyBlock) continue;
      const i = text.indexOf(s);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }

  /** Where a line that starts like a runtime line (at the start or after program text) begins, or -1. */
  private traceLikeStart(text: string): number {
    if (looksLikeTraceLine(text)) return 0;
    let best = -1;
    for (const s of TRACE_LINE_STARTS) {
      for (
        let i = text.indexOf(s, 1);
        i >= 0 && (best < 0 || i < best);
        i = text.indexOf(s, i + 1)
      ) {
        this.charge(PROBE_COST);
        if (looksLikeTraceLine(text.slice(i))) {
          best = i;
          break;
        }
      }
    }
    return best;
  }

  /** The leftmost position in [from, to) where a complete, acceptable trace line starts. */
  private findStart(
    text: string,
    from: number,
    to: number,
    lineNo: number,
  ): { pos: number; rec: TraceLine } | undefined {
    let candidates: number[] | undefined;
    if (from === 0) candidates = [0];
    for (const start of TRACE_LINE_STARTS) {
      for (
        let i = text.indexOf(start, Math.max(1, from));
        i >= 0 && i < to;
        i = text.indexOf(start, i + 1)
      )
        (candidates ??= []).push(i);
    }
    if (!candidates) return undefined;
    candidates.sort((a, b) => a - b);
    for (const pos of candidates) {
      if (this.credit <= 0) return undefined;
      const rec = this.parse(text.slice(pos), lineNo);
      if (rec) return { pos, rec };
    }
    return undefined;
  }

  /** Parses a line and checks it fits where it is: P/M/G lines only inside a block, in order. */
  private parse(text: string, lineNo: number): TraceLine | undefined {
    if (text === '') return undefined;
    const rec = this.parseFree(text, lineNo);
    if (!rec) return undefined;
    const b = this.block;
    switch (rec.kind) {
      case 'p':
        return b && b.phase === 'P' && this.pFits(b, rec.p.id) ? rec : undefined;
      case 'm':
        return b && b.phase !== 'G' ? rec : undefined;
      case 'g':
        return b ? rec : undefined;
      default:
        return rec;
    }
  }

  /**
   * Whether a P line with this id can come next in the block: the runtime prints P0 up to
   * P(gomaxprocs-1) in order, each on its own line, so the id is above the last one, below
   * gomaxprocs, and skips no more Ps than lines have passed since the block opened (a P line
   * that did not parse is still a line). An id beyond that is not the runtime's: the line stays
   * program output, with a warning, and no per-P state ever grows with a number a line claims.
   */
  private pFits(b: OpenBlock, id: number): boolean {
    return (
      id > b.lastP &&
      id < b.snapshot.gomaxprocs &&
      id - b.lastP - 1 <= this.stats.lines - b.linesAtOpen
    );
  }

  /** The block's per-P run queues and ticks, indexed by P (-1 for a P whose line was lost); returns how many were lost. */
  private perP(b: OpenBlock): number {
    // lastP + 1 is at most the P lines plus the lines of the block (pFits).
    const n = b.lastP + 1;
    const runq = new Array<number>(n).fill(-1);
    const ticks = new Array<number>(n).fill(-1);
    for (const [id, p] of b.ps) {
      runq[id] = p.runqsize;
      ticks[id] = p.schedtick;
    }
    b.snapshot.runqueues = runq;
    b.snapshot.schedticks = ticks;
    return n - b.ps.size;
  }

  private handle(rec: TraceLine): void {
    this.stats.traceLines++;
    switch (rec.kind) {
      case 'sched': {
        this.closeBlock(false, false);
        const s = rec.snapshot;
        if (rec.detailHeader) {
          s.detail = { ...rec.detailHeader, ps: [], ms: [], gs: [], incomplete: false };
          s.schedticks = [];
          this.block = {
            snapshot: s,
            phase: 'P',
            lastP: -1,
            ps: new Map(),
            linesAtOpen: this.stats.lines,
            dropped: 0,
          };
        } else {
          this.emitSnapshot(s);
        }
        return;
      }
      case 'p': {
        const b = this.block!;
        b.ps.set(rec.p.id, rec.p);
        b.snapshot.detail!.ps.push(rec.p);
        b.lastP = rec.p.id;
        return;
      }
      case 'm': {
        this.block!.phase = 'M';
        this.block!.snapshot.detail!.ms.push(rec.m);
        return;
      }
      case 'g': {
        this.block!.phase = 'G';
        this.block!.snapshot.detail!.gs.push(rec.g);
        return;
      }
      case 'gc':
        this.emitGc(rec.gc);
        return;
      case 'scav':
        this.emitScav(rec.scav);
        return;
      case 'legacy':
        this.stats.legacyLines++;
        this.out.push({ kind: 'legacy', legacy: rec.legacy });
        return;
    }
  }

  private closeBlock(atEnd: boolean, cutInLine: boolean): void {
    const b = this.block;
    if (!b) return;
    this.block = undefined;
    const s = b.snapshot;
    const d = s.detail!;
    const missingPs = this.perP(b);
    const reasons: string[] = [];
    if (d.ps.length < s.gomaxprocs) reasons.push(`${d.ps.length} of ${s.gomaxprocs} P lines`);
    if (missingPs > 0 && d.ps.length >= s.gomaxprocs) reasons.push(`${missingPs} P lines missing`);
    // Not M lines against threads=: mcount() counts an M as soon as its id is reserved, before
    // it is linked into allm, so real blocks show fewer M lines (seen on go1.25 and go1.26).
    if (d.ms.length === 0) reasons.push('no M lines');
    if (d.gs.length === 0) reasons.push('no G lines');
    if (cutInLine) reasons.push('the stream ended inside one of its lines');
    if (b.dropped > 0)
      reasons.push(
        `${b.dropped} P/M/G lines dropped unparsed (the parser fell behind the program's output)`,
      );
    if (reasons.length > 0) {
      d.incomplete = true;
      d.incompleteReason =
        (atEnd ? 'cut off by the end of the stream: ' : 'lines missing: ') + reasons.join(', ');
    }
    if (s.schedticks!.length === 0) delete s.schedticks;
    this.emitSnapshot(s);
  }

  private emitSnapshot(snapshot: SchedSnapshot): void {
    this.stats.snapshots++;
    if (snapshot.detail) this.stats.detailSnapshots++;
    this.out.push({ kind: 'snapshot', snapshot });
  }

  private emitGc(gc: GcCycle): void {
    this.stats.gcCycles++;
    this.out.push({ kind: 'gc', gc });
  }

  private emitScav(scav: ScavRecord): void {
    this.stats.scavRecords++;
    this.out.push({ kind: 'scav', scav });
  }

  private emitProgram(text: string, noNewline: boolean, line: number): void {
    this.stats.programLines++;
    const program: ProgramLine = { text: detachString(text), line };
    if (noNewline) program.noNewline = true;
    this.out.push({ kind: 'program', program });
  }

  private warn(message: string, line: number): void {
    this.stats.warnings++;
    const warning: SchedWarning = { line, message };
    this.out.push({ kind: 'warning', warning });
  }
}

/** Everything parsed from a whole log at once. */
export interface SchedTraceLog {
  snapshots: SchedSnapshot[];
  gcCycles: GcCycle[];
  scavenger: ScavRecord[];
  /** Older formats' lines (Go 1.4 `gcN(P):`, `scvgN:`): recognised, not charted. */
  legacy: LegacyTraceLine[];
  programOutput: ProgramLine[];
  warnings: SchedWarning[];
  stats: SchedTraceStats;
}

/** Sorts events into a {@link SchedTraceLog} (without stats). */
export function collectEvents(
  events: Iterable<SchedEvent>,
  into?: Omit<SchedTraceLog, 'stats'>,
): Omit<SchedTraceLog, 'stats'> {
  const log = into ?? {
    snapshots: [],
    gcCycles: [],
    scavenger: [],
    legacy: [],
    programOutput: [],
    warnings: [],
  };
  for (const e of events) {
    switch (e.kind) {
      case 'snapshot':
        log.snapshots.push(e.snapshot);
        break;
      case 'gc':
        log.gcCycles.push(e.gc);
        break;
      case 'scav':
        log.scavenger.push(e.scav);
        break;
      case 'legacy':
        log.legacy.push(e.legacy);
        break;
      case 'program':
        log.programOutput.push(e.program);
        break;
      case 'warning':
        log.warnings.push(e.warning);
        break;
    }
  }
  return log;
}

/**
 * Parses a whole log (bytes or text). Throws {@link SchedTraceError} `no-trace-lines` when there
 * is not a single runtime trace line in it, unless `allowEmpty`.
 */
export function parseSchedTraceLog(
  input: Uint8Array | string,
  options: SchedTraceStreamOptions & { allowEmpty?: boolean } = {},
): SchedTraceLog {
  const stream = new SchedTraceStream(options);
  const log: SchedTraceLog = {
    snapshots: [],
    gcCycles: [],
    scavenger: [],
    legacy: [],
    programOutput: [],
    warnings: [],
    stats: stream.stats,
  };
  // Decode in slices so a big file never needs one giant string next to its bytes.
  if (typeof input === 'string') collectEvents(stream.push(input), log);
  else
    for (let i = 0; i < input.length; i += 1 << 22)
      collectEvents(stream.push(input.subarray(i, i + (1 << 22))), log);
  collectEvents(stream.end(), log);
  if (!options.allowEmpty && stream.stats.traceLines === 0) {
    throw new SchedTraceError(
      'no GODEBUG trace lines found (no SCHED, gc or scav line); run the program with GODEBUG=schedtrace=1000,gctrace=1 and capture its stderr',
      'no-trace-lines',
    );
  }
  return log;
}
