// Turns a decoded goroutine profile (goroutine?debug=0, pprof protobuf) into snapshot rows: each
// sample is a record of `count` goroutines sharing a stack and a label set. Stacks are
// expanded from locations to frames (inlined calls become separate frames, innermost first),
// as tracebacks print them. The profile has no goroutine ids, states or `created by`.
import type { Profile } from '../pprof/model';
import type { SnapshotBuilder } from './builder';
import { LEAK_PROFILE_TYPE, leakRowFlags } from './leak';
import { GoroutineDumpError } from './model';

/** Adds the samples of a decoded goroutine profile to `b`; throws GoroutineDumpError for other profile kinds. */
export function readGoroutineProfile(p: Profile, b: SnapshotBuilder): void {
  // The goroutine leak profile (goroutineleak?debug=0) has the same shape under its own name.
  const typeIndex = p.sampleTypes.findIndex(
    (t) => t.type === 'goroutine' || t.type === LEAK_PROFILE_TYPE,
  );
  if (typeIndex < 0) {
    const kinds = p.sampleTypes.map((t) => t.type).join(', ') || 'no sample types';
    throw new GoroutineDumpError(
      `this is a pprof profile of ${kinds}, not a goroutine profile. Goroutine dumps come from /debug/pprof/goroutine (debug=0, 1 or 2), a panic, or SIGQUIT.`,
    );
  }
  const nTypes = p.sampleTypes.length;
  const rowFlags = leakRowFlags(p.sampleTypes[typeIndex].type === LEAK_PROFILE_TYPE);
  const { samples, locations, frames, functions } = p;
  const stackFrames: number[] = [];
  let sum = 0;
  for (let s = 0; s < samples.count; s++) {
    stackFrames.length = 0;
    for (let k = samples.stackStart[s]; k < samples.stackStart[s + 1]; k++) {
      const loc = samples.stackLocations[k];
      const first = locations.firstFrame[loc];
      const n = locations.frameCount[loc];
      const pc = '0x' + locations.address[loc].toString(16);
      if (n === 0) {
        // A location without line info (unsymbolized): keep its address.
        stackFrames.push(
          b.frame(`\u0000pc${pc}`, () => ({
            func: pc,
            file: '',
            line: 0,
            offset: -1,
            pc,
            inlined: false,
          })),
        );
        continue;
      }
      for (let f = first; f < first + n; f++) {
        const fn = frames.function[f];
        const func = fn >= 0 ? functions.name[fn] : '?';
        const file = fn >= 0 ? functions.filename[fn] : '';
        const line = frames.line[f];
        // Every Line of a Location but the last is an inlined call.
        const inlined = f < first + n - 1;
        stackFrames.push(
          b.frame(`${pc}\u0000${func}\u0000${file}\u0000${line}`, () => ({
            func,
            file,
            line,
            offset: -1,
            pc,
            inlined,
          })),
        );
      }
    }
    const pairs: [string, string][] = [];
    for (let l = samples.labelStart[s]; l < samples.labelStart[s + 1]; l++) {
      const key = p.strings[samples.labelKey[l]];
      const str = samples.labelStr[l];
      pairs.push([key, str !== 0 ? p.strings[str] : String(samples.labelNum[l])]);
    }
    // runtime/pprof prints label keys sorted; keep that order whatever the encoder did.
    pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const count = samples.values[s * nTypes + typeIndex];
    b.row({
      id: -1,
      weight: count,
      state: '',
      waitMinutes: 0,
      flags: rowFlags,
      stack: b.stack(stackFrames, stackFrames.length),
      createdBy: -1,
      parentId: -1,
      labels: b.labels(pairs),
      line: 0,
    });
    sum += count;
  }
  b.declaredTotal = sum;
}
