// Reads `perf script` text into the profile model, streaming: bytes are pushed in pieces of any
// size and only the distinct stacks are kept (see ProfileBuilder), so a GB of text never sits in
// memory.
//
// The text is a sequence of samples. Each starts with a header line whose fields depend on
// `perf script -F` (default: `comm tid time: period event:`; also `comm pid/tid [cpu] time:`, with
// or without the period, event names such as `cycles:u:` or `sched:sched_switch: args…`), followed
// by one line per callchain frame, leaf first: `\t<hex ip> <sym>[+0x<off>] (<dso>)`, optionally
// followed by a srcline line (`  file.c:12`, or `  <dso>[<hex ip>]` where perf found none). A frame
// perf expanded from inline data has no dso and ends in ` (inlined)`: on its own line, or with
// srcline on the srcline line (`\t95b31 _int_new_arena+0x391` then `  arena.c:744 (inlined)`).
// A blank line ends the sample. Without -g the one frame is on the header line.
//
// Per event there is one sample type valued by the event's period (or 1 per sample when the text
// has no period). A clock event (cpu-clock, task-clock: the period is nanoseconds) instead gives
// pprof's CPU sample types `samples/count` and `cpu/nanoseconds`, so a perf recording compares
// with a pprof CPU profile of the same program.
import type { Profile } from '../pprof/model';
import { ProfileBuilder, type BuilderFrame } from '../pprof/profile-builder';
import { ownString } from '../own-string';
import { LineStream } from './line-stream';
import {
  baseName,
  goFunctionName,
  isKernelDso,
  KERNEL_FILE,
  looksLikeGoSymbol,
  nativeFile,
} from './frame-names';

/** What reading found besides samples: counts and the first examples of what was skipped. */
export interface PerfScriptStats {
  samples: number;
  lines: number;
  /** Event names in the order first seen. */
  events: string[];
  /** Samples dropped because they had no callchain and no ip on the header line. */
  samplesWithoutStack: number;
  /** Lines that were neither a header, a frame, a srcline nor a comment (perf's warnings, garbage). */
  unrecognisedLines: number;
  /** The text ended inside a sample (a cut-off file): that sample was dropped. */
  truncated: boolean;
}

/** The result of reading: the profile, what was seen, and sentences for the user about what was skipped. */
export interface PerfScriptResult {
  profile: Profile;
  /**
   * Per location, the offset of its ip from its outermost frame's symbol (`main.f+0x1c` → 0x1c),
   * or -1 when perf printed none: with the binary's symbol table it gives the address to look
   * up in the binary's line table (see source-lines.ts).
   */
  symbolOffsets: Float64Array;
  stats: PerfScriptStats;
  warnings: string[];
}

// `comm [pid/]tid [cpu] [time:] [period] event: [rest]`; comm may contain spaces.
const HEADER =
  /^(\S.*?)\s+(?:(\d+)\/)?(\d+)\s+(?:\[(\d+)\]\s+)?(?:(\d+\.\d+):\s+)?(?:(\d+)\s+)?(\S+):(?:\s+(.*))?$/;
// The same without an event name (`-F comm,tid,time`).
const HEADER_NO_EVENT =
  /^(\S.*?)\s+(?:(\d+)\/)?(\d+)\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s*(?:(\d+)\s*)?$/;
const SYM_OFFSET = /\+0x[0-9a-fA-F]+$/;
/** A srcline line: `file:line`, then anything (` (inlined)` for an inlined frame). */
const SRCLINE = /^(.*):(\d+)(?:\s.*)?$/;
/** perf's srcline where it found no line: the object's short name and the address. */
const SRCLINE_UNKNOWN = /^\S*\[[0-9a-fA-F]+\]$/;
const INLINED_SUFFIX = ' (inlined)';
const MAX_EXAMPLES = 3;
/** Distinct frame lines remembered (each a short string and a number: ~100 MB at the limit). */
const FRAME_CACHE_LIMIT = 1 << 20;

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** The event's name without its settings: `cpu-clock/freq=199/` → `cpu-clock`. */
export function eventName(event: string): string {
  const slash = event.indexOf('/');
  return slash > 0 && event.endsWith('/')
    ? event.slice(0, slash)
    : event.replace(/\/[^/]*\/(?=:|$)/, '');
}

/** Whether the event measures time in nanoseconds (its period is then CPU time). */
function isClockEvent(event: string): boolean {
  const base = event.replace(/:[ukhGHpPSD]+$/, '');
  return base === 'cpu-clock' || base === 'task-clock';
}

