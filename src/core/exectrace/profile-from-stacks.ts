// CPU samples of an execution trace as a pprof Profile, so the flame graph, top table and line
// costs of the profile view work on a time range of a trace as they do on a CPU profile.

import type { Profile } from '../pprof/model';
import type { CpuSampleTable } from './model';
import type { WeightedStack } from './analysis';

/** What `profileFromStacks` records besides the stacks. */
export interface ProfileFromStacksOptions {
  /**
   * Nanoseconds of CPU one sample stands for (10 ms at the profiler's default 100 Hz). When
   * given, the profile has the sample types of a CPU profile, samples/count and cpu/nanoseconds;
   * otherwise only samples/count.
   */
  periodNanos?: number;
  /** Wall-clock start (ns since the Unix epoch) and length of what the samples cover. */
  timeNanos?: number;
  durationNanos?: number;
  comments?: string[];
}

/**
 * Builds a Profile (the decoded pprof model) from weighted stacks (root first, as `cpuProfile`
 * returns them): one function per distinct (name, file), one location per distinct (function,
 * line) with one frame, one sample per stack with its weight (and weight × period).
 */
export function profileFromStacks(
  stacks: readonly WeightedStack[],
  opts: ProfileFromStacksOptions = {},
): Profile {
  const withCpu = opts.periodNanos !== undefined && opts.periodNanos > 0;
  const nTypes = withCpu ? 2 : 1;
  const fnIds = new Map<string, number>();
  const fnName: string[] = [];
  const fnFile: string[] = [];
  const locIds = new Map<string, number>();
  const frameFunction: number[] = [];
  const frameLine: number[] = [];
  const stackStart = new Uint32Array(stacks.length + 1);
  let total = 0;
  for (const s of stacks) total += s.frames.length;
  const stackLocations = new Uint32Array(total);
  const values = new Float64Array(stacks.length * nTypes);
  let at = 0;
  stacks.forEach((s, i) => {
    stackStart[i] = at;
    // pprof stacks are leaf first.
    for (let k = s.frames.length - 1; k >= 0; k--) {
      const f = s.frames[k];
      const fnKey = `${f.func}\u0000${f.file}`;
      let fn = fnIds.get(fnKey);
      if (fn === undefined) {
        fn = fnName.length;
        fnName.push(f.func);
        fnFile.push(f.file);
        fnIds.set(fnKey, fn);
      }
      const locKey = `${fn}:${f.line}`;
      let loc = locIds.get(locKey);
      if (loc === undefined) {
        loc = frameFunction.length;
        frameFunction.push(fn);
        frameLine.push(f.line);
        locIds.set(locKey, loc);
      }
      stackLocations[at++] = loc;
    }
    values[i * nTypes] = s.weight;
    if (withCpu) values[i * nTypes + 1] = s.weight * opts.periodNanos!;
  });
  stackStart[stacks.length] = at;
  const nLoc = frameFunction.length;
  const nFn = fnName.length;
  return {
    sampleTypes: withCpu
      ? [
          { type: 'samples', unit: 'count' },
          { type: 'cpu', unit: 'nanoseconds' },
        ]
      : [{ type: 'samples', unit: 'count' }],
    defaultSampleType: nTypes - 1,
    samples: {
      count: stacks.length,
      stackStart,
      stackLocations,
      values,
      labelStart: new Uint32Array(stacks.length + 1),
      labelKey: new Uint32Array(0),
      labelStr: new Uint32Array(0),
      labelNum: new Float64Array(0),
      labelNumUnit: new Uint32Array(0),
    },
    locations: {
      count: nLoc,
      address: new Float64Array(nLoc),
      mapping: new Int32Array(nLoc).fill(-1),
      firstFrame: Uint32Array.from({ length: nLoc }, (_, i) => i),
      frameCount: new Uint32Array(nLoc).fill(1),
      isFolded: new Uint8Array(nLoc),
    },
    frames: {
      count: nLoc,
      function: Int32Array.from(frameFunction),
      line: Float64Array.from(frameLine),
    },
    functions: {
      count: nFn,
      name: fnName,
      systemName: fnName.slice(),
      filename: fnFile,
      startLine: new Float64Array(nFn),
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
    strings: [''],
    dropFrames: '',
    keepFrames: '',
    timeNanos: opts.timeNanos ?? 0,
    durationNanos: opts.durationNanos ?? 0,
    periodType: withCpu ? { type: 'cpu', unit: 'nanoseconds' } : undefined,
    period: withCpu ? opts.periodNanos! : 0,
    comments: opts.comments ?? [],
  };
}

/** Sampling rates (Hz) a Go program's CPU profiler plausibly runs at: 100 is the default. */
const COMMON_RATES = [100, 50, 200, 250, 500, 1000, 20, 10];

/**
 * The CPU profiler's sampling period (ns), when the samples show it, else undefined. Traces do
 * not record the rate. The runtime samples each thread every period of that thread's CPU time,
 * so consecutive samples of a busy thread are one period apart in wall time, give or take the
 * kernel's timer tick (4 ms at 250 Hz: gaps of 8 and 12 ms around a 10 ms period). A thread
 * that shares its CPU or idles spreads its samples further apart. The period counts as known
 * when, over at least 10 gaps, the low end (10th percentile) is within the tick-sized band of a
 * common rate's period (0.7–1.1×) and the median is close to it (0.9–1.3×): most samples
 * came from busy threads. Otherwise nothing about the rate can be read from wall times.
 */
export function estimateCpuSamplePeriod(samples: CpuSampleTable): number | undefined {
  const last = new Map<number, number>();
  const gaps: number[] = [];
  for (let i = 0; i < samples.count; i++) {
    const m = samples.m[i];
    const t = samples.time[i];
    const prev = last.get(m);
    if (prev !== undefined && t > prev) gaps.push(t - prev);
    last.set(m, t);
  }
  if (gaps.length < 10) return undefined;
  gaps.sort((a, b) => a - b);
  const low = gaps[Math.floor(gaps.length * 0.1)];
  const median = gaps[Math.floor(gaps.length / 2)];
  for (const hz of COMMON_RATES) {
    const period = 1e9 / hz;
    if (
      low >= period * 0.7 &&
      low <= period * 1.1 &&
      median >= period * 0.9 &&
      median <= period * 1.3
    )
      return period;
  }
  return undefined;
}
