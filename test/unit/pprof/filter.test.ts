import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import {
  compileFilter,
  compileGoRegExp,
  FilterError,
  listLabels,
  RUNTIME_FRAMES,
  simplifyFunctionName,
  tagExpression,
  tagMask,
  type ProfileFilter,
} from '../../../src/core/pprof/filter';
import type { Profile } from '../../../src/core/pprof/model';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { topTable } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import { encodeProfile, profileFromStacks, type LabelSpec } from './encode';

const decode = (b: Uint8Array): Profile => decodeProfile(b, gunzip);

describe('compileGoRegExp', () => {
  it.each<[string, string, boolean]>([
    ['main\\.', 'main.work', true],
    ['(?i)MAIN', 'main.work', true],
    ['(?s)a.b', 'a\nb', true],
    ['\\Amain\\z', 'main', true],
    ['\\Amain\\z', 'xmain', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['[[:digit:]]+x', 'abc42x', true],
    ['[[:upper:]]', 'abc', false],
    ['(?P<pkg>main)\\.', 'main.x', true],
  ])('%s on %s: %s', (re, text, want) => {
    expect(compileGoRegExp(re).test(text)).toBe(want);
  });

  it('rejects what JavaScript cannot do', () => {
    expect(() => compileGoRegExp('(?U)a+')).toThrow(/ungreedy/);
    expect(() => compileGoRegExp('main(')).toThrow(SyntaxError);
  });
});

describe('compileFilter', () => {
  it.each<[keyof ProfileFilter, ProfileFilter, RegExp]>([
    ['focus', { focus: 'main(' }, /^invalid focus regexp "main\(": /],
    ['ignore', { ignore: '*x' }, /^invalid ignore regexp "\*x": /],
    ['hide', { hide: '[a' }, /^invalid hide regexp "\[a": /],
    ['show', { show: 'a)' }, /^invalid show regexp "a\)": /],
    [
      'showFrom',
      { showFrom: '(?U)x' },
      /^invalid show_from regexp "\(\?U\)x": the \(\?U\) flag \(ungreedy\) is not supported$/,
    ],
    ['pruneFrom', { pruneFrom: '+' }, /^invalid prune_from regexp "\+": /],
    [
      'tagFocus',
      { tagFocus: ['worker=al(pha'] },
      /^invalid tagfocus regexp "al\(pha" in "worker=al\(pha": /,
    ],
    ['tagIgnore', { tagIgnore: ['[x'] }, /^invalid tagignore regexp "\[x" in "\[x": /],
  ])('%s: an invalid regexp is a FilterError naming the option', (option, filter, message) => {
    let err: unknown;
    try {
      compileFilter(filter);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FilterError);
    expect((err as FilterError).option).toBe(option);
    expect((err as FilterError).message).toMatch(message);
  });

  it('views throw the FilterError too', () => {
    const index = indexProfile(decode(encodeProfile(profileFromStacks([[['main'], 1]]))));
    expect(() => topTable(index, { sampleType: 0, filter: { focus: '(' } })).toThrow(FilterError);
  });

  it('treats empty options as absent, and has a canonical key', () => {
    const a = compileFilter({ focus: '', hide: undefined, tagFocus: [] });
    expect(a.empty).toBe(true);
    expect(compileFilter({ focus: 'x', pruneRuntime: false }).key).toBe(
      compileFilter({ focus: 'x' }).key,
    );
  });
});

/** A profile whose samples carry these labels, one sample (value 1, function f<i>) each. */
function labelled(labels: LabelSpec[][]): Profile {
  const spec = profileFromStacks(labels.map((_, i) => [['main', `f${i}`], 1]));
  spec.samples.forEach((s, i) => (s.labels = labels[i]));
  return decode(encodeProfile(spec));
}

function kept(p: Profile, focus: string[], ignore: string[] = []): number[] {
  const f = compileFilter({ tagFocus: focus, tagIgnore: ignore });
  const mask = tagMask(p, f.tagFocus, f.tagIgnore)!;
  return [...mask.keys()].filter((i) => mask[i] === 1);
}

describe('tag filters (pprof -tagfocus / -tagignore)', () => {
  const p = labelled([
    [
      { key: 'worker', str: 'alpha' },
      { key: 'bytes', num: 64 },
    ],
    [
      { key: 'worker', str: 'beta' },
      { key: 'bytes', num: 512 },
    ],
    [
      { key: 'worker', str: 'alphabet' },
      { key: 'bytes', num: 4096 },
      { key: 'kind', str: 'deep' },
    ],
    [{ key: 'latency', num: 1500, unit: 'ms' }],
  ]);

  it.each<[string, string[], string[], number[]]>([
    ['key=regexp, unanchored', ['worker=alpha'], [], [0, 2]],
    ['key=regexp, anchored', ['worker=^alpha$'], [], [0]],
    ['several regexps: any matches', ['worker=^beta$,^alpha$'], [], [0, 1]],
    ['no key: each regexp matches some key:value', ['worker:alpha,kind:deep'], [], [2]],
    ['every tagFocus must match', ['worker=alpha', 'kind=deep'], [], [2]],
    ['tagIgnore drops', [], ['worker=beta'], [0, 2, 3]],
    ['a range with units: at least 1kb', ['bytes=1kb:'], [], [2]],
    ['at most 512 bytes', ['bytes=:512b'], [], [0, 1]],
    ['between, both ends included', ['bytes=64b:512b'], [], [0, 1]],
    ['equal', ['bytes=512b'], [], [1]],
    [
      'a number without a unit does not match a label measured in bytes (as pprof)',
      ['bytes=512'],
      [],
      [],
    ],
    ['time units convert: 1s and above', ['latency=1s:'], [], [3]],
    ['no key: any numeric label in range', ['4kb'], [], [2]],
  ])('%s', (_, focus, ignore, want) => {
    expect(kept(p, focus, ignore)).toEqual(want);
  });

  it('lists label keys and values for the UI, and tagExpression selects exactly one value', () => {
    const labels = listLabels(p);
    expect(labels.map((l) => [l.key, l.kind, l.unit, l.samples])).toEqual([
      ['bytes', 'number', 'bytes', 3],
      ['kind', 'string', '', 1],
      ['latency', 'number', 'ms', 1],
      ['worker', 'string', '', 3],
    ]);
    const worker = labels.find((l) => l.key === 'worker')!;
    expect(worker.values.map((v) => [v.value, v.samples, v.totals[0]])).toEqual([
      ['alpha', 1, 1],
      ['alphabet', 1, 1],
      ['beta', 1, 1],
    ]);
    expect(kept(p, [tagExpression('worker', 'alpha')])).toEqual([0]);
    const bytes = labels.find((l) => l.key === 'bytes')!;
    expect(
      kept(p, [
        tagExpression(
          'bytes',
          Number(bytes.values.find((v) => v.value === '512')!.value),
          bytes.unit,
        ),
      ]),
    ).toEqual([1]);
    expect(kept(p, [tagExpression('latency', 1500, 'ms')])).toEqual([3]);
  });

  it('tagExpression escapes regexp characters and commas', () => {
    const q = labelled([
      [{ key: 'route', str: '/api/v1/items,list (x)' }],
      [{ key: 'route', str: '/api/v1/itemsXlist (x)' }],
    ]);
    expect(kept(q, [tagExpression('route', '/api/v1/items,list (x)')])).toEqual([0]);
  });
});

describe('pprof name rules', () => {
  it.each([
    ['runtime.(*mheap).alloc', 'runtime.'],
    ['main.work', 'main.work'],
    ['.foo', 'foo'],
    ['ns::operator()(int)', 'ns::operator()'],
    ['(anonymous namespace)::f(int)', '(anonymous namespace)::f'],
  ])('simplifyFunctionName(%s) = %s', (name, want) => {
    expect(simplifyFunctionName(name)).toBe(want);
  });

  it.each([
    ['runtime.mallocgc', true],
    ['runtime.', true],
    ['internal/runtime/maps.', true],
    ['runtime/pprof.Do', false],
    ['main.runtime', false],
    ['sync.(*Mutex).Lock', false],
  ])('RUNTIME_FRAMES %s: %s', (name, want) => {
    expect(RUNTIME_FRAMES.test(name)).toBe(want);
  });
});
