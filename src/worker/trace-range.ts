// Reading a trace file in the worker: open for the reader to read on demand, the generation scan
// over the file on disk (a few bytes at every batch, never the whole file in memory), and the
// bytes of a run of generations as a trace of their own, for `loadTrace` with `generations` (a
// time range of a trace too big to load whole).
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  scanGenerations,
  selectGenerations,
  sliceExtent,
  TRACE_HEADER_BYTES,
  type ByteSource,
  type TraceScan,
} from '../core/exectrace/generation-scan';

/** Reads `length` bytes at `pos` of an open file into `into` at `at` (short only at the end). */
function readFully(fd: number, pos: number, length: number, into: Uint8Array, at: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, pos + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function withFile<T>(path: string, f: (fd: number, size: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return f(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

/** An open file as a `ByteSource`. */
function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(pos, length) {
      const b = new Uint8Array(Math.max(0, Math.min(length, size - pos)));
      return b.subarray(0, readFully(fd, pos, b.length, b, 0));
    },
    readInto: (target, at, pos, length) => readFully(fd, pos, length, target, at),
  };
}

/** The generations of the trace file at `path` (see scanGenerations). */
export function scanTraceFile(path: string): TraceScan {
  return withFile(path, (fd, size) => scanGenerations(fileSource(fd, size)));
}

/**
 * The trace file at `path`, open for a reader to read on demand (`TraceReader` given a
 * `ByteSource` holds a window of it, not the whole file). `close` when the reader is done.
 */
export function openTraceFile(path: string): { source: ByteSource; close: () => void } {
  const fd = openSync(path, 'r');
  try {
    return { source: fileSource(fd, fstatSync(fd).size), close: () => closeSync(fd) };
  } catch (e) {
    closeSync(fd);
    throw e;
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
