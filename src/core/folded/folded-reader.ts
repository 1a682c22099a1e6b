// Reads folded stacks (`root;caller;leaf 123`, one stack per line, as stackcollapse-*, inferno,
// speedscope, py-spy and `golens folded` write) into the profile model, streaming.
//
// Frame names are kept as written, except for two conventions:
//  - Go Lens's escapes inside a name (`\\`, `\;`, `\n`, `\r`; see docs: the folded-stack escape
//    scheme) are undone, so a `;` inside a name does not split it. Any other backslash is literal,
//    so other tools' files read unchanged.
//  - stackcollapse's annotations `_[k]` (kernel), `_[j]` (JIT), `_[i]` (inlined) and `_[w]` (waker)
//    are taken off the name and kept as the frame's kind: kernel frames get the file name
//    `[kernel.kallsyms]` and JIT frames `[jit]`, so the flame graph colours them.
import type { Profile } from '../pprof/model';
import { ProfileBuilder } from '../pprof/profile-builder';
import { KERNEL_FILE } from '../perf/frame-names';
import { LineStream } from '../perf/line-stream';

export interface FoldedStats {
  stacks: number;
  lines: number;
  /** Lines with no count at the end (or an unreadable one). */
  linesWithoutCount: number;
  /** The text ended without a newline and its last line did not parse. */
  truncated: boolean;
}

export interface FoldedResult {
  profile: Profile;
  stats: FoldedStats;
  warnings: string[];
}

