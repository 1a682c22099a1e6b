// Finds race detector reports in any text and reads them, streaming: `go test -race` output
// (plain or `-json`, with Go 1.27's `OutputType`), a program's stderr, `GORACE=log_path` files,
// CI logs whose lines carry timestamps or other prefixes, ANSI colours and CRLF line ends.
//
// A report is recognised by `WARNING: DATA RACE`; whatever precedes that on its line is the
// line prefix of the report (a CI timestamp, a `[job]` tag), turned into a pattern with digits
// free so that each following line's own timestamp is stripped too. Reports from different
// sources may interleave line by line (parallel jobs in one CI log, packages in one
// `go test -json` stream): each prefix pattern, and each `-json` Package, is its own channel
// with its own open report. Lines that belong to no report are scanned for the markers around
// reports: `Found N data race(s)`, `exit status 66`, `--- FAIL: TestX` and `race detected
// during execution of test`.
import type { FrameView } from '../goroutines/view';
import type { RaceAccess, RaceLocation, RaceReport, RaceRunEnd, RaceWarning } from './model';

/** What the parser found since the previous call. */
export type RaceEvent =
  | { kind: 'report'; index: number; report: RaceReport }
  /** A test named an earlier report (`race detected during execution of test`). */
  | { kind: 'test'; index: number; test: string }
  | { kind: 'run-end'; end: RaceRunEnd };

/** Warnings kept per parse; beyond them only the count grows (a 50 MB log of damage must not hold 10^6 strings). */
const MAX_WARNINGS = 200;

/** Open channels kept at once; the least recently used one without an open report goes first. */
const MAX_CHANNELS = 256;

const SEPARATOR = /^={10,}$/;
const ACCESS =
  /^(Previous )?(atomic )?(read|write)(?: of size (\d+))? at (0x[0-9a-fA-F]+) by (main goroutine|goroutine (\d+)|thread T(\d+))(?: \(mutexes: ([^)]*)\))?:$/i;
const GOROUTINE = /^Goroutine (\d+) \(([^)]*)\) created at:$/;
const MAIN_GOROUTINE = /^Goroutine (\d+) \(([^)]*)\)(?: is main goroutine)?\.?$/;
const MUTEX = /^Mutex (\S+) \((0x[0-9a-fA-F]+)\) created at:$/;
const MUTEX_OTHER = /^Mutex (\S+) (?:\((0x[0-9a-fA-F]+)\) )?is already destroyed\.?$/;
const HEAP =
  /^heap block of size (\d+) at (0x[0-9a-fA-F]+) allocated by (?:main goroutine|goroutine (\d+)|thread T\d+)(:?)$/;
const GLOBAL = /^global '([^']*)' of size (\d+) at (0x[0-9a-fA-F]+)/;
const FUNC_LINE = /^(\S.*?)\((?:\.\.\.)?\)$/;
const FILE_LINE = /^(.+?):(\d+)(?: \+0x([0-9a-fA-F]+))?$/;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const FOUND = /Found (\d+) data race\(s\)/;
const EXIT = /^exit (?:status|code) (\d+)$/;
const TEST_NAME = /(?:--- FAIL: |=== (?:NAME|RUN|CONT) +)(\S+)/;

type Section =
  | { kind: 'access'; access: RaceAccess }
  | { kind: 'frames'; frames: FrameView[] }
  | { kind: 'none' };

