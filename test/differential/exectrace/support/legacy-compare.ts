// Comparing our converted legacy traces with `go tool trace -d=parsed` (see scripts/lib/trace-ties.mjs
// for the tie rule), which is not deterministic on them: Go orders the P's of a v1 trace, and the goroutines it reports as
// runnable at the start, by iterating maps, so events with the same raw timestamp on different
// P's come out in an order that changes from run to run (the times are then made strictly
// increasing, X, X+1, …). Exact equality is what we check first; where Go itself varies, the
// outputs must be equal once each run of events at consecutive nanoseconds is taken as a set.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { goEnv, repoRoot } from '../../../support/go';
export { tieInsensitive } from '../../../../scripts/lib/trace-ties.mjs';

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
export function runBytes(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<BytesResult> {
  return new Promise((res, rej) => {
    execFile(
      cmd,
      args,
      { env, encoding: 'buffer', maxBuffer: 1 << 30, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return rej(err);
        res({
          stdout,
          stderr: stderr.toString('utf8'),
          code: err ? Number((err as { code?: number }).code ?? 1) : 0,
        });
      },
    );
  });
}

export function goParsedBytes(file: string): Promise<BytesResult> {
  return runBytes('go', ['tool', 'trace', '-d=parsed', file], goEnv());
}
