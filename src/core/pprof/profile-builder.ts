// Builds the profile model (model.ts) from stacks of named frames, for readers of formats other
// than profile.proto (perf script text, folded stacks). Stacks, locations, functions and label sets
// are interned as they arrive, and samples with the same stack, labels and sample type are summed,
// so memory grows with the number of distinct stacks, not with the input's size: a 1 GB perf
// script of a few thousand distinct stacks builds a profile of a few MB.
import { ownString } from '../own-string';
import { U32List } from '../u32-list';
import type {
  FrameTable,
  FunctionTable,
  LocationTable,
  MappingTable,
  Profile,
  SampleTable,
  ValueType,
} from './model';

/** One frame of a location: a function name, its source file ('' when unknown) and line (0 when unknown). */
export interface BuilderFrame {
  name: string;
  file: string;
  line: number;
  /** The symbol as the producer printed it, when it differs from `name`. */
  systemName?: string;
}

/** A growable array of doubles. */
class F64List {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const grown = new Float64Array(n);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

export class ProfileBuilder {
  private readonly sampleTypes: ValueType[] = [];
  private readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);

  private readonly fnIndex = new Map<string, number>();
  private readonly fnName: string[] = [];
  private readonly fnSystemName: string[] = [];
  private readonly fnFile: string[] = [];

  private readonly mapIndex = new Map<string, number>();
  private readonly mapFile: string[] = [];

  private readonly locIndex = new Map<string, number>();
  private readonly locAddress = new F64List();
  private readonly locMapping: number[] = [];
  private readonly locFirstFrame = new U32List();
  private readonly locFrameCount = new U32List();
  private readonly frameFunction = new U32List();
  private readonly frameLine = new F64List();

  private readonly stackIndex = new Map<string, number>();
  private readonly stackStart = new U32List();
  private readonly stackLocations = new U32List();

  private readonly labelSetIndex = new Map<string, number>();
  private readonly labelSets: [number, number][][] = [];

  private readonly sampleIndex = new Map<string, number>();
  private readonly sampleStack = new U32List();
  private readonly sampleLabels = new U32List();
  private readonly sampleType = new U32List();
  private readonly sampleValue = new F64List();
  /**
   * A second value of each sample, of the type paired with its first (`pairedTypes`): a perf
   * clock sample is one sample of `samples/count` and `cpu/nanoseconds`, as in a Go CPU profile.
   * Made at the first paired sample.
   */
  private pairedValue: F64List | undefined;
  private readonly pairedTypes = new Map<number, number>();

  periodType: ValueType | undefined;
  period = 0;
  durationNanos = 0;
  timeNanos = 0;
  defaultSampleType = -1;
  readonly comments: string[] = [];

  /** Every sample came from appendSample: sample s has stack s, so the stacks are already the samples' (build copies them whole). */
  private onlyAppended = true;

  constructor() {
    this.stackStart.push(0);
  }

  /** The index of a sample type, added at the end when new. */
  sampleTypeIndex(type: string, unit: string): number {
    const i = this.sampleTypes.findIndex((t) => t.type === type && t.unit === unit);
    if (i >= 0) return i;
    this.sampleTypes.push({ type, unit });
    return this.sampleTypes.length - 1;
  }

  get sampleTypeCount(): number {
    return this.sampleTypes.length;
  }

  private str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      s = ownString(s);
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  private fn(frame: BuilderFrame): number {
    const key = frame.name + '\0' + frame.file;
    let i = this.fnIndex.get(key);
    if (i === undefined) {
      i = this.fnName.length;
      this.fnName.push(ownString(frame.name));
      this.fnSystemName.push(
        frame.systemName === undefined ? this.fnName[i] : ownString(frame.systemName),
      );
      this.fnFile.push(ownString(frame.file));
      this.fnIndex.set(ownString(key), i);
    }
    return i;
  }

  /** A mapping per object file (binary, shared library, `[kernel.kallsyms]`); -1 for ''. */
  mapping(file: string): number {
    if (file === '') return -1;
    let i = this.mapIndex.get(file);
    if (i === undefined) {
      i = this.mapFile.length;
      file = ownString(file);
      this.mapFile.push(file);
      this.mapIndex.set(file, i);
    }
    return i;
  }

  /**
   * The location `key` names (the caller picks a key that identifies it, e.g. object file and
   * address); `make` gives its frames, innermost first, the first time the key is seen.
   */
  location(
    key: string,
    make: () => { address: number; mapping: number; frames: BuilderFrame[] },
  ): number {
    const i = this.locIndex.get(key);
    if (i !== undefined) return i;
    const { address, mapping, frames } = make();
    return this.addLocation(key, address, mapping, frames);
  }

  /** The location made for `key`, if any (with addLocation: `location` without a closure per call). */
  findLocation(key: string): number | undefined {
    return this.locIndex.get(key);
  }

