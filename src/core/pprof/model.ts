// The decoded pprof profile (profile.proto), held in flat typed arrays with integer indexes so a
// profile of a million samples costs tens of megabytes, not gigabytes, and can be posted between
// threads without a copy per object. Names follow profile.proto.
//
// Indexes, not ids: every reference below is a 0-based index into the referenced table. The
// proto's own ids (arbitrary, nonzero) are resolved at decode time and not kept.

/** What one column of sample values measures, e.g. `{ type: 'cpu', unit: 'nanoseconds' }`. */
export interface ValueType {
  type: string;
  unit: string;
}

/** One function: a row of `Profile.functions`. */
export interface FunctionTable {
  count: number;
  /** Function name as pprof prints it (`main.burn`, `runtime.mallocgc`). */
  name: string[];
  systemName: string[];
  /** Source file as recorded by the compiler: absolute, or module-relative with -trimpath. */
  filename: string[];
  startLine: Float64Array;
}

/**
 * Frames: the Lines of every Location, concatenated. Location `l` owns frames
 * `locations.firstFrame[l] .. firstFrame[l] + frameCount[l] - 1`, innermost (inlined callee)
 * first, outermost caller last, as pprof prints them.
 */
export interface FrameTable {
  count: number;
  /** Index into `functions`, or -1 when the Line has no function. */
  function: Int32Array;
  line: Float64Array;
}

export interface LocationTable {
  count: number;
  address: Float64Array;
  /** Index into `mappings`, or -1. */
  mapping: Int32Array;
  firstFrame: Uint32Array;
  frameCount: Uint32Array;
  isFolded: Uint8Array;
}

export interface MappingTable {
  count: number;
  memoryStart: Float64Array;
  memoryLimit: Float64Array;
  fileOffset: Float64Array;
  filename: string[];
  buildId: string[];
  hasFunctions: Uint8Array;
  hasFilenames: Uint8Array;
  hasLineNumbers: Uint8Array;
  hasInlineFrames: Uint8Array;
}

/**
 * Samples, column-wise. Sample `s` has the stack `stackLocations[stackStart[s] .. stackStart[s+1])`
 * (location indexes, leaf first) and the values `values[s * sampleTypes.length + t]`.
 * Its labels are `labels*[labelStart[s] .. labelStart[s+1])`.
 */
export interface SampleTable {
  count: number;
  stackStart: Uint32Array;
  stackLocations: Uint32Array;
  values: Float64Array;
  labelStart: Uint32Array;
  /** Label key, as an index into `Profile.strings`. */
  labelKey: Uint32Array;
  /** String value (index into `Profile.strings`; 0 = none, i.e. a numeric label). */
  labelStr: Uint32Array;
  labelNum: Float64Array;
  /** Unit of a numeric label (index into `Profile.strings`; 0 = none). */
  labelNumUnit: Uint32Array;
}

export interface Profile {
  sampleTypes: ValueType[];
  /** The sample type pprof shows first: `default_sample_type` when set, otherwise the last one. */
  defaultSampleType: number;
  samples: SampleTable;
  locations: LocationTable;
  frames: FrameTable;
  functions: FunctionTable;
  mappings: MappingTable;
  /** The decoded string table; label keys and values index into it. */
  strings: string[];
  dropFrames: string;
  keepFrames: string;
  timeNanos: number;
  durationNanos: number;
  periodType: ValueType | undefined;
  period: number;
  comments: string[];
}

/** A profile that could not be decoded or failed the validity check. The message is for users. */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

/** A frame's line as the tree stores it: 0 when unknown or out of Int32 range. */
export function clampLine(line: number): number {
  return line > 0 && line <= 0x7fffffff ? line : 0;
}
