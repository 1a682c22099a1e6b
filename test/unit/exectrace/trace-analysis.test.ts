// `golens trace-analysis`: the Goroutine analysis tab's groups as JSON, checked against the
// per-goroutine numbers of the goroutine analysis (`goroutineAnalysis`, which the differential
// test compares with go tool trace goroutine by goroutine) on every committed fixture.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildModel, goroutineAnalysis } from '../../../src/core/exectrace';
import { repoRoot, runCli } from '../../support/go';
import { fixtureNames, fixturesDir, scratchDir } from './support/helpers';

const legacyDir = join(repoRoot, 'test/fixtures/exectrace-legacy');
const files = [
  ...fixtureNames().map((n) => join(fixturesDir, n)),
  join(legacyDir, 'workload-go1.21.13.trace'),
  join(legacyDir, 'oneproc-go1.21.13.trace'),
];

interface Group {
  function: string;
  count: number;
  executionNs: number;
  schedulerWaitNs: number;
  blockedNs: number;
  syscallNs: number;
}

/** The groups summed from the per-goroutine rows of the goroutine analysis. */
function expectedGroups(file: string): Map<string, Group> {
  const a = goroutineAnalysis(buildModel(readFileSync(file)));
  const out = new Map<string, Group>();
  for (const r of a.goroutines) {
    let g = out.get(r.name);
    if (!g)
      out.set(
        r.name,
        (g = {
          function: r.name,
          count: 0,
          executionNs: 0,
          schedulerWaitNs: 0,
          blockedNs: 0,
          syscallNs: 0,
        }),
      );
    g.count++;
    g.executionNs += r.execTime;
    g.schedulerWaitNs += r.schedWaitTime;
    for (const v of r.blockTimeByReason.values()) g.blockedNs += v;
    g.syscallNs += r.syscallTime + r.syscallBlockTime;
  }
  return out;
}

describe.each(files.map((f) => [f.slice(repoRoot.length + 1), f]))(
  'golens trace-analysis %s',
  (_name, file) => {
    test('--json: the shape of the issue, the numbers of the per-goroutine analysis, busiest group first', async () => {
      const r = await runCli(['trace-analysis', file, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { goroutines: number; groups: Group[] };
      expect(Object.keys(out)).toEqual(['goroutines', 'groups']);
      for (const g of out.groups)
        expect(Object.keys(g)).toEqual([
          'function',
          'count',
          'executionNs',
          'schedulerWaitNs',
          'blockedNs',
          'syscallNs',
        ]);
      const want = expectedGroups(file);
      expect(out.groups.length).toBe(want.size);
      expect(out.goroutines).toBe([...want.values()].reduce((s, g) => s + g.count, 0));
      for (const g of out.groups) {
        const w = want.get(g.function)!;
        expect(w, g.function).toBeDefined();
        // Sums of the same numbers in another order: equal to well under a nanosecond.
        expect(g.count).toBe(w.count);
        for (const k of ['executionNs', 'schedulerWaitNs', 'blockedNs', 'syscallNs'] as const)
          expect(g[k], `${g.function} ${k}`).toBeCloseTo(w[k], 3);
      }
      for (let i = 1; i < out.groups.length; i++)
        expect(out.groups[i - 1].executionNs).toBeGreaterThanOrEqual(out.groups[i].executionNs);
    });
  },
);

describe('golens trace-analysis: the table, and bad input', () => {
  const file = join(fixturesDir, 'workload-go1.26.8.trace');

  test('the table names every group with its goroutine count', async () => {
    const r = await runCli(['trace-analysis', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^2053 goroutines in 28 groups by start function$/);
    expect(lines[2]).toMatch(
      /Goroutines\s+Execution\s+Sched wait\s+Blocked\s+Syscall\s+Start function/,
    );
    expect(lines.some((l) => /^\s+2000\s.*main\.manyScenario\.func1$/.test(l))).toBe(true);
    expect(lines.length).toBe(3 + 28);
  });

  test('--timings prints the model figures on stderr, JSON stays on stdout', async () => {
    const r = await runCli(['trace-analysis', file, '--json', '--timings']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).goroutines).toBe(2053);
    const t = JSON.parse(r.stderr);
    expect(t.events).toBeGreaterThan(10_000);
    expect(t.fileBytes).toBe(readFileSync(file).length);
    expect(t.peakRssBytes).toBeGreaterThan(t.fileBytes);
  });

  test('a file that is not a trace fails with a message, no output', async () => {
    const r = await runCli(['trace-analysis', join(repoRoot, 'package.json'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^golens: .*trace/);
  });

  test('a missing file and a wrong call say what is wrong', async () => {
    const r = await runCli(['trace-analysis', join(repoRoot, 'no-such.trace')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*no-such\.trace/);
    const d = await runCli(['trace-analysis', repoRoot]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/cannot read .*: it is a directory, not a file/);
    const u = await runCli(['trace-analysis']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/usage: golens trace-analysis FILE/);
  });

  test('a truncated trace: the analysis of what parsed, then the error (exit 1)', async () => {
    const bytes = readFileSync(file);
    const cut = join(scratchDir('trace-analysis'), 'cut.trace');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const r = await runCli(['trace-analysis', cut, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.goroutines).toBeGreaterThan(0);
    expect(r.stderr).toMatch(
      /^golens: .*(truncated|corrupt|incomplete).*the analysis above covers the trace up to that point/,
    );
  });
});
