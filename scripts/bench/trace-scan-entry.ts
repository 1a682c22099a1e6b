// Child process of scripts/bench/trace.mjs: the generation scan the timeline runs before loading
// a trace (is it too big for memory? which time ranges could it load?), timed on the file on
// disk. Prints one JSON line.
import { scanTraceFile } from '../../src/worker/trace-range';
import {
  estimateModelBytes,
  MODEL_PEAK_BYTES_PER_FILE_BYTE,
} from '../../src/core/exectrace/trace-fit';

const t0 = performance.now();
const scan = scanTraceFile(process.argv[2]);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    generations: scan.generations.length,
    estimateBytes: estimateModelBytes(scan.size),
    factor: MODEL_PEAK_BYTES_PER_FILE_BYTE,
  }) + '\n',
);
