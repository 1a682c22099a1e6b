// Reads a profile file of any format Go Lens knows (pprof, perf script text, folded stacks, each
// maybe gzipped, and perf.data through `perf script`), streaming the text formats in pieces so a
// GB of perf script never sits in memory. Used by the parse worker and the CLI.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { FoldedReader } from '../core/folded/folded-reader';
import { decodeProfile } from '../core/pprof/decode';
import { ProfileError } from '../core/pprof/model';
import { PerfScriptReader } from '../core/perf/perf-script';
import {
  noSamples,
  PERF_DATA_ADVICE,
  PerfDataError,
  sniffText,
  type ReadProfileResult,
} from '../core/perf/read-any';
import { isPerfData } from '../core/perf/sniff-text';
import { gunzip, inflateIfGzip } from './inflate';
import { resolveGoFrames, resolveGoLines, type GoTool } from './go-lines';
import { applyGoFrames, applyLines, lineQueries } from '../core/perf/source-lines';
import { formatBytes } from '../core/format/units';

export interface ReadProfileFileOptions {
  /** Progress as a fraction of the input read. */
  onProgress?: (message: string, fraction?: number) => void;
  /**
   * The perf executable to run `perf script` with on a perf.data file; undefined when Go Lens
   * must not launch anything (Restricted Mode) or perf is not installed.
   */
  perf?: string | (() => Promise<string | undefined>);
  /**
   * The go command, to give perf's Go frames file:line from their binaries (go tool nm and
   * addr2line); undefined to skip (Restricted Mode, or no Go).
   */
  go?: GoTool;
  /** Why `perf` is undefined, for the message: 'restricted' or 'missing'. */
  perfUnavailable?: 'restricted' | 'missing';
}

const HEAD = 16 << 10;

async function readHead(path: string): Promise<Uint8Array> {
  const f = await open(path, 'r');
  try {
    const buf = new Uint8Array(HEAD);
    const { bytesRead } = await f.read(buf, 0, HEAD, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/** The first bytes of a gzip file, decompressed. */
async function readGzipHead(path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      chunks.push(c);
      size += c.length;
      if (size >= HEAD) break;
    }
  } catch {
    // A damaged gzip file: the full read below says so.
  } finally {
    stream.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks)).subarray(0, HEAD);
}

type TextReader = PerfScriptReader | FoldedReader;

async function finish(
  reader: TextReader,
  format: 'perf-script' | 'folded',
  options: ReadProfileFileOptions,
): Promise<ReadProfileResult> {
  const r = reader.end();
  const count = 'samples' in r.stats ? r.stats.samples : r.stats.stacks;
  if (count === 0)
    throw new ProfileError(
      noSamples(format === 'perf-script' ? 'perf script' : 'folded stacks', r.warnings),
    );
  if ('symbolOffsets' in r && options.go) {
    options.onProgress?.('finding source lines');
    // The binary's function table first (inlined calls as pprof has them), go tool addr2line for the rest.
    const { answers, rest } = await resolveGoFrames(lineQueries(r.profile, r.symbolOffsets));
    applyGoFrames(r.profile, answers);
    if (rest.length > 0) applyLines(r.profile, await resolveGoLines(options.go, rest));
  }
  return { profile: r.profile, format, warnings: r.warnings };
}

async function streamFile(
  path: string,
  gz: boolean,
  reader: TextReader,
  size: number,
  onProgress?: ReadProfileFileOptions['onProgress'],
): Promise<void> {
  if (!gz && reader instanceof FoldedReader)
    return readReusingBuffer(path, reader, size, onProgress);
  const raw = createReadStream(path, { highWaterMark: 4 << 20 });
  let read = 0;
  raw.on('data', (c: Buffer | string) => {
    read += c.length;
  });
  const source = gz ? raw.pipe(createGunzip()) : raw;
  let lastReport = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      reader.push(chunk);
      if (onProgress && read - lastReport > 32 << 20) {
        lastReport = read;
        onProgress(
          `parsing ${Math.round((100 * read) / Math.max(1, size))}%`,
          read / Math.max(1, size),
        );
      }
    }
  } catch (e) {
    if (gz)
      throw new ProfileError(
        `the file's gzip data is damaged or cut off (${(e as Error).message}); the stacks read before the damage are not shown. Save the file again.`,
      );
    throw e;
  }
}

/**
 * Streams an uncompressed folded file through one 4 MiB buffer, read into again and again (the
 * folded reader copies what it keeps of a piece): a new buffer per piece, as a read stream makes,
 * costs the time to map fresh memory for the whole file.
 */
