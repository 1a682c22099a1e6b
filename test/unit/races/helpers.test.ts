// GORACE merging and the side-by-side stacks of the race detail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeRace,
  mergeGorace,
  parseRaceReports,
  RaceSet,
  sideBySide,
  sideBySideText,
} from '../../../src/core/races';

describe('mergeGorace', () => {
  it('keeps the existing options and lets the setting win for the same name', () => {
    expect(mergeGorace('log_path=/tmp/r halt_on_error=0', 'halt_on_error=1 history_size=2')).toBe(
      'log_path=/tmp/r halt_on_error=1 history_size=2',
    );
    expect(mergeGorace(undefined, '  atexit_sleep_ms=0 ')).toBe('atexit_sleep_ms=0');
    expect(mergeGorace('strip_path_prefix=/src/', '')).toBe('strip_path_prefix=/src/');
  });
});

describe('side by side', () => {
  const r = parseRaceReports(
    readFileSync(join(__dirname, '../../fixtures/races/go1.26.8/parallel-test.txt'), 'utf8'),
  ).reports[0];

  it('folds the frames both stacks end with', () => {
    const [a, b] = r.accesses;
    const s = sideBySide(a.frames, b.frames);
    expect(s.rows.map((x) => [x.left?.func, x.right?.func])).toEqual([
      [
        'golens.test/programs/race-parallel.TestBeta',
        'golens.test/programs/race-parallel.TestAlpha',
      ],
    ]);
    expect(s.common.map((f) => f.func)).toEqual(['testing.tRunner', 'testing.(*T).Run.gowrap1']);
    const text = sideBySideText(
      'write by goroutine 8',
      a.frames,
      'previous write by goroutine 7',
      b.frames,
    );
    expect(text).toContain('2 common frames');
    expect(text.split('\n')[2]).toMatch(
      /race-parallel\.TestBeta\s+│ golens\.test\/programs\/race-parallel\.TestAlpha/,
    );
  });

  it('two identical stacks still show a row each', () => {
    const n = parseRaceReports(
      readFileSync(join(__dirname, '../../fixtures/races/go1.26.8/nested.txt'), 'utf8'),
    ).reports[0];
    const s = sideBySide(n.accesses[0].frames, n.accesses[1].frames);
    expect(s.rows).toHaveLength(1);
    expect(s.common).toHaveLength(1);
  });

  it('describes a race for the Problems panel from either access', () => {
    const set = new RaceSet();
    set.add(r, 'a#0');
    set.add(r, 'b#0');
    const [d] = set.races();
    expect(describeRace(d, 0)).toMatch(
      /^Data race: write by goroutine 8 in TestBeta vs previous write by goroutine 7 in TestAlpha \(2 reports, 2 runs, in 2 tests\)$/,
    );
    expect(describeRace(d, 1)).toMatch(
      /^Data race: previous write by goroutine 7 in TestAlpha vs write by goroutine 8 in TestBeta/,
    );
  });
});
