// CPU samples of a trace as a pprof Profile: checked through the existing call tree and folded
// stacks (what the profile view draws), on a hand-made example and on a committed trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildModel, cpuProfile, type WeightedStack } from '../../../src/core/exectrace';
import {
  estimateCpuSamplePeriod,
  profileFromStacks,
} from '../../../src/core/exectrace/profile-from-stacks';
import { buildCallTree } from '../../support/call-tree-oracle';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { profileKind } from '../../../src/core/pprof/diff';
import { checkProfile } from '../../../src/core/pprof/validate';
import { indexProfile } from '../../../src/core/pprof/profile-index';

const f = (func: string, line: number, file = 'example.com/demo/work.go') => ({ func, file, line });

const stacks: WeightedStack[] = [
  { frames: [f('main.main', 10), f('main.work', 20), f('main.countPrimes', 40)], weight: 5 },
  { frames: [f('main.main', 10), f('main.work', 21), f('main.hashChain', 60)], weight: 3 },
  { frames: [f('main.main', 10), f('main.work', 20), f('main.countPrimes', 41)], weight: 2 },
  { frames: [f('runtime.gcBgMarkWorker', 1400, 'runtime/mgc.go')], weight: 1 },
];

describe('profileFromStacks', () => {
  test('with a period: samples and CPU time, folded by function', () => {
    const p = profileFromStacks(stacks, { periodNanos: 10_000_000, durationNanos: 1e9 });
    checkProfile(p);
    expect(p.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(p.defaultSampleType).toBe(1);
    expect(profileKind(p)).toBe('a CPU profile');
    expect(foldedStacks(p, 0)).toEqual([
      'main.main;main.work;main.countPrimes 7',
      'main.main;main.work;main.hashChain 3',
      'runtime.gcBgMarkWorker 1',
    ]);
    expect(foldedStacks(p, 1)).toEqual([
      'main.main;main.work;main.countPrimes 70000000',
      'main.main;main.work;main.hashChain 30000000',
      'runtime.gcBgMarkWorker 10000000',
    ]);
  });

  test('the call tree has the functions, totals and hottest lines', () => {
    const p = profileFromStacks(stacks);
    expect(p.sampleTypes).toEqual([{ type: 'samples', unit: 'count' }]);
    const tree = buildCallTree(p, { sampleType: 0 });
    expect(tree.total[0]).toBe(11);
    const node = (name: string) => {
      for (let i = 1; i < tree.nodeCount; i++) if (tree.funcName[tree.func[i]] === name) return i;
      throw new Error(`no ${name}`);
    };
    expect(tree.total[node('main.work')]).toBe(10);
    expect(tree.self[node('main.countPrimes')]).toBe(7);
    expect(tree.line[node('main.countPrimes')]).toBe(40); // 5 samples on line 40, 2 on 41
    expect(tree.funcFile[tree.func[node('main.countPrimes')]]).toBe('example.com/demo/work.go');
    // Locations are (function, line): the two countPrimes lines are two locations of one function.
    expect(p.functions.count).toBe(5);
    expect(p.locations.count).toBe(7);
    indexProfile(p); // what keepProfile does; must accept it
  });

  test('no stacks: an empty, valid profile', () => {
    const p = profileFromStacks([]);
    checkProfile(p);
    expect(p.samples.count).toBe(0);
  });

  test('a committed trace: every sample with a stack is in the profile', () => {
    const m = buildModel(
      readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace')),
    );
    const cpu = cpuProfile(m);
    expect(cpu.totalSamples).toBeGreaterThan(0);
    const p = profileFromStacks(cpu.stacks);
    checkProfile(p);
    const tree = buildCallTree(p, { sampleType: 0 });
    expect(tree.total[0]).toBe(cpu.totalSamples - cpu.samplesWithoutStack);
    const lines = foldedStacks(p, 0);
    const sum = lines.reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    expect(sum).toBe(tree.total[0]);
  });
});

describe('estimateCpuSamplePeriod', () => {
  const table = (times: number[][]) => {
    const rows = times.flatMap((ts, m) => ts.map((t) => ({ t, m }))).sort((a, b) => a.t - b.t);
    return {
      count: rows.length,
      time: Float64Array.from(rows, (r) => r.t),
      m: Int32Array.from(rows, (r) => r.m),
      p: new Int32Array(rows.length),
      g: new Int32Array(rows.length),
      stack: new Int32Array(rows.length),
    };
  };
  const every = (period: number, n: number, from = 0, jitter = 0) =>
    Array.from({ length: n }, (_, i) => from + i * period + (i % 3) * jitter);

  test('a busy thread at 100 Hz', () => {
    expect(estimateCpuSamplePeriod(table([every(10e6, 30, 0, 50_000)]))).toBe(10e6);
  });

  test('two threads interleaved, one sometimes idle', () => {
    expect(estimateCpuSamplePeriod(table([every(10e6, 40, 1e6), every(23e6, 10, 2e6)]))).toBe(10e6);
  });

  test('gaps quantized to a 4 ms kernel tick (8 and 12 ms) around 10 ms', () => {
    const ts = [0];
    for (let i = 0; i < 40; i++) ts.push(ts[ts.length - 1] + (i % 2 ? 8e6 : 12e6));
    expect(estimateCpuSamplePeriod(table([ts]))).toBe(10e6);
  });

  test('threads sharing a CPU (most gaps twice the period): unknown, not guessed', () => {
    const ts = [0];
    for (let i = 0; i < 40; i++) ts.push(ts[ts.length - 1] + (i % 5 === 0 ? 8e6 : 20e6));
    expect(estimateCpuSamplePeriod(table([ts]))).toBeUndefined();
  });

  test('500 Hz', () => {
    expect(estimateCpuSamplePeriod(table([every(2e6, 50)]))).toBe(2e6);
  });

  test('unknown: too few samples, or gaps that match no common rate', () => {
    expect(estimateCpuSamplePeriod(table([every(10e6, 5)]))).toBeUndefined();
    expect(estimateCpuSamplePeriod(table([every(7.3e6, 50)]))).toBeUndefined();
  });
});
