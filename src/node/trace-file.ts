// A trace file on disk as the readers' `ByteSource` (src/core/exectrace/generation-scan.ts):
// read where asked, never whole, so the generation scan and a windowed `TraceReader` keep a
// 1 GB trace's bytes off the heap. Shared by the parse worker and the CLI.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../core/exectrace/generation-scan';

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

/**
 * The trace file at `path`, open for a reader to read on demand (`TraceReader` given a
 * `ByteSource` holds a window of it, not the whole file). `close` when the reader is done.
 */
export function openTraceFile(path: string): { source: ByteSource; close: () => void } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    // Opening a directory succeeds; reading it would fail later, inside the parse.
    if (stat.isDirectory()) throw new Error('it is a directory, not a file');
    return { source: fileSource(fd, stat.size), close: () => closeSync(fd) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
