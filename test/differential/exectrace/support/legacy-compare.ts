// Comparing our converted legacy traces with `go tool trace -d=parsed`, which is not
// deterministic on them: Go orders the P's of a v1 trace, and the goroutines it reports as
// runnable at the start, by iterating maps, so events with the same raw timestamp on different
// P's come out in an order that changes from run to run (the times are then made strictly
// increasing, X, X+1, …). Exact equality is what we check first; where Go itself varies, the
// outputs must be equal once each run of events at consecutive nanoseconds is taken as a set.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { goEnv, repoRoot } from '../../../support/go';

/** The real-world corpus (not part of the repository); GOLENS_CORPUS overrides its place. */
export function corpusDir(): string | null {
  const d = process.env.GOLENS_CORPUS ?? resolve(repoRoot, '../shared/corpus');
  return existsSync(d) ? d : null;
}

export interface BytesResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs a command and keeps its output as bytes (Go prints names with invalid UTF-8 raw). */
export function runBytes(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<BytesResult> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { env, encoding: 'buffer', maxBuffer: 1 << 30, timeout: 300_000 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return rej(err);
      res({ stdout, stderr: stderr.toString('utf8'), code: err ? Number((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

export function goParsedBytes(file: string): Promise<BytesResult> {
  return runBytes('go', ['tool', 'trace', '-d=parsed', file], goEnv());
}

/** Splits -d=parsed text into events (an event's first line starts with "M="). */
function records(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('M=') && cur !== '') {
      out.push(cur);
      cur = '';
    }
    cur += line + '\n';
  }
  if (cur !== '') out.push(cur);
  return out;
}

const TIME = /Time=(-?\d+)/;

/**
 * The text with every run of events at consecutive nanoseconds (what simultaneous events
 * become) replaced by its sorted events without their times, plus the run's start and length.
 */
export function tieInsensitive(text: string): string {
  const recs = records(text);
  const out: string[] = [];
  let i = 0;
  while (i < recs.length) {
    const t0 = Number(TIME.exec(recs[i])?.[1] ?? NaN);
    let j = i + 1;
    let t = t0;
    while (j < recs.length) {
      const tj = Number(TIME.exec(recs[j])?.[1] ?? NaN);
      if (tj !== t + 1) break;
      t = tj;
      j++;
    }
    if (j - i === 1) out.push(recs[i]);
    else {
      const group = recs.slice(i, j).map((r) => r.replace(TIME, 'Time=*'));
      group.sort();
      out.push(`[${j - i} events from ${t0}]\n`, ...group);
    }
    i = j;
  }
  return out.join('');
}
