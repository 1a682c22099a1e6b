// The timeline's time axis: 1/2/5 steps, units chosen by the step, labels relative to the trace
// start, and a base time once the labels would get long.
import { describe, expect, test } from 'vitest';
import {
  formatTimeIn,
  niceStep,
  timeAxis,
  unitForStep,
} from '../../../src/core/layout/timeline-axis';
import { partialTraceWarning } from '../../../src/core/exectrace/partial-trace';

describe('niceStep', () => {
  test.each([
    [1000, 10, 100],
    [999, 10, 100],
    [1001, 10, 200],
    [3, 10, 1],
    [2.5e9, 10, 5e8],
    [7e6, 7, 1e6],
    [7.1e6, 7, 2e6],
    [45e3, 9, 5e3],
  ])('span %d, %d ticks → %d', (span, ticks, step) => {
    expect(niceStep(span, ticks)).toBe(step);
  });
});

describe('timeAxis', () => {
  test('ticks are multiples of the step inside the window', () => {
    for (const [t0, t1] of [
      [0, 1e9],
      [123_456, 987_654],
      [17, 23],
      [5e9 + 3, 5e9 + 3_000],
    ]) {
      const a = timeAxis(t0, t1, 8);
      expect(a.ticks.length).toBeGreaterThan(0);
      expect(a.ticks.length).toBeLessThanOrEqual(9);
      for (const t of a.ticks) {
        expect(t).toBeGreaterThanOrEqual(t0);
        expect(t).toBeLessThanOrEqual(t1);
        expect(Math.abs(t / a.step - Math.round(t / a.step))).toBeLessThan(1e-9);
      }
    }
  });

  test('units follow the step: s, ms, µs, ns', () => {
    expect(timeAxis(0, 10e9, 5).labels.slice(0, 3)).toEqual(['0 s', '2 s', '4 s']);
    expect(timeAxis(0, 2e9, 5).labels.slice(0, 3)).toEqual(['0.0 s', '0.5 s', '1.0 s']);
    expect(timeAxis(0, 50e6, 5).labels.slice(0, 3)).toEqual(['0 ms', '10 ms', '20 ms']);
    expect(timeAxis(1e6, 1.01e6, 5).labels.slice(0, 2)).toEqual(['1.000 ms', '1.002 ms']);
    expect(timeAxis(0, 500, 5).labels.slice(0, 3)).toEqual(['0 ns', '100 ns', '200 ns']);
    expect(timeAxis(0, 25e6, 5).labels[1]).toBe('5 ms');
    expect(timeAxis(0, 2.5e6, 5).labels[1]).toBe('0.5 ms');
    expect(timeAxis(0, 900_000, 5).labels[1]).toBe('200 µs');
  });

  test('deep zooms far into the trace count from a base time', () => {
    const a = timeAxis(5_123_456_700, 5_123_457_200, 5);
    expect(a.step).toBe(100);
    expect(a.base).not.toBeNull();
    expect(a.base!).toBeLessThanOrEqual(5_123_456_700);
    expect(a.baseLabel).toBe('5.1234 s');
    expect(a.ticks[0]).toBe(5_123_456_700);
    expect(a.labels[0]).toBe('+56.7 µs');
    expect(a.labels.every((l) => l.startsWith('+') && l.length <= 10)).toBe(true);
  });

  test('a window near the start needs no base', () => {
    expect(timeAxis(0, 900, 5).base).toBeNull();
    expect(timeAxis(9_000, 9_900, 5).base).toBeNull();
  });
});

describe('durations and times', () => {
  test('unitForStep', () => {
    expect(unitForStep(999).name).toBe('ns');
    expect(unitForStep(1000).name).toBe('µs');
    expect(unitForStep(2e6).name).toBe('ms');
    expect(unitForStep(1e10).name).toBe('s');
  });

  test('formatTimeIn is as precise as the window', () => {
    expect(formatTimeIn(1_234_567_891, 1e9)).toBe('1.235 s');
    expect(formatTimeIn(1_234_567_891, 1e6)).toBe('1.234568 s');
    expect(formatTimeIn(1_234_567, 1e9)).toBe('1 ms');
    expect(formatTimeIn(0, 158e6)).toBe('0.0 ms');
  });
});

describe('partialTraceWarning', () => {
  test('truncated capture: what is missing, from the length asked for', () => {
    const w = partialTraceWarning({
      code: 'truncated',
      message: 'trace is truncated: the file ends inside a batch.',
      lastGeneration: 7,
      parsedNs: 812e6,
      requestedNs: 1e9,
    });
    expect(w).toBe(
      'The trace is truncated after generation 7: the file ends inside a batch. Showing the first 812ms that could be read; the last 188ms are missing.',
    );
  });
  test('truncated file of unknown length, and a damaged one', () => {
    expect(
      partialTraceWarning({
        code: 'truncated',
        message: 'incomplete generation',
        lastGeneration: 2,
        parsedNs: 2.5e9,
      }),
    ).toBe(
      'The trace is truncated after generation 2: incomplete generation. Showing the first 2.50s that could be read; what followed is missing.',
    );
    expect(
      partialTraceWarning({
        code: 'corrupt',
        message: 'bad batch size',
        lastGeneration: undefined,
        parsedNs: 1e6,
      }),
    ).toMatch(/^The trace is damaged: bad batch size\. .*nothing after the damage is shown\.$/);
  });
});
