// Our decoder and `golens folded` against `go tool pprof -raw` on real profiles made now by the
// machine's Go: CPU from the demo service over HTTP, heap and allocs from test/go/heap-alloc, a
// labelled CPU profile with inlined frames and a labelled goroutine profile from
// test/go/inline-deep.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { gunzip } from '../../../src/node/inflate';
import { goBuild, goEnv, goTool, repoRoot, run, runCli, startGoServer } from '../../support/go';
import {
  foldedLines,
  ourSampleViews,
  parseFolded,
  parseRaw,
  rawFolded,
  rawSampleViews,
  type RawProfile,
} from './raw';

const execFileP = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'golens-pprof-diff-'));

interface Case {
  file: string;
  raw: RawProfile;
  profile: Profile;
}
const cases: Record<'cpu' | 'heap' | 'allocs' | 'labelled' | 'goroutine', Case> = {} as never;

async function buildDemo(): Promise<string> {
  const out = join(work, 'demo');
  await execFileP('go', ['build', '-o', out, '.'], {
    cwd: join(repoRoot, 'demo'),
    env: goEnv(),
    maxBuffer: 64 << 20,
  });
  return out;
}

async function mustRun(cmd: string, args: string[]): Promise<void> {
  const r = await run(cmd, args, { env: goEnv(), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
}

beforeAll(async () => {
  const [demo, heapAlloc, inlineDeep] = await Promise.all([
    buildDemo(),
    goBuild('heap-alloc'),
    goBuild('inline-deep'),
  ]);
  const server = await startGoServer(demo, ['-addr', '127.0.0.1:0']);
  try {
    // The 2 s CPU capture runs while the other programs make their profiles.
    const cpu = fetch(`${server.url}/debug/pprof/profile?seconds=2`).then(async (r) => {
      if (!r.ok) throw new Error(`/debug/pprof/profile: HTTP ${r.status}`);
      writeFileSync(join(work, 'cpu.pb.gz'), new Uint8Array(await r.arrayBuffer()));
    });
    await Promise.all([
      cpu,
      mustRun(heapAlloc, [
        '-heap',
        join(work, 'heap.pb.gz'),
        '-allocs',
        join(work, 'allocs.pb.gz'),
      ]),
      mustRun(inlineDeep, [
        '-seconds',
        '3',
        '-cpu',
        '2',
        '-cpuprofile',
        join(work, 'labelled.pb.gz'),
        '-goroutineprofile',
        join(work, 'goroutine.pb.gz'),
      ]),
    ]);
  } finally {
    await server.stop();
  }
  await Promise.all(
    (['cpu', 'heap', 'allocs', 'labelled', 'goroutine'] as const).map(async (name) => {
      const file = join(work, `${name}.pb.gz`);
      // -symbolize=none: pprof must not add symbols from the binaries; we compare the file's data.
      const r = await goTool('pprof', ['-raw', '-symbolize=none', file]);
      if (r.code !== 0) throw new Error(`go tool pprof -raw ${file}: ${r.stderr}`);
      cases[name] = {
        file,
        raw: parseRaw(r.stdout),
        profile: decodeProfile(readFileSync(file), gunzip),
      };
    }),
  );
}, 300_000);

describe.each(['cpu', 'heap', 'allocs', 'labelled', 'goroutine'] as const)('%s profile', (name) => {
  it('has samples (the capture worked)', () => {
    expect(cases[name].raw.samples.length).toBeGreaterThan(0);
  });

  it('decodes every sample as -raw prints it: values, locations, inlined frames, labels', () => {
    const { raw, profile } = cases[name];
    expect(profile.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(raw.sampleTypes);
    if (raw.defaultIndex >= 0) expect(profile.defaultSampleType).toBe(raw.defaultIndex);
    expect(
      profile.periodType ? `${profile.periodType.type} ${profile.periodType.unit}` : undefined,
    ).toBe(raw.periodType);
    expect(profile.period).toBe(raw.period);
    expect(profile.comments).toEqual(raw.comments);
    expect(ourSampleViews(profile)).toEqual(rawSampleViews(raw));
  });

  it('golens folded matches -raw for every sample type, by index', async () => {
    const { raw, file } = cases[name];
    for (let i = 0; i < raw.sampleTypes.length; i++) {
      const r = await runCli(['folded', file, '--sample-index', String(i)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(foldedLines(parseFolded(r.stdout)), `sample type ${raw.sampleTypes[i]}`).toEqual(
        foldedLines(rawFolded(raw, i)),
      );
    }
  });
});

describe('what the profiles contain', () => {
  it('labelled CPU samples carry the pprof.Do labels of both workers', () => {
    const labels = new Set(cases.labelled.raw.samples.flatMap((s) => s.labels));
    expect([...labels].some((l) => l.includes('worker:[alpha]'))).toBe(true);
    expect([...labels].some((l) => l.includes('worker:[beta]'))).toBe(true);
    expect([...labels].every((l) => l.includes('kind:[deep]'))).toBe(true);
  });

  it('the goroutine profile carries the labels of the parked workers', () => {
    const labels = cases.goroutine.raw.samples.flatMap((s) => s.labels);
    expect(labels).toEqual(
      expect.arrayContaining(['kind:[deep] worker:[alpha]', 'kind:[deep] worker:[beta]']),
    );
  });

  it('inlining produced Locations with several Lines, and we expand them', () => {
    for (const name of ['labelled', 'heap'] as const) {
      const rawMulti = [...cases[name].raw.locations.values()].filter(
        (l) => l.frames.length > 1,
      ).length;
      const ours = cases[name].profile.locations.frameCount.filter((n) => n > 1).length;
      expect(rawMulti, name).toBeGreaterThan(0);
      expect(ours, name).toBe(rawMulti);
    }
    // spin → mix → rotate inlined into recurse: a four-frame location, innermost first.
    const four = [...cases.labelled.raw.locations.values()].find((l) => l.frames.length >= 3);
    expect(four?.frames.map((f) => f.name).slice(0, 2)).toEqual(['main.rotate', 'main.mix']);
  });

  it('heap samples carry the numeric "bytes" label', () => {
    expect(
      cases.heap.raw.samples.some((s) => s.labels.some((l) => /^bytes:\[\d+\]$/.test(l))),
    ).toBe(true);
  });

  it('golens folded takes sample type names (inuse_space, alloc_space) as pprof does', async () => {
    for (const [name, type] of [
      ['heap', 'inuse_space'],
      ['allocs', 'alloc_space'],
      ['heap', 'alloc_objects'],
    ] as const) {
      const { raw, file } = cases[name];
      const r = await runCli(['folded', file, '--sample-index', type]);
      expect(foldedLines(parseFolded(r.stdout))).toEqual(
        foldedLines(
          rawFolded(
            raw,
            raw.sampleTypes.indexOf(`${type}/${type.endsWith('space') ? 'bytes' : 'count'}`),
          ),
        ),
      );
    }
  });

  it('the default sample type of allocs is alloc_space, as pprof marks it', async () => {
    const { raw, file } = cases.allocs;
    expect(raw.sampleTypes[raw.defaultIndex]).toBe('alloc_space/bytes');
    const r = await runCli(['folded', file]);
    expect(foldedLines(parseFolded(r.stdout))).toEqual(
      foldedLines(rawFolded(raw, raw.defaultIndex)),
    );
  });

  it('the demo CPU profile shows the known hot functions', () => {
    const folded = foldedLines(rawFolded(cases.cpu.raw, 1)).join('\n');
    expect(folded).toMatch(/main\.countPrimes|main\.hashChain/);
  });
});
