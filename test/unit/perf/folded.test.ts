// The folded-stacks reader: escapes (the scheme shared with the writer), stackcollapse's
// annotations, gzip, bad lines, and the round trip through `golens folded`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readFolded, splitFoldedStack, FoldedReader } from '../../../src/core/folded/folded-reader';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { escapeFoldedFrame } from '../../../src/core/pprof/folded';
import { checkProfile } from '../../../src/core/pprof/validate';
import { frameKindOfFile } from '../../../src/core/perf/frame-names';
import { readProfileBytes } from '../../../src/core/perf/read-any';
import { sniffTextProfile } from '../../../src/core/perf/sniff-text';
import { gunzip } from '../../../src/node/inflate';
import { runCli } from '../../support/go';

const dir = mkdtempSync(join(tmpdir(), 'golens-folded-read-'));

describe('folded reader', () => {
  it('reads stacks root first, summing repeated lines', () => {
    const r = readFolded('main;a;b 3\nmain;a 2\nmain;a;b 4\n');
    checkProfile(r.profile);
    expect(r.profile.sampleTypes).toEqual([{ type: 'samples', unit: 'count' }]);
    expect(foldedStacks(r.profile, 0)).toEqual(['main;a 2', 'main;a;b 7']);
  });

  it('reads stacks longer than its line buffer whatever their length (found by the seeded fuzzing pass)', () => {
    // A stack of 5001 bytes grows the line buffer to an odd multiple of two bytes unless it is
    // rounded to whole 32-bit words: the buffer is also read as an Int32Array.
    for (const length of [5001, 5002, 5003, 5004, 9590]) {
      const stack = `main;${'f'.repeat(length - 5)}`;
      const r = readFolded(`${stack} 1\n${stack};g 2\n`);
      expect(foldedStacks(r.profile, 0)).toEqual([`${stack} 1`, `${stack};g 2`]);
    }
  });

  it('reads stacks that share prefixes with the line before (frame names that are prefixes of each other)', () => {
    const names = ['a', 'ab', 'abc', 'b', 'a b', 'x\\;y'];
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lines: string[] = [];
    const want = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const depth = 1 + rnd(6);
      const stack = Array.from({ length: depth }, () => names[rnd(names.length)]).join(';');
      const v = 1 + rnd(9);
      lines.push(`${stack} ${v}`);
      // Our writer escapes what the reader unescapes (CONTRACTS §5): the stack comes back as written.
      const key = splitFoldedStack(stack).map(escapeFoldedFrame).join(';');
      want.set(key, (want.get(key) ?? 0) + v);
    }
    for (const order of [lines, [...lines].sort()]) {
      const r = readFolded(order.join('\n') + '\n');
      checkProfile(r.profile);
      const got = new Map(
        foldedStacks(r.profile, 0).map((l) => [
          l.slice(0, l.lastIndexOf(' ')),
          Number(l.slice(l.lastIndexOf(' ') + 1)),
        ]),
      );
      expect(got).toEqual(want);
    }
  });

  it('undoes exactly the four escapes, and leaves other backslashes alone', () => {
    expect(splitFoldedStack('a\\;b;c\\\\d;e\\nf\\rg;h\\x')).toEqual([
      'a;b',
      'c\\d',
      'e\nf\rg',
      'h\\x',
    ]);
    expect(splitFoldedStack('C:\\path\\file;x')).toEqual(['C:\\path\\file', 'x']);
    const r = readFolded('main;pkg.(*T).m\\;odd 5\n');
    expect(r.profile.functions.name).toContain('pkg.(*T).m;odd');
  });

  it('takes stackcollapse annotations off the names and marks kernel and JIT frames', () => {
    const r = readFolded('java;Interpreter_[j];do_syscall_64_[k];read_zero_[k] 3\nmain;f_[i] 1\n');
    const p = r.profile;
    const file = (n: string) => p.functions.filename[p.functions.name.indexOf(n)];
    expect(frameKindOfFile(file('read_zero'))).toBe('kernel');
    expect(frameKindOfFile(file('Interpreter'))).toBe('native');
    expect(frameKindOfFile(file('f'))).toBe('go');
    expect(foldedStacks(p, 0)).toEqual(['java;Interpreter;do_syscall_64;read_zero 3', 'main;f 1']);
  });

  it('reads CRLF files, decimal counts and names with spaces', () => {
    const r = readFolded('a b;c d 1.5\r\n[unknown];x 2\r\n');
    expect(foldedStacks(r.profile, 0).map((l) => l.replace(/ \d+$/, ''))).toEqual([
      '[unknown];x',
      'a b;c d',
    ]);
    expect([...r.profile.samples.values].sort()).toEqual([1.5, 2]);
  });

  it('skips lines without a count, naming them, and keeps the rest; a cut-off last line is said', () => {
    const r = readFolded('main;a 1\nmain;broken\nmain;b 2\nmain;c 3\nmain;d');
    expect(foldedStacks(r.profile, 0)).toEqual(['main;a 1', 'main;b 2', 'main;c 3']);
    expect(r.stats.linesWithoutCount).toBe(1);
    expect(r.stats.truncated).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/1 line has no count.*line 2: main;broken/);
    expect(r.warnings.join(' ')).toMatch(/cut off/);
  });

  it('is sniffed plain and gzipped, and streamed in small pieces', () => {
    const text = 'main;a;b 3\nmain;c 1\n';
    expect(sniffTextProfile(text)).toBe('folded');
    expect(sniffTextProfile('hello world\n')).toBeUndefined();
    const gz = readProfileBytes(gzipSync(text), gunzip);
    expect(gz.format).toBe('folded');
    expect(foldedStacks(gz.profile, 0)).toEqual(['main;a;b 3', 'main;c 1']);
    const reader = new FoldedReader();
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i++) reader.push(bytes.subarray(i, i + 1));
    expect(foldedStacks(reader.end().profile, 0)).toEqual(['main;a;b 3', 'main;c 1']);
  });

  it('tells frames apart by their bytes where eight of them read as +0, -0 or NaN doubles', () => {
    // The reader compares lines and names eight bytes at a time as doubles: +0 equals -0 and a
    // NaN equals nothing, so those are settled byte by byte. (Each stack ends in `f`: bytes up to
    // a space at a stack's end are taken for the blanks before its count.)
    const plusZero = [0, 0, 0, 0, 0, 0, 0, 0];
    const minusZero = [0, 0, 0, 0, 0, 0, 0, 0x80];
    const nan = [0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xf8, 0x7f];
    const frame = (b: number[]) => new TextDecoder().decode(Uint8Array.from(b));
    const line = (a: number[], b: number[], v: number) => [
      ...a,
      0x3b,
      ...b,
      ...new TextEncoder().encode(`;f ${v}\n`),
    ];
    const bytes = Uint8Array.from([
      ...line(plusZero, nan, 1),
      ...line(minusZero, nan, 2),
      ...line(nan, plusZero, 3),
      ...line(nan, plusZero, 4),
      ...line(nan, minusZero, 5),
    ]);
    const r = readFolded(bytes);
    checkProfile(r.profile);
    expect(r.profile.locations.count).toBe(4);
    expect(foldedStacks(r.profile, 0).sort()).toEqual(
      [
        `${frame(plusZero)};${frame(nan)};f 1`,
        `${frame(minusZero)};${frame(nan)};f 2`,
        `${frame(nan)};${frame(plusZero)};f 7`,
        `${frame(nan)};${frame(minusZero)};f 5`,
      ].sort(),
    );
  });

  it('reads UTF-8 names, a byte-order mark and reused pieces the same in any cut', () => {
    // Names with multi-byte characters, an escape after shared prefixes, a name equal to a
    // prefix of another, and the reader's own piece buffer reused by the caller after each push.
    const text =
      '\ufeffmain;caf\u00e9;\u4e16\u754c 2\nmain;caf\u00e9;\u4e16 1\nmain;caf\u00e9;a\\;b 4\nmain;caf\u00e9 7\nmain;caf 1\n';
    const want = foldedStacks(readFolded(text.slice(1)).profile, 0);
    expect(want).toEqual([
      'main;caf 1',
      'main;caf\u00e9 7',
      'main;caf\u00e9;a\\;b 4',
      'main;caf\u00e9;\u4e16 1',
      'main;caf\u00e9;\u4e16\u754c 2',
    ]);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 2, 3, 5, 7, 64]) {
      const reader = new FoldedReader();
      const piece = new Uint8Array(size);
      for (let i = 0; i < bytes.length; i += size) {
        const n = Math.min(size, bytes.length - i);
        piece.set(bytes.subarray(i, i + n));
        reader.push(piece.subarray(0, n));
        piece.fill(0x3b);
      }
      expect(foldedStacks(reader.end().profile, 0), `pieces of ${size}`).toEqual(want);
    }
  });
});

