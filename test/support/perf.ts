// Helpers for tests that record real Go programs with Linux perf (Debian's linux-perf, installed
// by scripts/install-e2e.sh) and compare with inferno (installed there with cargo).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { indexProfile } from '../../src/core/pprof/profile-index';
import { topTable } from '../../src/core/pprof/top';
import { readPerfScript } from '../../src/core/perf/perf-script';
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
  if (r.code !== 0) throw new Error(`perf record failed (${r.code ?? r.signal}): ${r.stderr}`);
}

/** `perf script -i data [-F fields] [more…]` as text. */
export async function perfScript(
  data: string,
  fields?: string,
  more: string[] = [],
): Promise<string> {
  const r = await run('perf', ['script', '-i', data, ...(fields ? ['-F', fields] : []), ...more], {
    timeoutMs: 120_000,
  });
  if (r.code !== 0) throw new Error(`perf script failed (${r.code ?? r.signal}): ${r.stderr}`);
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

/**
 * Expects the self share of each function in `noInlineText` (`perf script --no-inline` of `data`,
 * read by Go Lens) to be what `perf report --no-children --sort sym` prints for `data`, to its
 * 0.01% print. perf report sorts by the symbol at each sample's address, which is each frame of a
 * text without inline data.
 */
export async function expectSelfSharesOfPerfReport(
  data: string,
  noInlineText: string,
  label: string,
): Promise<void> {
  const report = await run('perf', [
    'report',
    '-i',
    data,
    '--stdio',
    '--no-children',
    '--sort',
    'sym',
    '-g',
    'none',
    '--percent-limit',
    '0',
  ]);
  expect(report.code, report.stderr).toBe(0);
  const theirs = new Map<string, number>();
  for (const line of report.stdout.split('\n')) {
    const m = /^\s+([\d.]+)%\s+\[[.k]\]\s+(.*?)\s*$/.exec(line);
    if (!m || /^0x[0-9a-f]+$/.test(m[2])) continue;
    const name = m[2].replace(/\.abi0$/, '');
    theirs.set(name, (theirs.get(name) ?? 0) + Number(m[1]));
  }
  const profile = readPerfScript(noInlineText).profile;
  const table = topTable(indexProfile(profile), { sampleType: 1 });
  const ours = new Map(
    table.rows
      .filter((row) => row.flat > 0)
      .map((row) => [row.name, (100 * row.flat) / table.total]),
  );
  expect(theirs.size, label).toBeGreaterThan(0);
  // perf report may name a symbol by another alias at the same address than perf script does
  // (libc's memmove vs __memmove_avx_unaligned_erms): such names are left out, and must be rare.
  let aliased = 0;
  for (const [name, share] of theirs) {
    if (
      !ours.has(name) &&
      !noInlineText.includes(` ${name}+`) &&
      !noInlineText.includes(` ${name} (`) &&
      !noInlineText.includes(` ${name}.abi0`)
    ) {
      aliased += share;
      continue;
    }
    expect(ours.get(name) ?? 0, `${label}: ${name}`).toBeCloseTo(share, 1);
    expect(Math.abs((ours.get(name) ?? 0) - share), `${label}: ${name}`).toBeLessThanOrEqual(0.006);
  }
  expect(aliased, `${label}: share under names perf script does not print`).toBeLessThan(3);
  // Every function with a share of its own in our table is in perf's (unknown symbols and
  // the aliases above aside).
  let missing = 0;
  for (const [name, share] of ours)
    if (!name.startsWith('[') && !theirs.has(name)) missing += share;
  expect(missing, `${label}: our share under names perf report does not print`).toBeLessThan(3);
}
