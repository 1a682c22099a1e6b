// Reading part of a trace file in the worker: the generation scan over the file on disk (a few
// bytes at every batch, never the whole file in memory), and the bytes of a run of generations
// as a trace of their own, for `loadTrace` with `generations` (a time range of a trace too big
// to load whole).
import { open } from 'node:fs/promises';
import {
  scanGenerations,
  selectGenerations,
  sliceExtent,
  TRACE_HEADER_BYTES,
  type TraceScan,
} from '../core/exectrace/generation-scan';
import { openTraceFile } from '../node/trace-file';

/** The generations of the trace file at `path` (see scanGenerations). */
export function scanTraceFile(path: string): TraceScan {
  const file = openTraceFile(path);
  try {
    return scanGenerations(file.source);
  } finally {
    file.close();
  }
}

/**
 * The header and generations first..last of the trace file at `path`, as a trace of their own
 * (read from disk alone: the rest of the file is never in memory), and the whole trace's time
 * base, for the reader to keep the whole trace's times.
 */
export async function readTraceRange(
  path: string,
  generations: { first: number; last: number },
): Promise<{ bytes: Uint8Array; timeBase: number }> {
  const scan = scanTraceFile(path);
  const { from, length } = sliceExtent(
    selectGenerations(scan, generations.first, generations.last),
  );
  const bytes = new Uint8Array(TRACE_HEADER_BYTES + length);
  // Read asynchronously (it can be most of a GB), so a cancel request is heard as soon as it ends.
  const file = await open(path, 'r');
  try {
    for (const [pos, at, n] of [
      [0, 0, TRACE_HEADER_BYTES],
      [from, TRACE_HEADER_BYTES, length],
    ]) {
      for (let done = 0; done < n;) {
        const { bytesRead } = await file.read(bytes, at + done, n - done, pos + done);
        if (bytesRead === 0)
          throw new Error(`the trace file ${path} changed while it was being read; reopen it`);
        done += bytesRead;
      }
    }
  } finally {
    await file.close();
  }
  return { bytes, timeBase: scan.timeBase };
}
