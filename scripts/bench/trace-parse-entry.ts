// Child process of scripts/bench/trace.mjs (which bundles it): reads every event of a trace
// with our parser, like Go's reader reads every event, and prints one JSON line with the time
// it took (wall and CPU, reading the file included, Node's start-up excluded) and peak RSS.
import { readFileSync } from 'node:fs';
import { TraceReader } from '../../src/core/exectrace';

const file = process.argv[2];
const cpu0 = process.cpuUsage();
const start = process.hrtime.bigint();
const data = readFileSync(file);
const reader = new TraceReader(data);
let events = 0;
for (let b = reader.next(); b; b = reader.next()) events += b.count;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    events,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssKiB: process.resourceUsage().maxRSS,
  }) + '\n',
);