  /** Makes the location of a new `key`. */
  addLocation(key: string, address: number, mapping: number, frames: BuilderFrame[]): number {
    const i = this.locMapping.length;
    this.locAddress.push(address);
    this.locMapping.push(mapping);
    this.locFirstFrame.push(this.frameFunction.length);
    this.locFrameCount.push(frames.length);
    for (const f of frames) {
      this.frameFunction.push(this.fn(f));
      this.frameLine.push(f.line);
    }
    this.locIndex.set(ownString(key), i);
    return i;
  }

  /**
   * Gives the outermost frame of location `loc` a source file and line (learnt after the location
   * was made, e.g. from a srcline that follows a frame).
   */
  setOuterFrameSource(loc: number, file: string, line: number): void {
    const f = this.locFirstFrame.data[loc] + this.locFrameCount.data[loc] - 1;
    const fn = this.frameFunction.data[f];
    this.frameFunction.data[f] = this.fn({
      name: this.fnName[fn],
      file,
      line,
      systemName: this.fnSystemName[fn],
    });
    this.frameLine.data[f] = line;
  }

  /** The id of a set of string labels (key, value pairs); equal sets share one id. */
  labelSet(labels: [string, string][]): number {
    const key = labels.map(([k, v]) => k + '\0' + v).join('\0');
    let i = this.labelSetIndex.get(key);
    if (i === undefined) {
      i = this.labelSets.length;
      this.labelSets.push(labels.map(([k, v]) => [this.str(k), this.str(v)]));
      this.labelSetIndex.set(key, i);
    }
    return i;
  }

  /** The id of a stack of location indexes, leaf first. */
  stack(locations: ArrayLike<number>, length = locations.length): number {
    this.onlyAppended = false;
    let key = '';
    for (let i = 0; i < length; i++) key += locations[i] + ',';
    let id = this.stackIndex.get(key);
    if (id === undefined) {
      id = this.stackStart.length - 1;
      for (let i = 0; i < length; i++) this.stackLocations.push(locations[i]);
      this.stackStart.push(this.stackLocations.length);
      this.stackIndex.set(key, id);
    }
    return id;
  }

  /**
   * Adds a sample whose stack is `rootFirst[0 .. length)` (location indexes, root first) without
   * looking for an equal stack or sample: for inputs that list each stack once (folded files),
   * where interning would only cost time.
   */
  appendSample(
    rootFirst: ArrayLike<number>,
    length: number,
    labelSet: number,
    sampleType: number,
    value: number,
  ): void {
    const stack = this.stackStart.length - 1;
    // Written in place (a folded file's 1M lines are some 15M entries).
    const list = this.stackLocations;
    if (list.length + length > list.data.length) {
      const grown = new Uint32Array(Math.max(2 * list.data.length, list.length + length));
      grown.set(list.data.subarray(0, list.length));
      list.data = grown;
    }
    const data = list.data;
    let at = list.length;
    for (let i = length - 1; i >= 0; i--) data[at++] = rootFirst[i];
    list.length = at;
    this.stackStart.push(at);
    this.sampleStack.push(stack);
    this.sampleLabels.push(labelSet);
    this.sampleType.push(sampleType);
    this.sampleValue.push(value);
    this.pairedValue?.push(0);
  }

  /**
   * Makes room for `samples` samples in all, and `stackEntries` locations in their stacks, when a
   * reader can tell how many are coming (so the lists need not grow by copying).
   */
  reserve(samples: number, stackEntries: number): void {
    this.stackStart.reserve(samples + 1);
    this.stackLocations.reserve(stackEntries);
    this.sampleStack.reserve(samples);
    this.sampleLabels.reserve(samples);
    this.sampleType.reserve(samples);
    this.sampleValue.reserve(samples);
    this.pairedValue?.reserve(samples);
  }

  /** The locations in the stacks made so far. */
  get stackEntries(): number {
    return this.stackLocations.length;
  }

  /**
   * Adds `value` to the sample of (stack, label set, sample type), made when new; and `pairedValue`
   * of `pairedType`, which must be the same for every sample of `sampleType`, to the same sample.
   */
  addSample(
    stack: number,
    labelSet: number,
    sampleType: number,
    value: number,
    pairedType = -1,
    pairedValue = 0,
  ): void {
    this.onlyAppended = false;
    if (pairedType >= 0 && this.pairedValue === undefined) {
      this.pairedValue = new F64List(Math.max(1024, this.sampleValue.data.length));
      this.pairedValue.length = this.sampleValue.length;
    }
    if (pairedType >= 0) this.pairedTypes.set(sampleType, pairedType);
    const key = stack + ',' + labelSet + ',' + sampleType;
    const i = this.sampleIndex.get(key);
    if (i !== undefined) {
      this.sampleValue.data[i] += value;
      if (pairedType >= 0) this.pairedValue!.data[i] += pairedValue;
      return;
    }
    this.sampleIndex.set(key, this.sampleValue.length);
    this.sampleStack.push(stack);
    this.sampleLabels.push(labelSet);
    this.sampleType.push(sampleType);
    this.sampleValue.push(value);
    this.pairedValue?.push(pairedType >= 0 ? pairedValue : 0);
  }