interface ParsedFrame {
  address: number;
  addressText: string;
  sym: string;
  /** The `+0x…` after the symbol, or -1. */
  symOffset: number;
  dso: string;
  inlined: boolean;
  /** For an inlined frame, the source its srcline gave (file '' if none). */
  file?: string;
  line?: number;
}

/** A frame line's fields: `<hex ip> [sym[+0xoff]] [(dso)] [(inlined)]`, already trimmed at the start. */
function parseFrame(text: string): ParsedFrame | undefined {
  let i = 0;
  while (i < text.length && isHexDigit(text.charCodeAt(i))) i++;
  if (i === 0 || (i < text.length && text.charCodeAt(i) !== 0x20 && text.charCodeAt(i) !== 0x09))
    return undefined;
  const addressText = text.slice(0, i);
  let rest = text.slice(i).trim();
  let inlined = false;
  if (rest.endsWith(INLINED_SUFFIX)) {
    inlined = true;
    rest = rest.slice(0, -INLINED_SUFFIX.length).trimEnd();
  }
  let dso = '';
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf(' (');
    if (open >= 0) {
      dso = rest.slice(open + 2, -1);
      rest = rest.slice(0, open).trimEnd();
    } else if (rest.startsWith('(')) {
      dso = rest.slice(1, -1);
      rest = '';
    }
  }
  const off = SYM_OFFSET.exec(rest);
  const sym = off ? rest.slice(0, off.index) : rest;
  const symOffset = off ? parseInt(off[0].slice(3), 16) : -1;
  return {
    address:
      addressText.length <= 13 ? parseInt(addressText, 16) : Number(BigInt('0x' + addressText)),
    addressText,
    sym: sym === '' ? '[unknown]' : sym,
    symOffset,
    dso,
    inlined,
  };
}

export class PerfScriptReader {
  private readonly builder = new ProfileBuilder();
  private lineNo = 0;
  readonly stats: PerfScriptStats = {
    samples: 0,
    lines: 0,
    events: [],
    samplesWithoutStack: 0,
    unrecognisedLines: 0,
    truncated: false,
  };
  private readonly examples: string[] = [];
  private symbolOffsets = new Float64Array(1024);
  /**
   * Location of each distinct frame line seen with no inlined lines before it; `~location` for a
   * line without a dso, which is that location only if no inlined srcline follows it.
   */
  private readonly frameCache = new Map<string, number>();

  // The sample being read.
  private inSample = false;
  private sampleTypes: number[] = [];
  private sampleValues: number[] = [];
  private labelSet = 0;
  private headerRest = '';
  private stack: number[] = [];
  private pendingInlined: ParsedFrame[] = [];
  /**
   * A frame line without a dso, held for one line: with srcline, perf marks an inlined frame only
   * on the srcline line after it. Its text, its fields (once parsed) and its location (when the
   * line was met alone before).
   */
  private heldLine: string | undefined;
  private heldFrame: ParsedFrame | undefined;
  private heldLocation = -1;
  /** The location just made (-1 if the last frame's location already existed), for a srcline line that follows it. */
  private newLocation = -1;

  // Caches of the previous header's fields (consecutive samples mostly share them).
  private lastLabelsKey = '';
  private readonly eventTypes = new Map<string, { types: number[]; clock: boolean }>();
  private sawPeriod = false;

  private readonly lines = new LineStream((line) => this.line(line));

  /** Adds the next piece of the text (UTF-8 bytes). */
  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  /** Adds the next piece of the text. */
  pushText(text: string): void {
    this.lines.pushText(text);
  }

  /** Ends the text and returns the profile of every complete sample. */
  end(): PerfScriptResult {
    if (this.lines.end() !== '') {
      // No newline at the end: perf ends every line with one, so the file was cut off. The last
      // line may be cut in the middle (a header's period, a frame's name), so it is not read, and
      // the sample it belongs to is dropped (its outer frames are missing).
      this.stats.truncated = true;
      this.resetSample();
    }
    this.finishSample();
    const profile = this.builder.build();
    return {
      profile,
      symbolOffsets: this.symbolOffsets.slice(0, profile.locations.count),
      stats: this.stats,
      warnings: this.warnings(),
    };
  }

