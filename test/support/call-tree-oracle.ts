// The test oracle for the profile index's trees: the call tree of one sample type built straight
// from a profile's samples, the way Go Lens built every tree before the index (and the CLI's
// folded text until the index path became the only one). Tests compare the index's trees with it
// (test/unit/pprof/profile-index.test.ts) and use it where a test needs a tree from a profile.
//
// Built in four steps, each linear and none creating an object per sample or per node:
//  1. samples are deduplicated by stack (their location sequence), summing values;
//  2. the distinct stacks are inserted into a trie of locations (a stack shares its prefix with the
//     previous one more often than not, and that shared part costs no lookups);
//  3. each location-trie node is expanded into its frames (inlined functions are their own frames)
//     and merged into the function tree, whose node identity is (parent, function name + file);
//     this touches each location-trie node once instead of each frame of each sample;
//  4. the function tree is laid out depth-first with children in name order.
import { growF64, growI32, layout, LineTable, type CallTree } from '../../src/core/flame/call-tree';
import { unnamedFrameName } from '../../src/core/pprof/folded';
import { clampLine, type Profile } from '../../src/core/pprof/model';
import { finishHash, radixOrder } from '../../src/core/pprof/tree-order';
import { Trie } from '../../src/core/pprof/trie';

/** What `buildCallTree` builds. */
export interface CallTreeOptions {
  /** Index into `profile.sampleTypes`. */
  sampleType: number;
  /** Bottom-up: leaf functions at depth 1, their callers below them. */
  inverted?: boolean;
}

/**
 * The function keys of a profile: frames of functions with the same name and file share a key.
 * `frameKey[f]` is the key of frame f; `addressKey[l]` the key of location l when it has no
 * frames (unsymbolized: named by its address, as pprof does), else -1.
 */
interface FuncKeys {
  name: string[];
  file: string[];
  frameKey: Int32Array;
  addressKey: Int32Array;
}

function buildFuncKeys(p: Profile): FuncKeys {
  const name: string[] = [];
  const file: string[] = [];
  const byText = new Map<string, number>();
  const keyOf = (n: string, f: string): number => {
    const text = n + '\u0000' + f;
    let k = byText.get(text);
    if (k === undefined) {
      k = name.length;
      name.push(n);
      file.push(f);
      byText.set(text, k);
    }
    return k;
  };
  const fnKey = new Int32Array(p.functions.count);
  for (let i = 0; i < p.functions.count; i++)
    fnKey[i] = keyOf(p.functions.name[i], p.functions.filename[i]);
  const frameKey = new Int32Array(p.frames.count);
  const addressKey = new Int32Array(p.locations.count).fill(-1);
  for (let l = 0; l < p.locations.count; l++) {
    const f0 = p.locations.firstFrame[l];
    const n = p.locations.frameCount[l];
    if (n === 0) addressKey[l] = keyOf(unnamedFrameName(p, l), '');
    for (let i = f0; i < f0 + n; i++) {
      const f = p.frames.function[i];
      frameKey[i] = f >= 0 ? fnKey[f] : keyOf(unnamedFrameName(p, l), '');
    }
  }
  return { name, file, frameKey, addressKey };
}

/**
 * Builds the call tree of one sample type. Samples whose value is 0 for that type are left out;
 * a profile with no samples gives a tree of just the root.
 */
