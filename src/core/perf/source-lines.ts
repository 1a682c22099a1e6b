// Source lines for perf's frames of Go binaries. perf prints a frame as `symbol+offset (binary)`
// and cannot read Go's line tables, so its srcline for Go code is `??:0`; the binary's own tables
// give the file and line: its function table read by go-pclntab.ts (with the calls the compiler
// inlined, as the Go runtime's profiler expands them), or, for binaries that reader does not
// read, `go tool nm` and `go tool addr2line` (run by the caller; no inlined calls). This file is
// the pure part: which addresses to ask for, and the profile with the answers in it.
import type { Profile } from '../pprof/model';
import type { GoFrame } from './go-pclntab';

/** One address to resolve: location `location`'s pc in the binary of `binary`. */
export interface LineQuery {
  location: number;
  binary: string;
  symbol: string;
  /** pc − symbol start. For a caller frame 1 is taken off (the return address is after the call). */
  offset: number;
}

/** An answer: the source file and line of a location's pc. */
export interface LineAnswer {
  location: number;
  file: string;
  line: number;
}

/**
 * The queries for the locations of `profile` that lack a line, whose outermost frame is a Go
 * function with a symbol offset and whose mapping is a file (not `[kernel.kallsyms]`).
 */
export function lineQueries(profile: Profile, symbolOffsets: Float64Array): LineQuery[] {
  const loc = profile.locations;
  const isCaller = new Uint8Array(loc.count);
  const s = profile.samples;
  for (let i = 0; i < s.count; i++)
    for (let k = s.stackStart[i] + 1; k < s.stackStart[i + 1]; k++)
      isCaller[s.stackLocations[k]] = 1;
  const out: LineQuery[] = [];
  for (let l = 0; l < loc.count; l++) {
    const m = loc.mapping[l];
    const off = symbolOffsets[l];
    if (m < 0 || off < 0 || loc.frameCount[l] === 0) continue;
    const binary = profile.mappings.filename[m];
    if (!binary.startsWith('/')) continue;
    const frame = loc.firstFrame[l] + loc.frameCount[l] - 1;
    if (profile.frames.line[frame] > 0) continue;
    const fn = profile.frames.function[frame];
    if (fn < 0 || profile.functions.filename[fn] !== '') continue;
    out.push({
      location: l,
      binary,
      symbol: profile.functions.systemName[fn],
      offset: isCaller[l] && off > 0 ? off - 1 : off,
    });
  }
  return out;
}

/**
 * The functions of a profile, growing: a function per (name, file), as the model keys them, so
 * giving a frame a file splits its function. `table()` is the new function table.
 */
class FunctionsByFile {
  private readonly byKey = new Map<string, number>();
  private readonly names: string[];
  private readonly systemNames: string[];
  private readonly files: string[];
  private readonly startLines: number[];

  constructor(f: Profile['functions']) {
    for (let i = 0; i < f.count; i++) this.byKey.set(f.name[i] + '\0' + f.filename[i], i);
    this.names = [...f.name];
    this.systemNames = [...f.systemName];
    this.files = [...f.filename];
    this.startLines = Array.from(f.startLine);
  }

  name(fn: number): string {
    return this.names[fn];
  }

  /** The function `name` in `file`, added when new. */
  of(name: string, systemName: string, file: string, startLine: number): number {
    const key = name + '\0' + file;
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.systemNames.push(systemName);
      this.files.push(file);
      this.startLines.push(startLine);
      this.byKey.set(key, i);
    }
    return i;
  }

  table(): Profile['functions'] {
    return {
      count: this.names.length,
      name: this.names,
      systemName: this.systemNames,
      filename: this.files,
      startLine: Float64Array.from(this.startLines),
    };
  }
}

/**
 * `profile` with the answers' files and lines on the outermost frame of each location (functions
 * are split by file, as the model keys them). The profile is changed in place and returned.
 */
export function applyLines(profile: Profile, answers: LineAnswer[]): Profile {
  if (answers.length === 0) return profile;
  const functions = new FunctionsByFile(profile.functions);
  const systemNames = profile.functions.systemName;
  for (const a of answers) {
    if (!(a.line > 0) || a.file === '' || a.file.startsWith('?')) continue;
    const frame =
      profile.locations.firstFrame[a.location] + profile.locations.frameCount[a.location] - 1;
    const fn = profile.frames.function[frame];
    if (fn < 0) continue;
    profile.frames.function[frame] = functions.of(functions.name(fn), systemNames[fn], a.file, 0);
    profile.frames.line[frame] = a.line;
  }
  profile.functions = functions.table();
  for (let m = 0; m < profile.mappings.count; m++) {
    if (profile.mappings.filename[m].startsWith('/')) {
      profile.mappings.hasFilenames[m] = 1;
      profile.mappings.hasLineNumbers[m] = 1;
    }
  }
  return profile;
}

/** An answer from the binary's function table: all the frames of a location's pc, innermost first. */
export interface FramesAnswer {
  location: number;
  frames: GoFrame[];
}

/**
 * `profile` with each answered location's frames replaced by the answer's: the inlined calls
 * become frames of their own, named and placed as in a pprof profile of the same program
 * (functions are split by file, as the model keys them). Changed in place and returned.
 */
export function applyGoFrames(profile: Profile, answers: FramesAnswer[]): Profile {
  const byLocation = new Map<number, GoFrame[]>();
  for (const a of answers)
    if (
      a.frames.length > 0 &&
      a.frames.every((f) => f.line > 0 && f.file !== '' && !f.file.startsWith('?'))
    )
      byLocation.set(a.location, a.frames);
  if (byLocation.size === 0) return profile;
  const functions = new FunctionsByFile(profile.functions);
  const loc = profile.locations;
  const old = profile.frames;
  const fns: number[] = [];
  const lines: number[] = [];
  const firstFrame = new Uint32Array(loc.count);
  const frameCount = new Uint32Array(loc.count);
  for (let l = 0; l < loc.count; l++) {
    firstFrame[l] = fns.length;
    const answer = byLocation.get(l);
    if (answer) {
      for (const frame of answer) {
        fns.push(
          functions.of(
            frame.name,
            frame.name,
            frame.file,
            frame.startLine > 0 ? frame.startLine : 0,
          ),
        );
        lines.push(frame.line);
      }
      const m = loc.mapping[l];
      if (m >= 0) {
        profile.mappings.hasFilenames[m] = 1;
        profile.mappings.hasLineNumbers[m] = 1;
        profile.mappings.hasInlineFrames[m] = 1;
      }
    } else {
      for (let k = loc.firstFrame[l]; k < loc.firstFrame[l] + loc.frameCount[l]; k++) {
        fns.push(old.function[k]);
        lines.push(old.line[k]);
      }
    }
    frameCount[l] = fns.length - firstFrame[l];
  }
  profile.frames = {
    count: fns.length,
    function: Int32Array.from(fns),
    line: Float64Array.from(lines),
  };
  profile.locations = { ...loc, firstFrame, frameCount };
  profile.functions = functions.table();
  return profile;
}
