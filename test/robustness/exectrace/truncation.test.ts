// Traces cut short at many offsets, as a crashed or killed program leaves them: every
// generation complete in the file is delivered exactly as from the whole file, then a
// TraceError saying the trace is truncated (or, cut exactly after a generation, a clean end);
// and on a sample of offsets, exactly the events Go's own reader prints before failing too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readBatch } from '../../../src/core/exectrace/generation';
import {
  fixtureNames,
  fixturesDir,
  goParsed,
  readAll,
  rng,
  writeScratch,
} from '../../unit/exectrace/support/helpers';

/** Byte offsets where each generation's data ends (after its last batch / end marker). */
function generationEnds(data: Uint8Array): number[] {
  const ends: number[] = [];
  const next = { pos: 0 };
  let pos = 16;
  let gen = -1;
  let lastEnd = 16;
  for (;;) {
    const r = readBatch(data, pos, next);
    if (r.kind !== 'batch') break;
    const b = r.batch;
    if (b.endOfGeneration) {
      ends.push(next.pos);
      gen = -1;
    } else {
      // Before Go 1.26 a generation ends where a batch of the next one begins.
      if (gen !== -1 && b.gen !== gen) ends.push(lastEnd);
      gen = b.gen;
    }
    lastEnd = next.pos;
    pos = next.pos;
  }
  ends.push(data.length); // the last generation is complete only in the whole file
  return [...new Set(ends)].sort((a, b) => a - b);
}

/** The events of each generation (from its Sync to the next), as signature lines. */
function byGeneration(text: string): string[] {
  return text.split(/^(?=S )/m).filter((p) => p !== '');
}

/** True if the bytes from `from` hold an event batch (not just tables): a 1.26+ generation
 * is only "incomplete" to Go's reader when it has one. */
function hasEventBatch(data: Uint8Array, from: number): boolean {
  const next = { pos: 0 };
  for (let pos = from; ; pos = next.pos) {
    const r = readBatch(data, pos, next);
    if (r.kind !== 'batch') return false;
    const b = r.batch;
    if (
      !b.endOfGeneration &&
      b.exp === 0 &&
      b.end > b.start &&
      ![2, 4, 6, 50].includes(data[b.start])
    )
      return true;
  }
}

describe.each(fixtureNames())('%s cut short', (name) => {
  const data = new Uint8Array(readFileSync(join(fixturesDir, name)));
  const full = readAll(data, { signatures: true });
  const fullGens = byGeneration(full.text);
  const version = Number(new TextDecoder().decode(data.subarray(5, 7)));
  const ends = generationEnds(data);

  // Offsets: random ones, generation boundaries and their neighbours, and batch edges.
  const r = rng(name.length * 7919);
  const offsets = new Set<number>([16, 17, data.length - 1]);
  for (let i = 0; i < 16; i++) offsets.add(16 + Math.floor(r() * (data.length - 16)));
  const someEnds = [ends[0], ends[Math.floor(ends.length / 2)], ends[ends.length - 2]].filter(
    (e) => e !== undefined,
  );
  for (const e of someEnds)
    for (const d of [-1, 0, 1]) if (e + d > 16 && e + d < data.length) offsets.add(e + d);

  test('only complete generations come out, identical, then a truncation error or a clean end', () => {
    expect(full.error).toBeNull();
    expect(ends.length).toBeGreaterThanOrEqual(1);
    for (const off of [...offsets].sort((a, b) => a - b)) {
      const cut = data.subarray(0, off);
      const got = readAll(cut, { signatures: true });
      const complete = ends.filter((e) => e <= off).length;
      const gens = byGeneration(got.text);
      for (let k = 0; k < complete; k++)
        expect(gens[k], `generation ${k + 1} with the file cut at ${off}`).toBe(fullGens[k]);
      if (got.error) {
        expect(got.error.code, `cut at ${off}: ${got.error.message}`).toBe('truncated');
        expect(got.error.message).toMatch(/truncated/);
      } else {
        // Without an error the cut must fall where a generation ends (Go reads such a file
        // as complete too), or, before Go 1.26, after a batch the last generation can do without.
        if (version >= 26)
          expect(
            hasEventBatch(cut, complete > 0 ? ends[complete - 1] : 16),
            `clean end at ${off}`,
          ).toBe(false);
      }
    }
  });

  test('the events before the failure are the ones go tool trace prints', async () => {
    const pick = [...offsets].filter((o) => o > 1000).sort((a, b) => a - b);
    for (const off of [
      pick[Math.floor(pick.length / 3)],
      pick[Math.floor((2 * pick.length) / 3)],
    ]) {
      const cut = data.subarray(0, off);
      const file = writeScratch('truncated', `${name}.${off}`, cut);
      const go = await goParsed(file);
      const ours = readAll(cut);
      expect(ours.text === go.stdout, `cut at ${off}`).toBe(true);
      expect(ours.error === null, `cut at ${off}: go says ${go.stderr.trim()}`).toBe(go.code === 0);
    }
  });
});