  private warnings(): string[] {
    const w: string[] = [];
    const s = this.stats;
    if (s.truncated)
      w.push(
        'The perf script text ends in the middle of a sample (the file is cut off): that sample was left out; the samples before it are shown.',
      );
    if (s.unrecognisedLines > 0) {
      w.push(
        `${s.unrecognisedLines} line${s.unrecognisedLines === 1 ? ' was' : 's were'} not perf script samples and ${s.unrecognisedLines === 1 ? 'was' : 'were'} skipped (perf's own warnings or other text mixed in), e.g. ` +
          this.examples.map((e) => JSON.stringify(e)).join(', ') +
          '. Save only the standard output of perf script (perf script > out.perf 2> perf-warnings.txt).',
      );
    }
    if (s.samplesWithoutStack > 0)
      w.push(
        `${s.samplesWithoutStack} sample${s.samplesWithoutStack === 1 ? ' has' : 's have'} no callchain and no ip field and ${s.samplesWithoutStack === 1 ? 'was' : 'were'} left out: record with -g and keep the ip,sym fields in perf script -F.`,
      );
    if (s.events.length > 1)
      w.push(
        `This recording has ${s.events.length} events (${s.events.join(', ')}); each is its own sample type: pick one in the sample type menu.`,
      );
    return w;
  }

  private unrecognised(line: string): void {
    this.stats.unrecognisedLines++;
    if (this.examples.length < MAX_EXAMPLES)
      this.examples.push(`line ${this.lineNo}: ${line.trim().slice(0, 80)}`);
  }

  private resetSample(): void {
    this.inSample = false;
    this.stack.length = 0;
    this.pendingInlined.length = 0;
    this.heldLine = undefined;
    this.newLocation = -1;
    this.headerRest = '';
  }

  private line(line: string): void {
    this.lineNo++;
    this.stats.lines++;
    const c = line.charCodeAt(0);
    // Only a srcline line (indented) can say the held frame was inlined.
    if (this.heldLine !== undefined && c !== 0x20 && c !== 0x09) this.releaseHeld();
    if (line.length === 0) {
      this.finishSample();
      return;
    }
    if (c === 0x20 || c === 0x09) {
      // A frame, a srcline, or a blank line of spaces.
      let i = 1;
      while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
      if (i === line.length) {
        this.finishSample();
        return;
      }
      const body = i === 1 ? line.slice(1) : line.slice(i);
      if (this.heldLine !== undefined && this.heldInlined(body)) return;
      if (this.inSample && this.pendingInlined.length === 0) {
        // Most frame lines repeat exactly: their location is known from the text alone.
        const known = this.frameCache.get(body);
        if (known !== undefined) {
          if (known < 0) this.hold(body, undefined, ~known);
          else {
            this.stack.push(known);
            this.newLocation = -1;
          }
          return;
        }
      }
      if (!this.inSample) {
        // perf pads the comm of a header with spaces when there is no callchain.
        if (!this.header(body)) this.unrecognised(line);
        return;
      }
      const frame = parseFrame(body);
      if (frame) {
        // A line without a dso may be an inlined frame, which only the next line can tell.
        if (frame.dso === '' && !frame.inlined) {
          this.hold(body, frame, -1);
          return;
        }
        // Only a line that stands alone is its own location: after inlined lines, its location
        // also holds their frames, which the same line met alone again must not get.
        const alone = !frame.inlined && this.pendingInlined.length === 0;
        this.frame(frame);
        if (alone && this.frameCache.size < FRAME_CACHE_LIMIT)
          this.frameCache.set(ownString(body), this.stack[this.stack.length - 1]);
      } else if (!this.srcline(body)) this.unrecognised(line);
      return;
    }
    if (c === 0x23 /* # */) {
      this.comment(line);
      return;
    }
    this.finishSample();
    if (!this.header(line)) this.unrecognised(line);
  }

