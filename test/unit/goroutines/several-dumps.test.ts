// Several dumps in one text, dumps quoted with an indent, and the end of a dump without a blank
// line: real dumps from committed fixtures (made by real Go programs) glued the ways logs glue
// them, and the real-world files of the corpus that showed each problem.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GoroutineDumpError,
  crashFirst,
  defaultDumpIndex,
  goroutineAt,
  parseGoroutineDump,
  parseGoroutineDumps,
  summarizeDumps,
  type GoroutineSnapshot,
} from '../../../src/core/goroutines';
import { corpusFile, hasCorpus } from '../../support/corpus';
import { runCli } from '../../support/go';

const fixture = (p: string) =>
  readFileSync(join(__dirname, '../../fixtures/goroutines', p), 'utf8');
const ids = (s: GoroutineSnapshot) => Array.from(s.goroutines.id);
const T = '\t';

describe('several dumps in one text', () => {
  const sigquit = fixture('go1.21.13/sigquit.txt');
  const nilptr = fixture('go1.21.13/panic-nilptr.txt');
  const debug2 = fixture('go1.26.8/blocked-debug2.txt');

  it('reads two crashes of two runs, each as it reads alone, with its own lines', () => {
    const log = `starting run 1\n${nilptr}exit status 2\nstarting run 2\n${nilptr}`;
    const dumps = parseGoroutineDumps(log);
    const alone = parseGoroutineDump(nilptr);
    expect(dumps).toHaveLength(2);
    for (const d of dumps) {
      expect(ids(d.snapshot)).toEqual(ids(alone));
      expect(d.snapshot.header?.panics).toEqual(alone.header?.panics);
      expect(d.snapshot.warnings).toEqual([]);
    }
    const linesOfOne = nilptr.split('\n').length - 1;
    // Each starts at its panic line: after "starting run N" and the program's own first line.
    expect(dumps[0].startLine).toBe(3);
    expect(dumps[1].startLine).toBe(3 + linesOfOne + 2);
    expect(dumps[1].snapshot.goroutines.line[0]).toBe(
      alone.goroutines.line[0] + 1 + linesOfOne + 2,
    );
  });

  it('splits a runtime.Stack print from the SIGQUIT dump after it (the ids repeat)', () => {
    const dumps = parseGoroutineDumps(`${debug2}\nwaiting for ctrl+\\\n^\\${sigquit}`);
    expect(dumps.map((d) => d.snapshot.header?.signal?.name ?? null)).toEqual([null, 'SIGQUIT']);
    expect(ids(dumps[0].snapshot)).toEqual(ids(parseGoroutineDump(debug2)));
    expect(ids(dumps[1].snapshot)).toEqual(ids(parseGoroutineDump(sigquit)));
  });

  it('starts a new dump at a goroutine id listed again, and at a stack printed right after a log line', () => {
    const block = (id: number) => `goroutine ${id} [running]:\nmain.main()\n${T}/a.go:5 +0x1\n`;
    expect(parseGoroutineDumps(`${block(1)}\n${block(1)}`).map((d) => d.startLine)).toEqual([1, 5]);
    expect(
      parseGoroutineDumps(
        `${block(7)}2021/05/02 http: panic serving 10.0.0.1: boom\n${block(8)}`,
      ).map((d) => d.startLine),
    ).toEqual([1, 5]);
    // A blank line before the header: interleaved output inside one dump, as before.
    expect(parseGoroutineDumps(`${block(7)}\nsome log line\n\n${block(8)}`)).toHaveLength(1);
  });

  it('keeps every section of a GOTRACEBACK=crash dump in one dump', () => {
    const crash = fixture('go1.21.13/blocked-panic-crash.txt');
    expect(parseGoroutineDumps(crash)).toHaveLength(1);
  });

  it('the single-dump API still reads the first and says another follows', () => {
    const s = parseGoroutineDump(`${nilptr}${nilptr}`);
    expect(s.warnings.map((w) => w.kind)).toEqual(['second-dump']);
  });

  it('summaries name each dump; the crash comes first and is the default', () => {
    const dumps = parseGoroutineDumps(`${debug2}\n${nilptr}`);
    const sums = summarizeDumps(dumps);
    expect(sums.map((s) => [s.index, s.crash, s.title])).toEqual([
      [1, false, 'goroutine dump'],
      [2, true, 'panic: runtime error: invalid memory address or nil pointer dereference'],
    ]);
    expect(crashFirst(sums).map((s) => s.index)).toEqual([2, 1]);
    expect(defaultDumpIndex(dumps)).toBe(1);
  });
});