const MAX_EXAMPLES = 3;
const COUNT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Splits a folded stack at unescaped `;` and undoes the four escapes; root first. */
export function splitFoldedStack(stack: string): string[] {
  if (stack.indexOf('\\') < 0) return stack.split(';');
  const frames: string[] = [];
  let cur = '';
  for (let i = 0; i < stack.length; i++) {
    const c = stack[i];
    if (c === '\\' && i + 1 < stack.length) {
      const n = stack[i + 1];
      if (n === '\\' || n === ';') {
        cur += n;
        i++;
        continue;
      }
      if (n === 'n') {
        cur += '\n';
        i++;
        continue;
      }
      if (n === 'r') {
        cur += '\r';
        i++;
        continue;
      }
      cur += c;
      continue;
    }
    if (c === ';') {
      frames.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  frames.push(cur);
  return frames;
}

/** A frame's name without its stackcollapse annotation, and the file name that marks its kind. */
function annotated(name: string): { name: string; file: string } {
  if (name.length > 4 && name.charCodeAt(name.length - 1) === 0x5d /* ] */ && name.charCodeAt(name.length - 4) === 0x5f /* _ */ && name.charCodeAt(name.length - 3) === 0x5b /* [ */) {
    const tag = name[name.length - 2];
    const bare = name.slice(0, -4);
    if (tag === 'k') return { name: bare, file: KERNEL_FILE };
    if (tag === 'j') return { name: bare, file: '[jit]' };
    if (tag === 'i' || tag === 'w') return { name: bare, file: '' };
  }
  return { name, file: '' };
}

export class FoldedReader {
  private readonly builder = new ProfileBuilder();
  private readonly sampleType: number;
  private readonly labelSet: number;
  private lineNo = 0;
  private readonly examples: string[] = [];
  // The previous line's stack: sorted folded files (as every stackcollapse writes them) share
  // long prefixes with the line before, whose frames need no lookup.
  private prevText = '';
  private prevLocs: number[] = [];
  private prevEnds: number[] = [];
  readonly stats: FoldedStats = { stacks: 0, lines: 0, linesWithoutCount: 0, truncated: false };

  constructor() {
    this.sampleType = this.builder.sampleTypeIndex('samples', 'count');
    this.labelSet = this.builder.labelSet([]);
  }

  private readonly lines = new LineStream((line) => this.line(line, false));

  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
  }

  pushText(text: string): void {
    this.lines.pushText(text);
  }

  end(): FoldedResult {
    const rest = this.lines.end();
    if (rest !== '') this.line(rest, true);
    const s = this.stats;
    const warnings: string[] = [];
    if (s.truncated) warnings.push('The folded text ends in the middle of a line (the file is cut off): that line was left out; the stacks before it are shown.');
    if (s.linesWithoutCount > 0) {
      warnings.push(
        `${s.linesWithoutCount} line${s.linesWithoutCount === 1 ? ' has' : 's have'} no count at the end and ${s.linesWithoutCount === 1 ? 'was' : 'were'} skipped, e.g. ${this.examples.map((e) => JSON.stringify(e)).join(', ')}. ` +
          'Each line of a folded file is "frame;frame;frame count".',
      );
    }
    return { profile: this.builder.build(), stats: s, warnings };
  }

  private location(name: string): number {
    const known = this.builder.findLocation(name);
    if (known !== undefined) return known;
    const a = annotated(name);
    return this.builder.addLocation(name, 0, -1, [{ name: a.name, file: a.file, line: 0 }]);
  }

  /** Sets prevLocs (root first) and prevEnds to the frames of `text`; returns their count. */
  private frames(text: string): number {
    const locs = this.prevLocs;
    const ends = this.prevEnds;
    if (text.indexOf('\\') >= 0) {
      // Escapes: split properly; no prefix reuse (rare).
      const names = splitFoldedStack(text);
      for (let i = 0; i < names.length; i++) locs[i] = this.location(names[i]);
      this.prevText = '';
      return names.length;
    }
    const prev = this.prevText;
    const n = Math.min(prev.length, text.length);
    let common = 0;
    while (common < n && prev.charCodeAt(common) === text.charCodeAt(common)) common++;
    // Frames of the previous line that end inside the common prefix, at a frame boundary of this line too.
    let k = 0;
    const prevCount = prev === '' ? 0 : this.prevCount;
    while (k < prevCount && (ends[k] < common || (ends[k] === common && (common === text.length || text.charCodeAt(common) === 0x3b)))) k++;
    let start = k === 0 ? 0 : ends[k - 1] + 1;
    let count = k;
    if (start <= text.length && !(k > 0 && ends[k - 1] === text.length)) {
      for (;;) {
        let end = text.indexOf(';', start);
        if (end < 0) end = text.length;
        locs[count] = this.location(text.slice(start, end));
        ends[count] = end;
        count++;
        if (end === text.length) break;
        start = end + 1;
      }
    }
    this.prevText = text;
    this.prevCount = count;
    return count;
  }

  private prevCount = 0;

  private line(raw: string, last: boolean): void {
    this.lineNo++;
    this.stats.lines++;
    const line = raw;
    if (line.length === 0 || line.charCodeAt(0) === 0x23 /* # */ || (line.charCodeAt(0) <= 0x20 && line.trim() === '')) return;
    const sp = line.lastIndexOf(' ');
    const countText = sp >= 0 ? line.slice(sp + 1) : '';
    const stackText = sp >= 0 ? line.slice(0, sp).trimEnd() : line;
    if (sp <= 0 || !COUNT.test(countText) || stackText === '') {
      if (last) this.stats.truncated = true;
      else {
        this.stats.linesWithoutCount++;
        if (this.examples.length < MAX_EXAMPLES) this.examples.push(`line ${this.lineNo}: ${line.slice(0, 80)}`);
      }
      return;
    }
    const value = Number(countText);
    const frames = this.frames(stackText);
    this.builder.appendSample(this.prevLocs, frames, this.labelSet, this.sampleType, value);
    this.stats.stacks++;
  }
}

/** Reads a whole folded-stacks text. */
export function readFolded(data: Uint8Array | string): FoldedResult {
  const r = new FoldedReader();
  if (typeof data === 'string') r.pushText(data);
  else r.push(data);
  return r.end();
}
