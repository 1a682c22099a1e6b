import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/go';
import { encodeProfile, profileFromStacks } from './encode';

const dir = mkdtempSync(join(tmpdir(), 'golens-top-'));
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const cpuTypes: [string, string][] = [
  ['samples', 'count'],
  ['cpu', 'nanoseconds'],
];
// Values per sample type: samples n, cpu n × 2 (profileFromStacks multiplies by the type's position).
const cpu = file(
  'cpu.pb.gz',
  gzipSync(
    encodeProfile({
      ...profileFromStacks(
        [
          [['main', 'work', 'hash'], 30_000_000],
          [['main', 'work', 'sort'], 10_000_000],
          [['main', 'idle'], 5_000_000],
        ],
        cpuTypes,
      ),
      defaultSampleType: 'cpu',
    }),
  ),
);
const heap = file(
  'heap.pb.gz',
  gzipSync(
    encodeProfile(
      profileFromStacks(
        [[['main', 'alloc'], 1024]],
        [
          ['alloc_objects', 'count'],
          ['alloc_space', 'bytes'],
          ['inuse_objects', 'count'],
          ['inuse_space', 'bytes'],
        ],
      ),
    ),
  ),
);

describe('golens top', () => {
  it('prints a table like go tool pprof -top', async () => {
    const r = await runCli(['top', cpu]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Type: cpu',
        'Showing nodes accounting for 90ms, 100% of 90ms total',
        '      flat  flat%   sum%        cum   cum%',
        '      60ms 66.67% 66.67%       60ms 66.67%  hash',
        '      20ms 22.22% 88.89%       20ms 22.22%  sort',
        '      10ms 11.11%   100%       10ms 11.11%  idle',
        '         0     0%   100%       90ms   100%  main',
        '         0     0%   100%       80ms 88.89%  work',
        '',
      ].join('\n'),
    );
  });

  it('prints raw integers with --json, sorted by cum with --cum', async () => {
    const r = await runCli(['top', cpu, '--json', '--cum', '--sample-index', 'samples']);
    expect(JSON.parse(r.stdout)).toEqual([
      { func: 'main', flat: 0, cum: 45_000_000 },
      { func: 'work', flat: 0, cum: 40_000_000 },
      { func: 'hash', flat: 30_000_000, cum: 30_000_000 },
      { func: 'sort', flat: 10_000_000, cum: 10_000_000 },
      { func: 'idle', flat: 5_000_000, cum: 5_000_000 },
    ]);
  });

  it('applies filters and says which', async () => {
    const r = await runCli(['top', cpu, '--focus', 'work', '--ignore=sort', '--hide', '^main$']);
    expect(r.stdout).toMatch(
      /^Type: cpu\nActive filters:\n {3}focus=work\n {3}ignore=sort\n {3}hide=\^main\$\nShowing nodes accounting for 60ms, 66.67% of 90ms total\n/,
    );
    const json = JSON.parse((await runCli(['top', cpu, '--json', '--show', 'hash|sort'])).stdout);
    expect(json).toEqual([
      { func: 'hash', flat: 60_000_000, cum: 60_000_000 },
      { func: 'sort', flat: 20_000_000, cum: 20_000_000 },
    ]);
  });

  it.each([
    [['--focus', 'work('], /^golens: invalid --focus regexp "work\(": /],
    [['--tagfocus', 'worker=('], /^golens: invalid --tagfocus regexp "\(" in "worker=\(": /],
    [
      ['--sample-index', 'wall'],
      /^golens: --sample-index wall is not a sample type of .*cpu\.pb\.gz; it has 0: samples\/count, 1: cpu\/nanoseconds\n$/,
    ],
    [['--tagfocus'], /^golens: --tagfocus needs a value\n$/],
  ])('fails with one line for %j', async (args, message) => {
    const r = await runCli(['top', cpu, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('needs exactly one file', async () => {
    const r = await runCli(['top']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^golens: usage: golens top FILE /);
  });

  it('takes sample type names as pprof does', async () => {
    const r = await runCli(['top', heap, '--json', '--sample-index', 'inuse_space']);
    expect(JSON.parse(r.stdout)).toEqual([
      { func: 'alloc', flat: 4096, cum: 4096 },
      { func: 'main', flat: 0, cum: 4096 },
    ]);
  });
});

describe('golens diff', () => {
  const base = file(
    'base.pb.gz',
    gzipSync(
      encodeProfile(
        profileFromStacks(
          [
            [['main', 'a'], 5],
            [['main', 'b'], 3],
          ],
          cpuTypes,
        ),
      ),
    ),
  );
  const cur = file(
    'new.pb.gz',
    gzipSync(
      encodeProfile(
        profileFromStacks(
          [
            [['main', 'a'], 2],
            [['main', 'b'], 3],
            [['main', 'c'], 4],
          ],
          cpuTypes,
        ),
      ),
    ),
  );

  it('prints the changed stacks with signed values', async () => {
    const r = await runCli(['diff', base, cur]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('main;a -6\nmain;c +8\n');
    expect((await runCli(['diff', base, cur, '--sample-index', '0', '--focus', 'c'])).stdout).toBe(
      'main;c +4\n',
    );
  });

  it('normalizes with --normalize', async () => {
    // Totals: base 8, new 9 → new × 8/9: a 2 → 1.78 → 2, b 3 → 2.67 → 3, c 4 → 3.56 → 4.
    expect((await runCli(['diff', base, cur, '--sample-index', '0', '--normalize'])).stdout).toBe(
      'main;a -3\nmain;c +4\n',
    );
  });

  it('refuses profiles of different kinds', async () => {
    const r = await runCli(['diff', base, heap]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^golens: cannot compare these profiles: the base is a CPU profile \(samples\/count, cpu\/nanoseconds\) but the new one is a heap\/allocs profile/,
    );
  });

  it('needs two files', async () => {
    const r = await runCli(['diff', base]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^golens: usage: golens diff BASE FILE /);
  });
});
