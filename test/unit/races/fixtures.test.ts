// Every committed -race fixture (test/fixtures/races, Go 1.21 … 1.27) parsed and checked
// against what its program in test/go/race-* is known to do: the racing lines, the access
// kinds, which goroutine did what and where the goroutines were created.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RaceSet,
  accessSite,
  parseRaceReports,
  type RaceAccess,
  type RaceReport,
} from '../../../src/core/races';

const root = join(__dirname, '../../fixtures/races');
const versions = readdirSync(root).filter((d) => d.startsWith('go1.'));

function read(version: string, name: string) {
  const result = parseRaceReports(readFileSync(join(root, version, name), 'utf8'));
  expect(result.warnings).toEqual([]);
  return result;
}

/** The access's site as `file-base:line` with its kind, e.g. `write race-map/main.go:22`. */
function site(a: RaceAccess): string {
  const f = accessSite(a)!;
  return `${a.atomic ? 'atomic ' : ''}${a.kind} ${f.file.split('/').slice(-2).join('/')}:${f.line}`;
}

function creation(r: RaceReport, goroutine: number | undefined): string[] {
  const g = r.goroutines.find((x) => x.id === goroutine);
  return g ? g.createdAt.map((f) => `${f.func}:${f.line}`) : [];
}

/**
 * What each program is known to do: its two accesses as `kind file:line`, with the lines of the
 * racing goroutine's creation stack ([] for the main goroutine). Order-free: which access the
 * detector sees second depends on timing.
 */
const KNOWN: Record<string, [string, number[]][]> = {
  'map.txt': [
    ['write race-map/main.go:22', [20]],
    ['write race-map/main.go:17', [15]],
  ],
  'field.txt': [
    ['read race-field/main.go:21', []],
    ['write race-field/main.go:16', [27]],
  ],
  'loopvar.txt': [
    ['write race-loopvar/main.go:14', []],
    ['read race-loopvar/main.go:18', [16]],
  ],
  'mutex.txt': [
    ['read race-mutex/main.go:24', []],
    ['write race-mutex/main.go:18', [30]],
  ],
  'atomic.txt': [
    ['read race-atomic/main.go:19', []],
    ['atomic write runtime/race_amd64.s:289', [14]],
  ],
  'global.txt': [
    ['read race-global/main.go:13', []],
    ['write race-global/main.go:13', [18]],
  ],
  // Goroutines created by goroutines: the creation stack leads through spawner to main's go statements.
  'nested.txt': [
    ['write race-nested/main.go:32', [26, 19]],
    ['write race-nested/main.go:32', [26, 17]],
  ],
};

const sortPairs = (x: [string, number[]][]) =>
  [...x].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.each(versions)('race fixtures of %s', (version) => {
  it.each(Object.keys(KNOWN))(
    "%s: the program's two accesses, goroutines and creation sites",
    (name) => {
      const { reports, runEnds } = read(version, name);
      const r = reports[0];
      expect(r.truncated).toBe(false);
      const seen = r.accesses.map((a): [string, number[]] => [
        site(a),
        creation(r, a.goroutine).map((c) => Number(c.split(':').pop())),
      ]);
      expect(sortPairs(seen)).toEqual(sortPairs(KNOWN[name]));
      expect(r.accesses.map((a) => a.previous)).toEqual([false, true]);
      expect(r.accesses[0].address).toMatch(/^0x[0-9a-f]+$/);
      expect(r.accesses[0].address).toBe(r.accesses[1].address);
      for (const a of r.accesses) {
        const known = KNOWN[name].find(([s]) => s === site(a))!;
        // An access without a creation stack is the main goroutine's.
        if (known[1].length === 0) expect(a.goroutine).toBe(1);
        else {
          expect(a.goroutine).toBeGreaterThan(1);
          expect(['running', 'finished']).toContain(
            r.goroutines.find((g) => g.id === a.goroutine)?.state,
          );
        }
      }
      // The runtime's summary at exit, and the race detector's exit code.
      expect(runEnds).toEqual([{ found: 1, exitCode: 66, line: expect.any(Number) }]);
    },
  );

  it("map: the innermost frame is the runtime's map assignment, the site is the program's line", () => {
    const r = read(version, 'map.txt').reports[0];
    for (const a of r.accesses) expect(a.frames[0].func).toMatch(/^runtime\.mapassign/);
  });

  it('atomic: sync/atomic frames mark the previous write atomic, the plain read is not', () => {
    const r = read(version, 'atomic.txt').reports[0];
    expect(r.accesses[0].atomic).toBe(false);
    expect(r.accesses[1].atomic).toBe(true);
    expect(r.accesses[1].frames[0].func).toBe('sync/atomic.AddInt64');
  });

  it('slice append: two reports of one pair of lines are one race counted twice', () => {
    const { reports, runEnds } = read(version, 'slice.txt');
    expect(reports).toHaveLength(2);
    expect(runEnds[0].found).toBe(2);
    const set = new RaceSet();
    for (const r of reports) set.add(r, 'slice#0');
    expect(set.size).toBe(1);
    const [race] = set.races();
    expect(race.count).toBe(2);
    expect(race.runs).toBe(1);
    expect(reports.map((r) => r.accesses.map(site))).toEqual([
      ['read race-slice/main.go:22', 'write race-slice/main.go:17'],
      ['read race-slice/main.go:22', 'write race-slice/main.go:17'],
    ]);
    // The second report's read is inside append's growslice.
    expect(reports[1].accesses[0].frames[0].func).toBe('runtime.growslice');
  });

  it.each(['parallel-test.txt', 'parallel-test.json'])(
    '%s: the race between two parallel tests names both tests',
    (name) => {
      const { reports } = read(version, name);
      expect(reports).toHaveLength(1);
      const r = reports[0];
      expect(r.accesses.map(site)).toEqual([
        'write race-parallel/parallel_test.go:21',
        'write race-parallel/parallel_test.go:14',
      ]);
      expect(accessSite(r.accesses[0])!.func).toBe('golens.test/programs/race-parallel.TestBeta');
      expect(accessSite(r.accesses[1])!.func).toBe('golens.test/programs/race-parallel.TestAlpha');
      expect([...r.tests].sort()).toEqual(['TestAlpha', 'TestBeta']);
      if (name.endsWith('.json')) expect(r.package).toBe('golens.test/programs/race-parallel');
      for (const g of r.goroutines) expect(g.createdAt[0].func).toBe('testing.(*T).Run');
    },
  );

  it('go run: "Found 1 data race(s)" and "exit status 66" end one run', () => {
    const { reports, runEnds } = read(version, 'map-gorun.txt');
    expect(reports).toHaveLength(1);
    expect(runEnds).toHaveLength(1);
    expect(runEnds[0]).toMatchObject({ found: 1, exitCode: 66 });
  });

  it('GORACE=log_path file: the same report as on stderr', () => {
    const log = read(version, 'nested-gorace-log.txt').reports;
    const stderr = read(version, 'nested.txt').reports;
    expect(log).toHaveLength(1);
    expect(log[0].accesses.map(site)).toEqual(stderr[0].accesses.map(site));
    expect(log[0].goroutines.map((g) => g.createdAt.map((f) => f.line))).toEqual(
      stderr[0].goroutines.map((g) => g.createdAt.map((f) => f.line)),
    );
  });
});

it('fixtures exist for every Go release 1.21 … 1.27', () => {
  expect(versions.map((v) => v.split('.').slice(0, 2).join('.'))).toEqual([
    'go1.21',
    'go1.22',
    'go1.23',
    'go1.24',
    'go1.25',
    'go1.26',
    'go1.27',
  ]);
});
