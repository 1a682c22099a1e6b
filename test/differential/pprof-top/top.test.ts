// `golens top --json` against `go tool pprof -top` on real profiles of every kind, made now by the
// machine's Go: for every sample type, flat and cum of every function must be equal, without and
// with -focus/-ignore/-hide/-show/-show_from/-prune_from/-tagfocus/-tagignore.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { gunzip } from '../../../src/node/inflate';
import { runCli } from '../../support/go';
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

type Flag =
  'focus' | 'ignore' | 'hide' | 'show' | 'show_from' | 'prune_from' | 'tagfocus' | 'tagignore';
type Filter = Partial<Record<Flag, string>>;

interface Case {
  /** e.g. `pprof-kinds/cpu`. */
  profile: string;
  file: () => string;
  sampleType: number;
  filter: Filter;
}

const work = mkdtempSync(join(tmpdir(), 'golens-pprof-top-'));
let made: Made;

/** Sample types as Go writes them for each kind. */
const TYPES: Record<string, number> = {
  cpu: 2,
  heap: 4,
  allocs: 4,
  goroutine: 1,
  mutex: 2,
  block: 2,
  threadcreate: 1,
};

/** Filters per kind, chosen to hit the functions and labels each workload has. */
const FILTERS: Record<string, Filter[]> = {
  'pprof-kinds/cpu': [
    { focus: 'main.hashRec' },
    { ignore: 'sort' },
    { hide: 'runtime\\.' },
    { show: '^main\\.' },
    { tagfocus: 'worker=sort' },
    { tagignore: 'worker=sort' },
    { tagfocus: 'kind:cpu,worker:hash' },
    { show_from: 'main.hashRec' },
    { prune_from: 'main.hashRec' },
    { focus: 'main', ignore: 'asyncPreempt', hide: 'cmp\\.' },
  ],
  'pprof-kinds/heap': [
    { focus: 'main.allocate' },
    { ignore: 'newBuffer' },
    { hide: 'main.newBuffer' },
    { show: 'main\\.' },
    { tagfocus: 'bytes=1kb:' },
    { tagfocus: 'bytes=:2kb' },
    { tagignore: 'bytes=16kb' },
  ],
  'pprof-kinds/allocs': [
    { focus: 'main.allocate' },
    { hide: 'runtime\\.' },
    { tagfocus: 'bytes=512b:1kb' },
  ],
  'pprof-kinds/goroutine': [
    { tagfocus: 'worker=parked' },
    { tagfocus: 'worker=parked-1' },
    { focus: 'main.parked' },
    { hide: 'runtime\\.' },
    { ignore: 'runtime.gopark' },
  ],
  'pprof-kinds/mutex': [{ focus: 'main.contend' }, { hide: 'sync\\.' }, { ignore: 'runtime' }],
  'pprof-kinds/block': [{ focus: 'main.produce' }, { ignore: 'chan' }, { show: 'main\\.' }],
  'pprof-kinds/threadcreate': [{ focus: 'lockedThread' }, { hide: 'runtime\\.' }],
  'demo/cpu': [
    { focus: 'countPrimes' },
    { ignore: 'hashChain' },
    { hide: 'runtime\\.' },
    { show: 'main\\.' },
  ],
  'demo/heap': [{ focus: 'main' }, { hide: 'runtime' }],
  'demo/goroutine': [{ focus: 'main' }, { ignore: 'runtime' }],
  'demo/mutex': [{ focus: 'main' }, { ignore: 'runtime' }],
  'demo/block': [{ focus: 'main' }, { ignore: 'runtime' }],
};

/** Heap profiles: filters also on sample type 0 (alloc_objects), not only the default. */
const DEFAULT_TYPE: Record<string, number> = {
  cpu: 1,
  heap: 3,
  allocs: 1,
  goroutine: 0,
  mutex: 1,
  block: 1,
  threadcreate: 0,
};

