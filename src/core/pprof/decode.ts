// Decodes a pprof profile (profile.proto, optionally gzip'd) into the flat typed-array model.
//
// Shape of the work: one cheap pass over the top-level fields records where every sample,
// location, function, mapping and string lives; then the tables are decoded in dependency order
// (strings first, samples last), so every reference is resolved and checked as it is read no
// matter in which order the producer wrote the fields. Samples are read twice: a counting pass
// sizes the typed arrays exactly (growing them by doubling would cost up to 3× their size at the
// peak, hundreds of MB for a million samples), then a filling pass.
import {
  ProfileError,
  type FrameTable,
  type FunctionTable,
  type LocationTable,
  type MappingTable,
  type Profile,
  type SampleTable,
  type ValueType,
} from './model';
import { malformed, ProtoReader, WIRE_LEN, WIRE_VARINT } from './proto-reader';
import { checkProfile } from './validate';
import { describeNotAProfile, looksLikeText } from './sniff';
import { readLegacyProfile } from './legacy';

/** Decompresses a whole gzip stream; must throw ProfileError on damaged or truncated input. */
export type Inflate = (gz: Uint8Array) => Uint8Array;

/**
 * Decodes a pprof profile: gzip'd (sniffed by its magic bytes 1F 8B and handed to `inflate`) or
 * raw protobuf. Throws ProfileError, with a message meant for users, for anything that is not a
 * valid profile: other file kinds (HTML, text, execution traces, empty files), truncated or
 * corrupt data, and profiles that fail the validity check (see `checkProfile`). A profile with
 * zero samples is valid: `samples.count` is 0.
 */