interface Channel {
  key: string;
  /** Matches the report's line prefix at the start of a line; undefined: no prefix. */
  prefix: RegExp | undefined;
  report: RaceReport | undefined;
  section: Section;
  pendingFunc: string | undefined;
  /** Reports finished since tests were last named, which `race detected` lines name. */
  pending: number[];
  pendingNamed: boolean;
  lastFailedTest: string | undefined;
  /**
   * The report met a `=====` line: it ends there unless the next line is `WARNING: DATA RACE`
   * (then the `=====` opened the next report and this one was cut).
   */
  closing: boolean;
  /** Text of a `-json` Output that did not end its line yet. */
  partial: string;
  used: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A prefix as a pattern: digit runs vary from line to line (timestamps, counters), the rest is literal. */
function prefixPattern(prefix: string): RegExp | undefined {
  if (prefix === '') return undefined;
  const source = prefix
    .split(/\d+/)
    .map(escapeRegExp)
    .join('\\d+')
    // Trailing blanks vary when an editor or CI trims lines; frames add their own indentation.
    .replace(/(?:\\?[ \t])+$/, '');
  return new RegExp('^' + source + '[ \\t]?');
}

function frame(func: string, file: string, line: number, offset: number): FrameView {
  return { func, file, line, offset, pc: '', inlined: false };
}

/** A fresh report. */
function newReport(line: number, run: number): RaceReport {
  return { accesses: [], goroutines: [], mutexes: [], tests: [], line, truncated: false, run };
}

/** Innermost frames in these packages are how the Go runtime reports a sync/atomic access. */
function isAtomicFrame(func: string): boolean {
  return (
    func.startsWith('sync/atomic.') ||
    func.startsWith('runtime/internal/atomic.') ||
    func.startsWith('internal/runtime/atomic.')
  );
}

export class RaceReportParser {
  /** Every report found so far, in the order they started. */
  readonly reports: RaceReport[] = [];
  readonly runEnds: RaceRunEnd[] = [];
  readonly warnings: RaceWarning[] = [];
  warningCount = 0;
  /** Lines read. */
  lines = 0;
  private run = 0;
  private reportsInRun = 0;
  private lastRunEndLine = -10;
  private readonly channels = new Map<string, Channel>();
  private partial = '';
  private events: RaceEvent[] = [];
  private tick = 0;

  /** Reads the next piece of text (any split, even inside a line or a CRLF pair). */
  push(text: string): RaceEvent[] {
    let start = 0;
    let data = text;
    if (this.partial !== '') {
      data = this.partial + text;
      this.partial = '';
    }
    for (;;) {
      const nl = data.indexOf('\n', start);
      if (nl < 0) break;
      this.line(data.slice(start, nl));
      start = nl + 1;
    }
    this.partial = data.slice(start);
    return this.take();
  }

  /**
   * Ends the reports that met their closing `=====` line without waiting for the next line
   * (which would tell a cut report from a whole one): a live program may print nothing more
   * for minutes after a race, and its report should show now.
   */
  settle(): RaceEvent[] {
    for (const ch of this.channels.values()) if (ch.report && ch.closing) this.finish(ch, false);
    return this.take();
  }

  /** The input ended: a report still open is kept, marked truncated. */
  end(): RaceEvent[] {
    if (this.partial !== '') {
      const last = this.partial;
      this.partial = '';
      this.line(last);
    }
    for (const ch of this.channels.values()) {
      if (ch.partial !== '') {
        const last = ch.partial;
        ch.partial = '';
        this.content(ch, last, undefined);
      }
      if (ch.report) {
        if (ch.closing) this.finish(ch, false);
        else
          this.finish(
            ch,
            true,
            'the input ends inside a race report (cut inside a stack?); what was read of it is kept',
          );
      }
    }
    return this.take();
  }

