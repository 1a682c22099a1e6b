// golens trace-events against go tool trace -d=parsed (the machine's Go 1.26) on Go 1.11–1.21
// traces, which Go converts from the v1 format: byte for byte on the committed Go 1.21 fixtures
// and on every v1 file of the real-world corpus (when ../shared/corpus is there), and the same
// refusal as Go's for Go 1.5–1.10 traces. Prints the agreement table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { filesUnder } from '../../support/corpus';
import { cliPath, repoRoot } from '../../support/go';
import { corpusDir, goParsedBytes, runBytes, tieInsensitive } from './support/legacy-compare';

const fixtures = join(repoRoot, 'test/fixtures/exectrace-legacy');
const fixtureFiles = readdirSync(fixtures)
  .filter((f) => f.endsWith('.trace'))
  .sort()
  .map((f) => join(fixtures, f));

const ours = (file: string) => runBytes(process.execPath, [cliPath, 'trace-events', file]);

/** The "go 1.N trace" header's N, or null. */
function headerMinor(file: string): number | null {
  const head = readFileSync(file).subarray(0, 16).toString('latin1');
  const m = /^go 1\.(\d+) trace\0+$/.exec(head);
  return m ? Number(m[1]) : null;
}

const corpus = corpusDir();
const corpusTraces = corpus
  ? filesUnder(join(corpus, 'traces')).filter((f) => statSync(f).size >= 16)
  : [];
const converted = corpusTraces.filter((f) => [11, 19, 21].includes(headerMinor(f) ?? 0));
const refused = corpusTraces.filter((f) => (headerMinor(f) ?? 99) <= 10);

describe.each(fixtureFiles)('%s', (file) => {
  test('trace-events prints exactly what go tool trace -d=parsed prints', async () => {
    const [a, b] = await Promise.all([ours(file), goParsedBytes(file)]);
    expect(b.code).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(10_000);
    expect(a.stdout.equals(b.stdout)).toBe(true);
  });
});

interface Row {
  file: string;
  agreement:
    | 'identical'
    | 'identical to another run of Go'
    | 'identical up to the order of simultaneous events'
    | 'both refuse'
    | 'DIFFERENT';
}
const rows: Row[] = [];

describe.runIf(corpus !== null)('the real-world corpus (Go 1.11–1.21 traces)', () => {
  test('holds v1 traces of every converted header version', () => {
    const minors = new Set(converted.map(headerMinor));
    expect([...minors].sort()).toEqual([11, 19, 21]);
  });

  test.each(converted.map((f) => relative(corpus!, f)))(
    '%s: same events as go tool trace -d=parsed',
    async (rel) => {
      const file = join(corpus!, rel);
      const [a, b] = await Promise.all([ours(file), goParsedBytes(file)]);
      // Exit status agrees: what Go converts we read, what Go refuses we refuse (with our message).
      expect(a.code === 0).toBe(b.code === 0);
      if (a.code !== 0) expect(a.stderr).toMatch(/^golens: (corrupt trace|trace is truncated)/);
      const ta = a.stdout.toString('latin1');
      const tb = b.stdout.toString('latin1');
      let agreement: Row['agreement'] = 'DIFFERENT';
      if (ta === tb) agreement = a.code === 0 ? 'identical' : 'both refuse';
      else if (tieInsensitive(ta) === tieInsensitive(tb)) {
        agreement = 'identical up to the order of simultaneous events';
        // Go's order of simultaneous events changes from run to run: ours is one of them.
        for (let run = 0; run < 20; run++) {
          if ((await goParsedBytes(file)).stdout.equals(a.stdout)) {
            agreement = 'identical to another run of Go';
            break;
          }
        }
      }
      rows.push({ file: rel, agreement });
      if (agreement === 'DIFFERENT') {
        const la = ta.split('\n');
        const lb = tb.split('\n');
        const k = la.findIndex((l, i) => l !== lb[i]);
        expect({ line: k + 1, ours: la.slice(k, k + 3) }).toEqual({
          line: k + 1,
          ours: lb.slice(k, k + 3),
        });
      }
    },
    180_000,
  );

  test.each(refused.map((f) => relative(corpus!, f)))(
    '%s (Go 1.5–1.10): refused as Go 1.26 refuses it, saying what to do',
    async (rel) => {
      const file = join(corpus!, rel);
      const minor = headerMinor(file)!;
      const [a, b] = await Promise.all([ours(file), goParsedBytes(file)]);
      expect(b.code).not.toBe(0);
      expect(b.stderr).toContain(`unknown or unsupported trace version go 1.${minor}`);
      expect(a.code).not.toBe(0);
      expect(a.stdout.length).toBe(0);
      expect(a.stderr).toContain(`unknown or unsupported trace version go 1.${minor}`);
      expect(a.stderr).toContain('GOTOOLCHAIN=go1.22.12 go tool trace FILE');
    },
  );

  afterAll(() => {
    if (rows.length === 0) return;
    rows.sort((x, y) => x.file.localeCompare(y.file));
    const count = (k: Row['agreement']) => rows.filter((r) => r.agreement === k).length;
    const lines = rows.map((r) => `  ${r.agreement.padEnd(48)} ${r.file}`);
    lines.push(
      `Go 1.11–1.21 corpus traces vs go tool trace -d=parsed: ${count('identical')} byte-identical, ` +
        `${count('identical to another run of Go')} byte-identical to another run of Go (Go's order of simultaneous events varies from run to run), ` +
        `${count('identical up to the order of simultaneous events')} identical up to that order, ` +
        `${count('both refuse')} refused by both (same events before the error), ${count('DIFFERENT')} different; ${rows.length} files`,
    );
    console.log(lines.join('\n'));
  });
});