export function decodeProfile(bytes: Uint8Array, inflate: Inflate): Profile {
  let data = bytes;
  let gzipped = false;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    gzipped = true;
    try {
      data = inflate(bytes);
    } catch (e) {
      if (e instanceof ProfileError) throw e;
      throw new ProfileError(
        `the file could not be decompressed (it starts like gzip data): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  // The legacy formats go tool pprof still reads (binary CPU, heap/contention/threadz text).
  const legacy = readLegacyProfile(data);
  if (legacy) return legacy;
  const other = describeNotAProfile(data, gzipped);
  if (other) throw new ProfileError(other);
  try {
    return decodeProto(data);
  } catch (e) {
    // Text that happened to get this far is still text: say so rather than quote a wire error.
    if (e instanceof ProfileError && looksLikeText(data))
      throw new ProfileError(describeText(data, gzipped));
    throw e;
  }
}

function describeText(data: Uint8Array, gzipped: boolean): string {
  const firstLine = new TextDecoder()
    .decode(data.subarray(0, 200))
    .split(/\r?\n/)[0]
    .trim()
    .slice(0, 80);
  return (
    `this is text${gzipped ? ' (inside gzip)' : ''}, not a pprof profile: it starts with "${firstLine}". ` +
    `If it came from a /debug/pprof/ URL, the request probably failed: check the URL, and that the program imports net/http/pprof.`
  );
}

/** Where each top-level repeated message field lies in the buffer: [start, end) pairs. */
class Ranges {
  data = new Uint32Array(64);
  count = 0;
  push(start: number, end: number): void {
    if (this.count * 2 + 2 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count * 2] = start;
    this.data[this.count * 2 + 1] = end;
    this.count++;
  }
}

/** Maps the proto's ids (arbitrary, nonzero) to table indexes. Go numbers ids 1…n, so a dense array covers them; other ids go to a Map. */
class IdIndex {
  private readonly dense: Int32Array;
  /** ids 0..count mapped to indexes (-1 = unknown); for hot loops that inline `get`. */
  get denseTable(): Int32Array {
    return this.dense;
  }
  private sparse: Map<number, number> | undefined;
  constructor(count: number) {
    this.dense = new Int32Array(count + 1).fill(-1);
  }
  /** Returns false when the id is already taken. */
  add(id: number, index: number): boolean {
    if (id < this.dense.length) {
      if (this.dense[id] >= 0) return false;
      this.dense[id] = index;
      return true;
    }
    this.sparse ??= new Map();
    if (this.sparse.has(id)) return false;
    this.sparse.set(id, index);
    return true;
  }
  /** The index for `id`, or -1. */
  get(id: number): number {
    if (id < this.dense.length) return this.dense[id];
    return this.sparse?.get(id) ?? -1;
  }
}

const decoder = new TextDecoder('utf-8');

function readString(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  // Function names and file names are short ASCII; fromCharCode beats TextDecoder's per-call
  // overhead on those by several times.
  if (n <= 128) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii)
      return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(buf.subarray(start, end));
}

const TOP_FIELD_NAMES = [
  '',
  'sample_type',
  'sample',
  'mapping',
  'location',
  'function',
  'string_table',
];

function expectWire(wire: number, want: number, what: string, pos: number): void {
  if (wire !== want)
    throw malformed(`${what} at byte ${pos} has wire type ${wire}, expected ${want}`);
}

/** Decodes an uncompressed profile.proto message. */
function decodeProto(buf: Uint8Array): Profile {
  const r = new ProtoReader(buf, 0, buf.length);
  const ranges = [
    new Ranges(),
    new Ranges(),
    new Ranges(),
    new Ranges(),
    new Ranges(),
    new Ranges(),
    new Ranges(),
  ];
  let dropFramesX = 0;
  let keepFramesX = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let periodTypeRange: [number, number] | undefined;
  let period = 0;
  const commentX: number[] = [];
  let defaultSampleTypeX = 0;

  // Pass 0: the top-level fields. Only the offsets of repeated messages are kept.
  while (r.pos < r.end) {
    const at = r.pos;
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0)
      throw malformed(`byte ${at} holds field number 0, which protobuf does not allow`);
    if (field <= 6) {
      expectWire(wire, WIRE_LEN, TOP_FIELD_NAMES[field], at);
      const end = r.lengthEnd(TOP_FIELD_NAMES[field]);
      ranges[field].push(r.pos, end);
      r.pos = end;
      continue;
    }
    switch (field) {
      case 7:
      case 8:
      case 9:
      case 10:
      case 12:
      case 14: {
        expectWire(wire, WIRE_VARINT, `field ${field}`, at);
        const v = r.int64();
        if (field === 7) dropFramesX = v;
        else if (field === 8) keepFramesX = v;
        else if (field === 9) timeNanos = v;
        else if (field === 10) durationNanos = v;
        else if (field === 12) period = v;
        else defaultSampleTypeX = v;
        break;
      }
      case 11: {
        expectWire(wire, WIRE_LEN, 'period_type', at);
        const end = r.lengthEnd('period_type');
        periodTypeRange = [r.pos, end];
        r.pos = end;
        break;
      }
      case 13:
        if (wire === WIRE_LEN) {
          const end = r.lengthEnd('comment');
          while (r.pos < end) commentX.push(r.int64());
          if (r.pos !== end)
            throw malformed(`the packed comment list at byte ${at} ends inside a number`);
        } else {
          expectWire(wire, WIRE_VARINT, 'comment', at);
          commentX.push(r.int64());
        }
        break;
      default:
        r.skip(wire);
    }
  }

  // The string table comes first so that every later reference is checked as it is read.
  const stringRanges = ranges[6];
  if (stringRanges.count === 0) {
    throw new ProfileError(
      'not a pprof profile: the data parses as protobuf but has no string table, which every pprof profile has. ' +
        'Check that the file is a profile saved from /debug/pprof/… or runtime/pprof.',
    );
  }
  const strings: string[] = new Array(stringRanges.count);
  for (let i = 0; i < stringRanges.count; i++)
    strings[i] = readString(buf, stringRanges.data[2 * i], stringRanges.data[2 * i + 1]);
  if (strings[0] !== '')
    throw malformed(
      `the string table's first entry must be empty, but it is "${strings[0].slice(0, 40)}"`,
    );
  const str = (x: number, what: string): number => {
    if (!(x >= 0 && x < strings.length))
      throw malformed(
        `${what} refers to string ${x}, but the string table has ${strings.length} entries`,
      );
    return x;
  };

  const readValueType = (start: number, end: number, what: string): ValueType => {
    r.reset(start, end);
    let typeX = 0;
    let unitX = 0;
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 1 || field === 2) {
        expectWire(wire, WIRE_VARINT, `${what} field ${field}`, at);
        if (field === 1) typeX = r.int64();
        else unitX = r.int64();
      } else r.skip(wire);
    }
    return { type: strings[str(typeX, what)], unit: strings[str(unitX, what)] };
  };
  const sampleTypes: ValueType[] = [];
  for (let i = 0; i < ranges[1].count; i++)
    sampleTypes.push(
      readValueType(ranges[1].data[2 * i], ranges[1].data[2 * i + 1], `sample type ${i}`),
    );
  const periodType = periodTypeRange
    ? readValueType(periodTypeRange[0], periodTypeRange[1], 'the period type')
    : undefined;

  const mappingIds = new IdIndex(ranges[3].count);
  const mappings = decodeMappings(r, ranges[3], mappingIds, strings, str);
  const functionIds = new IdIndex(ranges[5].count);
  const functions = decodeFunctions(r, ranges[5], functionIds, strings, str);
  const locationIds = new IdIndex(ranges[4].count);
  const { locations, frames } = decodeLocations(r, ranges[4], locationIds, mappingIds, functionIds);
  const samples = decodeSamples(r, ranges[2], sampleTypes, locationIds, str);

  let defaultSampleType = sampleTypes.length - 1;
  if (defaultSampleTypeX !== 0) {
    // As pprof: the named type when one has that name, else the last.
    const name = strings[str(defaultSampleTypeX, 'default_sample_type')];
    const i = sampleTypes.findIndex((t) => t.type === name);
    if (i >= 0) defaultSampleType = i;
  }

  const profile: Profile = {
    sampleTypes,
    defaultSampleType,
    samples,
    locations,
    frames,
    functions,
    mappings,
    strings,
    dropFrames: strings[str(dropFramesX, 'drop_frames')],
    keepFrames: strings[str(keepFramesX, 'keep_frames')],
    timeNanos,
    durationNanos,
    periodType,
    period,
    comments: commentX.map((x) => strings[str(x, 'a comment')]),
  };
  checkProfile(profile);
  return profile;
}

