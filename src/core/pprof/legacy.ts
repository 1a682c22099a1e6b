// The legacy profile formats `go tool pprof` still reads (google/pprof's profile package,
// legacy_profile.go), read into the same Profile model as profile.proto so every view works:
//   - binary CPU profiles (gperftools/Go before 1.9: words 0, 3, 0, period µs, 0, then samples
//     of count, depth, addresses…, ending 0, 1, 0; 32/64-bit, either byte order), then a
//     /proc/self/maps text
//   - `heap profile: N: B [N: B] @ heap/R` (Go), `@ heap_v2/R`, `@ heapz_v2/R` (C++, sampled:
//     unsampled like pprof does), `@ heapprofile`, `@ growthz`, `@ fragmentationz`
//   - `<kind> profile: total N` count profiles (threadcreate, goroutine debug=1 without names)
//   - `--- contention ---` / `--- contentionz 1 ---` (C++ lock contention)
//   - `--- threadz 1 ---` thread stacks
//   - Java: binary `profilez` (header word 3 = 1), `--- heapz 1 ---` / `--- contentionz 1 ---`
//     with `format = java` (legacy-java.ts: these carry their names)
// Samples hold addresses only (the non-Java formats carry no names); locations are matched to the
// memory map the file ends with, so frames are named by their binary as pprof names them.
import { isJavaTextProfile, javaCpuProfile, readJavaTextProfile } from './legacy-java';
import { ProfileError, type Profile, type ValueType } from './model';
import { flattenSamples } from './legacy-samples';

interface LegacySample {
  values: number[];
  /** Leaf first, already adjusted by −1 (except the leaf) to land on the call instruction. */
  addrs: number[];
  /** The `bytes` numeric label of heap samples (block size), or undefined. */
  bytes?: number;
}

interface LegacyMapping {
  start: number;
  limit: number;
  offset: number;
  file: string;
}

interface LegacyProfile {
  sampleTypes: ValueType[];
  periodType: ValueType;
  period: number;
  durationNanos: number;
  samples: LegacySample[];
  mappings: LegacyMapping[];
  /** Which format it was, for messages: `legacy C++ heap profile (heapz_v2)` etc. */
  format: string;
  /** Frames pprof leaves out below the first caller of interest once the profile has names. */
  dropFrames?: string;
  keepFrames?: string;
}

/**
 * The allocator's own frames of a legacy heap profile (the Go runtime, C and C++ allocation entry
 * points): once symbolized, pprof shows the allocating caller, not these, as in Go's own heap
 * profiles; a panic in the runtime stays.
 */
const ALLOCATOR_FRAMES =
  'runtime\\..*|(__)?(lib_)?c?(malloc|calloc|realloc|free|cfree|memalign|posix_memalign|valloc|pvalloc)|tc_.*|tcmalloc::.*|operator (new|delete)(\\[\\])?';
const ALLOCATOR_KEEP = 'runtime\\.panic';

const decoder = new TextDecoder('utf-8');

// ---- recognising ----------------------------------------------------------------------------

type WordReader = (b: Uint8Array, at: number) => number;
const u32le = (b: Uint8Array, i: number) =>
  (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const u32be = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
/** The word sizes and byte orders pprof tries, in its order. 64-bit words are exact up to 2^53. */
const WORD_READERS: { size: number; read: WordReader }[] = [
  { size: 4, read: u32le },
  { size: 4, read: u32be },
  { size: 8, read: (b, i) => u32le(b, i) + u32le(b, i + 4) * 2 ** 32 },
  { size: 8, read: (b, i) => u32be(b, i + 4) + u32be(b, i) * 2 ** 32 },
];

function binaryHeader(
  b: Uint8Array,
): { size: number; read: WordReader; java: boolean; period: number } | undefined {
  for (const w of WORD_READERS) {
    if (b.length < w.size * 5) continue;
    const word = (k: number) => w.read(b, k * w.size);
    if (
      word(0) === 0 &&
      word(1) === 3 &&
      (word(2) === 0 || word(2) === 1) &&
      word(3) > 0 &&
      word(4) === 0
    ) {
      return { ...w, java: word(2) === 1, period: word(3) };
    }
  }
  return undefined;
}

function firstTextLine(text: string): string {
  for (const l of text.split('\n'))
    if (l.trim() !== '' && !l.trim().startsWith('#')) return l.trim();
  return '';
}

const HEAP_HEADER =
  /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const GROWTH_HEADER =
  /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ (growthz|fragmentationz)/;
const COUNT_START = /^(\w+) profile: total \d+$/;

/**
 * Whether `data` (already un-gzipped) is one of the legacy formats `go tool pprof` reads. Only
 * exact signatures count: a profile.proto message never starts with these bytes.
 */
export function isLegacyProfile(data: Uint8Array): boolean {
  if (binaryHeader(data)) return true;
  const line = firstTextLine(decoder.decode(data.subarray(0, 512)));
  return (
    HEAP_HEADER.test(line) ||
    GROWTH_HEADER.test(line) ||
    COUNT_START.test(line) ||
    line.startsWith('--- contention') ||
    /^--- threadz \d+ ---/.test(line) ||
    /^--- Thread [0-9a-fA-F]+ \(name: .*\/\d+\) stack: ---/.test(line) ||
    line.startsWith('--- heapz')
  );
}

// ---- parsing --------------------------------------------------------------------------------

const HEX = /0x[0-9a-f]+/g;

function hexAddresses(s: string): number[] {
  return (s.match(HEX) ?? []).map((h) => parseInt(h, 16));
}

/** Addresses of a stack as pprof keeps them: the leaf as is, the callers one byte back into their call. */
function adjust(addrs: number[]): number[] {
  return addrs.map((a, i) => (i > 0 ? a - 1 : a));
}

const MEMORY_MAP_TRIGGERS = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];
const isMapTrigger = (l: string) => MEMORY_MAP_TRIGGERS.some((t) => l.includes(t));