async function readReusingBuffer(
  path: string,
  reader: FoldedReader,
  size: number,
  onProgress?: ReadProfileFileOptions['onProgress'],
): Promise<void> {
  const f = await open(path, 'r');
  try {
    const piece = new Uint8Array(4 << 20);
    let read = 0;
    let lastReport = 0;
    for (;;) {
      const { bytesRead } = await f.read(piece, 0, piece.length, null);
      if (bytesRead === 0) break;
      reader.push(piece.subarray(0, bytesRead));
      read += bytesRead;
      if (onProgress && read - lastReport > 32 << 20) {
        lastReport = read;
        onProgress(
          `parsing ${Math.round((100 * read) / Math.max(1, size))}%`,
          read / Math.max(1, size),
        );
      }
    }
  } finally {
    await f.close();
  }
}

/** Reads the profile in the file at `path`, whatever its format. Throws ProfileError. */
export async function readProfileFile(
  path: string,
  options: ReadProfileFileOptions = {},
): Promise<ReadProfileResult> {
  let head = await readHead(path);
  const gz = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (gz) head = await readGzipHead(path);
  if (isPerfData(head)) {
    if (gz) throw new PerfDataError(PERF_DATA_ADVICE);
    return readPerfData(path, options);
  }
  const text = sniffText(head);
  if (text) {
    const size = (await open(path, 'r').then(async (f) => {
      try {
        return (await f.stat()).size;
      } finally {
        await f.close();
      }
    })) as number;
    const reader =
      text === 'perf-script'
        ? new PerfScriptReader()
        : new FoldedReader({ expectedBytes: gz ? undefined : size });
    await streamFile(path, gz, reader, size, options.onProgress);
    return finish(reader, text, options);
  }
  // pprof: inflate before decoding and drop the compressed bytes (see inflateIfGzip).
  return {
    profile: decodeProfile(inflateIfGzip(new Uint8Array(await readFile(path))), gunzip),
    format: 'pprof',
    warnings: [],
  };
}

/** Package names of perf per distribution, for messages. */
export const PERF_INSTALL_HINT =
  'Debian: sudo apt install linux-perf; Ubuntu: sudo apt install linux-tools-$(uname -r) linux-tools-generic; Fedora/RHEL: sudo dnf install perf; Arch: sudo pacman -S perf';

/** Runs `perf script` on a perf.data file and streams its output into the reader. */
export async function readPerfData(
  path: string,
  options: ReadProfileFileOptions,
): Promise<ReadProfileResult> {
  const perf = typeof options.perf === 'function' ? await options.perf() : options.perf;
  if (!perf) {
    if (options.perfUnavailable === 'restricted') {
      throw new PerfDataError(
        'this is a perf.data recording, which Go Lens reads by running "perf script"; it runs nothing in Restricted Mode. Trust the workspace, or run "perf script -i perf.data > out.perf" yourself and open out.perf.',
      );
    }
    throw new PerfDataError(
      `this is a perf.data recording, which Go Lens reads by running "perf script", but perf is not installed. Install it (${PERF_INSTALL_HINT}), or open the output of "perf script" from a machine that has it.`,
    );
  }
  const reader = new PerfScriptReader();
  await runPerfScript(perf, path, reader, options.onProgress);
  return finish(reader, 'perf-script', options);
}

/**
 * Runs `perf script -i <data>` and pushes its stdout into `reader` as it comes. Rejects with
 * perf's own message when it fails before printing any sample.
 */
export function runPerfScript(
  perf: string,
  dataPath: string,
  reader: { push(chunk: Uint8Array): void },
  onProgress?: ReadProfileFileOptions['onProgress'],
): Promise<void> {
  return new Promise((resolve, reject) => {
    // -F with the fields the reader uses, so a ~/.perfconfig that changes the default fields does not matter.
    const child = spawn(
      perf,
      [
        'script',
        '-i',
        dataPath,
        '-F',
        'comm,pid,tid,time,period,event,ip,sym,symoff,dso',
        '--no-inline',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let bytes = 0;
    let lastReport = 0;
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      reader.push(c);
      if (onProgress && bytes - lastReport > 32 << 20) {
        lastReport = bytes;
        onProgress(`perf script: ${formatBytes(bytes)} read`);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8192) stderr += c.toString('utf8');
    });
    child.on('error', (e) =>
      reject(
        new ProfileError(
          `could not run ${perf} script: ${e.message}. Install perf (${PERF_INSTALL_HINT}).`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0 || bytes > 0) return resolve();
      const detail = stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-3)
        .join(' ');
      reject(
        new ProfileError(
          `perf script failed on ${dataPath} (exit code ${code}): ${detail || 'no message'}. Check that the file is a complete perf.data recording (perf record may have been stopped before it wrote the header).`,
        ),
      );
    });
  });
}
