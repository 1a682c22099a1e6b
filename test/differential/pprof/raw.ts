// The oracle side of the pprof differential tests: a parser of `go tool pprof -raw` output (the
// text of pprof's Profile.String()), and the views of both it and our decoded Profile that the
// tests compare.
//
// -raw prints, in file order:
//   PeriodType: cpu nanoseconds / Period: N / Time: … / Duration: …
//   Samples:
//   samples/count cpu/nanoseconds[dflt]       ← sample types, "[dflt]" marks default_sample_type
//            2   20000000: 1 2 3              ← values (%10d each), ": ", location ids leaf first
//                   kind:[deep] worker:[alpha] ← 16 spaces: string labels, then numeric labels
//   Locations
//        9: 0x674900 M=1 main.countPrimes /src/work.go:42:0 s=37   ← id, address, mapping, frame
//                main.startWorkers.func1 /src/work.go:14:0 s=12    ← more Lines (inlined callers)
//   Mappings
// Older pprof (Go ≤ 1.22) prints `file:line` without the column.
import { escapeFoldedFrame, pprofAddressName } from '../../../src/core/pprof/folded';
import type { Profile } from '../../../src/core/pprof/model';

export interface RawFrame {
  name: string;
  file: string;
  line: number;
}
export interface RawLocation {
  id: number;
  address: bigint;
  /** The mapping's file ('' without a mapping or a file). */
  mappingFile: string;
  folded: boolean;
  frames: RawFrame[];
}
export interface RawSample {
  values: number[];
  locations: number[];
  /** The label lines as printed, trimmed. */
  labels: string[];
}
export interface RawProfile {
  periodType: string | undefined;
  period: number | undefined;
  comments: string[];
  sampleTypes: string[];
  /** Index of the sample type marked [dflt], or -1. */
  defaultIndex: number;
  samples: RawSample[];
  locations: Map<number, RawLocation>;
}

const SAMPLE = /^((?:\s+-?\d+)+): ((?:\d+ )*)$/;
const LOCATION = /^\s*(\d+): 0x([0-9a-f]+) (?:M=(\d+) )?(\[F\] )?(.*)$/;
const MAPPING = /^\s*(\d+): 0x[0-9a-f]+\/0x[0-9a-f]+\/0x[0-9a-f]+ ?(\S*)/;
// name, file, line, optional column, start line, optional (system name)
const FRAME = /^(.*) (\S*?):(-?\d+)(?::-?\d+)? s=-?\d+(?:\(.*\))?$/;

function parseFrame(text: string): RawFrame {
  if (text === '??') return { name: '??', file: '', line: 0 };
  const m = FRAME.exec(text);
  if (!m) throw new Error(`cannot parse a -raw frame: ${JSON.stringify(text)}`);
  return { name: m[1], file: m[2], line: Number(m[3]) };
}

/** Parses `go tool pprof -raw` output. Throws on lines it does not understand. */
export function parseRaw(text: string): RawProfile {
  const lines = text.split('\n');
  const out: RawProfile = {
    periodType: undefined,
    period: undefined,
    comments: [],
    sampleTypes: [],
    defaultIndex: -1,
    samples: [],
    locations: new Map(),
  };
  let i = 0;
  for (; i < lines.length && lines[i] !== 'Samples:'; i++) {
    const l = lines[i];
    if (l.startsWith('Comment: ')) out.comments.push(l.slice('Comment: '.length));
    else if (l.startsWith('PeriodType: ')) out.periodType = l.slice('PeriodType: '.length);
    else if (l.startsWith('Period: ')) out.period = Number(l.slice('Period: '.length));
  }
  if (i === lines.length) throw new Error('no "Samples:" line in -raw output');
  i++;
  out.sampleTypes = lines[i].trim() === '' ? [] : lines[i].trim().split(/\s+/);
  out.defaultIndex = out.sampleTypes.findIndex((t) => t.endsWith('[dflt]'));
  out.sampleTypes = out.sampleTypes.map((t) => t.replace(/\[dflt\]$/, ''));
  for (i++; i < lines.length && lines[i] !== 'Locations'; i++) {
    const l = lines[i];
    const m = SAMPLE.exec(l);
    if (m) {
      out.samples.push({
        values: m[1].trim().split(/\s+/).map(Number),
        locations: m[2].trim() === '' ? [] : m[2].trim().split(' ').map(Number),
        labels: [],
      });
    } else if (/^ {16}\S/.test(l) && out.samples.length > 0) {
      out.samples[out.samples.length - 1].labels.push(l.trim());
    } else {
      throw new Error(`cannot parse a -raw sample line: ${JSON.stringify(l)}`);
    }
  }
  let current: RawLocation | undefined;
  const mappingOf = new Map<RawLocation, number>();
  for (i++; i < lines.length && lines[i] !== 'Mappings'; i++) {
    const l = lines[i];
    const m = /^\s*\d+: 0x/.test(l) ? LOCATION.exec(l) : null;
    if (m) {
      current = {
        id: Number(m[1]),
        address: BigInt('0x' + m[2]),
        mappingFile: '',
        folded: m[4] !== undefined,
        frames: [],
      };
      out.locations.set(current.id, current);
      if (m[3] !== undefined) mappingOf.set(current, Number(m[3]));
      if (m[5] !== '') current.frames.push(parseFrame(m[5]));
    } else if (/^ {13}\S/.test(l) && current) {
      current.frames.push(parseFrame(l.slice(13)));
    } else {
      throw new Error(`cannot parse a -raw location line: ${JSON.stringify(l)}`);
    }
  }
  const mappingFiles = new Map<number, string>();
  for (i++; i < lines.length; i++) {
    const m = MAPPING.exec(lines[i]);
    if (m) mappingFiles.set(Number(m[1]), m[2]);
  }
  for (const [loc, id] of mappingOf) loc.mappingFile = mappingFiles.get(id) ?? '';
  return out;
}

