// `golens races` through the built CLI: the JSON shape scripts rely on, the text listing with
// both stacks, and what it says about a file without races or no file at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/go';

const f = (name: string) => join(__dirname, '../../fixtures/races/go1.26.8', name);

describe('golens races', () => {
  it('--json: one element per distinct race, in the documented shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-races-'));
    const { readFileSync } = await import('node:fs');
    // The same race in three runs, and another race once.
    const log = join(dir, 'ci.log');
    writeFileSync(
      log,
      [f('slice.txt'), f('slice.txt'), f('slice.txt'), f('parallel-test.txt')]
        .map((p) => readFileSync(p, 'utf8'))
        .join('\n'),
    );
    const r = await runCli(['races', log, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['races', 'reports', 'warnings']);
    expect(out.reports).toBe(7);
    expect(out.warnings).toEqual([]);
    expect(out.races).toHaveLength(2);
    const [slice, parallel] = out.races;
    expect(Object.keys(slice)).toEqual(['count', 'accesses', 'goroutines', 'location', 'tests']);
    expect(slice.count).toBe(6);
    expect(slice.accesses[0]).toEqual({
      kind: 'read',
      atomic: false,
      goroutine: expect.any(Number),
      frames: [
        { func: 'main.main.func2', file: 'golens.test/programs/race-slice/main.go', line: 22 },
      ],
    });
    expect(slice.accesses[1].kind).toBe('write');
    expect(slice.goroutines[0]).toEqual({
      id: slice.accesses[0].goroutine,
      state: 'running',
      createdAt: [{ func: 'main.main', file: 'golens.test/programs/race-slice/main.go', line: 20 }],
    });
    expect(slice.location).toBeNull();
    expect(parallel.count).toBe(1);
    expect([...parallel.tests].sort()).toEqual(['TestAlpha', 'TestBeta']);
  });

  it('text: the races with both stacks and the creation stacks', async () => {
    const r = await runCli(['races', f('field.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 distinct race in 1 report');
    expect(r.stdout).toMatch(
      /read at 0x[0-9a-f]+ by the main goroutine:\n {4}main\.\(\*counter\)\.read\n {8}golens\.test\/programs\/race-field\/main\.go:21/,
    );
    expect(r.stdout).toMatch(
      /previous write at 0x[0-9a-f]+ by goroutine \d+:\n {4}main\.\(\*counter\)\.bump/,
    );
    expect(r.stdout).toMatch(
      /goroutine \d+ \(running\) created at:\n {4}main\.main\n {8}golens\.test\/programs\/race-field\/main\.go:27/,
    );
  });

  it('a file without races says how to get them; a missing file is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-races-'));
    const clean = join(dir, 'clean.txt');
    writeFileSync(clean, 'ok  \texample.com/pkg\t0.1s\n');
    const r = await runCli(['races', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no race reports .*-race/);
    const missing = await runCli(['races', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.txt: no such file/);
  });
});
