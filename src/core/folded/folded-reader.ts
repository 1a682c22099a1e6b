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
  private readonly decoder = new TextDecoder('utf-8');
  private readonly sampleType: number;
  private readonly labelSet: number;
  private carry = '';
  private lineNo = 0;
  private readonly examples: string[] = [];
  private readonly locs: number[] = [];
  readonly stats: FoldedStats = { stacks: 0, lines: 0, linesWithoutCount: 0, truncated: false };

  constructor() {
    this.sampleType = this.builder.sampleTypeIndex('samples', 'count');
    this.labelSet = this.builder.labelSet([]);
  }

  push(chunk: Uint8Array): void {
    this.pushText(this.decoder.decode(chunk, { stream: true }));
  }

  pushText(text: string): void {
    let start = 0;
    let buffered = this.carry;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const line = buffered === '' ? text.slice(start, nl) : buffered + text.slice(start, nl);
      buffered = '';
      this.line(line, false);
      start = nl + 1;
    }
    this.carry = buffered + text.slice(start);
  }

  end(): FoldedResult {
    this.carry += this.decoder.decode();
    if (this.carry !== '') this.line(this.carry, true);
    this.carry = '';
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

  private line(raw: string, last: boolean): void {
    this.lineNo++;
    this.stats.lines++;
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.charCodeAt(0) === 0x23 /* # */) return;
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
    // Folded files hold each stack once, so lines are not cached: frames are interned instead.
    const frames = splitFoldedStack(stackText);
    const locs = this.locs;
    locs.length = 0;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      locs.push(
        this.builder.location(f, () => {
          const a = annotated(f);
          return { address: 0, mapping: -1, frames: [{ name: a.name, file: a.file, line: 0 }] };
        }),
      );
    }
    const stack = this.builder.stack(locs);
    this.builder.addSample(stack, this.labelSet, this.sampleType, value);
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
