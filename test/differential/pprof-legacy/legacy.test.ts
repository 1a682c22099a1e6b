// Legacy profile formats against go tool pprof on the same files: the debug=1 text a real Go
// program writes (test/go/pprof-kinds: heap with its sampling rate, threadcreate and goroutine
// count profiles), and, when the corpus is beside the clone, google/pprof's own legacy test
// files (binary CPU, C++ heapz_v2/growthz, contentionz, threadz, Java profilez/heapz/contentionz). Every sample type's -top rows
// (flat and cum per name) must be equal.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { gunzip } from '../../../src/node/inflate';
import { corpusFile, hasCorpus } from '../../support/corpus';
import { goBuild, run, runCli } from '../../support/go';
import { baseUnit, parsePprofTop, pprof, rowLines } from '../pprof-top/profiles';

const work = mkdtempSync(join(tmpdir(), 'golens-legacy-'));

async function agreeOnEveryType(file: string): Promise<void> {
  const profile = decodeProfile(readFileSync(file), gunzip);
  expect(profile.samples.count).toBeGreaterThan(0);
  for (let t = 0; t < profile.sampleTypes.length; t++) {
    const st = profile.sampleTypes[t];
    const theirs = await pprof([
      '-top',
      '-nodefraction=0',
      '-nodecount=1000000',
      `-sample_index=${t}`,
      `-unit=${baseUnit(st.unit)}`,
      file,
    ]);
    expect(theirs.code, theirs.stderr).toBe(0);
    const ours = await runCli(['top', file, '--json', '--sample-index', String(t)]);
    expect(ours.code, ours.stderr).toBe(0);
    const mine = new Map<string, { flat: number; cum: number }>();
    for (const r of JSON.parse(ours.stdout) as { func: string; flat: number; cum: number }[])
      if (r.flat !== 0 || r.cum !== 0) mine.set(r.func, { flat: r.flat, cum: r.cum });
    expect(rowLines(mine), `${file} ${st.type}`).toEqual(rowLines(parsePprofTop(theirs.stdout)));
  }
}

describe('legacy debug=1 profiles of a real Go program', () => {
  beforeAll(async () => {
    const bin = await goBuild('pprof-kinds');
    const r = await run(bin, ['-out', work, '-seconds', '0.5']);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it.each(['heap', 'threadcreate', 'goroutine'])(
    '%s?debug=1 reads as go tool pprof reads it',
    async (kind) => {
      await agreeOnEveryType(join(work, `${kind}.debug1.txt`));
    },
    120_000,
  );

  it('a damaged legacy heap profile gets a message naming the format and the line', () => {
    const text = readFileSync(join(work, 'heap.debug1.txt'), 'utf8').split('\n');
    text.splice(2, 0, 'this line is not a sample');
    expect(() => decodeProfile(new TextEncoder().encode(text.join('\n')), gunzip)).toThrow(
      /legacy Go heap profile \(debug=1\) is damaged: line 3/,
    );
  });
});

describe.runIf(hasCorpus)('google/pprof legacy test files (corpus)', () => {
  it.each([
    'pprof/google-pprof/profile__testdata__cppbench.cpu',
    'pprof/google-pprof/profile__testdata__go.crc32.cpu',
    'pprof/google-pprof/profile__testdata__gobench.cpu',
    'pprof/google-pprof/profile__testdata__cppbench.heap',
    'pprof/google-pprof/profile__testdata__gobench.heap',
    'pprof/google-pprof/profile__testdata__cppbench.growth',
    'pprof/google-pprof/profile__testdata__cppbench.contention',
    'pprof/google-pprof/profile__testdata__cppbench.thread',
    'pprof/google-pprof/profile__testdata__cppbench.thread.all',
    'pprof/google-pprof/profile__testdata__go.godoc.thread',
  ])(
    '%s',
    async (rel) => {
      await agreeOnEveryType(corpusFile(rel));
    },
    120_000,
  );

  // Java profiles carry their names: every sample type's top, and every sample's exact values
  // as `go tool pprof -raw` prints them (one row per sample, in file order).
  it.each([
    'pprof/google-pprof/profile__testdata__java.cpu',
    'pprof/google-pprof/profile__testdata__java.heap',
    'pprof/google-pprof/profile__testdata__java.contention',
  ])(
    'Java %s reads as go tool pprof reads it',
    async (rel) => {
      const file = corpusFile(rel);
      await agreeOnEveryType(file);
      const raw = await pprof(['-raw', file]);
      expect(raw.code, raw.stderr).toBe(0);
      const rows = raw.stdout.split('Samples:\n')[1].split('\nLocations')[0].split('\n').slice(1);
      const theirs = rows
        .filter((r) => /^\s*-?\d+(\s+-?\d+)*:/.test(r))
        .map((r) => r.split(':')[0].trim().split(/\s+/).map(Number));
      const profile = decodeProfile(readFileSync(file), gunzip);
      const n = profile.sampleTypes.length;
      const ours = Array.from({ length: profile.samples.count }, (_, s) =>
        Array.from(profile.samples.values.subarray(s * n, s * n + n)),
      );
      expect(ours).toEqual(theirs);
    },
    120_000,
  );
});