const PROC_MAPS =
  /([0-9a-fA-F]+)-([0-9a-fA-F]+)\s+([-rwxp]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+):([0-9a-fA-F]+)\s+(\d+)\s*(\S+)?/;
const BRIEF_MAPS = /\s*([0-9a-fA-F]+)-([0-9a-fA-F]+):\s*(\S+)(\s.*@)?([0-9a-fA-F]+)?/;

/** The executable mappings of a /proc/self/maps text (or the brief `start-limit: file` form). */
function parseMemoryMap(lines: string[]): LegacyMapping[] {
  const out: LegacyMapping[] = [];
  const vars: [string, string][] = [];
  for (let l of lines) {
    l = l.trim();
    if (l === '') continue;
    for (const [k, v] of vars) l = l.split(k).join(v);
    const pm = PROC_MAPS.exec(l);
    if (pm) {
      if (!pm[3].includes('x')) continue;
      out.push({
        start: parseInt(pm[1], 16),
        limit: parseInt(pm[2], 16),
        offset: parseInt(pm[4], 16),
        file: pm[8] ?? '',
      });
      continue;
    }
    const bm = BRIEF_MAPS.exec(l);
    if (bm) {
      out.push({
        start: parseInt(bm[1], 16),
        limit: parseInt(bm[2], 16),
        offset: bm[5] ? parseInt(bm[5], 16) : 0,
        file: bm[3],
      });
      continue;
    }
    const eq = l.indexOf('=');
    if (eq > 0) vars.push(['$' + l.slice(0, eq).trim(), l.slice(eq + 1).trim()]);
  }
  return out;
}

/** Lines after the samples: the memory map section, wherever it starts. */
function memoryMapAfter(lines: string[], from: number): LegacyMapping[] {
  let i = from;
  while (i < lines.length && !isMapTrigger(lines[i])) i++;
  return i < lines.length ? parseMemoryMap(lines.slice(i + 1)) : [];
}

function malformed(format: string, lineNo: number, line: string): ProfileError {
  return new ProfileError(
    `this ${format} is damaged: line ${lineNo} ("${line.slice(0, 80)}") is not a sample line. go tool pprof cannot read it either; capture it again.`,
  );
}

/** The samples of a binary CPU profile (count, depth, addresses as written) up to its end marker, and where the text after them starts. */
function binarySamples(
  data: Uint8Array,
  h: { size: number; read: WordReader },
  format: string,
): { samples: { count: number; addrs: number[] }[]; end: number } {
  const samples: { count: number; addrs: number[] }[] = [];
  let at = h.size * 5;
  const word = () => {
    const v = h.read(data, at);
    at += h.size;
    return v;
  };
  for (;;) {
    if (at + 2 * h.size > data.length)
      throw new ProfileError(
        `this ${format} ends before its end-of-data marker (the file is cut short); capture it again.`,
      );
    const count = word();
    const depth = word();
    if (depth > (data.length - at) / h.size)
      throw new ProfileError(
        `this ${format} is damaged: a sample at byte ${at - 2 * h.size} claims ${depth} frames, more than the file holds.`,
      );
    const addrs: number[] = [];
    for (let k = 0; k < depth; k++) addrs.push(word());
    if (count === 0 && depth === 1 && addrs[0] === 0) break;
    samples.push({ count, addrs });
  }
  return { samples, end: at };
}

