// The measured half of the pprof benchmark, run in its own node process so its peak RSS is ours
// alone: read + gunzip + decode + call tree of the file given as argv[2], the tree built as the parse
// worker builds it (the profile index, then the default sample type's tree). Prints one JSON line.
// The compressed bytes are not kept once inflated (src/node/inflate.ts inflateIfGzip), so
// they can be freed while the profile decodes.
import { readFileSync } from 'node:fs';
import { filteredCallTree } from '../../src/core/flame/filtered-tree';
import { decodeProfile } from '../../src/core/pprof/decode';
import { indexProfile } from '../../src/core/pprof/profile-index';
import { gunzip, inflateIfGzip } from '../../src/node/inflate';

const file = process.argv[2];
const t0 = performance.now();
let raw: Uint8Array | undefined = inflateIfGzip(readFileSync(file));
const t1 = performance.now();
const profile = decodeProfile(raw, gunzip);
// Nothing refers to the protobuf bytes once decoded; let them go before the call tree.
raw = undefined;
const t2 = performance.now();
const tree = filteredCallTree(indexProfile(profile), { sampleType: profile.defaultSampleType });
const t3 = performance.now();
const status = readFileSync('/proc/self/status', 'utf8');
process.stdout.write(
  JSON.stringify({
    readInflateMs: t1 - t0,
    decodeMs: t2 - t1,
    treeMs: t3 - t2,
    samples: profile.samples.count,
    locations: profile.locations.count,
    functions: profile.functions.count,
    frames: profile.samples.stackLocations.length,
    nodes: tree.nodeCount,
    rootTotal: tree.total[0],
    vmHwmKB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
  }) + '\n',
);
