// Our decoder against the `go tool pprof -raw` text each Go release printed for its own profiles
// (committed under test/fixtures/pprof/, made by generate.sh there): the profile.proto writers
// and the -raw format both changed across releases, and we must read them all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { gunzip } from '../../../src/node/inflate';
import { repoRoot } from '../../support/go';
import { foldedLines, ourSampleViews, parseRaw, rawFolded, rawSampleViews } from './raw';

const fixtures = join(repoRoot, 'test/fixtures/pprof');
const releases = readdirSync(fixtures)
  .filter((d) => /^go1\.\d+/.test(d))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

describe('committed fixtures', () => {
  it('cover Go 1.21 through 1.25 and a newer release', () => {
    const minors = releases.map((r) => Number(/^go1\.(\d+)/.exec(r)![1]));
    for (const m of [21, 22, 23, 24, 25]) expect(minors).toContain(m);
    expect(Math.max(...minors)).toBeGreaterThan(25);
  });
});

describe.each(releases)('%s', (release) => {
  it.each(['cpu', 'heap'])("%s profile decodes as that release's pprof -raw prints it", (kind) => {
    const file = join(fixtures, release, `${kind}.pb.gz`);
    expect(existsSync(file)).toBe(true);
    const raw = parseRaw(readFileSync(join(fixtures, release, `${kind}.raw.txt`), 'utf8'));
    const profile = decodeProfile(readFileSync(file), gunzip);
    expect(raw.samples.length).toBeGreaterThan(0);
    expect(profile.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(raw.sampleTypes);
    if (raw.defaultIndex >= 0) expect(profile.defaultSampleType).toBe(raw.defaultIndex);
    expect(profile.period).toBe(raw.period);
    expect(ourSampleViews(profile)).toEqual(rawSampleViews(raw));
    for (let i = 0; i < raw.sampleTypes.length; i++) {
      const ours = new Map(
        foldedStacks(profile, i).map((l) => [
          l.slice(0, l.lastIndexOf(' ')),
          Number(l.slice(l.lastIndexOf(' ') + 1)),
        ]),
      );
      expect(foldedLines(ours), raw.sampleTypes[i]).toEqual(foldedLines(rawFolded(raw, i)));
    }
  });

  it('has labels in the CPU profile and inlined frames in both', () => {
    const cpu = parseRaw(readFileSync(join(fixtures, release, 'cpu.raw.txt'), 'utf8'));
    expect(cpu.samples.some((s) => s.labels.some((l) => l.includes('worker:[')))).toBe(true);
    for (const kind of ['cpu', 'heap']) {
      const p = decodeProfile(readFileSync(join(fixtures, release, `${kind}.pb.gz`)), gunzip);
      expect(
        p.locations.frameCount.some((n) => n > 1),
        kind,
      ).toBe(true);
    }
  });
});