function parseBinaryCpu(
  data: Uint8Array,
  h: { size: number; read: WordReader; period: number },
): LegacyProfile {
  const format = 'legacy binary CPU profile';
  const period = h.period * 1000;
  const read = binarySamples(data, h, format);
  const at = read.end;
  const samples: LegacySample[] = read.samples.map((s) => ({
    values: [s.count, s.count * period],
    addrs: adjust(s.addrs),
  }));
  // pprof drops a second frame that most samples share (pushed by the signal handler), up to
  // twice, and a leaf duplicated by the handler (the caller address +1).
  const margin = Math.floor(samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<number, number>();
    for (const s of samples)
      if (s.addrs.length > 1) counts.set(s.addrs[1], (counts.get(s.addrs[1]) ?? 0) + 1);
    for (const [addr, n] of counts) {
      if (n >= samples.length - margin) {
        for (const s of samples)
          if (s.addrs.length > 1 && s.addrs[1] === addr) s.addrs.splice(1, 1);
        break;
      }
    }
  }
  for (const s of samples)
    if (s.addrs.length > 1 && s.addrs[0] === s.addrs[1] + 1) s.addrs.splice(1, 1);
  const mappings = parseMemoryMap(decoder.decode(data.subarray(at)).split('\n'));
  return {
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period,
    durationNanos: 0,
    samples,
    mappings,
    format,
  };
}

/** heapz v2 sampling: a sample of average size S was kept with probability 1 − e^(−S/R). */
function unsample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const scale = 1 / (1 - Math.exp(-size / count / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

const HEAP_SAMPLE = /(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;

function parseHeap(lines: string[], first: number): LegacyProfile {
  const header = lines[first];
  let format = 'legacy heap profile';
  let sampling = '';
  let period = 1;
  let hasAlloc = false;
  const hm = HEAP_HEADER.exec(header);
  if (hm && !GROWTH_HEADER.test(header)) {
    const rate = hm[6] ? Number(hm[6]) : 0;
    hasAlloc = (hm[3] !== hm[1] && hm[3] !== '0') || (hm[4] !== hm[2] && hm[4] !== '0');
    switch (hm[5]) {
      case 'heapz_v2':
      case 'heap_v2':
        [sampling, period] = ['v2', rate];
        format = `legacy C++ heap profile (${hm[5]})`;
        break;
      case 'heapprofile':
        period = 1;
        break;
      case 'heap':
        // Go's debug=1 heap profile: its rate is twice the mean sampling interval pprof uses.
        [sampling, period] = ['v2', Math.trunc(rate / 2)];
        format = 'legacy Go heap profile (debug=1)';
        break;
      default:
        throw new ProfileError(
          `this heap profile's header names a sampling "${hm[5]}" that go tool pprof does not know either ("${header.slice(0, 80)}").`,
        );
    }
  } else {
    format = `legacy heap ${/growthz/.test(header) ? 'growth' : 'fragmentation'} profile`;
  }
  const samples: LegacySample[] = [];
  let i = first + 1;
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '' || l.startsWith('#')) continue;
    if (isMapTrigger(l)) break;
    const m = HEAP_SAMPLE.exec(l);
    if (!m) throw malformed(format, i + 1, l);
    const values: number[] = [];
    let bytes = 0;
    const add = (countText: string, sizeText: string) => {
      let count = Number(countText);
      let size = Number(sizeText);
      if (count === 0 && size !== 0) throw malformed(format, i + 1, l);
      if (count !== 0) {
        bytes = Math.trunc(size / count);
        if (sampling === 'v2') [count, size] = unsample(count, size, period);
      }
      values.push(count, size);
    };
    if (hasAlloc) add(m[3], m[4]);
    add(m[1], m[2]);
    samples.push({ values, addrs: adjust(hexAddresses(m[5])), bytes });
  }
  const sampleTypes: ValueType[] = hasAlloc
    ? [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ]
    : [
        { type: 'objects', unit: 'count' },
        { type: 'space', unit: 'bytes' },
      ];
  return {
    sampleTypes,
    periodType: { type: 'space', unit: 'bytes' },
    period,
    durationNanos: 0,
    samples,
    mappings: memoryMapAfter(lines, i),
    format,
    dropFrames: ALLOCATOR_FRAMES,
    keepFrames: ALLOCATOR_KEEP,
  };
}

function parseCount(lines: string[], first: number, kind: string): LegacyProfile {
  const format = `legacy ${kind} profile (debug=1)`;
  const samples: LegacySample[] = [];
  let i = first + 1;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    if (l.startsWith('---')) break;
    const m = /^(\d+) @((?: 0x[0-9a-f]+)+)$/.exec(l.replace(/\r$/, ''));
    if (!m) throw malformed(format, i + 1, l);
    samples.push({ values: [Number(m[1])], addrs: adjust(hexAddresses(m[2])) });
  }
  return {
    sampleTypes: [{ type: kind, unit: 'count' }],
    periodType: { type: kind, unit: 'count' },
    period: 1,
    durationNanos: 0,
    samples,
    mappings: memoryMapAfter(lines, i),
    format,
  };
}

