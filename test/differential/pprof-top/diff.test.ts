// `golens diff` and the diff core against their definitions and against pprof, on two real runs
// of test/go/pprof-kinds with different work: the diff's per-stack values are the difference of
// the two `golens folded` outputs, and its top values (flat, cum per function) equal
// `go tool pprof -top -diff_base BASE NEW`, with and without -normalize.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diffTop, IncompatibleProfilesError } from '../../../src/core/pprof/diff';
import { indexProfile, type ProfileIndex } from '../../../src/core/pprof/profile-index';
import { gunzip } from '../../../src/node/inflate';
import { runCli } from '../../support/go';
import { parseFolded } from '../pprof/raw';
import {
  baseUnit,
  makeProfiles,
  mapLimit,
  parsePprofTop,
  pprof,
  rowLines,
  type Made,
  type TopRows,
} from './profiles';

const work = mkdtempSync(join(tmpdir(), 'golens-pprof-diff-'));
let made: Made;
const KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block'] as const;
const TYPES: Record<string, number> = {
  cpu: 2,
  heap: 4,
  allocs: 4,
  goroutine: 1,
  mutex: 2,
  block: 2,
};
const file = (side: 'base' | 'new', kind: string) =>
  join(side === 'base' ? made.base : made.current, `${kind}.pb.gz`);
const indexes = new Map<string, ProfileIndex>();
const index = (side: 'base' | 'new', kind: string): ProfileIndex => {
  const key = `${side}/${kind}`;
  if (!indexes.has(key))
    indexes.set(key, indexProfile(decodeProfile(readFileSync(file(side, kind)), gunzip)));
  return indexes.get(key)!;
};

beforeAll(async () => {
  made = await makeProfiles(work, false);
}, 300_000);

/** `stack ±value` lines as a map; values may carry an explicit sign. */
function parseSigned(text: string): Map<string, number> {
  return parseFolded(text);
}

describe.each(KINDS)('%s', (kind) => {
  it('golens diff prints, per stack, new minus base of the two golens folded outputs', async () => {
    const jobs = Array.from({ length: TYPES[kind] }, (_, t) => t);
    await mapLimit(jobs, 2, async (t) => {
      const [d, b, n] = await Promise.all([
        runCli(['diff', file('base', kind), file('new', kind), '--sample-index', String(t)]),
        runCli(['folded', file('base', kind), '--sample-index', String(t)]),
        runCli(['folded', file('new', kind), '--sample-index', String(t)]),
      ]);
      expect(d.stderr).toBe('');
      expect(d.code).toBe(0);
      const want = new Map(parseFolded(n.stdout));
      for (const [k, v] of parseFolded(b.stdout)) want.set(k, (want.get(k) ?? 0) - v);
      for (const [k, v] of want) if (v === 0) want.delete(k);
      const got = parseSigned(d.stdout);
      expect([...got].map(([k, v]) => `${k} ${v}`).sort(), `${kind} type ${t}`).toEqual(
        [...want].map(([k, v]) => `${k} ${v}`).sort(),
      );
      for (const line of d.stdout
        .trim()
        .split('\n')
        .filter((l) => l !== ''))
        expect(line).toMatch(/ [+-]\d+$/);
    });
  });

  it.each([false, true])(
    'diff top values equal go tool pprof -top -diff_base (normalize %s)',
    async (normalize) => {
      const base = index('base', kind);
      const current = index('new', kind);
      await mapLimit(
        Array.from({ length: TYPES[kind] }, (_, t) => t),
        2,
        async (t) => {
          const unit = baseUnit(current.profile.sampleTypes[t].unit);
          const args = [
            '-top',
            '-nodecount=1000000',
            '-nodefraction=0',
            '-edgefraction=0',
            '-symbolize=none',
            `-sample_index=${t}`,
            `-unit=${unit}`,
            `-diff_base=${file('base', kind)}`,
          ];
          if (normalize) args.push('-normalize');
          args.push(file('new', kind));
          const r = await pprof(args);
          expect(r.code, r.stderr).toBe(0);
          const theirs = parsePprofTop(r.stdout);
          const ours: TopRows = new Map(
            diffTop(base, current, { sampleType: t, normalize }).rows.map((x) => [
              x.name,
              { flat: x.flat, cum: x.cum },
            ]),
          );
          expect(rowLines(ours), `${kind} type ${t}`).toEqual(rowLines(theirs));

          // golens diff's folded lines carry the same flat values (summed by leaf function).
          const cli = await runCli([
            'diff',
            file('base', kind),
            file('new', kind),
            '--sample-index',
            String(t),
            ...(normalize ? ['--normalize'] : []),
          ]);
          const flat = new Map<string, number>();
          for (const [stack, v] of parseSigned(cli.stdout)) {
            const leaf = stack.slice(stack.lastIndexOf(';') + 1);
            flat.set(leaf, (flat.get(leaf) ?? 0) + v);
          }
          for (const [name, row] of theirs)
            if (row.flat !== 0) expect(flat.get(name), `${kind} type ${t} ${name}`).toBe(row.flat);
        },
      );
    },
  );
});

describe('the runs differ (the diff is not vacuous)', () => {
  it('the CPU profiles differ in the hash burner', async () => {
    const r = await runCli([
      'diff',
      file('base', 'cpu'),
      file('new', 'cpu'),
      '--sample-index',
      '1',
    ]);
    expect(r.stdout).toMatch(/main\.hashRec/);
  });
});

describe('incompatible profiles', () => {
  it('golens diff refuses a CPU profile against a heap profile, naming both', async () => {
    const r = await runCli(['diff', file('base', 'cpu'), file('new', 'heap')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^golens: cannot compare these profiles: the base is a CPU profile \(samples\/count, cpu\/nanoseconds\) but the new one is a heap\/allocs profile \(alloc_objects\/count, .*\)\. Compare two profiles of the same kind/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the core throws IncompatibleProfilesError', () => {
    expect(() =>
      diffTop(index('base', 'mutex'), index('new', 'goroutine'), { sampleType: 0 }),
    ).toThrow(IncompatibleProfilesError);
  });
});
