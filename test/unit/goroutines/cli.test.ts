// `golens goroutines` end to end through the built CLI (dist/cli.js, rebuilt by vitest's global
// setup): the JSON shape the extension and scripts rely on, the text summary, flags, errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/go';

const fixtures = join(__dirname, '../../fixtures/goroutines');
const f = (version: string, name: string) => join(fixtures, version, name);

interface JsonFrame {
  func: string;
  file: string;
  line: number;
}

async function json(args: string[]) {
  const r = await runCli(['goroutines', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('golens goroutines --json', () => {
  it('prints goroutines, groups and warnings of a debug=2 dump', async () => {
    const out = await json([f('go1.26.8', 'blocked-debug2.txt')]);
    expect(out.format).toBe('traceback');
    expect(out.goroutines).toHaveLength(35);
    expect(out.header).toBeUndefined();
    expect(out.warnings).toEqual([]);
    const locked = out.goroutines.find((g: { lockedToThread: boolean }) => g.lockedToThread);
    expect(locked).toMatchObject({
      state: 'chan receive',
      waitMinutes: 1,
      lockedToThread: true,
      labels: {},
      createdBy: {
        func: 'golens.test/programs/dump-zoo.Start',
        file: expect.stringMatching(/dump-zoo\/zoo\.go$/),
        line: expect.any(Number),
        goroutine: 1,
      },
    });
    expect(typeof locked.id).toBe('number');
    expect(locked.frames.map((fr: JsonFrame) => fr.func)).toEqual([
      'golens.test/programs/dump-zoo.lockedWaiter',
    ]);
    expect(Object.keys(locked.frames[0])).toEqual(['func', 'file', 'line']);
    const first = out.groups[0];
    expect(first).toMatchObject({
      count: 8,
      state: 'chan receive',
      waitMinutes: { min: 1, max: 1 },
      system: false,
    });
    expect(first.ids).toHaveLength(8);
    expect(first.stack.map((fr: JsonFrame) => fr.func)).toEqual([
      'golens.test/programs/dump-zoo.worker',
    ]);
    expect(out.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(35);
  });

  it('prints the header of a panic', async () => {
    const out = await json([f('go1.21.13', 'panic-nilptr.txt')]);
    expect(out.header).toMatchObject({
      kind: 'panic',
      panics: [
        {
          value: 'runtime error: invalid memory address or nil pointer dereference',
          recovered: false,
          repanicked: false,
        },
      ],
      signal: { name: 'SIGSEGV', description: 'segmentation violation' },
      currentGoroutine: 1,
    });
  });

  it('reads debug=1 and gzipped debug=0 profiles: records with counts, no ids', async () => {
    for (const name of ['blocked-debug1.txt', 'blocked-debug0.pb.gz']) {
      const out = await json([f('go1.24.13', name)]);
      expect(out.format).toBe(name.endsWith('.gz') ? 'debug0' : 'debug1');
      expect(out.totalGoroutines).toBe(35);
      expect(out.goroutines.every((g: { id: number | null }) => g.id === null)).toBe(true);
      expect(out.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(35);
    }
  });

  it('--relaxed folds the same functions at different lines', async () => {
    const exact = await json([f('go1.26.8', 'blocked-debug2.txt')]);
    const relaxed = await json([f('go1.26.8', 'blocked-debug2.txt'), '--relaxed']);
    expect(relaxed.groups.length).toBe(exact.groups.length - 2); // stage (2 → 1), genericWait (2 → 1)
  });

  it('--system keeps runtime goroutines in the groups', async () => {
    const hidden = await json([f('go1.26.8', 'sigquit.txt')]);
    const shown = await json([f('go1.26.8', 'sigquit.txt'), '--system']);
    expect(hidden.hiddenSystemGoroutines).toBeGreaterThan(0);
    expect(shown.hiddenSystemGoroutines).toBe(0);
    expect(shown.groups.some((g: { system: boolean }) => g.system)).toBe(true);
    expect(hidden.goroutines.filter((g: { system: boolean }) => g.system).length).toBe(
      hidden.hiddenSystemGoroutines,
    );
  });

  it('--compare prints what changed', async () => {
    const out = await json([f('go1.26.8', 'leak-2.txt'), '--compare', f('go1.26.8', 'leak-1.txt')]);
    expect(out).toMatchObject({ totalBefore: 21, totalAfter: 39 });
    expect(out.changes[0]).toMatchObject({ kind: 'grew', before: 10, after: 30, delta: 20 });
  });
});

describe('golens goroutines (text)', () => {
  it('prints a grouped summary', async () => {
    const r = await runCli(['goroutines', f('go1.26.8', 'deadlock.txt')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('traceback dump: 3 goroutines, 3 groups of 3');
    expect(lines[1]).toBe('fatal error: all goroutines are asleep - deadlock!');
    expect(r.stdout).toContain('1 × [sync.Mutex.Lock]');
    expect(r.stdout).toMatch(/ {4}main\.lockTwice {2}\S+dump-deadlock\/main\.go:\d+/);
  });

  it('prints the leak view with --compare', async () => {
    const r = await runCli([
      'goroutines',
      f('go1.26.8', 'leak-3.txt'),
      '--compare',
      f('go1.26.8', 'leak-2.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('goroutines: 39 → 66 (+27)');
    expect(r.stdout).toMatch(/^grew +30 → 60 +\(\+30\) +main\.handleRequest\.func1/m);
    expect(r.stdout).toMatch(/^vanished +3 → 0 +\(-3\) +main\.batchJob/m);
  });
});

describe('golens goroutines errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'golens-goroutines-cli-'));

  it.each([
    ['page.html', '<!DOCTYPE html><html><body>index</body></html>', /HTML page/],
    ['empty.txt', '', /input is empty/],
    ['notes.txt', 'just some notes\n', /no goroutine dump was found/],
  ])('%s: one line on stderr, exit 1', async (name, content, message) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    const r = await runCli(['goroutines', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^golens: .+\n$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('names a missing file', async () => {
    const r = await runCli(['goroutines', join(tmp, 'nope.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.txt: no such file/);
  });

  it('prints usage for no file or an unknown flag', async () => {
    expect((await runCli(['goroutines'])).stderr).toMatch(/usage: golens goroutines FILE/);
    expect((await runCli(['goroutines', 'x', '--bogus'])).stderr).toMatch(/unknown flag --bogus/);
  });
});
