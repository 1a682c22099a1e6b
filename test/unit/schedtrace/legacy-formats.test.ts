// gctrace formats of older releases: Go 1.5–1.6 (five clock phases), Go 1.7–1.19 (no stacks or
// globals), Go 1.3–1.4 `gcN(P): …` and the `scvgN: …` scavenger lines of Go 1.4–1.11. Written
// from each release's printing code (runtime/mgc.go gcMarkTermination, runtime/mgc0.c gc,
// runtime/mheap scavenger), then checked on real logs of ../shared/corpus/schedtrace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchedTraceLog, parseTraceLine } from '../../../src/core/schedtrace';
import { sharedDir } from '../../support/shared';

describe('older gctrace lines', () => {
  it('Go 1.5–1.6: five clock phases and seven CPU figures, kept as printed and mapped to the three phases', () => {
    const rec = parseTraceLine(
      'gc 1 @0.166s 0%: 0.22+2.3+0.074+0.76+0.56 ms clock, 0.45+2.3+0+0.55/0.59/0+1.1 ms cpu, 5->5->1 MB, 4 MB goal, 4 P (forced)',
      7,
    );
    expect(rec).toEqual({
      kind: 'gc',
      gc: {
        n: 1,
        startS: 0.166,
        cpuPercent: 0,
        leakCheck: false,
        clockSweepTermMs: 0.22,
        clockMarkMs: 2.3 + 0.074 + 0.76,
        clockMarkTermMs: 0.56,
        cpuSweepTermMs: 0.45,
        cpuAssistMs: 0.55,
        cpuBackgroundMs: 2.3 + 0 + 0.59,
        cpuIdleMs: 0,
        cpuMarkTermMs: 1.1,
        heapStartMB: 5,
        heapEndMB: 5,
        heapLiveMB: 1,
        heapGoalMB: 4,
        procs: 4,
        forced: true,
        go15Phases: {
          clockMs: [0.22, 2.3, 0.074, 0.76, 0.56],
          cpuMs: [0.45, 2.3, 0, 0.55, 0.59, 0, 1.1],
        },
        line: 7,
      },
    });
  });

  it('Go 1.7–1.19: the three-phase line without stacks and globals', () => {
    const rec = parseTraceLine(
      'gc 763 @77536.239s 1%: 0.11+2192+0.75 ms clock, 0.92+9269/4379/3243+6.0 ms cpu, 6370->6390->3298 MB, 6533 MB goal, 8 P',
    );
    expect(rec?.kind === 'gc' && rec.gc).toMatchObject({
      n: 763,
      startS: 77536.239,
      clockMarkMs: 2192,
      cpuIdleMs: 3243,
      heapLiveMB: 3298,
      procs: 8,
    });
    expect(rec?.kind === 'gc' && rec.gc.stacksMB).toBeUndefined();
  });

  it('Go 1.3–1.4 gc lines and scvg lines are recognised (not program output), every number named', () => {
    const gc14 = parseTraceLine(
      'gc76(1): 2+1+1390+1 us, 1 -> 3 MB, 16397 (1015746-999349) objects, 12 goroutines, 1436/1/0 sweeps, 0(0) handoff, 0(0) steal, 0/0/0 yields',
    );
    expect(gc14).toEqual({
      kind: 'legacy',
      legacy: {
        format: 'gc-go1.4',
        values: {
          numgc: 76,
          nproc: 1,
          phase1Us: 2,
          phase2Us: 1,
          phase3Us: 1390,
          phase4Us: 1,
          heap0MB: 1,
          heap1MB: 3,
          objects: 16397,
          nmalloc: 1015746,
          nfree: 999349,
          goroutines: 12,
          nspan: 1436,
          nbgsweep: 1,
          npausesweep: 0,
          nhandoff: 0,
          nhandoffcnt: 0,
          nsteal: 0,
          nstealcnt: 0,
          nprocyield: 0,
          nosyield: 0,
          nsleep: 0,
        },
        line: 0,
      },
    });
    expect(parseTraceLine('scvg13: 16 MB released')).toEqual({
      kind: 'legacy',
      legacy: { format: 'scvg-released', values: { n: 13, releasedMB: 16 }, line: 0 },
    });
    expect(
      parseTraceLine('scvg1: inuse: 12, idle: 13, sys: 14, released: 15, consumed: 16 (MB)'),
    ).toEqual({
      kind: 'legacy',
      legacy: {
        format: 'scvg-stats',
        values: { n: 1, inuseMB: 12, idleMB: 13, sysMB: 14, releasedMB: 15, consumedMB: 16 },
        line: 0,
      },
    });
    // Near misses stay program output.
    for (const t of [
      'gc76(1): 2+1+1390+1 us',
      'scvg1: inuse: 12',
      'gc 1 @0.1s 0%: 1+2+3+4 ms clock',
    ])
      expect(parseTraceLine(t), t).toBeUndefined();
  });

  it('a log of only Go 1.4 lines is a trace log', () => {
    const log = parseSchedTraceLog(
      'gc1(1): 0+0+0+0 us, 0 -> 0 MB, 16 (17-1) objects, 1/0/0 sweeps, 0(0) handoff, 0(0) steal, 0/0/0 yields\n',
    );
    expect(log.legacy).toHaveLength(1);
    expect(log.stats.legacyLines).toBe(1);
    expect(log.programOutput).toEqual([]);
  });
});

