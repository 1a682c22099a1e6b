// Java legacy profiles as google/pprof's profile package reads them (legacy_java_profile.go):
//   - binary CPU `profilez` whose header's third word is 1 (the samples as the C++ format, but
//     addresses not adjusted), followed by a text table of `0xADDR name (File.java:line)`
//   - `--- heapz 1 ---` and `--- contentionz 1 ---` with `attribute = value` lines
//     (`format = java`, `resolution = bytes|microseconds|…`, `sampling period`, `ms since reset`),
//     samples `VALUE COUNT @ 0x…` (inverted against the C++ formats), then the same name table.
// Unlike the C++ formats the names are in the file, so every location gets its function and line
// here and no binary is needed. Values follow what Go 1.26's `go tool pprof -raw` prints.
import { ProfileError, type Profile, type ValueType } from './model';
import { flattenSamples } from './legacy-samples';

/** One stack as read: leaf first, addresses as written. */
export interface JavaSample {
  values: number[];
  addrs: number[];
  /** The `bytes` numeric label of heap samples (block size). */
  bytes?: number;
}

/** pprof's fixed sampling rate of Java heapz profiles (512 KiB). */
const JAVA_HEAP_SAMPLING_RATE = 524288;

const ATTRIBUTE = /([\w ]+)=([\w ]+)/;
const SAMPLE = / *(\d+) +(\d+) +@ +([ x0-9a-f]*)/;
const LOCATION = /^\s*0x([0-9a-fA-F]+)\s+(.*)\s*$/;
const LOCATION_FILE_LINE = /^(.*)\s+\((.+):(-?\d+)\)$/;
const LOCATION_PATH = /^(.*)\s+\((.*)\)$/;

/** The Java text kinds by their exact first line, as pprof matches it. */
const JAVA_HEADERS: Record<string, 'heap' | 'contention'> = {
  '--- heapz 1 ---': 'heap',
  '--- contentionz 1 ---': 'contention',
};

/**
 * Whether `text` is a Java heapz/contentionz profile. A `--- contentionz 1 ---` header without
 * `format`/`resolution` attributes is the C++ contention format instead (pprof tries that first).
 */
export function isJavaTextProfile(text: string): boolean {
  const nl = text.indexOf('\n');
  const kind = JAVA_HEADERS[(nl < 0 ? text : text.slice(0, nl)).trim()];
  if (kind === 'heap') return true;
  if (kind !== 'contention') return false;
  for (const raw of text.slice(nl + 1, nl + 1 + 4096).split('\n')) {
    const m = ATTRIBUTE.exec(raw.trim());
    if (!m) {
      if (raw.trim() === '') continue;
      return false;
    }
    const key = m[1].trim();
    if (key === 'format' || key === 'resolution') return true;
  }
  return false;
}

/** pprof's heapz v2 unsampling at a fixed rate: a sample of mean size S was kept with probability 1 − e^(−S/R). */
function unsampleHeap(count: number, size: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  const scale = 1 / (1 - Math.exp(-size / count / JAVA_HEAP_SAMPLING_RATE));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

const hexAddresses = (s: string) => (s.match(/0x[0-9a-f]+/g) ?? []).map((h) => parseInt(h, 16));

/** Reads a Java heapz/contentionz text profile (see isJavaTextProfile) into the Profile model. */
export function readJavaTextProfile(text: string): Profile {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const kind = JAVA_HEADERS[lines[0].trim()];
  const format = `legacy Java ${kind} profile`;
  let sampleTypes: ValueType[] | undefined;
  let periodType: ValueType | undefined;
  let period = 0;
  let durationNanos = 0;
  let i = 1;
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    const m = ATTRIBUTE.exec(l);
    if (!m) break;
    const [key, value] = [m[1].trim(), m[2].trim()];
    const attr = `${kind}/${key}`;
    const number = () => {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw new ProfileError(
          `this ${format} is damaged: its "${key}" line ("${l.slice(0, 80)}") is not a whole number; capture it again.`,
        );
      return n;
    };
    if (key === 'format') {
      if (value !== 'java')
        throw new ProfileError(
          `this ${kind} profile says "format = ${value}"; go tool pprof reads only "format = java" with this header.`,
        );
    } else if (attr === 'heap/resolution')
      sampleTypes = [
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: value },
      ];
    else if (attr === 'contention/resolution')
      sampleTypes = [
        { type: 'contentions', unit: 'count' },
        { type: 'delay', unit: value },
      ];
    else if (attr === 'contention/sampling period')
      [periodType, period] = [{ type: 'contentions', unit: 'count' }, number()];
    else if (attr === 'contention/ms since reset') durationNanos = number() * 1e6;
    else
      throw new ProfileError(
        `this ${format} has a header line go tool pprof does not know ("${l.slice(0, 80)}").`,
      );
  }
  if (!sampleTypes)
    throw new ProfileError(
      `this ${format} has no "resolution = …" line, so its values have no unit; go tool pprof cannot read it either.`,
    );
  const samples: JavaSample[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    const m = SAMPLE.exec(l);
    if (!m) break;
    // Java writes the value first and the count second: the other way round from C++.
    let count = Number(m[2]);
    let value = Number(m[1]);
    const addrs = hexAddresses(m[3]);
    if (kind === 'heap') {
      if (count === 0)
        throw new ProfileError(
          `this ${format} is damaged: line ${i + 1} ("${l.slice(0, 80)}") has a count of 0; capture it again.`,
        );
      const bytes = Math.trunc(value / count);
      [count, value] = unsampleHeap(count, value);
      samples.push({ values: [count, value], addrs, bytes });
    } else {
      if (period !== 0) [count, value] = [count * period, value * period];
      samples.push({ values: [count, value], addrs });
    }
  }
  return javaProfile({
    sampleTypes,
    periodType,
    period,
    durationNanos,
    samples,
    names: lines.slice(i),
    format,
  });
}

