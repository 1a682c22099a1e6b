import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatValue,
  scaleValue,
  unitFamily,
} from '../../../src/core/format/units';

describe('formatValue', () => {
  // Expected strings are what `go tool pprof` prints for the same value and unit (its
  // measurement.ScaledLabel), except "µs" where pprof writes "us".
  it.each([
    [0, 'nanoseconds', '0'],
    [1, 'nanoseconds', '1ns'],
    [999, 'nanoseconds', '999ns'],
    [1000, 'nanoseconds', '1µs'],
    [1500, 'nanoseconds', '1.50µs'],
    [10_000_000, 'nanoseconds', '10ms'],
    [12_345_678, 'nanoseconds', '12.35ms'],
    [2_030_000_000, 'nanoseconds', '2.03s'],
    [59 * 60e9, 'nanoseconds', '3540s'],
    [5400e9, 'nanoseconds', '1.50hrs'],
    [-10_000_000, 'nanoseconds', '-10ms'],
    [1.5, 'seconds', '1.50s'],
    [0.25, 'seconds', '250ms'],
    [250, 'milliseconds', '250ms'],
    [3, 'microseconds', '3µs'],
    [0, 'bytes', '0'],
    [512, 'bytes', '512B'],
    [1023, 'bytes', '1023B'],
    [1024, 'bytes', '1kB'],
    [1536, 'bytes', '1.50kB'],
    [528_394, 'bytes', '516.01kB'],
    [1_048_576, 'bytes', '1MB'],
    [1_212_696, 'bytes', '1.16MB'],
    [3 * 2 ** 30, 'bytes', '3GB'],
    [2 ** 40, 'bytes', '1TB'],
    [-2048, 'bytes', '-2kB'],
    [2, 'kilobytes', '2kB'],
    [2048, 'kB', '2MB'],
    [1234567, 'count', '1,234,567'],
    [12, 'count', '12'],
    [1092.5, 'count', '1,092.5'],
    [-1234, 'count', '-1,234'],
    [42, '', '42'],
    [3, 'samples', '3'],
    [7, 'widgets', '7 widgets'],
  ])('%d %s → %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });
});

describe('scaleValue and unitFamily', () => {
  it('picks the largest unit the value reaches', () => {
    expect(scaleValue(1536, 'bytes')).toEqual({ value: 1.5, unit: 'kB' });
    expect(scaleValue(2.5e9, 'nanoseconds')).toEqual({ value: 2.5, unit: 's' });
    expect(scaleValue(0, 'nanoseconds')).toEqual({ value: 0, unit: 'ns' });
    expect(scaleValue(17, 'count')).toEqual({ value: 17, unit: 'count' });
  });
  it('sniffs units the way pprof does: case, plurals, aliases', () => {
    expect(unitFamily('nanoseconds')).toBe('time');
    expect(unitFamily('Seconds')).toBe('time');
    expect(unitFamily('us')).toBe('time');
    expect(unitFamily('bytes')).toBe('bytes');
    expect(unitFamily('MB')).toBe('bytes');
    expect(unitFamily('count')).toBe('count');
    expect(unitFamily('goroutines')).toBe('count');
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1_000_000, '1,000,000'],
    [-45_000, '-45,000'],
    [0.004, '0'],
    [2.5, '2.5'],
    [2.345, '2.35'],
    [1e21, '1,000,000,000,000,000,000,000'],
  ])('%d → %s', (v, s) => expect(formatCount(v)).toBe(s));
});

describe('formatPercent', () => {
  it.each([
    [0, 100, '0%'],
    [5, 0, '0%'],
    [100, 100, '100%'],
    [9996, 10000, '100%'],
    [50, 100, '50.00%'],
    [1234, 10000, '12.34%'],
    [1, 100, '1.00%'],
    [5, 1000, '0.5%'],
    [123, 100000, '0.12%'],
    [1, 1e6, '0.0001%'],
    // Go's %.2g switches to an exponent below 1e-4, as pprof prints it.
    [1, 1e7, '1e-05%'],
    [12, 1e8, '1.2e-05%'],
    [-25, 100, '-25.00%'],
    // The flame tooltip, the CodeLens and the top table all say this for one value.
    [123_456, 1_000_000, '12.35%'],
    [0.001, 1, '0.1%'],
  ])('%d of %d → %s', (v, t, s) => expect(formatPercent(v, t)).toBe(s));
});

describe('formatBytes', () => {
  it.each([
    [0, '0B'],
    [1, '1B'],
    [1023, '1023B'],
    [1024, '1kB'],
    [1536, '1.50kB'],
    [10 * 2 ** 20, '10MB'],
    [64 * 2 ** 20 + 5 * 2 ** 18, '65.25MB'],
    [1.5 * 2 ** 30, '1.50GB'],
  ])('%d → %s', (v, s) => expect(formatBytes(v)).toBe(s));
});

describe('formatDuration and formatMs', () => {
  it.each([
    [0, '0s'],
    [0.5, '0.50ns'],
    [850, '850ns'],
    [12_345, '12.35µs'],
    [1_500_000, '1.50ms'],
    [123_456_789, '123.46ms'],
    [2_345_000_000, '2.35s'],
    [95e9, '95s'],
    [-1_500_000, '-1.50ms'],
    [NaN, '—'],
    [Infinity, '—'],
  ])('formatDuration(%d) = %s', (ns, s) => expect(formatDuration(ns)).toBe(s));

  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1234, '1.23s'],
    [12_300, '12.30s'],
  ])('formatMs(%d) = %s', (ms, s) => expect(formatMs(ms)).toBe(s));
});
