// The measured half of the perf benchmark, run in its own node process so its peak RSS is ours
// alone: reads the file given as argv[2] the way the parse worker does (readProfileFile: text
// streamed in 4 MiB pieces), then makes what the first flame graph request makes (index, call
// tree fitted to the view). Prints one JSON line.
import { readFileSync, statSync } from 'node:fs';
import { filteredCallTree } from '../../src/core/flame/filtered-tree';
import { fitTreeToView, MAX_VIEW_NODES } from '../../src/core/flame/view-tree';
import { indexProfile } from '../../src/core/pprof/profile-index';
import { readProfileFile } from '../../src/node/profile-file';

const file = process.argv[2];
const bytes = statSync(file).size;
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await readProfileFile(file);
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const index = indexProfile(r.profile);
const tree = fitTreeToView(
  filteredCallTree(index, { sampleType: r.profile.defaultSampleType }),
  MAX_VIEW_NODES,
).tree;
const t2 = performance.now();
const c2 = process.cpuUsage(c0);
const status = readFileSync('/proc/self/status', 'utf8');
process.stdout.write(
  JSON.stringify({
    format: r.format,
    bytes,
    readMs: t1 - t0,
    readCpuMs: (c1.user + c1.system) / 1000,
    cpuMs: (c2.user + c2.system) / 1000,
    firstTreeMs: t2 - t1,
    samples: r.profile.samples.count,
    locations: r.profile.locations.count,
    nodes: tree.nodeCount,
    warnings: r.warnings.length,
    vmHwmKB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
  }) + '\n',
);
