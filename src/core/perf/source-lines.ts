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
  for (let i = 0; i < s.count; i++) for (let k = s.stackStart[i] + 1; k < s.stackStart[i + 1]; k++) isCaller[s.stackLocations[k]] = 1;
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
    out.push({ location: l, binary, symbol: profile.functions.systemName[fn], offset: isCaller[l] && off > 0 ? off - 1 : off });
  }
  return out;
}

/**
 * `profile` with the answers' files and lines on the outermost frame of each location (functions
 * are split by file, as the model keys them). The profile is changed in place and returned.
 */
export function applyLines(profile: Profile, answers: LineAnswer[]): Profile {
  if (answers.length === 0) return profile;
  const f = profile.functions;
  const byKey = new Map<string, number>();
  for (let i = 0; i < f.count; i++) byKey.set(f.name[i] + '\0' + f.filename[i], i);
  const names = [...f.name];
  const systemNames = [...f.systemName];
  const files = [...f.filename];
  const startLines = Array.from(f.startLine);
  for (const a of answers) {
    if (!(a.line > 0) || a.file === '' || a.file.startsWith('?')) continue;
    const frame = profile.locations.firstFrame[a.location] + profile.locations.frameCount[a.location] - 1;
    const fn = profile.frames.function[frame];
    if (fn < 0) continue;
    const key = names[fn] + '\0' + a.file;
    let target = byKey.get(key);
    if (target === undefined) {
      target = names.length;
      names.push(names[fn]);
      systemNames.push(systemNames[fn]);
      files.push(a.file);
      startLines.push(0);
      byKey.set(key, target);
    }
    profile.frames.function[frame] = target;
    profile.frames.line[frame] = a.line;
  }
  profile.functions = { count: names.length, name: names, systemName: systemNames, filename: files, startLine: Float64Array.from(startLines) };
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
  for (const a of answers) if (a.frames.length > 0 && a.frames.every((f) => f.line > 0 && f.file !== '' && !f.file.startsWith('?'))) byLocation.set(a.location, a.frames);
  if (byLocation.size === 0) return profile;
  const f = profile.functions;
  const byKey = new Map<string, number>();
  for (let i = 0; i < f.count; i++) byKey.set(f.name[i] + '\0' + f.filename[i], i);
  const names = [...f.name];
  const systemNames = [...f.systemName];
  const files = [...f.filename];
  const startLines = Array.from(f.startLine);
  const functionOf = (frame: GoFrame): number => {
    const key = frame.name + '\0' + frame.file;
    let i = byKey.get(key);
    if (i === undefined) {
      i = names.length;
      names.push(frame.name);
      systemNames.push(frame.name);
      files.push(frame.file);
      startLines.push(frame.startLine > 0 ? frame.startLine : 0);
      byKey.set(key, i);
    }
    return i;
  };
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
        fns.push(functionOf(frame));
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
  profile.frames = { count: fns.length, function: Int32Array.from(fns), line: Float64Array.from(lines) };
  profile.locations = { ...loc, firstFrame, frameCount };
  profile.functions = { count: names.length, name: names, systemName: systemNames, filename: files, startLine: Float64Array.from(startLines) };
  return profile;
}
