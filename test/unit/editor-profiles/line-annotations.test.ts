// What the editor shows for a profile: a small profile with known costs goes through the parse
// worker's own handlers (in process: loadProfile, profileFileCosts matched by a local path,
// profileLineCalls), then into the after-line texts, heat levels, CodeLens titles and hover text.
import { describe, expect, it } from 'vitest';
import {
  annotationAt,
  diffAnnotations,
  diffCalls,
  fileAnnotations,
  heatLevel,
  hoverMarkdown,
  HOVER_ROWS,
} from '../../../src/editors/annotations/line-annotations';
import { profileHandlers } from '../../../src/worker/profile-handlers';
import type { ViewQuery } from '../../../src/worker/profile-protocol';
import { encodeProfile, type ProfileSpec } from '../pprof/encode';

const MS = 1e6;
const WORK = 'example.com/golens-demo/work.go';
/** Where the file is in the editor: another machine's checkout, matched by its tail. */
const LOCAL = '/home/dev/src/golens-demo/work.go';

/**
 * countPrimes (work.go, from line 38) with its hot line 43, which also calls runtime.helper;
 * hashChain (from 54) on line 57; one sample on line 900, past the end of a 60-line file.
 */
function spec(v: {
  hot: number;
  other: number;
  helper: number;
  hash: number;
  far: number;
}): ProfileSpec {
  const samples = [
    { locations: [1, 3], ms: v.hot },
    { locations: [2, 3], ms: v.other },
    { locations: [6, 1, 3], ms: v.helper },
    { locations: [4, 5], ms: v.hash },
    { locations: [7, 3], ms: v.far },
  ].filter((s) => s.ms > 0);
  return {
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    periodType: ['cpu', 'nanoseconds'],
    period: 10 * MS,
    samples: samples.map((s) => ({ locations: s.locations, values: [s.ms / 10, s.ms * MS] })),
    functions: [
      { id: 1, name: 'main.main', file: 'example.com/golens-demo/main.go', startLine: 10 },
      { id: 2, name: 'main.countPrimes', file: WORK, startLine: 38 },
      { id: 3, name: 'main.hashChain', file: WORK, startLine: 54 },
      { id: 4, name: 'runtime.helper', file: '/usr/local/go/src/runtime/proc.go', startLine: 90 },
    ],
    locations: [
      { id: 1, lines: [{ function: 2, line: 43 }] },
      { id: 2, lines: [{ function: 2, line: 47 }] },
      { id: 3, lines: [{ function: 1, line: 20 }] },
      { id: 4, lines: [{ function: 3, line: 57 }] },
      { id: 5, lines: [{ function: 1, line: 21 }] },
      { id: 6, lines: [{ function: 4, line: 100 }] },
      { id: 7, lines: [{ function: 2, line: 900 }] },
    ],
  };
}

const CURRENT = { hot: 800, other: 100, helper: 50, hash: 50, far: 10 };
const cpu: ViewQuery = { sampleType: 1, filter: {} };

async function load(s: ProfileSpec) {
  const p = await profileHandlers.loadProfile({ bytes: encodeProfile(s) }, () => undefined);
  const costs = (q = cpu) =>
    profileHandlers.profileFileCosts(
      { handle: p.handle, query: q, localPath: LOCAL },
      () => undefined,
    ) as ReturnType<typeof profileHandlers.profileFileCosts> & {};
  return { p, costs };
}

