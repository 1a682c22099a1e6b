// The GODEBUG merge: the user's settings are kept, ours replace only the four names we own.
import { describe, expect, it } from 'vitest';
import {
  mergeGodebug,
  withSchedGodebug,
  type SchedTraceDebug,
} from '../../../src/core/schedtrace/godebug';

const ours: SchedTraceDebug = { intervalMs: 100, detail: true, gctrace: true, scavtrace: false };
const OURS = 'schedtrace=100,scheddetail=1,gctrace=1,scavtrace=0';

describe('mergeGodebug', () => {
  it.each([
    [undefined, OURS],
    ['', OURS],
    ['  ,, ', OURS],
    ['madvdontneed=1', `madvdontneed=1,${OURS}`],
    ['http2client=0, madvdontneed=1', `http2client=0,madvdontneed=1,${OURS}`],
    // Theirs of our names go; everything else stays in its order.
    ['gctrace=2,http2client=0,schedtrace=5000,scheddetail=1,x=y', `http2client=0,x=y,${OURS}`],
    ['scavtrace=1', OURS],
    // Names are matched whole: a setting that merely starts with ours is theirs.
    ['gctraceextra=1,schedtraceish=3', `gctraceextra=1,schedtraceish=3,${OURS}`],
    // An entry without "=" is not ours to fix.
    ['oddentry', `oddentry,${OURS}`],
    [' gctrace = 1 ', OURS],
  ])('%j → %s', (existing, want) => {
    expect(mergeGodebug(existing, ours)).toBe(want);
  });

  it('writes detail, gctrace and scavtrace off explicitly, and rounds the interval', () => {
    expect(
      mergeGodebug('gctrace=1', {
        intervalMs: 999.6,
        detail: false,
        gctrace: false,
        scavtrace: true,
      }),
    ).toBe('schedtrace=1000,scheddetail=0,gctrace=0,scavtrace=1');
    expect(
      mergeGodebug('', { intervalMs: 0, detail: false, gctrace: true, scavtrace: false }),
    ).toBe('schedtrace=1,scheddetail=0,gctrace=1,scavtrace=0');
  });
});

describe('withSchedGodebug', () => {
  it('merges into a copy and keeps every other variable', () => {
    const env = { PATH: '/bin', GODEBUG: 'madvdontneed=1,gctrace=0', HOME: '/h' };
    const out = withSchedGodebug(env, ours);
    expect(out).toEqual({ PATH: '/bin', HOME: '/h', GODEBUG: `madvdontneed=1,${OURS}` });
    expect(env.GODEBUG).toBe('madvdontneed=1,gctrace=0');
  });
  it('finds GODEBUG under another letter case where names are case-insensitive (Windows)', () => {
    const out = withSchedGodebug({ GoDebug: 'x=1', Path: 'C:\\' }, ours, true);
    expect(out).toEqual({ Path: 'C:\\', GODEBUG: `x=1,${OURS}` });
  });
});
