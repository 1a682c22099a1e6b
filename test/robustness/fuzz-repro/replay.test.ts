// Every input that once broke a reader (../shared/fuzz-repro/<reader>/, kept next to the
// repository) and every finding the fuzzer saved (test/robustness/fuzz-findings/<reader>/),
// replayed: the reader returns or throws its own typed error, in bounded time and memory, and
// `golens schedtrace` on each file exits 0 or 1 with a one-line message. The time guards here
// are generous (a loaded CI machine); the real figures are `npm run bench`'s (fuzz.mjs).
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsDir, listInputs } from '../../fuzz/inputs';
import { memoryBudgetBytes } from '../../fuzz/target';
import { loadTargets } from '../../fuzz/targets';
import { repoRoot, runCli } from '../../support/go';
import { sharedDir, sharedRoot } from '../../support/shared';

const GUARD_MS = 5000;
const repro = sharedDir('fuzz-repro');
const targets = await loadTargets();

/** Messages of exceptions that are not a reader's own (V8 and programming errors). */
const INTERNAL =
  /Maximum call stack|Invalid (array|typed array|string) length|invalid size|out of memory|Cannot read propert|is not a function|is not iterable|undefined|RangeError|TypeError/;

function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

// ../shared/fuzz-repro is not part of the repository: without it only the saved findings replay.
if (!repro)
  console.warn(
    '../shared/fuzz-repro is absent (it is not part of the repository): the reproducers of issue 11 were not replayed.',
  );

describe('saved inputs that broke a reader', () => {
  for (const t of targets) {
    const files = [
      ...listInputs(repoRoot, [`../shared/fuzz-repro/${t.name}`], sharedRoot()),
      ...listInputs(repoRoot, [findingsDir(repoRoot, t.name)], undefined),
    ];
    for (const file of files) {
      it(`${t.name}: ${basename(file)} gives a result or the reader's typed error, in bounded time and memory`, () => {
        const input = new Uint8Array(readFileSync(file));
        const before = heldBytes();
        const started = performance.now();
        let result: unknown;
        let error: unknown;
        try {
          result = t.run(input);
        } catch (e) {
          error = e;
        }
        const ms = performance.now() - started;
        const held = heldBytes() - before;
        if (error !== undefined)
          expect(t.isTypedError(error), `${relative(repoRoot, file)}: ${String(error)}`).toBe(true);
        expect(ms, 'milliseconds').toBeLessThan(GUARD_MS);
        expect(held, 'bytes held after the run').toBeLessThan(memoryBudgetBytes(input.length));
        void result;
      });
    }
  }
});

describe.runIf(repro)('golens schedtrace on every reproducer', () => {
  const files = repro ? listInputs(repoRoot, [repro], undefined) : [];
  for (const file of files) {
    it(relative(repro!, file), async () => {
      const started = performance.now();
      const r = await runCli(['schedtrace', file], 60_000);
      const ms = performance.now() - started;
      expect([0, 1], r.stderr).toContain(r.code);
      if (r.code === 1) {
        // One line, the reader's own message.
        expect(r.stderr).toMatch(/^golens: [^\n]+\n$/);
        expect(r.stderr).not.toMatch(INTERNAL);
      } else {
        expect(r.stdout).toMatch(/runtime trace lines/);
      }
      expect(ms).toBeLessThan(GUARD_MS);
    });
  }
});
