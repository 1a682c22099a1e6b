// Helpers shared by the execution-trace tests (unit, differential, robustness).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  buildModel,
  formatEvent,
  spanEnd,
  spanStart,
  TraceError,
  TraceReader,
  type EventBlock,
} from '../../../../src/core/exectrace';
import { bytesSource } from '../../../../src/core/exectrace/generation-scan';
import { goEnv, repoRoot, run, type RunResult } from '../../../support/go';

export const fixturesDir = join(repoRoot, 'test/fixtures/exectrace');

/** The committed traces, e.g. "workload-go1.22.12.trace". */
export function fixtureNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.trace'))
    .sort();
}

/** The Go release that wrote a fixture, from its name ("go1.22.12"). */
export function fixtureRelease(name: string): string {
  return /go1\.\d+\.\d+/.exec(name)![0];
}

/** A scratch directory for files the tests write. */
export function scratchDir(sub: string): string {
  const d = join(tmpdir(), 'golens-exectrace-tests', sub);
  mkdirSync(d, { recursive: true });
  return d;
}

export function writeScratch(sub: string, name: string, bytes: Uint8Array): string {
  const p = join(scratchDir(sub), name);
  writeFileSync(p, bytes);
  return p;
}

/** What reading a whole trace gave: the text Go would print, and the error if any. */
export interface ReadResult {
  text: string;
  events: number;
  generations: number;
  error: TraceError | null;
}

/**
 * Reads a trace like `golens trace-events` does (formatting each event as Go prints it), and
 * captures the TraceError instead of throwing. Any other exception propagates (a test failure).
 */
export function readAll(
  bytes: Uint8Array,
  opts: {
    blockSize?: number;
    onBlock?: (b: EventBlock) => void;
    signatures?: boolean;
    /** Read through a `ByteSource`, holding a window of this many bytes at first. */
    windowBytes?: number;
  } = {},
): ReadResult {
  let text = '';
  let events = 0;
  let generations = 0;
  let reader: TraceReader;
  try {
    reader =
      opts.windowBytes === undefined
        ? new TraceReader(bytes, { blockSize: opts.blockSize })
        : new TraceReader(bytesSource(bytes), {
            blockSize: opts.blockSize,
            windowBytes: opts.windowBytes,
          });
  } catch (e) {
    if (e instanceof TraceError) return { text, events, generations, error: e };
    throw e;
  }
  try {
    for (let b = reader.next(); b; b = reader.next()) {
      opts.onBlock?.(b);
      // Signatures (the raw columns) compare streams as exactly as the text, much faster.
      if (opts.signatures) for (let i = 0; i < b.count; i++) text += signature(b, i) + '\n';
      else for (let i = 0; i < b.count; i++) text += formatEvent(b, i, reader.timeBase) + '\n';
      events += b.count;
      if (b.endOfGeneration) generations++;
    }
  } catch (e) {
    if (e instanceof TraceError) return { text, events, generations, error: e };
    throw e;
  }
  return { text, events, generations, error: null };
}

/** One event's columns as a line ("type time m p g a0 a1 a2 a3"); Sync events start with "S". */
export function signature(b: EventBlock, i: number): string {
  const k = i * 4;
  return `${b.type[i] === 255 ? 'S' : b.type[i]} ${b.time[i]} ${b.m[i]} ${b.p[i]} ${b.g[i]} ${b.args[k]} ${b.args[k + 1]} ${b.args[k + 2]} ${b.args[k + 3]}`;
}

/** `go tool trace -d=parsed FILE` with the machine's Go (extra environment optional, e.g. TZ). */
export function goParsed(file: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run('go', ['tool', 'trace', '-d=parsed', file], {
    env: { ...goEnv(), ...env },
    timeoutMs: 300_000,
  });
}

/**
 * Asserts two long outputs are equal without handing vitest megabytes to diff: on a difference,
 * fails showing the first differing line and the two after it.
 */
export function expectSameLines(ours: string, theirs: string): void {
  if (ours === theirs) return;
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const k = a.findIndex((l, i) => l !== b[i]);
  expect({ line: k + 1, ours: a.slice(k, k + 3) }).toEqual({
    line: k + 1,
    ours: b.slice(k, k + 3),
  });
}

/** A small deterministic PRNG (mulberry32) for reproducible corruption tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Parses fully and builds the model (robustness tests); returns the TraceError or null.
 * Anything else throws. A model of what came before damage must be consistent.
 */
export function parseBoth(data: Uint8Array): TraceError | null {
  let err: TraceError | null = null;
  try {
    const r = new TraceReader(data);
    while (r.next());
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    err = e;
  }
  try {
    const m = buildModel(data);
    expect(m.spans.state.every((_, i) => spanStart(m.spans, i) <= spanEnd(m.spans, i))).toBe(true);
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
  }
  return err;
}