  private take(): RaceEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  private warn(line: number, message: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line, message });
  }

  private line(raw: string): void {
    this.lines++;
    let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.includes('\x1b')) s = s.replace(ANSI, '');
    const brace = s.indexOf('{"');
    if (brace >= 0 && s.includes('"Action"') && this.jsonLine(s.slice(brace))) return;
    this.plain('', s, undefined);
  }

  /** A `go test -json` event: its Output is read in a channel of its package. */
  private jsonLine(s: string): boolean {
    // Most events are not output (run, pass, pause…): no need to decode them.
    if (!s.includes('"output"')) return s.endsWith('}');
    let ev: { Action?: unknown; Output?: unknown; Package?: unknown; Test?: unknown };
    try {
      ev = JSON.parse(s) as typeof ev;
    } catch {
      return false;
    }
    if (typeof ev !== 'object' || ev === null || typeof ev.Action !== 'string') return false;
    if (ev.Action !== 'output' || typeof ev.Output !== 'string') return true;
    const pkg = typeof ev.Package === 'string' ? ev.Package : '';
    const test = typeof ev.Test === 'string' ? ev.Test : undefined;
    const ch = this.channel(`json\0${pkg}`, undefined);
    let text = ch.partial + ev.Output;
    ch.partial = '';
    for (;;) {
      const nl = text.indexOf('\n');
      if (nl < 0) break;
      let l = text.slice(0, nl);
      if (l.endsWith('\r')) l = l.slice(0, -1);
      if (l.includes('\x1b')) l = l.replace(ANSI, '');
      this.content(ch, l, test, pkg);
      text = text.slice(nl + 1);
    }
    ch.partial = text;
    return true;
  }

  private channel(key: string, prefix: RegExp | undefined): Channel {
    let ch = this.channels.get(key);
    if (!ch) {
      if (this.channels.size >= MAX_CHANNELS) {
        let oldest: Channel | undefined;
        for (const c of this.channels.values())
          if (!c.report && (!oldest || c.used < oldest.used)) oldest = c;
        if (oldest) this.channels.delete(oldest.key);
      }
      ch = {
        key,
        prefix,
        report: undefined,
        section: { kind: 'none' },
        pendingFunc: undefined,
        pending: [],
        pendingNamed: false,
        lastFailedTest: undefined,
        closing: false,
        partial: '',
        used: 0,
      };
      this.channels.set(key, ch);
    }
    ch.used = ++this.tick;
    return ch;
  }

  /** A plain text line: to the open report whose prefix it carries, or a new report, or the markers around reports. */
  private plain(namespace: string, s: string, test: string | undefined): void {
    let unprefixed: Channel | undefined;
    let idle: { ch: Channel; rest: string } | undefined;
    const ns = namespace + '\0';
    for (const ch of this.channels.values()) {
      if (!ch.key.startsWith(ns)) continue;
      if (!ch.prefix) {
        if (ch.report) unprefixed = ch;
        continue;
      }
      const m = ch.prefix.exec(s);
      if (!m) continue;
      if (ch.report) return this.content(ch, s.slice(m[0].length), test);
      idle ??= { ch, rest: s.slice(m[0].length) };
    }
    const warning = s.indexOf('WARNING: DATA RACE');
    if (warning >= 0 && (!unprefixed || warning > 0)) {
      const prefix = s.slice(0, warning);
      const pattern = prefixPattern(prefix);
      const ch = this.channel(`${namespace}\0${pattern?.source ?? ''}`, pattern);
      return this.content(ch, s.slice(warning), test);
    }
    if (unprefixed) return this.content(unprefixed, s, test);
    // Outside reports: the markers after a prefixed report carry its prefix (a CI timestamp).
    if (idle) return this.outside(idle.ch, idle.rest, test);
    if (!mayMatter(s)) return;
    this.outside(this.channel(ns, undefined), s, test);
  }

  /** A line of a channel, its prefix removed. */
  private content(ch: Channel, s: string, test: string | undefined, pkg?: string): void {
    const t = s.trim();
    if (!ch.report) {
      if (t.startsWith('WARNING: DATA RACE')) {
        if (ch.pendingNamed) {
          ch.pending = [];
          ch.pendingNamed = false;
        }
        ch.report = newReport(this.lines, this.run);
        if (pkg) ch.report.package = pkg;
        ch.section = { kind: 'none' };
        ch.pendingFunc = undefined;
        if (test) ch.report.tests.push(test);
        return;
      }
      return this.outside(ch, t, test);
    }
    const r = ch.report;
    if (t === '') return;
    if (t.startsWith('WARNING: DATA RACE')) {
      this.finish(
        ch,
        true,
        'a race report ends without its closing "==================" line: another report begins',
      );
      return this.content(ch, s, test, pkg);
    }
    if (ch.closing) {
      this.finish(ch, false);
      return this.content(ch, s, test, pkg);
    }
    if (test && !r.tests.includes(test)) r.tests.push(test);
    if (SEPARATOR.test(t)) {
      ch.closing = true;
      return;
    }
    const flush = () => {
      if (ch.pendingFunc !== undefined)
        this.warn(this.lines, `race report: function "${ch.pendingFunc}" has no file:line`);
      ch.pendingFunc = undefined;
    };
    // Frames first: they are most lines.
    if (ch.pendingFunc !== undefined) {
      const m = FILE_LINE.exec(t);
      if (m) {
        const f = frame(ch.pendingFunc, m[1], Number(m[2]), m[3] ? parseInt(m[3], 16) : -1);
        ch.pendingFunc = undefined;
        if (ch.section.kind === 'access') ch.section.access.frames.push(f);
        else if (ch.section.kind === 'frames') ch.section.frames.push(f);
        else
          this.warn(
            this.lines,
            'race report: a stack frame outside any access, goroutine or location',
          );
        return;
      }
    }
    let m = FUNC_LINE.exec(t);
    if (m && !t.includes(' at ') && !t.startsWith('Goroutine ') && !t.startsWith('Mutex ')) {
      flush();
      ch.pendingFunc = m[1];
      return;
    }
    flush();
    if ((m = ACCESS.exec(t))) {
      const access: RaceAccess = {
        kind: m[3].toLowerCase() as 'read' | 'write',
        atomic: m[2] !== undefined,
        previous: m[1] !== undefined,
        size: m[4] ? Number(m[4]) : undefined,
        address: m[5],
        goroutine: m[6] === 'main goroutine' ? 1 : m[7] ? Number(m[7]) : undefined,
        frames: [],
        stackRestored: true,
        mutexes: m[9]
          ? m[9]
              .split(',')
              .map((x) => x.trim())
              .filter((x) => x !== '')
          : [],
      };
      if (access.size === undefined) delete access.size;
      if (access.goroutine === undefined) delete access.goroutine;
      r.accesses.push(access);
      ch.section = { kind: 'access', access };
      return;
    }
    if (t === '[failed to restore the stack]') {
      if (ch.section.kind === 'access') ch.section.access.stackRestored = false;
      return;
    }
    if ((m = GOROUTINE.exec(t))) {
      const createdAt: FrameView[] = [];
      r.goroutines.push({ id: Number(m[1]), state: m[2], createdAt });
      ch.section = { kind: 'frames', frames: createdAt };
      return;
    }
    if ((m = MAIN_GOROUTINE.exec(t))) {
      r.goroutines.push({ id: Number(m[1]), state: m[2], createdAt: [] });
      ch.section = { kind: 'none' };
      return;
    }
    if ((m = MUTEX.exec(t))) {
      const createdAt: FrameView[] = [];
      r.mutexes.push({ name: m[1], address: m[2], createdAt });
      ch.section = { kind: 'frames', frames: createdAt };
      return;
    }
    if ((m = MUTEX_OTHER.exec(t))) {
      r.mutexes.push({ name: m[1], address: m[2] ?? '', createdAt: [] });
      ch.section = { kind: 'none' };
      return;
    }
    if (t.startsWith('Location is ')) {
      r.location = readLocation(t.slice('Location is '.length));
      ch.section =
        r.location.allocatedAt && t.endsWith(':')
          ? { kind: 'frames', frames: r.location.allocatedAt }
          : { kind: 'none' };
      return;
    }
    this.warn(this.lines, `race report: unrecognised line "${t.slice(0, 80)}"`);
  }

  private finish(ch: Channel, truncated: boolean, why?: string): void {
    const r = ch.report!;
    ch.report = undefined;
    ch.closing = false;
    ch.section = { kind: 'none' };
    if (ch.pendingFunc !== undefined) {
      // A function whose file line never came: keep it, line unknown.
      const f = frame(ch.pendingFunc, '', 0, -1);
      const last = r.accesses[r.accesses.length - 1];
      if (last) last.frames.push(f);
      ch.pendingFunc = undefined;
    }
    if (truncated) {
      r.truncated = true;
      this.warn(r.line, why ?? 'a race report was cut');
    }
    for (const a of r.accesses)
      if (!a.atomic && a.frames.length > 0 && isAtomicFrame(a.frames[0].func)) a.atomic = true;
    if (r.accesses.length === 0) {
      this.warn(r.line, 'a race report without any access was skipped');
      return;
    }
    const index = this.reports.length;
    this.reports.push(r);
    this.reportsInRun++;
    ch.pending.push(index);
    this.events.push({ kind: 'report', index, report: r });
  }

  /** A line outside any report: run ends and the tests that saw races. */
  private outside(ch: Channel, line: string, test: string | undefined): void {
    if (!mayMatter(line)) return;
    const t = line.trim();
    if (t.includes('data race')) {
      const m = FOUND.exec(t);
      if (m) return this.runEnd({ found: Number(m[1]), line: this.lines });
    }
    if (t.startsWith('exit ')) {
      const m = EXIT.exec(t.trim());
      if (m) return this.runEnd({ exitCode: Number(m[1]), line: this.lines });
    }
    // `go test -v` names the test before its output (`=== NAME`), and `--- FAIL:` before or after it.
    if (t.includes('--- FAIL: ') || t.includes('=== ')) {
      const m = TEST_NAME.exec(t);
      if (m) ch.lastFailedTest = m[1];
      return;
    }
    if (t.includes('race detected during execution of test')) {
      const name = test ?? ch.lastFailedTest;
      if (name === undefined) return;
      for (const index of ch.pending) {
        const r = this.reports[index];
        if (!r.tests.includes(name)) r.tests.push(name);
        this.events.push({ kind: 'test', index, test: name });
      }
      ch.pendingNamed = true;
    }
  }

  private runEnd(end: RaceRunEnd): void {
    // `Found N data race(s)` and the `exit status 66` after it end one run, not two.
    const last = this.runEnds[this.runEnds.length - 1];
    if (
      last &&
      end.line - this.lastRunEndLine <= 3 &&
      ((end.found !== undefined && last.found === undefined) ||
        (end.exitCode !== undefined && last.exitCode === undefined))
    ) {
      if (end.found !== undefined) last.found = end.found;
      if (end.exitCode !== undefined) last.exitCode = end.exitCode;
      this.lastRunEndLine = end.line;
      return;
    }
    // An exit status with no race found before it ends nothing of ours.
    if (end.found === undefined && this.reportsInRun === 0) return;
    this.runEnds.push(end);
    this.lastRunEndLine = end.line;
    this.run++;
    this.reportsInRun = 0;
    this.events.push({ kind: 'run-end', end });
  }
}

