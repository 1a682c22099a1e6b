// The sample tables every legacy reader (Go/C++ text and binary, Java) fills the same way: one
// location per distinct address, stacks as runs of location indexes, values flattened, and the
// optional per-sample "bytes" number label of heap profiles.

/** One sample as the legacy readers parse it: its values and its stack's addresses, innermost first. */
export interface AddressSample {
  values: number[];
  addrs: number[];
  bytes?: number;
}

export interface FlatSamples {
  /** Location index of each address. */
  locIndex: Map<number, number>;
  /** Address of each location. */
  locAddr: number[];
  stackStart: number[];
  stackLocations: number[];
  values: number[];
  labelStart: number[];
  labelNum: number[];
}

export function flattenSamples(samples: readonly AddressSample[]): FlatSamples {
  const f: FlatSamples = {
    locIndex: new Map(),
    locAddr: [],
    stackStart: [0],
    stackLocations: [],
    values: [],
    labelStart: [0],
    labelNum: [],
  };
  for (const s of samples) {
    for (const a of s.addrs) {
      let l = f.locIndex.get(a);
      if (l === undefined) {
        l = f.locAddr.length;
        f.locIndex.set(a, l);
        f.locAddr.push(a);
      }
      f.stackLocations.push(l);
    }
    f.stackStart.push(f.stackLocations.length);
    for (const v of s.values) f.values.push(v);
    if (s.bytes !== undefined) f.labelNum.push(s.bytes);
    f.labelStart.push(f.labelNum.length);
  }
  return f;
}
