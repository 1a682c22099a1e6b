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
export function parseGoroutineDump(input: Uint8Array | string, options: ParseOptions = {}): GoroutineSnapshot {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    let bytes = input;
    if (isGzip(bytes)) {
      if (!options.inflate) throw new GoroutineDumpError('the input is gzip-compressed; decompress it first (no gzip support was given to the parser)');
      let inflated: Uint8Array;
      try {
        inflated = options.inflate(bytes);
      } catch (e) {
        throw new GoroutineDumpError(`the input looks gzip-compressed but could not be decompressed: ${e instanceof Error ? e.message : String(e)}`);
      }
      // A gzipped text dump is read as text; anything else must be a profile.
      if (looksBinary(inflated) || inflated.length === 0) return parseProfile(inflated, options.inflate);
      bytes = inflated;
    } else if (looksBinary(bytes)) {
      return parseProfile(bytes, options.inflate);
    }
    text = new TextDecoder('utf-8').decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const tb = GOROUTINE_HEADER.exec(text);
  const d1 = findDebug1Start(text, tb ? tb.index : text.length);
  if (d1 >= 0) {
    const b = new SnapshotBuilder('debug1');
    parseDebug1(text, d1, b);
    return b.finish();
  }
  const b = new SnapshotBuilder('traceback');
  const found = new TracebackReader(text, b).run();
  if (found === 0) throw new GoroutineDumpError(describeNotADump(text));
  return b.finish();
}

function parseProfile(bytes: Uint8Array, inflate: Inflate | undefined): GoroutineSnapshot {
  const b = new SnapshotBuilder('debug0');
  let profile;
  try {
    profile = decodeProfile(bytes, inflate ?? ((): Uint8Array => {
      throw new ProfileError('gzip data, but no decompressor was given');
    }));
  } catch (e) {
    if (e instanceof ProfileError) {
      throw new GoroutineDumpError(`not a goroutine dump: ${e.message.replace(/pprof profile/g, 'goroutine profile or dump')}`);
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
function describeNotADump(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim().slice(0, 60) ?? '';
  const lower = first.toLowerCase();
  let what: string;
  if (text.trim() === '') what = 'the input is empty';
  else if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<\w/.test(lower)) what = `this is an HTML page (it starts with "${first}"), not a goroutine dump`;
  else if (/^go 1\.\d+ trace\0/.test(text.slice(0, 16))) what = 'this is a Go execution trace, not a goroutine dump';
  else if (/^\w+ profile: total \d+/.test(first) || /^heap profile: /.test(first)) what = `this is a different legacy profile ("${first}"), not a goroutine dump`;
  else if (/^(panic|fatal error): /m.test(text)) {
    what =
      'the text has a panic or fatal error but no goroutine tracebacks (was the program run with GOTRACEBACK=none, or was the output cut before the first "goroutine N [" line?)';
  } else if (/^\s*[[{]/.test(text)) what = 'this looks like JSON, not a goroutine dump';
  else what = `no goroutine dump was found in the text (it starts with "${first}")`;
  return `${what}. ${WHERE_DUMPS_COME_FROM}`;
}