describe('line annotations of one profile', () => {
  it('puts flat and cum in the unit of the sample type after each line with samples, with its share', async () => {
    const { p, costs } = await load(spec(CURRENT));
    const fc = await costs();
    expect(fc?.file).toBe(WORK);
    const total = p.totals[1];
    expect(total).toBe(1010 * MS);
    const a = fileAnnotations(fc, { unit: 'nanoseconds', total }, 60);
    expect(a.lines.map((l) => [l.line, l.text, l.level, l.tone])).toEqual([
      [42, 'flat 800ms · cum 850ms (84.16%)', 5, 'hot'],
      [46, 'flat 100ms · cum 100ms (9.90%)', 3, 'hot'],
      [56, 'flat 50ms · cum 50ms (4.95%)', 3, 'hot'],
    ]);
    expect(a.outOfRange).toBe(1);
    expect(a.lenses).toEqual([
      { line: 37, name: 'main.countPrimes', title: 'self 910ms (90.10%) · total 960ms (95.05%)' },
      { line: 53, name: 'main.hashChain', title: 'self 50ms (4.95%) · total 50ms (4.95%)' },
    ]);
    expect(annotationAt(a.lines, 42)?.cum).toBe(850 * MS);
    expect(annotationAt(a.lines, 43)).toBeUndefined();
  });

  it('follows the sample type: counts print without a unit', async () => {
    const { p, costs } = await load(spec(CURRENT));
    const a = fileAnnotations(
      await costs({ sampleType: 0, filter: {} }),
      { unit: 'count', total: p.totals[0] },
      60,
    );
    expect(a.lines[0].text).toBe('flat 80 · cum 85 (84.16%)');
  });

  it('follows the filter: focusing on hashChain leaves only its line', async () => {
    const { p, costs } = await load(spec(CURRENT));
    const a = fileAnnotations(
      await costs({ sampleType: 1, filter: { focus: 'hashChain' } }),
      { unit: 'nanoseconds', total: p.totals[1] },
      60,
    );
    expect(a.lines.map((l) => l.line)).toEqual([56]);
    expect(a.lenses.map((l) => l.name)).toEqual(['main.hashChain']);
  });

  it('annotates nothing past the end of a file that shrank, and counts what it left out', async () => {
    const { p, costs } = await load(spec(CURRENT));
    const a = fileAnnotations(await costs(), { unit: 'nanoseconds', total: p.totals[1] }, 45);
    expect(a.lines.map((l) => l.line)).toEqual([42]);
    // Lines 47, 57 and 900, and hashChain's start (54).
    expect(a.outOfRange).toBe(4);
    expect(a.lenses.map((l) => l.name)).toEqual(['main.countPrimes']);
  });

  it('skips lines and functions without a line number (line 0)', () => {
    const fc = {
      file: 'x.go',
      lines: Int32Array.of(0, 3),
      flat: Float64Array.of(5, 1),
      cum: Float64Array.of(5, 1),
      functions: [{ name: 'f', file: 'x.go', startLine: 0, self: 6, total: 6 }],
    };
    const a = fileAnnotations(fc, { unit: 'count', total: 6 }, 10);
    expect(a.lines.map((l) => l.line)).toEqual([2]);
    expect(a.lenses).toEqual([]);
    expect(a.outOfRange).toBe(0);
  });

  it('has nothing for a file the profile does not name', async () => {
    const { p } = await load(spec(CURRENT));
    const none = await profileHandlers.profileFileCosts(
      { handle: p.handle, query: cpu, localPath: '/x/other.go' },
      () => undefined,
    );
    expect(none).toBeUndefined();
    expect(fileAnnotations(none, { unit: 'nanoseconds', total: 1 }, 10)).toEqual({
      lines: [],
      lenses: [],
      outOfRange: 0,
    });
  });

  it('heat levels step at 1%, 3%, 10% and 25% of the total', () => {
    expect([0, 0.0099, 0.01, 0.03, 0.0999, 0.1, 0.25, 1].map(heatLevel)).toEqual([
      1, 1, 2, 3, 3, 4, 5, 5,
    ]);
    expect(heatLevel(-0.3)).toBe(5);
  });
});

describe('hover: callers and callees of a line', () => {
  it('lists who calls into the line and what it calls, with values and shares', async () => {
    const { p, costs } = await load(spec(CURRENT));
    const fc = (await costs())!;
    const calls = await profileHandlers.profileLineCalls(
      { handle: p.handle, query: cpu, file: fc.file, line: 43 },
      () => undefined,
    );
    const md = hoverMarkdown(calls, { unit: 'nanoseconds', total: p.totals[1] }, 'cpu.pb.gz, cpu');
    expect(md.split('\n')).toEqual([
      '**Go Lens** · cpu.pb.gz, cpu · line 43: flat **800ms** · cum **850ms** (84.16%)',
      '',
      '**Callers** (who calls into this line):',
      '- `main.main` — 850ms (84.16%)',
      '',
      '**Callees** (what this line calls):',
      '- `runtime.helper` — 50ms (4.95%)',
    ]);
  });

  it('says when a line calls nothing, and folds long lists into one "more" row', () => {
    const calls = {
      file: 'f.go',
      line: 3,
      flat: 10,
      cum: 10,
      callers: Array.from({ length: HOVER_ROWS + 3 }, (_, i) => ({
        name: `f${i}`,
        file: 'f.go',
        value: 1,
      })),
      callees: [],
    };
    const md = hoverMarkdown(calls, { unit: 'count', total: 100 }, 'p');
    expect(md).toContain('- none: all of the line’s cost is its own (flat)');
    expect(md).toContain('- … 3 more — 3');
    expect(md.match(/^- `f\d+`/gm)).toHaveLength(HOVER_ROWS);
  });
});

