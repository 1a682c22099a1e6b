// Wall-clock time of trace moments (src/core/exectrace/wall-clock.ts) on the committed traces
// of every Go release with clock snapshots (1.25, 1.26, 1.27): each generation's anchor is the
// Trace= and Wall= that `go tool trace -d=parsed` prints on its Sync event; times map both ways;
// log-line times of every accepted form are found; older traces say why there is no wall clock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/core/exectrace/model';
import {
  formatWallClock,
  formatWallRfc3339,
  parseWallTime,
  traceToWall,
  wallClockInfo,
  wallToTrace,
  type WallClockAnchor,
} from '../../../src/core/exectrace/wall-clock';
import { fixturesDir, goParsed } from '../exectrace/support/helpers';

const withClock = [
  'workload-go1.25.14.trace',
  'workload-go1.26.8.trace',
  'workload-go1.27.4.trace',
  'allocfree-go1.27.4.trace',
];

function load(name: string) {
  const model = buildModel(new Uint8Array(readFileSync(join(fixturesDir, name))));
  return { model, info: wallClockInfo(model.version, model.timeBase, model.generations) };
}

describe.each(withClock)('%s', (name) => {
  it("has one anchor per generation, equal to the Sync events' Trace= and Wall= in go tool trace -d=parsed", async () => {
    const { model, info } = load(name);
    expect(info.unavailable).toBe('');
    const go = await goParsed(join(fixturesDir, name), { TZ: 'UTC' });
    expect(go.code, go.stderr).toBe(0);
    const syncs = [...go.stdout.matchAll(/ Sync Time=\d+ N=\d+ Trace=(\d+) Mono=\d+ Wall=(\S+)/g)];
    expect(syncs.length).toBeGreaterThan(0);
    expect(info.anchors).toHaveLength(syncs.length);
    info.anchors.forEach((a, i) => {
      expect(a.t + model.timeBase).toBe(Number(syncs[i][1]));
      expect(parseWallTime(syncs[i][2], 0, a)).toEqual({ sec: a.sec, nsec: a.nsec });
      // Go trims trailing zeros of the fraction; ours keeps nine digits.
      expect(formatWallRfc3339(a, 0).replace(/\.?0+Z$/, 'Z')).toBe(
        syncs[i][2].replace(/\.?0+Z$/, 'Z'),
      );
    });
  });

  it('maps trace times to wall times and back through the nearest snapshot', () => {
    const { model, info } = load(name);
    const mid = (model.start + model.end) / 2;
    const w = traceToWall(info.anchors, mid);
    expect(Math.abs(wallToTrace(info.anchors, w) - mid)).toBeLessThan(1);
    const first = info.anchors[0];
    expect(traceToWall(info.anchors, first.t + 1_500)).toEqual({
      sec: first.sec + Math.floor((first.nsec + 1500) / 1e9),
      nsec: (first.nsec + 1500) % 1e9,
    });
  });
});

describe('traces without clock snapshots', () => {
  it('a Go 1.24 trace says why the wall clock is unavailable', () => {
    const { info } = load('workload-go1.24.13.trace');
    expect(info.anchors).toEqual([]);
    expect(info.unavailable).toMatch(
      /traces of Go releases before 1\.25 carry no clock snapshots \(Go 1\.25 and newer write one per generation\)/,
    );
  });
});

describe('times pasted from logs', () => {
  // 2026-12-05T10:11:12.5Z
  const anchors: WallClockAnchor[] = [
    { t: 1_000, sec: 1_796_465_472, nsec: 500_000_000 },
    { t: 1_000_001_000, sec: 1_796_465_473, nsec: 500_000_100 },
  ];
  const near = { sec: anchors[0].sec, nsec: 0 };

  it('reads RFC3339 with a zone, the log package format in local time, and a time of day alone', () => {
    expect(parseWallTime('time=2026-12-05T10:11:12.123456Z level=INFO msg=start', 0, near)).toEqual(
      { sec: 1_796_465_472, nsec: 123_456_000 },
    );
    expect(parseWallTime('2026-12-05T11:11:12.123+01:00 boom', 0, near)).toEqual({
      sec: 1_796_465_472,
      nsec: 123_000_000,
    });
    expect(parseWallTime('2026/12/05 10:11:12.123456 handler: timeout', 0, near)).toEqual({
      sec: 1_796_465_472,
      nsec: 123_456_000,
    });
    // The log package writes local time: at UTC+2, 12:11:12 local is 10:11:12Z.
    expect(parseWallTime('2026/12/05 12:11:12 started', 120, near)).toEqual({
      sec: 1_796_465_472,
      nsec: 0,
    });
    expect(parseWallTime('10:11:12.123', 0, near)).toEqual({
      sec: 1_796_465_472,
      nsec: 123_000_000,
    });
    expect(parseWallTime('gc 7 @3.1s 1%: at 10:11:13', 0, near)).toEqual({
      sec: 1_796_465_473,
      nsec: 0,
    });
  });

  it('puts a time of day on the day nearest the trace, and refuses text without a time', () => {
    // 23:59:59 the day before is closer to a trace at 00:00:05 than 23:59:59 the same day.
    const midnight = { sec: Date.UTC(2026, 11, 5, 0, 0, 5) / 1000, nsec: 0 };
    expect(parseWallTime('23:59:59', 0, midnight)).toEqual({
      sec: Date.UTC(2026, 11, 4, 23, 59, 59) / 1000,
      nsec: 0,
    });
    expect(parseWallTime('no time here', 0, near)).toBeUndefined();
    expect(parseWallTime('25:61:00', 0, near)).toBeUndefined();
  });

  it('finds the trace moment of a log time, and formats wall times for the axis and hover', () => {
    const w = parseWallTime('2026/12/05 10:11:13.000000100', 0, near)!;
    expect(wallToTrace(anchors, w)).toBe(500_001_100);
    expect(formatWallClock(traceToWall(anchors, 1_000), 0)).toBe('10:11:12.500000');
    expect(formatWallClock(traceToWall(anchors, 1_000), 60, 3)).toBe('11:11:12.500');
    expect(formatWallRfc3339(traceToWall(anchors, 1_001), -300)).toBe(
      '2026-12-05T05:11:12.500000001-05:00',
    );
  });
});
