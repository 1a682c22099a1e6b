// The generation scan on every execution trace of the real-world corpus (when ../shared/corpus
// is there; fuzzers' crashers included): it refuses exactly the files the reader refuses at the
// header, and on every v2 trace the reader reads without error it lists the generations the
// reader reads.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { bytesSource, scanGenerations } from '../../../src/core/exectrace/generation-scan';
import { TraceError, TraceReader } from '../../../src/core/exectrace';
import { corpusDir } from '../../differential/exectrace/support/legacy-compare';
import { filesUnder } from '../../support/corpus';

const corpus = corpusDir();
const files = corpus ? filesUnder(join(corpus, 'traces')) : [];

test.runIf(corpus !== null)('the corpus traces scan as the reader reads them', () => {
  let compared = 0;
  for (const file of files) {
    const name = relative(corpus!, file);
    const bytes = readFileSync(file);
    let reader: TraceReader | null = null;
    let readerRefused: unknown = null;
    try {
      reader = new TraceReader(bytes);
    } catch (e) {
      readerRefused = e;
    }
    let scan: ReturnType<typeof scanGenerations> | null = null;
    try {
      scan = scanGenerations(bytesSource(bytes));
    } catch (e) {
      expect(e, name).toBeInstanceOf(TraceError);
      expect(readerRefused, name).not.toBeNull();
      continue;
    }
    expect(readerRefused, name).toBeNull();
    if (scan.legacy) continue;
    const gens: number[] = [];
    try {
      for (let b = reader!.next(); b; b = reader!.next())
        if (!b.final && gens.at(-1) !== b.gen) gens.push(b.gen);
    } catch (e) {
      expect(e, name).toBeInstanceOf(TraceError);
      continue;
    }
    expect(
      scan.generations.map((g) => g.number),
      name,
    ).toEqual(gens);
    expect(scan.problem, name).toBeUndefined();
    compared++;
  }
  expect(compared).toBeGreaterThan(5);
});