  private comment(line: string): void {
    // perf script --header: keep the lines that say what was recorded.
    const m =
      /^#\s*(cmdline|hostname|os release|perf version|arch|cpudesc|captured on)\s*:\s*(.*)$/.exec(
        line,
      );
    if (m && this.builder.comments.length < 16) this.builder.comments.push(`${m[1]}: ${m[2]}`);
  }

  private header(line: string): boolean {
    let m = HEADER.exec(line);
    let event: string;
    let period: string | undefined;
    let rest = '';
    if (m && !/^\d+\.\d+$/.test(m[7])) {
      event = m[7];
      period = m[6];
      rest = m[8] ?? '';
    } else {
      m = HEADER_NO_EVENT.exec(line);
      if (!m) return false;
      event = 'samples';
      period = m[6];
    }
    const comm = m[1];
    const pid = m[2];
    const tid = m[3];
    const labelsKey = comm + '\0' + (pid ?? '') + '\0' + tid;
    if (labelsKey !== this.lastLabelsKey) {
      const labels: [string, string][] = [['comm', comm]];
      if (pid !== undefined) labels.push(['pid', pid]);
      labels.push(['tid', tid]);
      this.labelSet = this.builder.labelSet(labels);
      this.lastLabelsKey = labelsKey;
    }
    const rawEvent = event;
    let e = this.eventTypes.get(rawEvent);
    if (!e) {
      event = eventName(rawEvent);
      // A clock event's period is CPU time; without the period field only samples can be counted.
      const clock = isClockEvent(event) && period !== undefined;
      const types = clock
        ? [
            this.builder.sampleTypeIndex('samples', 'count'),
            this.builder.sampleTypeIndex('cpu', 'nanoseconds'),
          ]
        : [this.builder.sampleTypeIndex(isClockEvent(event) ? 'samples' : event, 'count')];
      e = { types, clock };
      this.eventTypes.set(rawEvent, e);
      this.stats.events.push(event);
      if (clock && this.builder.defaultSampleType < 0) {
        this.builder.defaultSampleType = types[1];
        this.builder.periodType = { type: 'cpu', unit: 'nanoseconds' };
      }
    }
    const value = period === undefined ? 1 : Number(period);
    if (period !== undefined) this.sawPeriod = true;
    if (e.clock) {
      if (this.builder.period === 0) this.builder.period = value;
      this.sampleTypes = e.types;
      this.sampleValues = [1, value];
    } else {
      this.sampleTypes = e.types;
      this.sampleValues = [value];
    }
    this.inSample = true;
    this.headerRest = rest;
    // Recorded without -g: the one frame is on the header line, and the sample ends with it
    // (perf then prints no blank line, and pads the next header with spaces).
    if (rest !== '' && parseFrame(rest.trim())) this.finishSample();
    return true;
  }

  private frame(f: ParsedFrame): void {
    if (f.inlined) {
      this.pendingInlined.push(f);
      return;
    }
    // A location is one address: inlined frames are part of the frame after them only at its
    // address. perf also prints inlined frames with no frame of their own address after them.
    let inl = this.pendingInlined;
    let split = inl.length;
    while (split > 0 && inl[split - 1].addressText === f.addressText) split--;
    if (split > 0) {
      this.inlinedAlone(inl.slice(0, split));
      inl = inl.slice(split);
    }
    let key = f.dso + '\0' + f.addressText + '\0' + f.sym;
    for (const x of inl) key += '\0' + x.sym;
    let made = false;
    const loc = this.builder.location(key, () => {
      made = true;
      this.noteOffset(f.symOffset);
      return {
        address: f.address,
        mapping: this.builder.mapping(f.dso),
        frames: [...inl.map((x) => this.frameOf(x)), this.frameOf(f)],
      };
    });
    this.pendingInlined = [];
    this.stack.push(loc);
    // A srcline line that follows belongs to this location; only a new one still needs it.
    this.newLocation = made ? loc : -1;
  }

  /** Inlined frames with no frame of their address after them: a location per address. */
  private inlinedAlone(frames: ParsedFrame[]): void {
    for (let i = 0; i < frames.length;) {
      let j = i + 1;
      while (j < frames.length && frames[j].addressText === frames[i].addressText) j++;
      this.pendingInlined = frames.slice(i, j - 1);
      this.frame({ ...frames[j - 1], inlined: false });
      i = j;
    }
  }

  private locationCount = 0;
  private noteOffset(offset: number): void {
    if (this.locationCount === this.symbolOffsets.length) {
      const grown = new Float64Array(this.symbolOffsets.length * 2);
      grown.set(this.symbolOffsets);
      this.symbolOffsets = grown;
    }
    this.symbolOffsets[this.locationCount++] = offset;
  }

  /**
   * The line after a frame line without a dso: true if it is the srcline of an inlined frame
   * (`arena.c:744 (inlined)`), which then waits for the frame it is inlined into; otherwise the
   * held frame is a frame of its own, and the line is read as any other.
   */
  private heldInlined(body: string): boolean {
    // A frame line may end so too (an inlined frame without srcline): it starts with an address.
    if (body.endsWith(INLINED_SUFFIX) && parseFrame(body) === undefined) {
      const held = this.heldFrame ?? parseFrame(this.heldLine!)!;
      this.heldLine = undefined;
      const m = SRCLINE.exec(body.slice(0, -INLINED_SUFFIX.length));
      const line = m ? Number(m[2]) : 0;
      const known = m !== null && line > 0 && m[1] !== '??';
      this.pendingInlined.push({
        ...held,
        inlined: true,
        file: known ? m[1] : '',
        line: known ? line : 0,
      });
      return true;
    }
    this.releaseHeld();
    return false;
  }

  private hold(line: string, frame: ParsedFrame | undefined, location: number): void {
    this.heldLine = line;
    this.heldFrame = frame;
    this.heldLocation = location;
  }

  /** The held line is a frame of its own (no inlined srcline came after it). */
  private releaseHeld(): void {
    const line = this.heldLine!;
    this.heldLine = undefined;
    if (this.heldLocation >= 0) {
      this.stack.push(this.heldLocation);
      this.newLocation = -1;
      return;
    }
    const alone = this.pendingInlined.length === 0;
    this.frame(this.heldFrame!);
    if (alone && this.frameCache.size < FRAME_CACHE_LIMIT)
      this.frameCache.set(ownString(line), ~this.stack[this.stack.length - 1]);
  }

  /** `  file.go:123` after a frame: the frame's source line (perf's srcline field). */
  private srcline(body: string): boolean {
    if (SRCLINE_UNKNOWN.test(body)) {
      this.newLocation = -1;
      return true;
    }
    const m = SRCLINE.exec(body);
    if (!m || this.stack.length === 0) return false;
    const line = Number(m[2]);
    // `??:0` and `file:0` say perf could not resolve it (it cannot read Go's DWARF well).
    if (this.newLocation >= 0 && line > 0 && m[1] !== '??')
      this.builder.setOuterFrameSource(this.newLocation, m[1], line);
    this.newLocation = -1;
    return true;
  }

  private frameOf(f: ParsedFrame): BuilderFrame {
    const kernel =
      isKernelDso(f.dso) || (f.addressText.length === 16 && f.addressText.startsWith('ffff'));
    if (f.sym === '[unknown]') {
      const name = f.dso !== '' && f.dso !== '[unknown]' ? `[${baseName(f.dso)}]` : '[unknown]';
      return { name, file: kernel ? KERNEL_FILE : nativeFile(f.dso), line: 0 };
    }
    if (kernel) return { name: f.sym, file: KERNEL_FILE, line: 0 };
    if (f.file) return { ...this.frameOf({ ...f, file: undefined }), file: f.file, line: f.line! };
    if (looksLikeGoSymbol(f.sym)) {
      const name = goFunctionName(f.sym);
      return name === f.sym
        ? { name, file: '', line: 0 }
        : { name, file: '', line: 0, systemName: f.sym };
    }
    return { name: f.sym, file: nativeFile(f.dso), line: 0 };
  }

  private finishSample(): void {
    if (!this.inSample) return;
    if (this.heldLine !== undefined) this.releaseHeld();
    if (this.pendingInlined.length > 0) {
      const inl = this.pendingInlined;
      this.pendingInlined = [];
      this.inlinedAlone(inl);
    }
    if (this.stack.length === 0 && this.headerRest !== '') {
      const f = parseFrame(this.headerRest.trim());
      if (f) this.frame(f);
    }
    if (this.stack.length === 0) {
      this.stats.samplesWithoutStack++;
    } else {
      const stack = this.builder.stack(this.stack);
      // A clock event's two values are of one sample.
      if (this.sampleTypes.length === 2)
        this.builder.addSample(
          stack,
          this.labelSet,
          this.sampleTypes[0],
          this.sampleValues[0],
          this.sampleTypes[1],
          this.sampleValues[1],
        );
      else this.builder.addSample(stack, this.labelSet, this.sampleTypes[0], this.sampleValues[0]);
      this.stats.samples++;
    }
    this.resetSample();
  }

  /** Whether any header carried a period. */
  get hasPeriods(): boolean {
    return this.sawPeriod;
  }
}

/** Reads a whole `perf script` text. */
export function readPerfScript(data: Uint8Array | string): PerfScriptResult {
  const r = new PerfScriptReader();
  if (typeof data === 'string') r.pushText(data);
  else r.push(data);
  return r.end();
}
