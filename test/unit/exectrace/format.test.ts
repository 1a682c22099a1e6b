// Pieces of the text form that real traces rarely exercise.
import { describe, expect, test } from 'vitest';
import { absTimeString, rfc3339Nano } from '../../../src/core/exectrace/format';

describe('rfc3339Nano matches Go time.Unix(sec, nsec).Format(RFC3339Nano)', () => {
  const utc = () => 0;
  const minus530 = () => -330;
  test.each([
    [0n, 0n, '1970-01-01T00:00:00Z', '1969-12-31T18:30:00-05:30'],
    [1700000000n, 500n, '2023-11-14T22:13:20.0000005Z', '2023-11-14T16:43:20.0000005-05:30'],
    [1700000000n, 1500000000n, '2023-11-14T22:13:21.5Z', '2023-11-14T16:43:21.5-05:30'],
    [4102444800n, 120000n, '2100-01-01T00:00:00.00012Z', '2099-12-31T18:30:00.00012-05:30'],
    [2n ** 64n - 1n, 0n, '1969-12-31T23:59:59Z', '1969-12-31T18:29:59-05:30'],
    [1n, 2n ** 64n - 1n, '1970-01-01T00:00:00.999999999Z', '1969-12-31T18:30:00.999999999-05:30'],
    [
      1795302945n,
      301885523n,
      '2026-11-21T23:15:45.301885523Z',
      '2026-11-21T17:45:45.301885523-05:30',
    ],
  ])('%s s %s ns', (sec, nsec, inUtc, inMinus530) => {
    expect(rfc3339Nano(sec, nsec, utc)).toBe(inUtc);
    expect(rfc3339Nano(sec, nsec, minus530)).toBe(inMinus530);
  });
});

test('absolute times stay exact beyond 2^53 ns (machines up for more than 104 days)', () => {
  const base = 2 ** 53 + 64 * 1000; // a multiple of 64, as nanotime()/64*64 produces
  expect(absTimeString(base, 0)).toBe((2n ** 53n + 64000n).toString());
  expect(absTimeString(base, 1)).toBe((2n ** 53n + 64001n).toString());
  expect(absTimeString(base, -7)).toBe((2n ** 53n + 63993n).toString());
  expect(absTimeString(1000, 23)).toBe('1023');
});