/** One sample as both sides can describe it. */
export interface SampleView {
  values: number[];
  /** Per location, leaf first: address, then `name file:line` per frame, innermost first. */
  stack: string[][];
  labels: string[];
}

function frameText(f: RawFrame): string {
  return `${f.name} ${f.file}:${f.line}`;
}

/** Addresses beyond 2^53 are not exact in our model (a Float64Array); compare them loosely. */
function addressText(a: bigint): string {
  return a <= 2n ** 53n ? '0x' + a.toString(16) : 'huge';
}

export function rawSampleViews(raw: RawProfile): SampleView[] {
  return raw.samples.map((s) => ({
    values: s.values,
    stack: s.locations.map((id) => {
      const loc = raw.locations.get(id);
      if (!loc) throw new Error(`-raw sample refers to location ${id}, which -raw does not list`);
      return [addressText(loc.address), ...loc.frames.map(frameText)];
    }),
    labels: s.labels,
  }));
}

/** Formats a sample's labels as pprof's Sample.string() does (string labels line, numeric labels line). */
function labelLines(p: Profile, s: number): string[] {
  const str = new Map<string, string[]>();
  const num = new Map<string, { v: number[]; u: string[] }>();
  const t = p.samples;
  for (let l = t.labelStart[s]; l < t.labelStart[s + 1]; l++) {
    const key = p.strings[t.labelKey[l]];
    if (t.labelStr[l] !== 0) {
      if (!str.has(key)) str.set(key, []);
      str.get(key)!.push(p.strings[t.labelStr[l]]);
    } else {
      if (!num.has(key)) num.set(key, { v: [], u: [] });
      num.get(key)!.v.push(t.labelNum[l]);
      num.get(key)!.u.push(p.strings[t.labelNumUnit[l]]);
    }
  }
  const lines: string[] = [];
  if (str.size)
    lines.push(
      [...str]
        .map(([k, v]) => `${k}:[${v.join(' ')}]`)
        .sort()
        .join(' '),
    );
  if (num.size) {
    lines.push(
      [...num]
        .map(([k, { v, u }]) =>
          u.some((x) => x !== '')
            ? `${k}:[${v.map((n, i) => `${n} ${u[i]}`).join(' ')}]`
            : `${k}:[${v.join(' ')}]`,
        )
        .sort()
        .join(' '),
    );
  }
  return lines;
}

export function ourSampleViews(p: Profile): SampleView[] {
  const views: SampleView[] = [];
  const n = p.sampleTypes.length;
  for (let s = 0; s < p.samples.count; s++) {
    const stack: string[][] = [];
    for (let k = p.samples.stackStart[s]; k < p.samples.stackStart[s + 1]; k++) {
      const loc = p.samples.stackLocations[k];
      const addr = p.locations.address[loc];
      const frames = [addr <= 2 ** 53 ? '0x' + addr.toString(16) : 'huge'];
      for (
        let f = p.locations.firstFrame[loc];
        f < p.locations.firstFrame[loc] + p.locations.frameCount[loc];
        f++
      ) {
        const fn = p.frames.function[f];
        frames.push(
          fn < 0
            ? '?? :0'
            : `${p.functions.name[fn]} ${p.functions.filename[fn]}:${p.frames.line[f]}`,
        );
      }
      stack.push(frames);
    }
    views.push({
      values: [...p.samples.values.subarray(s * n, (s + 1) * n)],
      stack,
      labels: labelLines(p, s),
    });
  }
  return views;
}

/**
 * The folded stacks -raw implies for sample type `index`: per sample, the function names of its
 * frames (inlined ones included) root first, joined by ";"; summed per text; zero sums dropped.
 */
export function rawFolded(raw: RawProfile, index: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const s of raw.samples) {
    const names: string[] = [];
    for (const id of s.locations) {
      const loc = raw.locations.get(id)!;
      const unnamed = pprofAddressName(Number(loc.address), loc.mappingFile);
      if (loc.frames.length === 0) names.push(unnamed);
      for (const f of loc.frames)
        names.push(f.name === '??' || f.name === '' ? unnamed : escapeFoldedFrame(f.name));
    }
    const text = names.reverse().join(';');
    sums.set(text, (sums.get(text) ?? 0) + s.values[index]);
  }
  for (const [k, v] of sums) if (v === 0 || k === '') sums.delete(k);
  return sums;
}

/** Parses `golens folded` output into the same shape. */
export function parseFolded(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const sp = line.lastIndexOf(' ');
    const key = line.slice(0, sp);
    if (sums.has(key)) throw new Error(`golens folded printed the stack ${key} twice`);
    sums.set(key, Number(line.slice(sp + 1)));
  }
  return sums;
}

/** Sorted `stack value` lines, for readable diffs. */
export function foldedLines(m: Map<string, number>): string[] {
  return [...m].map(([k, v]) => `${k} ${v}`).sort();
}