type StrCheck = (x: number, what: string) => number;

function decodeMappings(
  r: ProtoReader,
  ranges: Ranges,
  ids: IdIndex,
  strings: string[],
  str: StrCheck,
): MappingTable {
  const n = ranges.count;
  const t: MappingTable = {
    count: n,
    memoryStart: new Float64Array(n),
    memoryLimit: new Float64Array(n),
    fileOffset: new Float64Array(n),
    filename: new Array<string>(n),
    buildId: new Array<string>(n),
    hasFunctions: new Uint8Array(n),
    hasFilenames: new Uint8Array(n),
    hasLineNumbers: new Uint8Array(n),
    hasInlineFrames: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    r.reset(ranges.data[2 * i], ranges.data[2 * i + 1]);
    let id = 0;
    let fileX = 0;
    let buildX = 0;
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field >= 1 && field <= 10) {
        expectWire(wire, WIRE_VARINT, `mapping ${i} field ${field}`, at);
        const v = field === 5 || field === 6 ? r.int64() : r.varint();
        switch (field) {
          case 1:
            id = v;
            break;
          case 2:
            t.memoryStart[i] = v;
            break;
          case 3:
            t.memoryLimit[i] = v;
            break;
          case 4:
            t.fileOffset[i] = v;
            break;
          case 5:
            fileX = v;
            break;
          case 6:
            buildX = v;
            break;
          case 7:
            t.hasFunctions[i] = v ? 1 : 0;
            break;
          case 8:
            t.hasFilenames[i] = v ? 1 : 0;
            break;
          case 9:
            t.hasLineNumbers[i] = v ? 1 : 0;
            break;
          default:
            t.hasInlineFrames[i] = v ? 1 : 0;
        }
      } else r.skip(wire);
    }
    if (id === 0) throw malformed(`mapping ${i} has id 0, which is reserved`);
    if (!ids.add(id, i)) throw malformed(`two mappings have the same id ${id}`);
    t.filename[i] = strings[str(fileX, `mapping ${id}`)];
    t.buildId[i] = strings[str(buildX, `mapping ${id}`)];
  }
  return t;
}