describe('indented dumps and the end of a dump', () => {
  it('reads a dump indented in test output, with lines numbered as in the file', () => {
    const text = `--- FAIL: TestX\n    x_test.go:9: boom\n    goroutine 8 [running]:\n    main.f()\n    ${T}/a.go:3 +0x1\n    created by main.g in goroutine 1\n    ${T}/a.go:9 +0x2\nFAIL\n`;
    const s = parseGoroutineDump(text);
    expect(goroutineAt(s, 0)).toMatchObject({
      id: 8,
      frames: [{ func: 'main.f', file: '/a.go', line: 3 }],
    });
    expect(s.goroutines.line[0]).toBe(3);
    expect(s.warnings).toEqual([]);
  });

  it('reads a dump whose last line has no newline and no blank line after it, without an "incomplete" warning', () => {
    const s = parseGoroutineDump(
      `goroutine 1 [running]:\nmain.f()\n${T}/a.go:3 +0x1\nmain.main()\n${T}/a.go:9 +0x2`,
    );
    expect(s.warnings).toEqual([]);
    const elided = parseGoroutineDump(
      `goroutine 1 [running]:\nmain.f()\n${T}/a.go:3 +0x1\n...additional frames elided...\n`,
    );
    expect(elided.warnings).toEqual([]);
    const exit = parseGoroutineDump(
      `panic: x\n\ngoroutine 1 [running]:\nmain.f()\n${T}/a.go:3\ncreated by main.g\n${T}/a.go:9 +0x2\nexit status 2`,
    );
    expect(exit.warnings).toEqual([]);
  });

  it('never quotes a goroutine header while saying there is no dump', () => {
    let message = '';
    try {
      parseGoroutineDump('see goroutine 1 [running] in the log\n');
    } catch (e) {
      expect(e).toBeInstanceOf(GoroutineDumpError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/line 1 looks like a goroutine header/);
    expect(message).not.toMatch(/no goroutine dump was found/);
  });
});

describe.runIf(hasCorpus)('real-world files with several or indented dumps (corpus)', () => {
  it.each([
    ['goroutines/wild/fcavani-droute-panic.log', 6, [6, 6, 6, 6, 6, 6]],
    ['goroutines/go-profiler-notes/examples__runtime-stack__runtime-stack.txt', 2, [5, 6]],
    ['goroutines/wild/ardanlabs-stack_trace-README.md', 3, [1, 1, 1]],
    ['goroutines/panicparse/context_test_L1112_Indented.txt', 1, [1]],
    ['goroutines/wild/vs-uulm-ztsfc-panic.log.excerpt-L20680-20760.txt', 2, [1, 1]],
  ] as const)('%s holds %i dumps', (rel, n, counts) => {
    const dumps = parseGoroutineDumps(readFileSync(corpusFile(rel)));
    expect(dumps).toHaveLength(n);
    expect(dumps.map((d) => d.snapshot.totalGoroutines)).toEqual(counts);
    for (const d of dumps)
      expect(
        d.snapshot.warnings.filter((w) => w.kind === 'duplicate' || w.kind === 'second-dump'),
      ).toEqual([]);
  });

  it.each([
    'goroutines/gostackparse/go121_createdby.txt',
    'goroutines/gostackparse/frameselided.txt',
    'goroutines/panicparse/context_test_L849_Created.txt',
  ])('%s: no false "incomplete" warning', (rel) => {
    expect(
      parseGoroutineDump(readFileSync(corpusFile(rel))).warnings.filter(
        (w) => w.kind === 'truncated',
      ),
    ).toEqual([]);
  });
});

describe('golens goroutines with several dumps', () => {
  const file = join(__dirname, '../../fixtures/goroutines');
  it('lists the dumps, shows the crash, and --dump N picks one', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'golens-dumps-'));
    const path = join(dir, 'two.log');
    writeFileSync(
      path,
      readFileSync(join(file, 'go1.26.8/blocked-debug2.txt'), 'utf8') +
        '\n' +
        readFileSync(join(file, 'go1.21.13/panic-nilptr.txt'), 'utf8'),
    );
    const text = await runCli(['goroutines', path]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^2 dumps in this file/);
    expect(text.stdout).toMatch(/\*\s+2 {2}line \d+\s+\d+ goroutines {2}panic: runtime error/);
    const second = JSON.parse((await runCli(['goroutines', path, '--dump', '1', '--json'])).stdout);
    expect(second.dump).toBe(1);
    expect(second.dumps).toHaveLength(2);
    expect(second.header).toBeUndefined();
    const bad = await runCli(['goroutines', path, '--dump', '3']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/holds 2 dumps; --dump takes 1 to 2, not 3/);
  });
});