/**
 * A Java binary CPU profile from its samples (read by the binary CPU reader, addresses as
 * written) and the name table that follows them.
 */
export function javaCpuProfile(
  samples: { count: number; addrs: number[] }[],
  periodMicros: number,
  nameTable: string,
): Profile {
  const period = periodMicros * 1000;
  return javaProfile({
    sampleTypes: [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    periodType: { type: 'cpu', unit: 'nanoseconds' },
    period,
    durationNanos: 0,
    samples: samples.map((s) => ({ values: [s.count, s.count * period], addrs: s.addrs })),
    names: nameTable.split('\n'),
    format: 'legacy Java CPU profile (binary profilez)',
  });
}

interface JavaProfile {
  sampleTypes: ValueType[];
  periodType: ValueType | undefined;
  period: number;
  durationNanos: number;
  samples: JavaSample[];
  /** The `0xADDR name (File.java:line)` lines (other lines are skipped, as pprof does). */
  names: string[];
  format: string;
}

/** Name, file and line of one name-table entry, split as pprof splits it. */
function javaFrame(text: string): { name: string; file: string; line: number } {
  const fl = LOCATION_FILE_LINE.exec(text);
  if (fl) {
    const n = parseInt(fl[3], 10);
    return { name: fl[1], file: fl[2], line: n > 0 ? n : 0 };
  }
  const path = LOCATION_PATH.exec(text);
  // A shared library: only its base name is worth showing.
  if (path) return { name: path[1], file: path[2].slice(path[2].lastIndexOf('/') + 1), line: 0 };
  if (text.includes('generated stub/JIT')) return { name: 'STUB', file: '', line: 0 };
  // The agent's own states ("GC", "VM", "Compile") are whole-line names.
  return { name: text, file: '', line: 0 };
}

function javaProfile(p: JavaProfile): Profile {
  const { locIndex, locAddr, stackStart, stackLocations, values, labelStart, labelNum } =
    flattenSamples(p.samples);
  const nLoc = locAddr.length;
  // Functions are shared by name (the first entry's file wins); each location has one frame.
  const fnIndex = new Map<string, number>();
  const fnName: string[] = [];
  const fnFile: string[] = [];
  const frameOf = new Int32Array(nLoc).fill(-1);
  const frameLine = new Float64Array(nLoc);
  for (const raw of p.names) {
    const m = LOCATION.exec(raw.trim());
    if (!m) continue;
    const l = locIndex.get(parseInt(m[1], 16));
    if (l === undefined) continue;
    const f = javaFrame(m[2]);
    let fi = fnIndex.get(f.name);
    if (fi === undefined) {
      fi = fnName.length;
      fnIndex.set(f.name, fi);
      fnName.push(f.name);
      fnFile.push(f.file);
    }
    frameOf[l] = fi;
    frameLine[l] = f.line;
  }
  const address = new Float64Array(nLoc);
  const firstFrame = new Uint32Array(nLoc);
  const frameCount = new Uint32Array(nLoc);
  const frameFunction: number[] = [];
  const frameLines: number[] = [];
  for (let l = 0; l < nLoc; l++) {
    // A named location loses its address (pprof aggregates Java profiles without addresses); one
    // the table does not name keeps it, so it is still told apart.
    if (frameOf[l] < 0) {
      address[l] = locAddr[l];
      continue;
    }
    firstFrame[l] = frameFunction.length;
    frameCount[l] = 1;
    frameFunction.push(frameOf[l]);
    frameLines.push(frameLine[l]);
  }
  return {
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
      labelNumUnit: new Uint32Array(labelNum.length),
    },
    locations: {
      count: nLoc,
      address,
      mapping: new Int32Array(nLoc).fill(-1),
      firstFrame,
      frameCount,
      isFolded: new Uint8Array(nLoc),
    },
    frames: {
      count: frameFunction.length,
      function: Int32Array.from(frameFunction),
      line: Float64Array.from(frameLines),
    },
    functions: {
      count: fnName.length,
      name: fnName,
      systemName: fnName.slice(),
      filename: fnFile,
      startLine: new Float64Array(fnName.length),
    },
    mappings: {
      count: 0,
      memoryStart: new Float64Array(0),
      memoryLimit: new Float64Array(0),
      fileOffset: new Float64Array(0),
      filename: [],
      buildId: [],
      hasFunctions: new Uint8Array(0),
      hasFilenames: new Uint8Array(0),
      hasLineNumbers: new Uint8Array(0),
      hasInlineFrames: new Uint8Array(0),
    },
    strings: ['', 'bytes'],
    // pprof gives these the C++/Go allocator and profiler frames to drop, anchored patterns no
    // fully qualified Java name matches: nothing to drop.
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0,
    durationNanos: p.durationNanos,
    periodType: p.periodType,
    period: p.period,
    comments: [`read from a ${p.format}`],
  };
}