function cases(): Case[] {
  const out: Case[] = [];
  const add = (source: 'pprof-kinds' | 'demo', kind: string) => {
    const profile = `${source}/${kind}`;
    const file = () => join(source === 'demo' ? made.demo : made.base, `${kind}.pb.gz`);
    for (let t = 0; t < TYPES[kind]; t++) out.push({ profile, file, sampleType: t, filter: {} });
    for (const filter of FILTERS[profile] ?? []) {
      out.push({ profile, file, sampleType: DEFAULT_TYPE[kind], filter });
      if (kind === 'heap' && source === 'pprof-kinds')
        out.push({ profile, file, sampleType: 0, filter });
    }
  };
  for (const kind of ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'])
    add('pprof-kinds', kind);
  for (const kind of ['cpu', 'heap', 'goroutine', 'mutex', 'block']) add('demo', kind);
  return out;
}
const ALL = cases();

interface Result {
  ours: TopRows;
  theirs: TopRows;
}
const results = new Map<Case, Result>();
const profiles = new Map<string, Profile>();

function describeCase(c: Case): string {
  const f = Object.entries(c.filter).map(([k, v]) => `-${k}=${v}`);
  return `${c.profile} -sample_index=${c.sampleType} ${f.join(' ')}`.trim();
}

beforeAll(async () => {
  made = await makeProfiles(work, true);
  for (const c of ALL)
    if (!profiles.has(c.profile))
      profiles.set(c.profile, decodeProfile(readFileSync(c.file()), gunzip));
  await mapLimit(ALL, 4, async (c) => {
    const p = profiles.get(c.profile)!;
    const unit = baseUnit(p.sampleTypes[c.sampleType].unit);
    const ourArgs = ['top', c.file(), '--sample-index', String(c.sampleType), '--json'];
    const theirArgs = [
      '-top',
      '-nodecount=1000000',
      '-nodefraction=0',
      '-edgefraction=0',
      '-symbolize=none',
      `-sample_index=${c.sampleType}`,
      `-unit=${unit}`,
    ];
    for (const [k, v] of Object.entries(c.filter)) {
      ourArgs.push(`--${k.replace('_', '-')}`, v);
      theirArgs.push(`-${k}=${v}`);
    }
    theirArgs.push(c.file());
    const [ours, theirs] = await Promise.all([runCli(ourArgs), pprof(theirArgs)]);
    if (ours.code !== 0) throw new Error(`golens ${ourArgs.join(' ')}: ${ours.stderr}`);
    if (theirs.code !== 0) throw new Error(`pprof ${theirArgs.join(' ')}: ${theirs.stderr}`);
    const rows: TopRows = new Map();
    for (const r of JSON.parse(ours.stdout) as { func: string; flat: number; cum: number }[])
      rows.set(r.func, { flat: r.flat, cum: r.cum });
    results.set(c, { ours: rows, theirs: parsePprofTop(theirs.stdout) });
  });
}, 300_000);

describe.each([...new Set(ALL.map((c) => c.profile))])('%s', (profile) => {
  it("has samples and the workload's functions (the capture worked)", () => {
    const p = profiles.get(profile)!;
    expect(p.samples.count).toBeGreaterThan(0);
    const names = new Set(p.functions.name);
    const want: Record<string, string> = {
      'pprof-kinds/cpu': 'main.hashRec',
      'pprof-kinds/heap': 'main.allocate',
      'pprof-kinds/allocs': 'main.allocate',
      'pprof-kinds/goroutine': 'main.parked',
      'pprof-kinds/mutex': 'main.contend',
      // The consumer is slow, so the producer blocks on every send.
      'pprof-kinds/block': 'main.produce',
      'pprof-kinds/threadcreate': 'runtime.newm',
      'demo/cpu': 'main.countPrimes',
    };
    if (want[profile]) expect(names).toContain(want[profile]);
  });

  it('golens top --json equals go tool pprof -top, for every sample type and filter', () => {
    const mine = ALL.filter((c) => c.profile === profile);
    let nonEmpty = 0;
    for (const c of mine) {
      const r = results.get(c)!;
      expect(rowLines(r.ours), describeCase(c)).toEqual(rowLines(r.theirs));
      // And in the same order: |flat| descending, then name.
      expect([...r.ours.keys()], describeCase(c)).toEqual([...r.theirs.keys()]);
      if (r.theirs.size > 0) nonEmpty++;
    }
    // The filters are chosen to select something: most cases must compare real rows.
    expect(nonEmpty).toBeGreaterThan(mine.length / 2);
  });
});

describe('what the cases cover', () => {
  it('labels: the CPU profile carries both workers, the goroutine profile the parked ones', () => {
    const labels = (p: Profile) => new Set(Array.from(p.samples.labelStr, (x) => p.strings[x]));
    expect([...labels(profiles.get('pprof-kinds/cpu')!)]).toEqual(
      expect.arrayContaining(['sort', 'hash']),
    );
    expect([...labels(profiles.get('pprof-kinds/goroutine')!)]).toEqual(
      expect.arrayContaining(['parked-0', 'parked-1']),
    );
  });

  it('recursion: main.hashRec recurses, and its cum counts each sample once', () => {
    const r = results.get(
      ALL.find(
        (c) =>
          c.profile === 'pprof-kinds/cpu' &&
          c.sampleType === 1 &&
          Object.keys(c.filter).length === 0,
      )!,
    )!;
    const hash = r.theirs.get('main.hashRec')!;
    expect(hash.cum).toBeGreaterThan(0);
    expect(hash.cum).toBeLessThanOrEqual(r.theirs.get('main.main.func3.1')?.cum ?? Infinity);
  });

  it('tag ranges: pprof interprets bytes=1kb: as a range, and so do we', () => {
    const c = ALL.find(
      (x) =>
        x.profile === 'pprof-kinds/heap' &&
        x.filter.tagfocus === 'bytes=1kb:' &&
        x.sampleType === 3,
    )!;
    const r = results.get(c)!;
    expect(r.theirs.size).toBeGreaterThan(0);
  });
});
