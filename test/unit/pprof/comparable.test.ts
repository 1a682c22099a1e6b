import { describe, expect, it } from 'vitest';
import { incomparability, type ComparableProfile } from '../../../src/core/pprof/comparable';

const t = (s: string) =>
  s.split(',').map((x) => ({ type: x.split('/')[0], unit: x.split('/')[1] }));
const cpu: ComparableProfile = {
  sampleTypes: t('samples/count,cpu/nanoseconds'),
  periodType: { type: 'cpu', unit: 'nanoseconds' },
};
const heap: ComparableProfile = {
  sampleTypes: t('alloc_objects/count,alloc_space/bytes,inuse_objects/count,inuse_space/bytes'),
  periodType: { type: 'space', unit: 'bytes' },
};
const mutex: ComparableProfile = {
  sampleTypes: t('contentions/count,delay/nanoseconds'),
  periodType: { type: 'contentions', unit: 'count' },
};

describe('incomparability: the one "can these profiles be compared" rule', () => {
  it.each<[string, ComparableProfile, ComparableProfile, ReturnType<typeof incomparability>]>([
    ['two CPU profiles', cpu, cpu, undefined],
    ['CPU against heap', cpu, heap, 'sample-types'],
    [
      'sample types in another order',
      cpu,
      { ...cpu, sampleTypes: [...cpu.sampleTypes].reverse() },
      'sample-types',
    ],
    [
      'the same type in another unit',
      cpu,
      { ...cpu, sampleTypes: t('samples/count,cpu/microseconds') },
      'sample-types',
    ],
    [
      'no period type on either side',
      { sampleTypes: cpu.sampleTypes },
      { sampleTypes: cpu.sampleTypes },
      undefined,
    ],
    ['a period type on one side only', cpu, { sampleTypes: cpu.sampleTypes }, 'period-type'],
    [
      'a contention profile with another period type',
      mutex,
      { ...mutex, periodType: { type: 'delay', unit: 'nanoseconds' } },
      'period-type',
    ],
    [
      'heap and allocs captures (the same data)',
      { ...heap, captureKind: 'heap' },
      { ...heap, captureKind: 'allocs' },
      undefined,
    ],
    [
      'mutex and block captures (the same headers)',
      { ...mutex, captureKind: 'mutex' },
      { ...mutex, captureKind: 'block' },
      'capture-kind',
    ],
    ['one capture kind unknown', { ...mutex, captureKind: 'mutex' }, mutex, undefined],
  ])('%s', (_, base, current, expected) => {
    expect(incomparability(base, current)).toBe(expected);
  });
});