function decodeFunctions(
  r: ProtoReader,
  ranges: Ranges,
  ids: IdIndex,
  strings: string[],
  str: StrCheck,
): FunctionTable {
  const n = ranges.count;
  const t: FunctionTable = {
    count: n,
    name: new Array<string>(n),
    systemName: new Array<string>(n),
    filename: new Array<string>(n),
    startLine: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    r.reset(ranges.data[2 * i], ranges.data[2 * i + 1]);
    let id = 0;
    let nameX = 0;
    let sysX = 0;
    let fileX = 0;
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field >= 1 && field <= 5) {
        expectWire(wire, WIRE_VARINT, `function ${i} field ${field}`, at);
        if (field === 1) id = r.varint();
        else {
          const v = r.int64();
          if (field === 2) nameX = v;
          else if (field === 3) sysX = v;
          else if (field === 4) fileX = v;
          else t.startLine[i] = v;
        }
      } else r.skip(wire);
    }
    if (id === 0) throw malformed(`function ${i} has id 0, which is reserved`);
    if (!ids.add(id, i)) throw malformed(`two functions have the same id ${id}`);
    t.name[i] = strings[str(nameX, `function ${id}`)];
    t.systemName[i] = strings[str(sysX, `function ${id}`)];
    t.filename[i] = strings[str(fileX, `function ${id}`)];
  }
  return t;
}

function decodeLocations(
  r: ProtoReader,
  ranges: Ranges,
  ids: IdIndex,
  mappingIds: IdIndex,
  functionIds: IdIndex,
): { locations: LocationTable; frames: FrameTable } {
  const n = ranges.count;
  const loc: LocationTable = {
    count: n,
    address: new Float64Array(n),
    mapping: new Int32Array(n),
    firstFrame: new Uint32Array(n),
    frameCount: new Uint32Array(n),
    isFolded: new Uint8Array(n),
  };
  // Most locations have one Line; inlining adds a few. Grown by doubling, trimmed at the end.
  let frameFn = new Int32Array(Math.max(16, n + (n >> 2)));
  let frameLine = new Float64Array(frameFn.length);
  let nf = 0;
  const lineReader = new ProtoReader(r.buf, 0, 0);
  for (let i = 0; i < n; i++) {
    r.reset(ranges.data[2 * i], ranges.data[2 * i + 1]);
    let id = 0;
    let mappingId = 0;
    loc.firstFrame[i] = nf;
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      switch (field) {
        case 1:
        case 2:
        case 3:
        case 5: {
          expectWire(wire, WIRE_VARINT, `location ${i} field ${field}`, at);
          const v = r.varint();
          if (field === 1) id = v;
          else if (field === 2) mappingId = v;
          else if (field === 3) loc.address[i] = v;
          else loc.isFolded[i] = v ? 1 : 0;
          break;
        }
        case 4: {
          expectWire(wire, WIRE_LEN, `location ${i} line`, at);
          const end = r.lengthEnd('a line');
          lineReader.reset(r.pos, end);
          r.pos = end;
          let fnId = 0;
          let line = 0;
          while (lineReader.pos < lineReader.end) {
            const lat = lineReader.pos;
            const ltag = lineReader.varint();
            const lfield = Math.floor(ltag / 8);
            const lwire = ltag % 8;
            if (lfield === 1 || lfield === 2) {
              expectWire(lwire, WIRE_VARINT, `a line of location ${i}`, lat);
              if (lfield === 1) fnId = lineReader.varint();
              else line = lineReader.int64();
            } else lineReader.skip(lwire);
          }
          let fn = -1;
          if (fnId !== 0) {
            fn = functionIds.get(fnId);
            if (fn < 0)
              throw malformed(
                `location ${i} has a line in function id ${fnId}, which is not in the profile`,
              );
          }
          if (nf === frameFn.length) {
            const f2 = new Int32Array(nf * 2);
            f2.set(frameFn);
            frameFn = f2;
            const l2 = new Float64Array(nf * 2);
            l2.set(frameLine);
            frameLine = l2;
          }
          frameFn[nf] = fn;
          frameLine[nf] = line;
          nf++;
          break;
        }
        default:
          r.skip(wire);
      }
    }
    if (id === 0) throw malformed(`location ${i} has id 0, which is reserved`);
    if (!ids.add(id, i)) throw malformed(`two locations have the same id ${id}`);
    loc.frameCount[i] = nf - loc.firstFrame[i];
    if (mappingId === 0) loc.mapping[i] = -1;
    else {
      const m = mappingIds.get(mappingId);
      if (m < 0)
        throw malformed(
          `location ${id} refers to mapping id ${mappingId}, which is not in the profile`,
        );
      loc.mapping[i] = m;
    }
  }
  const frames: FrameTable = {
    count: nf,
    function: frameFn.slice(0, nf),
    line: frameLine.slice(0, nf),
  };
  return { locations: loc, frames };
}

