// golens trace-events against go tool trace -d=parsed (the machine's Go 1.26), byte for byte, on
// the committed traces written by every Go release with its own trace writer, 1.22 to 1.27.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../support/go';
import {
  fixtureNames,
  fixtureRelease,
  fixturesDir,
  goParsed,
} from '../../unit/exectrace/support/helpers';

const releases = new Set(fixtureNames().map(fixtureRelease));

test('fixtures cover every Go minor from 1.22 to the newest', () => {
  for (const minor of [22, 23, 24, 25, 26, 27])
    expect([...releases].some((r) => r.startsWith(`go1.${minor}.`))).toBe(true);
});

describe.each(fixtureNames())('%s', (name) => {
  const file = join(fixturesDir, name);

  test('trace-events prints exactly what go tool trace -d=parsed prints', async () => {
    const [ours, go] = await Promise.all([runCli(['trace-events', file]), goParsed(file)]);
    expect(go.code).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    expect(ours.stdout.length).toBeGreaterThan(1000);
    // Compare without handing vitest megabytes to diff: first differing line, then equality.
    if (ours.stdout !== go.stdout) {
      const a = ours.stdout.split('\n');
      const b = go.stdout.split('\n');
      const k = a.findIndex((l, i) => l !== b[i]);
      expect({ line: k + 1, ours: a.slice(k, k + 3), go: b.slice(k, k + 3) }).toEqual({
        line: k + 1,
        ours: b.slice(k, k + 3),
        go: b.slice(k, k + 3),
      });
    }
    expect(ours.stdout === go.stdout).toBe(true);
  });

  test('the header matches the release that wrote it', () => {
    const header = new TextDecoder().decode(readFileSync(file).subarray(0, 16));
    const minor = Number(/go1\.(\d+)/.exec(fixtureRelease(name))![1]);
    const expected = { 22: 22, 23: 23, 24: 23, 25: 25, 26: 26, 27: 26 }[minor];
    expect(header).toBe(`go 1.${expected} trace\x00\x00\x00`);
  });
});