const corpus = sharedDir('corpus/schedtrace');

describe.runIf(corpus)('real logs of older releases (../shared/corpus/schedtrace)', () => {
  const read = (name: string) =>
    parseSchedTraceLog(readFileSync(join(corpus!, name)), { allowEmpty: true });

  it('gcvis-go15_stderr.log (Go 1.5): all 130 cycles, no program output, no warning', () => {
    const log = read('gcvis-go15_stderr.log');
    expect(log.gcCycles).toHaveLength(130);
    expect(log.programOutput).toEqual([]);
    expect(log.warnings).toEqual([]);
    expect(log.gcCycles.map((g) => g.n)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    expect(log.gcCycles[129]).toMatchObject({
      n: 130,
      startS: 11.543,
      cpuPercent: 10,
      clockSweepTermMs: 0.1,
      clockMarkTermMs: 0.74,
      heapStartMB: 128,
      heapEndMB: 131,
      heapLiveMB: 69,
      heapGoalMB: 132,
      procs: 4,
      go15Phases: { clockMs: [0.1, 45, 1.2, 16, 0.74], cpuMs: [0.42, 45, 0, 53, 16, 122, 2.9] },
    });
  });

  it('gcvis-parser_test-lines.log: Go 1.7 and 1.6 gc lines, two Go 1.4 lines (with and without goroutines), a scvg line, program lines', () => {
    const log = read('gcvis-parser_test-lines.log');
    expect(log.gcCycles.map((g) => [g.n, g.go15Phases !== undefined])).toEqual([
      [763, false],
      [88, true],
    ]);
    expect(
      log.legacy.map((l) => [l.format, l.values.numgc ?? l.values.n, l.values.goroutines]),
    ).toEqual([
      ['gc-go1.4', 76, undefined],
      ['gc-go1.4', 76, 12],
      ['scvg-stats', 1, undefined],
    ]);
    expect(log.programOutput.map((p) => p.text)).toEqual(['INFO: test', 'INFO: wait']);
  });

  it('thinkboy-gctrace.md (a Go 1.9-era service): 12 gc lines and 8 scvg lines, from the Markdown around them', () => {
    const log = read('thinkboy-gctrace.md');
    expect(log.gcCycles).toHaveLength(12);
    expect(log.legacy.map((l) => l.format)).toEqual([
      'scvg-stats',
      'scvg-stats',
      'scvg-stats',
      'scvg-stats',
      'scvg-released',
      'scvg-stats',
      'scvg-released',
      'scvg-stats',
    ]);
    expect(log.legacy.at(-1)!.values).toEqual({
      n: 14,
      inuseMB: 15374,
      idleMB: 1799,
      sysMB: 17174,
      releasedMB: 4,
      consumedMB: 17169,
    });
  });
});