/** Counts the varints in a packed field: one per byte without the continuation bit. */
function countPacked(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (buf[i] < 0x80) n++;
  return n;
}

function describeTypes(types: ValueType[]): string {
  return types.length === 0 ? 'none' : types.map((t) => `${t.type}/${t.unit}`).join(', ');
}

function decodeSamples(
  r: ProtoReader,
  ranges: Ranges,
  sampleTypes: ValueType[],
  locationIds: IdIndex,
  str: StrCheck,
): SampleTable {
  const n = ranges.count;
  const nTypes = sampleTypes.length;
  const buf = r.buf;
  const rd = ranges.data;

  // Pass 1: count stack entries and labels, and check the number of values.
  let totalLocs = 0;
  let totalLabels = 0;
  for (let s = 0; s < n; s++) {
    r.reset(rd[2 * s], rd[2 * s + 1]);
    let values = 0;
    while (r.pos < r.end) {
      const tag = r.varint();
      const wire = tag & 7;
      const field = tag >>> 3;
      if (field === 1 || field === 2) {
        let k = 1;
        if (wire === WIRE_LEN) {
          const end = r.lengthEnd(field === 1 ? 'a stack' : 'sample values');
          k = countPacked(buf, r.pos, end);
          r.pos = end;
        } else r.skip(wire);
        if (field === 1) totalLocs += k;
        else values += k;
      } else {
        if (field === 3) totalLabels++;
        r.skip(wire);
      }
    }
    if (values !== nTypes) {
      throw malformed(
        `sample ${s} has ${values} values, expected ${nTypes} (sample types: ${describeTypes(sampleTypes)})`,
      );
    }
  }

  const t: SampleTable = {
    count: n,
    stackStart: new Uint32Array(n + 1),
    stackLocations: new Uint32Array(totalLocs),
    values: new Float64Array(n * nTypes),
    labelStart: new Uint32Array(n + 1),
    labelKey: new Uint32Array(totalLabels),
    labelStr: new Uint32Array(totalLabels),
    labelNum: new Float64Array(totalLabels),
    labelNumUnit: new Uint32Array(totalLabels),
  };
  const stack = t.stackLocations;
  const values = t.values;
  let nl = 0;
  let nv = 0;
  let nlab = 0;
  const labelReader = new ProtoReader(buf, 0, 0);
  const dense = locationIds.denseTable;
  const denseLen = dense.length;

  // Pass 2: fill. Location ids are resolved to indexes here; the dense id table makes that an
  // array read for Go's profiles.
  for (let s = 0; s < n; s++) {
    r.reset(rd[2 * s], rd[2 * s + 1]);
    t.stackStart[s] = nl;
    t.labelStart[s] = nlab;
    while (r.pos < r.end) {
      const at = r.pos;
      const tag = r.varint();
      const wire = tag & 7;
      const field = tag >>> 3;
      if (field === 1) {
        if (wire === WIRE_LEN) {
          const end = r.lengthEnd('a stack');
          // The hottest loop of the decoder (one turn per stack entry): ids below 2^21 are
          // decoded inline and looked up in the dense id table directly.
          let pos = r.pos;
          while (pos < end) {
            let id = buf[pos];
            if (id < 0x80) pos++;
            else if (pos + 1 < end && buf[pos + 1] < 0x80) {
              id = (id & 0x7f) | (buf[pos + 1] << 7);
              pos += 2;
            } else if (pos + 2 < end && buf[pos + 1] >= 0x80 && buf[pos + 2] < 0x80) {
              id = (id & 0x7f) | ((buf[pos + 1] & 0x7f) << 7) | (buf[pos + 2] << 14);
              pos += 3;
            } else {
              r.pos = pos;
              id = r.varint();
              pos = r.pos;
            }
            const li = id < denseLen ? dense[id] : locationIds.get(id);
            if (li < 0)
              throw malformed(
                `sample ${s} refers to location id ${id}, which is not in the profile`,
              );
            stack[nl++] = li;
          }
          r.pos = pos;
          if (pos !== end)
            throw malformed(`the stack of sample ${s} ends inside a number (byte ${end})`);
        } else {
          expectWire(wire, WIRE_VARINT, `the stack of sample ${s}`, at);
          const id = r.varint();
          const li = locationIds.get(id);
          if (li < 0)
            throw malformed(`sample ${s} refers to location id ${id}, which is not in the profile`);
          stack[nl++] = li;
        }
      } else if (field === 2) {
        if (wire === WIRE_LEN) {
          const end = r.lengthEnd('sample values');
          while (r.pos < end) values[nv++] = r.int64();
          if (r.pos !== end)
            throw malformed(`the values of sample ${s} end inside a number (byte ${end})`);
        } else {
          expectWire(wire, WIRE_VARINT, `a value of sample ${s}`, at);
          values[nv++] = r.int64();
        }
      } else if (field === 3) {
        expectWire(wire, WIRE_LEN, `a label of sample ${s}`, at);
        const end = r.lengthEnd('a label');
        labelReader.reset(r.pos, end);
        r.pos = end;
        let key = 0;
        let sv = 0;
        let num = 0;
        let unit = 0;
        while (labelReader.pos < labelReader.end) {
          const lat = labelReader.pos;
          const ltag = labelReader.varint();
          const lfield = Math.floor(ltag / 8);
          const lwire = ltag % 8;
          if (lfield >= 1 && lfield <= 4) {
            expectWire(lwire, WIRE_VARINT, `a label of sample ${s}`, lat);
            const v = labelReader.int64();
            if (lfield === 1) key = v;
            else if (lfield === 2) sv = v;
            else if (lfield === 3) num = v;
            else unit = v;
          } else labelReader.skip(lwire);
        }
        str(key, `a label of sample ${s}`);
        str(sv, `a label of sample ${s}`);
        str(unit, `a label of sample ${s}`);
        // As pprof: a label with neither a string nor a number carries nothing and is dropped.
        if (sv === 0 && num === 0 && unit === 0) continue;
        t.labelKey[nlab] = key;
        t.labelStr[nlab] = sv;
        t.labelNum[nlab] = num;
        t.labelNumUnit[nlab] = unit;
        nlab++;
      } else {
        r.skip(wire);
      }
    }
    // Pass 1 counted bytes, pass 2 decoded numbers: if they disagree the packed data is broken.
    if (nv !== (s + 1) * nTypes)
      throw malformed(`sample ${s} has values that do not decode as ${nTypes} numbers`);
  }
  if (nl !== totalLocs)
    throw malformed('sample stacks do not decode to the number of entries their bytes promise');
  t.stackStart[n] = nl;
  t.labelStart[n] = nlab;
  if (nlab !== totalLabels) {
    t.labelKey = t.labelKey.slice(0, nlab);
    t.labelStr = t.labelStr.slice(0, nlab);
    t.labelNum = t.labelNum.slice(0, nlab);
    t.labelNumUnit = t.labelNumUnit.slice(0, nlab);
  }
  return t;
}
