// Symbolizing a profile whose locations are bare addresses (a stripped binary's profile, one
// written by a tool without a symbolizer), from what a lookup in the program's executable
// returned — as `go tool pprof BINARY PROFILE` does. The lookup itself runs on the host
// (src/node/addr2line.ts); this part is pure.
import type { Profile } from './model';

/** What the executable says is at an address: the function, and the source position. */
export interface AddressSymbol {
  func: string;
  file: string;
  line: number;
}

/** The distinct addresses of locations that have no frames (the ones a symbolizer can name). */
export function unsymbolizedAddresses(profile: Profile): number[] {
  const locs = profile.locations;
  const out = new Set<number>();
  for (let l = 0; l < locs.count; l++)
    if (locs.frameCount[l] === 0 && locs.address[l] !== 0) out.add(locs.address[l]);
  return [...out];
}

/**
 * `binaryPath` names mappings that have no file. A copy of `profile` in which every frameless location whose address `symbols` knows gets one
 * frame (function, file, line), so names show in every view and jump-to-source works. Locations
 * that were symbolized already, or that `symbols` does not know, are left as they are.
 * Returns how many locations got a name.
 */
export function applySymbols(
  profile: Profile,
  symbols: ReadonlyMap<number, AddressSymbol>,
  binaryPath = '',
): { profile: Profile; symbolized: number } {
  const locs = profile.locations;
  const fns = profile.functions;
  const name = fns.name.slice();
  const systemName = fns.systemName.slice();
  const filename = fns.filename.slice();
  const startLine = Array.from(fns.startLine);
  const fnIndex = new Map<string, number>();
  const fnOf = (s: AddressSymbol): number => {
    const key = s.func + '\u0000' + s.file;
    let f = fnIndex.get(key);
    if (f === undefined) {
      f = name.length;
      name.push(s.func);
      systemName.push(s.func);
      filename.push(s.file);
      startLine.push(0);
      fnIndex.set(key, f);
    }
    return f;
  };
  const frameFunction = Array.from(profile.frames.function);
  const frameLine = Array.from(profile.frames.line);
  const firstFrame = locs.firstFrame.slice();
  const frameCount = locs.frameCount.slice();
  const touchedMappings = new Set<number>();
  let symbolized = 0;
  for (let l = 0; l < locs.count; l++) {
    if (frameCount[l] !== 0) continue;
    const s = symbols.get(locs.address[l]);
    if (!s || !s.func) continue;
    firstFrame[l] = frameFunction.length;
    frameCount[l] = 1;
    frameFunction.push(fnOf(s));
    frameLine.push(s.line);
    if (locs.mapping[l] >= 0) touchedMappings.add(locs.mapping[l]);
    symbolized++;
  }
  let maps = profile.mappings;
  let mapping = locs.mapping;
  if (binaryPath && Array.prototype.some.call(mapping, (m: number) => m < 0)) {
    // Locations no mapping holds (address 0 in legacy profiles) belong to the executable too.
    const m = maps.count;
    mapping = Int32Array.from(mapping, (x) => (x < 0 ? m : x));
    const add = <T>(a: ArrayLike<T>, v: T) => [...Array.from(a), v];
    maps = {
      count: m + 1,
      memoryStart: Float64Array.from(add(maps.memoryStart, 0)),
      memoryLimit: Float64Array.from(add(maps.memoryLimit, 0)),
      fileOffset: Float64Array.from(add(maps.fileOffset, 0)),
      filename: add(maps.filename, binaryPath),
      buildId: add(maps.buildId, ''),
      hasFunctions: Uint8Array.from(add(maps.hasFunctions, 0)),
      hasFilenames: Uint8Array.from(add(maps.hasFilenames, 0)),
      hasLineNumbers: Uint8Array.from(add(maps.hasLineNumbers, 0)),
      hasInlineFrames: Uint8Array.from(add(maps.hasInlineFrames, 0)),
    };
  }
  const flag = (a: Uint8Array) => {
    const b = a.slice();
    for (const m of touchedMappings) b[m] = 1;
    return b;
  };
  return {
    symbolized,
    profile: {
      ...profile,
      locations: { ...locs, mapping, firstFrame, frameCount },
      frames: {
        count: frameFunction.length,
        function: Int32Array.from(frameFunction),
        line: Float64Array.from(frameLine),
      },
      functions: {
        count: name.length,
        name,
        systemName,
        filename,
        startLine: Float64Array.from(startLine),
      },
      mappings: {
        ...maps,
        // A mapping without a file (legacy Go profiles have none) is the executable's, as pprof takes it.
        filename: binaryPath ? maps.filename.map((f) => f || binaryPath) : maps.filename,
        hasFunctions: flag(maps.hasFunctions),
        hasFilenames: flag(maps.hasFilenames),
        hasLineNumbers: flag(maps.hasLineNumbers),
      },
    },
  };
}
