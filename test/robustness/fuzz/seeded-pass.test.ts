// A short, seeded pass of the coverage-guided fuzzer (scripts/fuzz.mjs) over every reader's
// target, as part of `npm test`: seeds from test/fixtures (and ../shared/corpus when present),
// a fixed PRNG seed, about 10 s each. Nothing may come out but results and the readers' own
// typed errors, within the time and memory budgets. Findings are not saved from here (`npm run
// fuzz` saves them, and replay.test.ts replays every saved one).
import { describe, expect, it } from 'vitest';
import { targetNames as names } from '../../fuzz/targets';
import { repoRoot, run } from '../../support/go';

const SECONDS = 10;

describe('seeded fuzzing pass', () => {
  for (const name of names) {
    it(`${name}: ${SECONDS} s of mutated inputs give only results and typed errors, within budget`, async () => {
      const r = await run(
        process.execPath,
        [
          'scripts/fuzz.mjs',
          '--target',
          name,
          '--seconds',
          String(SECONDS),
          '--seed',
          '20261205',
          '--no-save',
          '--json',
        ],
        { cwd: repoRoot, timeoutMs: 110_000 },
      );
      const [t] = JSON.parse(r.stdout);
      expect(t.findings, JSON.stringify(t.findings, null, 1)).toEqual([]);
      expect({
        exceptions: t.exceptions,
        slow: t.slow,
        memory: t.memory,
        crashes: t.crashes,
        hangs: t.hangs,
      }).toEqual({ exceptions: 0, slow: 0, memory: 0, crashes: 0, hangs: 0 });
      expect(r.code).toBe(0);
      // The seeds ran, and mutation reached code they did not.
      expect(t.inputs).toBeGreaterThan(20);
      expect(t.corpus).toBeGreaterThan(1);
    });
  }
});
