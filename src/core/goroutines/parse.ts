// Entry point: recognises which goroutine dump format the input is and parses it.
import { decodeProfile, type Inflate } from '../pprof/decode';
import { ProfileError } from '../pprof/model';
import { SnapshotBuilder } from './builder';
import { findDebug1Start, parseDebug1 } from './debug1';
import { GoroutineDumpError, type DumpFormat, type GoroutineSnapshot } from './model';
import { readGoroutineProfile } from './profile';
import { TracebackReader } from './traceback';

/** Options for `parseGoroutineDump`. */
export interface ParseOptions {
  /**
   * Decompresses gzip data: needed for debug=0 profiles (always gzipped) and gzipped text. In
   * Node pass `gunzip` from src/node/inflate; without it gzipped input is rejected.
   */
  inflate?: Inflate;
}

const GOROUTINE_HEADER = /^goroutine \d+ (?:gp=\S+ m=\S+(?: mp=\S+)? )?\[/m;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Control bytes other than tab/CR/LF/FF in the first 512 bytes mean binary data. */
function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Which format `input` is in, without parsing it fully: `debug0` for protobuf/gzip, `debug1`
 * when a `goroutine profile: total N` line comes before any goroutine header, `traceback` when
 * there is a `goroutine N [` header, else undefined.
 */
export function detectDumpFormat(input: Uint8Array | string): DumpFormat | undefined {
  if (typeof input !== 'string') {
    if (isGzip(input) || looksBinary(input)) return 'debug0';
    input = new TextDecoder('utf-8').decode(input);
  }
  const tb = GOROUTINE_HEADER.exec(input);
  if (findDebug1Start(input, tb ? tb.index : input.length) >= 0) return 'debug1';
  return tb ? 'traceback' : undefined;
}

/**
 * Parses a goroutine dump in any of the formats Go writes (see `DumpFormat`), found anywhere in
 * the input (surrounding log text is skipped). Damage is reported in `warnings` and whatever
 * parsed is kept. Throws `GoroutineDumpError` when the input holds no goroutine dump, saying
 * what it looks like instead.
 */
export function parseGoroutineDump(
  input: Uint8Array | string,
  options: ParseOptions = {},
): GoroutineSnapshot {
  const r = readInput(input, options);
  if (typeof r !== 'string') return r;
  return parseText(dedentIfIndented(r), 0, 1).snapshot;
}

/** One dump of a text that holds several (see `parseGoroutineDumps`). */
export interface DumpInText {
  snapshot: GoroutineSnapshot;
  /** 1-based line where the dump starts: its panic/fatal/signal header, or its first goroutine. */
  startLine: number;
}

/**
 * Reads every goroutine dump in the input, in order: a log with a panic from each of several
 * runs, a runtime.Stack print followed by a SIGQUIT dump, the stack traces quoted in a Markdown
 * page. A new dump starts at a second panic/fatal error/signal header after goroutines, at a
 * goroutine id listed again, and at a stack printed right after a line of other output. Dumps
 * indented as a block (test output, Markdown code) are read too. debug=0 and debug=1 input is
 * one dump. Throws `GoroutineDumpError` when there is none.
 */
export function parseGoroutineDumps(
  input: Uint8Array | string,
  options: ParseOptions = {},
): DumpInText[] {
  const r = readInput(input, options);
  if (typeof r !== 'string') return [{ snapshot: r, startLine: 1 }];
  const text = dedentIfIndented(r);
  const dumps: DumpInText[] = [];
  let offset = 0;
  let line = 1;
  // Each dump ends where the next begins; a cap keeps a pathological input from looping long.
  for (let k = 0; k < 10_000; k++) {
    let part: { snapshot: GoroutineSnapshot; next: { offset: number; line: number } | undefined };
    try {
      part = parseText(text, offset, line);
    } catch (e) {
      // Text after the last dump that holds no goroutine is not an error once one was read.
      if (dumps.length > 0 && e instanceof GoroutineDumpError) break;
      throw e;
    }
    const snapshot = part.snapshot;
    if (part.next) snapshot.warnings = snapshot.warnings.filter((w) => w.kind !== 'second-dump');
    // Where the dump itself starts (its header, or its first goroutine), past any log lines before it.
    const first =
      snapshot.header?.line ?? (snapshot.goroutines.count > 0 ? snapshot.goroutines.line[0] : 0);
    dumps.push({ snapshot, startLine: first > 0 ? first : line });
    if (!part.next || part.next.offset <= offset) break;
    ({ offset, line } = part.next);
  }
  return dumps;
}

/** Decodes the input to text, or parses it as a profile when it is binary. */
function readInput(input: Uint8Array | string, options: ParseOptions): string | GoroutineSnapshot {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    let bytes = input;
    if (isGzip(bytes)) {
      if (!options.inflate)
        throw new GoroutineDumpError(
          'the input is gzip-compressed; decompress it first (no gzip support was given to the parser)',
        );
      let inflated: Uint8Array;
      try {
        inflated = options.inflate(bytes);
      } catch (e) {
        throw new GoroutineDumpError(
          `the input looks gzip-compressed but could not be decompressed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      // A gzipped text dump is read as text; anything else must be a profile.
      if (looksBinary(inflated) || inflated.length === 0)
        return parseProfile(inflated, options.inflate);
      bytes = inflated;
    } else if (looksBinary(bytes)) {
      return parseProfile(bytes, options.inflate);
    }
    text = new TextDecoder('utf-8').decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Parses the dump that starts at `offset` (line `line`) of `text`; `next` is where another begins. */
function parseText(
  text: string,
  offset: number,
  line: number,
): { snapshot: GoroutineSnapshot; next: { offset: number; line: number } | undefined } {
  const tb = GOROUTINE_HEADER.exec(offset ? text.slice(offset) : text);
  const d1 = offset === 0 ? findDebug1Start(text, tb ? tb.index : text.length) : -1;
  if (d1 >= 0) {
    const b = new SnapshotBuilder('debug1');
    parseDebug1(text, d1, b);
    return { snapshot: b.finish(), next: undefined };
  }
  const b = new SnapshotBuilder('traceback');
  const reader = new TracebackReader(text, b, offset, line);
  const found = reader.run();
  if (found === 0)
    throw new GoroutineDumpError(describeNotADump(offset ? text.slice(offset) : text, line));
  return { snapshot: b.finish(), next: reader.next };
}

const INDENTED_HEADER = /^([ \t]+)goroutine \d+ (?:gp=\S+ m=\S+(?: mp=\S+)? )?\[[^\n]*:\r?$/m;

/**
 * When no goroutine header starts a line but one is indented (a dump quoted in test output or
 * Markdown), the text with that indentation taken off every line that has it (other lines stay
 * as they are, so line numbers do not move); else the text unchanged.
 */
function dedentIfIndented(text: string): string {
  if (GOROUTINE_HEADER.test(text)) return text;
  const m = INDENTED_HEADER.exec(text);
  if (!m) return text;
  const indent = m[1];
  return text
    .split('\n')
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    .join('\n');
}

function parseProfile(bytes: Uint8Array, inflate: Inflate | undefined): GoroutineSnapshot {
  const b = new SnapshotBuilder('debug0');
  let profile;
  try {
    profile = decodeProfile(
      bytes,
      inflate ??
        ((): Uint8Array => {
          throw new ProfileError('gzip data, but no decompressor was given');
        }),
    );
  } catch (e) {
    if (e instanceof ProfileError) {
      throw new GoroutineDumpError(
        `not a goroutine dump: ${e.message.replace(/pprof profile/g, 'goroutine profile or dump')}`,
      );
    }
    throw e;
  }
  readGoroutineProfile(profile, b);
  return b.finish();
}

const WHERE_DUMPS_COME_FROM =
  'A goroutine dump has lines like "goroutine 1 [running]:" (from a panic, a fatal error, SIGQUIT or /debug/pprof/goroutine?debug=2), ' +
  'or starts "goroutine profile: total N" (/debug/pprof/goroutine?debug=1), or is the gzipped profile of /debug/pprof/goroutine.';

/** Explains, for a text with no goroutine in it, what the text seems to be instead. */
function describeNotADump(text: string, firstLine = 1): string {
  const lines = text.split(/\r?\n/);
  const first =
    lines
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 60) ?? '';
  const lower = first.toLowerCase();
  const headerAt = lines.findIndex((l) => /goroutine \d+ .*\[/.test(l));
  let what: string;
  if (text.trim() === '') what = 'the input is empty';
  else if (headerAt >= 0) {
    // Never quote a header and then claim there is none: say why it was not read.
    what = `line ${firstLine + headerAt} looks like a goroutine header ("${lines[headerAt].trim().slice(0, 60)}") but is not one the runtime writes (a header is "goroutine N [state]:" at the start of a line, followed by frames), so no goroutine could be read`;
  } else if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<\w/.test(lower))
    what = `this is an HTML page (it starts with "${first}"), not a goroutine dump`;
  else if (/^go 1\.\d+ trace\0/.test(text.slice(0, 16)))
    what = 'this is a Go execution trace, not a goroutine dump';
  else if (/^\w+ profile: total \d+/.test(first) || first.startsWith('heap profile: '))
    what = `this is a different legacy profile ("${first}"), not a goroutine dump`;
  else if (/^(panic|fatal error): /m.test(text)) {
    what =
      'the text has a panic or fatal error but no goroutine tracebacks (was the program run with GOTRACEBACK=none, or was the output cut before the first "goroutine N [" line?)';
  } else if (/^\s*[[{]/.test(text)) what = 'this looks like JSON, not a goroutine dump';
  else what = `no goroutine dump was found in the text (it starts with "${first}")`;
  return `${what}. ${WHERE_DUMPS_COME_FROM}`;
}