function parseContention(lines: string[], first: number): LegacyProfile {
  const format = 'legacy C++ contention profile';
  let period = 1;
  let cpuHz = 0;
  let durationNanos = 0;
  let i = first + 1;
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    if (l.startsWith('---')) break;
    const eq = l.indexOf('=');
    if (eq < 0) break;
    const key = l.slice(0, eq).trim();
    const val = Number(l.slice(eq + 1).trim());
    if (key === 'cycles/second') cpuHz = val;
    else if (key === 'sampling period') period = val;
    else if (key === 'ms since reset') durationNanos = val * 1e6;
    else if (key !== 'discarded samples')
      throw new ProfileError(
        `this contention profile has a header line go tool pprof does not know ("${l.slice(0, 80)}").`,
      );
  }
  const samples: LegacySample[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l.startsWith('---')) break;
    if (l === '') continue;
    const m = /(\d+) *(\d+) @([ x0-9a-f]*)/.exec(l);
    if (!m) throw malformed(format, i + 1, l);
    let delay = Number(m[1]);
    let count = Number(m[2]);
    // Unsampled like pprof: delays from cycles to nanoseconds, counts by the sampling period.
    if (period > 0) {
      if (cpuHz > 0) delay = Math.trunc((delay * period) / (cpuHz / 1e9));
      count *= period;
    }
    samples.push({ values: [count, delay], addrs: adjust(hexAddresses(m[3])) });
  }
  return {
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    periodType: { type: 'contentions', unit: 'count' },
    period,
    durationNanos,
    samples,
    mappings: memoryMapAfter(lines, i),
    format,
  };
}

const THREAD_START = /--- Thread ([0-9a-fA-F]+) \(name: (.*)\/(\d+)\) stack: ---/;

function parseThreadz(lines: string[], first: number): LegacyProfile {
  const format = 'legacy threadz profile';
  let i = first;
  if (/^--- threadz \d+ ---/.test(lines[i].trim())) {
    for (i++; i < lines.length; i++) if (isMapTrigger(lines[i]) || lines[i].startsWith('-')) break;
  }
  const samples: LegacySample[] = [];
  while (i < lines.length && !isMapTrigger(lines[i])) {
    const l = lines[i].trim();
    if (l.startsWith('---- no stack trace for')) break;
    if (!THREAD_START.test(l)) {
      if (l === '') {
        i++;
        continue;
      }
      throw malformed(format, i + 1, l);
    }
    const addrs: number[] = [];
    let same = false;
    for (i++; i < lines.length; i++) {
      const t = lines[i].trim();
      if (t === '') continue;
      if (t.startsWith('---')) break;
      if (t.includes('same as previous thread')) {
        same = true;
        continue;
      }
      addrs.push(...hexAddresses(t));
    }
    if (same || addrs.length === 0) {
      if (samples.length > 0) samples[samples.length - 1].values[0]++;
      continue;
    }
    samples.push({ values: [1], addrs: adjust(addrs) });
  }
  return {
    sampleTypes: [{ type: 'thread', unit: 'count' }],
    periodType: { type: 'thread', unit: 'count' },
    period: 1,
    durationNanos: 0,
    samples,
    mappings: memoryMapAfter(lines, i),
    format,
  };
}

// ---- into the model -------------------------------------------------------------------------

/**
 * Matches locations to mappings as pprof does (its fixes for broken legacy maps included), with
 * a nameless catch-all mapping for addresses no mapping holds (Go's legacy handler wrote none).
 */