export function buildCallTree(profile: Profile, options: CallTreeOptions): CallTree {
  const nTypes = profile.sampleTypes.length;
  const t = options.sampleType;
  if (!(Number.isInteger(t) && t >= 0 && t < nTypes)) {
    throw new RangeError(
      `sample type ${t} does not exist; the profile has ${nTypes} (${profile.sampleTypes.map((v) => v.type).join(', ')})`,
    );
  }
  const inverted = options.inverted === true;
  const samples = profile.samples;
  const ss = samples.stackStart;
  const sl = samples.stackLocations;
  const vals = samples.values;

  // 1. Distinct stacks: an open-addressing table of representative samples. Each stack is hashed
  // in trie-insertion order; the hash of all but its last location is kept for step 2.
  let tableSize = 16;
  while (tableSize < samples.count * 2) tableSize *= 2;
  const table = new Int32Array(tableSize).fill(-1);
  const mask = tableSize - 1;
  const rep = new Int32Array(samples.count);
  const repHash = new Int32Array(samples.count);
  const prefixHash = new Int32Array(samples.count);
  const dValue = new Float64Array(samples.count);
  let nd = 0;
  let maxLen = 0;
  for (let s = 0; s < samples.count; s++) {
    const v = vals[s * nTypes + t];
    if (v === 0) continue;
    const a = ss[s];
    const b = ss[s + 1];
    const len = b - a;
    let h = 0x9747b28c;
    let hp = h;
    if (inverted) {
      for (let i = a; i < b; i++) {
        hp = h;
        h = Math.imul(h ^ sl[i], 0x01000193);
        h ^= h >>> 15;
      }
    } else {
      for (let i = b - 1; i >= a; i--) {
        hp = h;
        h = Math.imul(h ^ sl[i], 0x01000193);
        h ^= h >>> 15;
      }
    }
    h = finishHash(h ^ len);
    let i = h & mask;
    for (;;) {
      const d = table[i];
      if (d < 0) {
        table[i] = nd;
        rep[nd] = s;
        repHash[nd] = h;
        prefixHash[nd] = finishHash(hp ^ (len - 1));
        dValue[nd] = v;
        nd++;
        if (len > maxLen) maxLen = len;
        break;
      }
      if (repHash[d] === h) {
        const ra = ss[rep[d]];
        if (ss[rep[d] + 1] - ra === len) {
          let k = 0;
          while (k < len && sl[ra + k] === sl[a + k]) k++;
          if (k === len) {
            dValue[d] += v;
            break;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }

  // 2. The location trie, root-first (leaf-first when inverted). `path[k]` is the trie node after
  // the first k locations of the previous stack; the common prefix with it is reused as is.
  // Stacks are visited grouped by everything but their last location, so stacks that differ only
  // in the leaf PC (the common case) come together and cost one lookup each.
  const order = radixOrder(prefixHash, nd);
  const lt = new Trie(Math.max(16, nd * 2));
  const path = new Int32Array(maxLen + 1);
  const prevLocs = new Int32Array(maxLen);
  const curLocs = new Int32Array(maxLen);
  let prevLen = 0;
  for (let j = 0; j < nd; j++) {
    const d = order[j];
    const s = rep[d];
    const a = ss[s];
    const len = ss[s + 1] - a;
    if (inverted) for (let k = 0; k < len; k++) curLocs[k] = sl[a + k];
    else for (let k = 0; k < len; k++) curLocs[k] = sl[a + len - 1 - k];
    let k = 0;
    const limit = len < prevLen ? len : prevLen;
    while (k < limit && curLocs[k] === prevLocs[k]) k++;
    let node = path[k];
    for (; k < len; k++) {
      node = lt.child(node, curLocs[k]);
      path[k + 1] = node;
      prevLocs[k] = curLocs[k];
    }
    prevLen = len;
    lt.self[node] += dValue[d];
  }
  const ltCount = lt.count;
  const { parent: ltParent, key: ltLoc } = lt.finish();
  const ltSelf = lt.self;
  const ltTotal = lt.total;
  for (let i = 0; i < ltCount; i++) ltTotal[i] = ltSelf[i];
  // Children are created after their parents, so one backward sweep sums subtrees.
  for (let i = ltCount - 1; i > 0; i--) ltTotal[ltParent[i]] += ltTotal[i];

  // 3. The function tree. Each location expands to its frames: innermost first in the profile,
  // so root-first order walks them backwards.
  const keys = buildFuncKeys(profile);
  const firstFrame = profile.locations.firstFrame;
  const frameCount = profile.locations.frameCount;
  const frameLine = profile.frames.line;
  const ft = new Trie(ltCount + (ltCount >> 2));
  let ftDepth: Int32Array = new Int32Array(ft.capacity);
  // Line values per node: the first line seen in a slot, others in a side table; almost every
  // node sees one line from any one location-trie node, so the side table stays small.
  let line1: Int32Array = new Int32Array(ft.capacity);
  let line1Value: Float64Array = new Float64Array(ft.capacity);
  const extra = new LineTable();
  const ftOfLt = new Int32Array(ltCount);
  let nodesSeen = 1;
  const addFrame = (p: number, key: number, line: number, value: number): number => {
    const n = ft.child(p, key);
    if (n >= nodesSeen) {
      if (n >= ftDepth.length) {
        const cap = ft.capacity;
        ftDepth = growI32(ftDepth, cap);
        line1 = growI32(line1, cap);
        line1Value = growF64(line1Value, cap);
      }
      ftDepth[n] = ftDepth[p] + 1;
      line1[n] = line;
      line1Value[n] = 0;
      nodesSeen = n + 1;
    }
    ft.total[n] += value;
    if (line1[n] === line) line1Value[n] += value;
    else extra.add(n, line, value);
    return n;
  };
  for (let i = 1; i < ltCount; i++) {
    let p = ftOfLt[ltParent[i]];
    const loc = ltLoc[i];
    const value = ltTotal[i];
    const nf = frameCount[loc];
    if (nf === 0) p = addFrame(p, keys.addressKey[loc], 0, value);
    else if (inverted) {
      const f0 = firstFrame[loc];
      for (let f = f0; f < f0 + nf; f++)
        p = addFrame(p, keys.frameKey[f], clampLine(frameLine[f]), value);
    } else {
      const f0 = firstFrame[loc];
      for (let f = f0 + nf - 1; f >= f0; f--)
        p = addFrame(p, keys.frameKey[f], clampLine(frameLine[f]), value);
    }
    ft.self[p] += ltSelf[i];
    ftOfLt[i] = p;
  }
  const n = ft.count;
  const { parent: ftParent, key: ftKey } = ft.finish();
  ft.total[0] = ltTotal[0];
  ft.self[0] = ltSelf[0];

  // The line of each node: the one with the largest value (ties: the smaller line).
  const bestLine = new Int32Array(n);
  const bestValue = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    bestLine[i] = line1[i];
    bestValue[i] = line1Value[i];
  }
  for (let e = 0; e < extra.count; e++) {
    const node = extra.node[e];
    const v = extra.value[e];
    const l = extra.line[e];
    if (v > bestValue[node] || (v === bestValue[node] && l < bestLine[node])) {
      bestValue[node] = v;
      bestLine[node] = l;
    }
  }

  return layout(
    n,
    ftParent,
    ftKey,
    ftDepth,
    bestLine,
    ft.total,
    ft.self,
    keys.name,
    keys.file,
    profile.sampleTypes[t],
  );
}