  get distinctSamples(): number {
    return this.sampleValue.length;
  }

  /** The profile built so far (the builder can go on afterwards). */
  build(): Profile {
    const nTypes = this.sampleTypes.length;
    const n = this.sampleValue.length;
    const whole = this.onlyAppended;
    let stackLen = whole ? this.stackLocations.length : 0;
    let labelLen = 0;
    for (let s = 0; s < n; s++) {
      const st = this.sampleStack.data[s];
      if (!whole) stackLen += this.stackStart.data[st + 1] - this.stackStart.data[st];
      labelLen += this.labelSets[this.sampleLabels.data[s]]?.length ?? 0;
    }
    const stackStart = whole ? this.stackStart.data.slice(0, n + 1) : new Uint32Array(n + 1);
    const stackLocations = whole ? this.stackLocations.toArray() : new Uint32Array(stackLen);
    const labelStart = new Uint32Array(n + 1);
    const labelKey = new Uint32Array(labelLen);
    const labelStr = new Uint32Array(labelLen);
    const values = new Float64Array(n * nTypes);
    let at = 0;
    let lat = 0;
    for (let s = 0; s < n; s++) {
      labelStart[s] = lat;
      if (!whole) {
        stackStart[s] = at;
        const st = this.sampleStack.data[s];
        for (let k = this.stackStart.data[st]; k < this.stackStart.data[st + 1]; k++)
          stackLocations[at++] = this.stackLocations.data[k];
      }
      const labels = this.labelSets[this.sampleLabels.data[s]];
      if (labels !== undefined && labels.length > 0) {
        for (const [k, v] of labels) {
          labelKey[lat] = k;
          labelStr[lat] = v;
          lat++;
        }
      }
      const type = this.sampleType.data[s];
      values[s * nTypes + type] = this.sampleValue.data[s];
      const paired = this.pairedTypes.get(type);
      if (paired !== undefined) values[s * nTypes + paired] = this.pairedValue!.data[s];
    }
    if (!whole) stackStart[n] = at;
    labelStart[n] = lat;
    const samples: SampleTable = {
      count: n,
      stackStart,
      stackLocations,
      values,
      labelStart,
      labelKey,
      labelStr,
      labelNum: new Float64Array(labelLen),
      labelNumUnit: new Uint32Array(labelLen),
    };
    const nLoc = this.locMapping.length;
    const locations: LocationTable = {
      count: nLoc,
      address: this.locAddress.data.slice(0, nLoc),
      mapping: Int32Array.from(this.locMapping),
      firstFrame: this.locFirstFrame.toArray(),
      frameCount: this.locFrameCount.toArray(),
      isFolded: new Uint8Array(nLoc),
    };
    const nFrames = this.frameFunction.length;
    const frames: FrameTable = {
      count: nFrames,
      function: Int32Array.from(this.frameFunction.toArray()),
      line: this.frameLine.data.slice(0, nFrames),
    };
    const functions: FunctionTable = {
      count: this.fnName.length,
      name: [...this.fnName],
      systemName: [...this.fnSystemName],
      filename: [...this.fnFile],
      startLine: new Float64Array(this.fnName.length),
    };
    const nMap = this.mapFile.length;
    const mappings: MappingTable = {
      count: nMap,
      memoryStart: new Float64Array(nMap),
      memoryLimit: new Float64Array(nMap),
      fileOffset: new Float64Array(nMap),
      filename: [...this.mapFile],
      buildId: new Array<string>(nMap).fill(''),
      hasFunctions: new Uint8Array(nMap).fill(1),
      hasFilenames: new Uint8Array(nMap),
      hasLineNumbers: new Uint8Array(nMap),
      hasInlineFrames: new Uint8Array(nMap),
    };
    return {
      sampleTypes: this.sampleTypes.map((t) => ({ ...t })),
      defaultSampleType:
        nTypes === 0
          ? 0
          : this.defaultSampleType >= 0 && this.defaultSampleType < nTypes
            ? this.defaultSampleType
            : nTypes - 1,
      samples,
      locations,
      frames,
      functions,
      mappings,
      strings: [...this.strings],
      dropFrames: '',
      keepFrames: '',
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      periodType: this.periodType,
      period: this.period,
      comments: [...this.comments],
    };
  }
}