/** Whether a line outside reports may hold one of the markers `outside` looks for (cheap test first). */
function mayMatter(s: string): boolean {
  // `data race(s)` and `race detected` anywhere; the go command's and testing's lines at the start.
  if (s.includes('race')) return true;
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return s.startsWith('=== ', i) || s.startsWith('--- FAIL: ', i) || s.startsWith('exit ', i);
}

function readLocation(text: string): RaceLocation {
  let m = HEAP.exec(text);
  if (m)
    return {
      kind: 'heap',
      text,
      size: Number(m[1]),
      address: m[2],
      goroutine: m[3] ? Number(m[3]) : text.includes('main goroutine') ? 1 : undefined,
      allocatedAt: [],
    };
  m = GLOBAL.exec(text);
  if (m)
    return { kind: 'global', text, name: m[1], size: Number(m[2]), address: m[3], allocatedAt: [] };
  if (text.startsWith('stack of ')) return { kind: 'stack', text, allocatedAt: [] };
  return { kind: 'other', text, allocatedAt: [] };
}

/** Result of reading a whole text. */
export interface RaceParseResult {
  reports: RaceReport[];
  runEnds: RaceRunEnd[];
  warnings: RaceWarning[];
  warningCount: number;
}

/** Reads every race report in `text` (see `RaceReportParser`). */
export function parseRaceReports(text: string): RaceParseResult {
  const p = new RaceReportParser();
  p.push(text);
  p.end();
  return {
    reports: p.reports,
    runEnds: p.runEnds,
    warnings: p.warnings,
    warningCount: p.warningCount,
  };
}
