// Loading a time range of a trace (a run of its generations, what the timeline offers when the
// whole trace would not fit in memory): the cut-out trace is one Go's own tools read, and
// `golens trace-events` prints exactly what `go tool trace -d=parsed` prints for it, on the
// committed multi-generation traces of every Go release 1.22 to 1.27. Against the whole trace:
// every generation after the slice's first has the same events as there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  bytesSource,
  generationSlice,
  scanGenerations,
  selectGenerations,
} from '../../../src/core/exectrace/generation-scan';
import { runCli } from '../../support/go';
import {
  expectSameLines,
  fixtureNames,
  fixturesDir,
  goParsed,
  writeScratch,
} from '../../unit/exectrace/support/helpers';

/** The event lines of `-d=parsed` output, by generation (Sync events start a generation). */
function byGeneration(text: string): string[][] {
  const gens: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('M=') && / Sync /.test(line)) gens.push([]);
    else if (gens.length) gens[gens.length - 1].push(line);
  }
  return gens;
}

describe.each(fixtureNames().filter((n) => n.startsWith('workload-')))('%s', (name) => {
  test('generations 2 to the next-to-last, cut out, read as go tool trace reads them', async () => {
    const bytes = readFileSync(join(fixturesDir, name));
    const scan = scanGenerations(bytesSource(bytes));
    const gens = scan.generations;
    const picked = selectGenerations(scan, gens[1].number, gens[gens.length - 2].number);
    const slice = generationSlice(bytes, picked, (pos, len, into, at) =>
      into.set(bytes.subarray(pos, pos + len), at),
    );
    const file = writeScratch('generation-range', name, slice);
    const whole = join(fixturesDir, name);
    const [ours, go, goWhole] = await Promise.all([
      runCli(['trace-events', file]),
      goParsed(file),
      goParsed(whole),
    ]);
    expect(go.code, go.stderr).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    expect(ours.stdout.length).toBeGreaterThan(1000);
    expectSameLines(ours.stdout, go.stdout);
    // Same number of generations as picked (plus the closing Sync), and after the first one
    // the same event count per generation as in the whole trace.
    const part = byGeneration(go.stdout);
    const all = byGeneration(goWhole.stdout);
    expect(part.length).toBe(picked.length + 1);
    const offset = gens.indexOf(picked[0]);
    for (let i = 1; i < picked.length; i++) expect(part[i].length).toBe(all[offset + i].length);
  });
});
