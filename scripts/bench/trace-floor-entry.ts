// Child process of scripts/bench/trace.mjs: the floor under any reader written in JavaScript.
// Reads the file and decodes every event's bytes (its type, time delta and arguments, the
// varints every reader must decode to check the trace) in the tightest loop we know, and does
// nothing else: no ordering, no checks, no output but one number per value into a small ring.
// Our reader cannot take less CPU than this; Go's reader, compiled, decodes the same bytes
// several times faster. Prints one JSON line like trace-parse-entry.ts.
import { readFileSync } from 'node:fs';
import { readBatch } from '../../src/core/exectrace/generation';
import { TIMED_ARG_COUNT } from '../../src/core/exectrace/spec';

const file = process.argv[2];
const cpu0 = process.cpuUsage();
const start = process.hrtime.bigint();
const data = readFileSync(file);
const d = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
const ring = new Float64Array(1 << 16);
let events = 0;
let values = 0;
const next = { pos: 0 };
for (let pos = 16; ; pos = next.pos) {
  const r = readBatch(d, pos, next);
  if (r.kind !== 'batch') break;
  const b = r.batch;
  if (b.exp !== 0) continue;
  let p = b.start;
  const end = b.end;
  // Special batches (strings, stacks, CPU samples, frequency) start with an untimed event.
  while (p < end) {
    const nargs = TIMED_ARG_COUNT[d[p]];
    if (nargs < 0) break;
    p++;
    for (let j = 0; j <= nargs; j++) {
      let v = d[p];
      if (v < 0x80) p++;
      else if (d[p + 1] < 0x80) {
        v = (v & 0x7f) | (d[p + 1] << 7);
        p += 2;
      } else if (d[p + 2] < 0x80) {
        v = (v & 0x7f) | ((d[p + 1] & 0x7f) << 7) | (d[p + 2] << 14);
        p += 3;
      } else {
        v &= 0x7f;
        let mul = 128;
        let c = 0;
        do {
          c = d[++p];
          v += (c & 0x7f) * mul;
          mul *= 128;
        } while (c >= 0x80);
        p++;
      }
      ring[values++ & 0xffff] = v;
    }
    events++;
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    events,
    values,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssKiB: process.resourceUsage().maxRSS,
    check: ring[values & 0xffff],
  }) + '\n',
);