describe('diff annotations: current − base per line', () => {
  const BASE = { hot: 400, other: 100, helper: 0, hash: 100, far: 0 };

  it('shows signed deltas, worse in red and better in green, and leaves unchanged lines alone', async () => {
    const cur = await load(spec(CURRENT));
    const base = await load(spec(BASE));
    const total = cur.p.totals[1];
    const a = diffAnnotations(
      await cur.costs(),
      await base.costs(),
      { unit: 'nanoseconds', total, currentScale: 1 },
      60,
    );
    expect(a.lines.map((l) => [l.line, l.text, l.tone])).toEqual([
      [42, 'Δ flat +400ms · Δ cum +450ms (+44.55%)', 'worse'],
      // line 47: 100ms in both — no annotation
      [56, 'Δ flat -50ms · Δ cum -50ms (-4.95%)', 'better'],
    ]);
    expect(a.outOfRange).toBe(1); // line 900, new in the current profile
    expect(a.lenses).toEqual([
      { line: 37, name: 'main.countPrimes', title: 'Δ self +410ms · Δ total +460ms' },
      { line: 53, name: 'main.hashChain', title: 'Δ self -50ms · Δ total -50ms' },
    ]);
  });

  it('normalises like the diff view: the current profile scaled to the base total', async () => {
    // The same program profiled twice as long: normalised, nothing changed.
    const doubled = Object.fromEntries(
      Object.entries(CURRENT).map(([k, v]) => [k, v * 2]),
    ) as typeof CURRENT;
    const cur = await load(spec(doubled));
    const base = await load(spec(CURRENT));
    const scale = base.p.totals[1] / cur.p.totals[1];
    const a = diffAnnotations(
      await cur.costs(),
      await base.costs(),
      { unit: 'nanoseconds', total: base.p.totals[1], currentScale: scale },
      60,
    );
    expect(a.lines).toEqual([]);
    expect(a.lenses).toEqual([]);
    const raw = diffAnnotations(
      await cur.costs(),
      await base.costs(),
      { unit: 'nanoseconds', total: cur.p.totals[1], currentScale: 1 },
      60,
    );
    expect(raw.lines.every((l) => l.tone === 'worse')).toBe(true);
  });

  it('annotates lines only one side has (a new hot spot, a removed one)', () => {
    const only = {
      file: 'f.go',
      lines: Int32Array.of(5),
      flat: Float64Array.of(3),
      cum: Float64Array.of(3),
      functions: [],
    };
    expect(
      diffAnnotations(only, undefined, { unit: 'count', total: 10, currentScale: 1 }, 10).lines[0],
    ).toMatchObject({ line: 4, tone: 'worse', flat: 3 });
    expect(
      diffAnnotations(undefined, only, { unit: 'count', total: 10, currentScale: 1 }, 10).lines[0],
    ).toMatchObject({ line: 4, tone: 'better', flat: -3 });
  });

  it('hovers show the change of the line and of each caller and callee', async () => {
    const cur = await load(spec(CURRENT));
    const base = await load(spec(BASE));
    const fc = (await cur.costs())!;
    const q = { query: cpu, file: fc.file, line: 43 };
    const c = await profileHandlers.profileLineCalls(
      { handle: cur.p.handle, ...q },
      () => undefined,
    );
    const b = await profileHandlers.profileLineCalls(
      { handle: base.p.handle, ...q },
      () => undefined,
    );
    const md = hoverMarkdown(c, { unit: 'nanoseconds', total: cur.p.totals[1] }, 'a → b, cpu', {
      calls: b,
      currentScale: 1,
    });
    expect(md).toContain('line 43: Δ flat **+400ms** · Δ cum **+450ms**');
    expect(md).toContain('- `main.main` — +450ms');
    expect(md).toContain('- `runtime.helper` — +50ms');
    expect(
      diffCalls(
        [{ name: 'a', file: '', value: 5 }],
        [
          { name: 'a', file: '', value: 5 },
          { name: 'b', file: '', value: 2 },
        ],
        1,
      ),
    ).toEqual([{ name: 'b', file: '', value: -2 }]);
  });
});