function assignMappings(
  mappings: LegacyMapping[],
  addrs: number[],
): { mappings: LegacyMapping[]; of: Int32Array } {
  let maps = mappings.slice();
  if (
    maps.length > 1 &&
    maps[0].file.startsWith('/anon_hugepage') &&
    maps[0].limit === maps[1].start
  )
    maps = maps.slice(1);
  if (maps.length > 0 && maps[0].start - maps[0].offset === 0x400000) {
    maps[0] = { ...maps[0], start: 0x400000, offset: 0 };
  }
  const of = new Int32Array(addrs.length).fill(-1);
  let fake = -1;
  addrs.forEach((a, l) => {
    if (a === 0) return;
    let m = maps.findIndex((x) => x.start <= a && a < x.limit);
    if (m < 0) {
      m = maps.findIndex((x) => x.offset !== 0 && x.start - x.offset <= a && a < x.start);
      if (m >= 0) maps[m] = { ...maps[m], start: maps[m].start - maps[m].offset, offset: 0 };
    }
    if (m < 0) {
      if (fake < 0) {
        fake = maps.length;
        maps.push({ start: 0, limit: Number.MAX_SAFE_INTEGER, offset: 0, file: '' });
      }
      m = fake;
    }
    of[l] = m;
  });
  return { mappings: maps, of };
}

function toProfile(p: LegacyProfile): Profile {
  const { locAddr, stackStart, stackLocations, values, labelStart, labelNum } = flattenSamples(
    p.samples,
  );
  const { mappings, of } = assignMappings(p.mappings, locAddr);
  const nLoc = locAddr.length;
  const strings = ['', 'bytes'];
  const profile: Profile = {
    sampleTypes: p.sampleTypes,
    defaultSampleType: p.sampleTypes.length - 1,
    samples: {
      count: p.samples.length,
      stackStart: Uint32Array.from(stackStart),
      stackLocations: Uint32Array.from(stackLocations),
      values: Float64Array.from(values),
      labelStart: Uint32Array.from(labelStart),
      labelKey: new Uint32Array(labelNum.length).fill(1),
      labelStr: new Uint32Array(labelNum.length),
      labelNum: Float64Array.from(labelNum),
      labelNumUnit: new Uint32Array(labelNum.length).fill(1),
    },
    locations: {
      count: nLoc,
      address: Float64Array.from(locAddr),
      mapping: of,
      firstFrame: new Uint32Array(nLoc),
      frameCount: new Uint32Array(nLoc),
      isFolded: new Uint8Array(nLoc),
    },
    frames: { count: 0, function: new Int32Array(0), line: new Float64Array(0) },
    functions: { count: 0, name: [], systemName: [], filename: [], startLine: new Float64Array(0) },
    mappings: {
      count: mappings.length,
      memoryStart: Float64Array.from(mappings.map((m) => m.start)),
      memoryLimit: Float64Array.from(mappings.map((m) => m.limit)),
      fileOffset: Float64Array.from(mappings.map((m) => m.offset)),
      filename: mappings.map((m) => m.file),
      buildId: mappings.map(() => ''),
      hasFunctions: new Uint8Array(mappings.length),
      hasFilenames: new Uint8Array(mappings.length),
      hasLineNumbers: new Uint8Array(mappings.length),
      hasInlineFrames: new Uint8Array(mappings.length),
    },
    strings,
    dropFrames: p.dropFrames ?? '',
    keepFrames: p.keepFrames ?? '',
    timeNanos: 0,
    durationNanos: p.durationNanos,
    periodType: p.periodType,
    period: p.period,
    comments: [`read from a ${p.format}`],
  };
  return profile;
}

/**
 * Reads a legacy profile (see the file comment) into the Profile model, or returns undefined when
 * `data` is none of these formats. Throws ProfileError for a damaged one, saying which format it is.
 */
export function readLegacyProfile(data: Uint8Array): Profile | undefined {
  const h = binaryHeader(data);
  if (h?.java) {
    // Java's samples are not adjusted to the call instruction: its addresses are keys of the name table.
    const { samples, end } = binarySamples(data, h, 'legacy Java CPU profile (binary profilez)');
    return javaCpuProfile(samples, h.period, decoder.decode(data.subarray(end)));
  }
  if (h) return toProfile(parseBinaryCpu(data, h));
  const text = decoder.decode(data);
  if (isJavaTextProfile(text)) return readJavaTextProfile(text);
  if (!isLegacyProfile(data)) return undefined;
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const line = lines[first].trim();
  if (HEAP_HEADER.test(line) || GROWTH_HEADER.test(line)) return toProfile(parseHeap(lines, first));
  const count = COUNT_START.exec(line);
  if (count) return toProfile(parseCount(lines, first, count[1]));
  if (line.startsWith('--- contention')) return toProfile(parseContention(lines, first));
  if (/^--- threadz \d+ ---/.test(line) || THREAD_START.test(line))
    return toProfile(parseThreadz(lines, first));
  return undefined;
}
