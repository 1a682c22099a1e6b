// Helpers for tests that record real Go programs with Linux perf (Debian's linux-perf, installed
// by scripts/install-e2e.sh) and compare with inferno (installed there with cargo).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goEnv, goProgramsDir, run } from './go';

const execFileP = promisify(execFile);

/** Builds `test/go/<program>`; cgo programs with CGO_ENABLED=1 (they need gcc). */
export async function buildPerfProgram(program: string, cgo = false): Promise<string> {
  const outDir = join(tmpdir(), 'golens-test-bin', 'perf');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, program);
  await execFileP('go', ['build', '-o', out, './' + program], {
    cwd: goProgramsDir,
    env: { ...goEnv(), CGO_ENABLED: cgo ? '1' : '0' },
    maxBuffer: 64 << 20,
  });
  return out;
}

/** Records `binary args…` with `perf record -e cpu-clock -g` into `data`; returns perf's stderr. */
export async function perfRecord(
  data: string,
  binary: string,
  args: string[],
  opts: { frequency?: number; callGraph?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const callGraph = opts.callGraph ? ['--call-graph', opts.callGraph] : ['-g'];
  const r = await run(
    'perf',
    [
      'record',
      '-q',
      '-e',
      'cpu-clock',
      '-F',
      String(opts.frequency ?? 999),
      ...callGraph,
      '-o',
      data,
      '--',
      binary,
      ...args,
    ],
    { env: { ...process.env, ...opts.env }, timeoutMs: 120_000 },
  );
  if (r.code !== 0) throw new Error(`perf record failed (${r.code}): ${r.stderr}`);
}

/** `perf script -i data` as text. */
export async function perfScript(data: string, fields?: string): Promise<string> {
  const r = await run('perf', ['script', '-i', data, ...(fields ? ['-F', fields] : [])], {
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`perf script failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** inferno-collapse-perf on PATH or in ~/.cargo/bin. */
export function infernoCollapsePerf(): string {
  const cargo = join(homedir(), '.cargo/bin/inferno-collapse-perf');
  return existsSync(cargo) ? cargo : 'inferno-collapse-perf';
}

/** Folded lines (`a;b;c 12`) summed by stack after `normalise`, as sorted lines. */
export function sumFolded(
  lines: string[],
  normalise: (stack: string) => string = (s) => s,
): string[] {
  const sums = new Map<string, number>();
  for (const l of lines) {
    if (l.trim() === '') continue;
    const sp = l.lastIndexOf(' ');
    const k = normalise(l.slice(0, sp));
    sums.set(k, (sums.get(k) ?? 0) + Number(l.slice(sp + 1)));
  }
  return [...sums].map(([k, v]) => `${k} ${v}`).sort();
}

/**
 * inferno-collapse-perf's output as Go Lens folds the same text: inferno roots every stack at the
 * process name, and keeps the ABI suffix of Go's assembly symbols that pprof drops.
 */
export function infernoAsOurs(stdout: string): string[] {
  return sumFolded(stdout.split('\n'), (s) =>
    s
      .slice(s.indexOf(';') + 1)
      .split(';')
      .map((f) => f.replace(/\.abi0$/, ''))
      .join(';'),
  );
}