describe('golens folded and top on folded and perf script input', () => {
  it('round-trips a folded file unchanged (sorted, as golens folded writes)', async () => {
    const lines = [
      'main;net/http.(*conn).serve;main.handler 12',
      'main;runtime.gcBgMarkWorker 3',
      'runtime.goexit;runtime.main;main.main;main.(*hasher).mix 7',
      'x;y;z 1',
    ];
    const path = join(dir, 'in.folded');
    writeFileSync(path, lines.join('\n') + '\n');
    const r = await runCli(['folded', path]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(lines.join('\n') + '\n');
    const gz = join(dir, 'in.folded.gz');
    writeFileSync(gz, gzipSync(lines.join('\n') + '\n'));
    expect((await runCli(['folded', gz])).stdout).toBe(lines.join('\n') + '\n');
  });

  it('prints a top table of a folded file, and says what it skipped', async () => {
    const path = join(dir, 'bad.folded');
    writeFileSync(path, 'main;a 3\nmain;b\nmain;a;c 1\n');
    const r = await runCli(['top', path, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { func: 'a', flat: 3, cum: 4 },
      { func: 'c', flat: 1, cum: 1 },
      { func: 'main', flat: 0, cum: 4 },
    ]);
    expect(r.stderr).toMatch(/1 line has no count/);
  });

  it('says what a text file is when it is neither', async () => {
    const path = join(dir, 'garbage.txt');
    writeFileSync(path, 'this is just some text\nnothing to see\n');
    const r = await runCli(['top', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a pprof profile/);
  });
});
