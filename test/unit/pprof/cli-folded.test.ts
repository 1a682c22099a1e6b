import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/go';
import { encodeProfile, profileFromStacks } from './encode';

const dir = mkdtempSync(join(tmpdir(), 'golens-folded-'));
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('golens folded', () => {
  const spec = profileFromStacks(
    [
      [['main', 'a'], 2],
      [['main', 'b', 'c'], 1],
    ],
    [
      ['alloc_space', 'bytes'],
      ['inuse_space', 'bytes'],
    ],
  );
  const heap = file('heap.pb.gz', gzipSync(encodeProfile(spec)));

  it('prints folded stacks of the default sample type', async () => {
    const r = await runCli(['folded', heap]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('main;a 4\nmain;b;c 2\n');
  });

  it('takes --sample-index as a number or a name, as pprof -sample_index does', async () => {
    expect((await runCli(['folded', heap, '--sample-index', '0'])).stdout).toBe(
      'main;a 2\nmain;b;c 1\n',
    );
    expect((await runCli(['folded', '--sample-index=alloc_space', heap])).stdout).toBe(
      'main;a 2\nmain;b;c 1\n',
    );
    expect((await runCli(['folded', heap, '--sample-index', 'inuse_space'])).stdout).toBe(
      'main;a 4\nmain;b;c 2\n',
    );
  });

  it('fails with one line naming the sample types for an unknown index', async () => {
    const r = await runCli(['folded', heap, '--sample-index', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `golens: --sample-index cpu is not a sample type of ${heap}; it has 0: alloc_space/bytes, 1: inuse_space/bytes\n`,
    );
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.pb.gz'), /^golens: .*nope\.pb\.gz: no such file\n$/],
    [
      'an HTML page',
      () => file('index.html', '<!DOCTYPE html>\n<html></html>\n'),
      /^golens: this is an HTML page, not a pprof profile/,
    ],
    [
      'a truncated gzip file',
      () => file('cut.pb.gz', gzipSync(encodeProfile(spec)).subarray(0, 30)),
      /^golens: the file is truncated: gzip stream ended early/,
    ],
    ['a directory', () => dir, /is a directory, not a profile/],
  ])('fails with one line for %s', async (_, path, message) => {
    const r = await runCli(['folded', path()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints nothing, and says so on stderr, for a profile without samples', async () => {
    const r = await runCli(['folded', file('empty.pb', encodeProfile(profileFromStacks([])))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/has no samples/);
  });

  it('needs exactly one file', async () => {
    const r = await runCli(['folded']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'golens: usage: golens folded FILE [--sample-index N|NAME] [--binary EXE]\n',
    );
  });
});

describe('golens --help', () => {
  it('lists the commands, and each command prints its flags', async () => {
    const all = await runCli(['--help']);
    expect(all.code).toBe(0);
    const names = [...all.stdout.matchAll(/^ {2}(\S+) /gm)].map((m) => m[1]);
    expect(names).toEqual([
      'schedtrace',
      'trace-events',
      'folded',
      'goroutines',
      'top',
      'diff',
      'core',
      'run',
      'races',
      'trace-analysis',
    ]);
    for (const name of names) {
      const r = await runCli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: golens ${name} `));
    }
  });
});
