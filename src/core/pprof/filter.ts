// Filters with pprof's semantics (google/pprof profile/filter.go, prune.go and
// internal/driver/driver_focus.go), compiled once and applied by every view of the profile index.
//
// What each option does, as pprof does it:
//  - focus / ignore (regexps): a location matches when one of its Lines' function name or file name
//    matches, or its mapping's file name does. A sample is kept when some location of its stack
//    matches focus and none matches ignore (a location matching both counts as ignored).
//  - hide / show: remove the Lines whose function name or file matches (hide) / does not match
//    (show) from every location; a location left without Lines leaves the stack, and a sample left
//    without locations is dropped. A mapping file match hides (keeps) the whole location.
//  - showFrom: drops the frames above (rootward of) the root-most match; samples without one go.
//  - pruneFrom: drops the frames below (leafward of) the leaf-most match.
//  - tagFocus / tagIgnore: pprof's -tagfocus/-tagignore, see `TagExpression`.
//  - pruneRuntime: our toggle, see below.
// Regexps use Go's syntax where it differs from JavaScript's in the common cases (see
// `compileGoRegExp`); an invalid one is a FilterError naming the option.
import type { Profile } from './model';

/**
 * What to keep of a profile. Every field is optional; an empty filter keeps everything.
 * The same filter applies to every view: call trees, top table, sandwich, line costs, diffs.
 */
export interface ProfileFilter {
  /** pprof -focus: keep samples with a frame whose function name or file matches. */
  focus?: string;
  /** pprof -ignore: drop samples with a frame whose function name or file matches. */
  ignore?: string;
  /** pprof -hide: remove matching frames from the stacks. */
  hide?: string;
  /** pprof -show: keep only matching frames in the stacks. */
  show?: string;
  /** pprof -show_from: drop frames rootward of the first match from the root. */
  showFrom?: string;
  /** pprof -prune_from: drop frames leafward of the last match from the root. */
  pruneFrom?: string;
  /**
   * Attribute time and memory spent inside the Go runtime to the code that called into it:
   * below the first non-runtime frame of a stack, the first `runtime.*` or `internal/runtime/…`
   * frame and everything it called are removed, so e.g. `runtime.mallocgc` under `main.build`
   * shows as `main.build`'s own cost and a goroutine parked in `runtime.chanrecv` shows as its
   * caller. Stacks made only of runtime frames (GC workers, the scheduler) are kept whole. This is
   * what pprof does with a profile's `drop_frames` (Profile.Prune), applied to the runtime, and
   * like `drop_frames` it applies before the other filters.
   */
  pruneRuntime?: boolean;
  /**
   * pprof -tagfocus expressions; a sample must match every one (pprof takes a single
   * expression, which behaves the same). See `TagExpression`.
   */
  tagFocus?: string[];
  /** pprof -tagignore expressions; a sample matching any one is dropped. */
  tagIgnore?: string[];
}

/**
 * A pprof tag filter expression, as -tagfocus takes it:
 *  - `key=re1,re2`: the sample has a string label `key` with a value matching one of the regexps;
 *  - `re1,re2` (no key): each regexp matches some `key:value` of the sample's string labels;
 *  - numbers with optional units instead of regexps select numeric labels: `key=1kb:4kb`
 *    (a range, both ends included), `key=64kb:` (at least), `key=:64` (at most), `key=512` (equal).
 *    Units are those of the label (a numeric label without a unit has its key as unit, `bytes`
 *    for keys `request` and `alignment`); values are compared after conversion, as pprof does.
 * Build one for a label chip with `tagExpression(key, value)`.
 */
export type TagExpression = string;

/** An invalid filter. `option` names the ProfileFilter field; the message says what is wrong. */
export class FilterError extends Error {
  override name = 'FilterError';
  constructor(
    readonly option: keyof ProfileFilter,
    message: string,
  ) {
    super(message);
  }
}

/** A tag expression compiled. */
export type TagMatcher =
  | { kind: 'string'; key: string | undefined; res: RegExp[] }
  | { kind: 'number'; key: string | undefined; test: (value: number, unit: string) => boolean };

/** A ProfileFilter checked and compiled; build with `compileFilter`. */
export interface CompiledFilter {
  readonly source: ProfileFilter;
  /** A canonical text of the filter, for caches. */
  readonly key: string;
  /** True when the filter keeps everything. */
  readonly empty: boolean;
  readonly focus: RegExp | null;
  readonly ignore: RegExp | null;
  readonly hide: RegExp | null;
  readonly show: RegExp | null;
  readonly showFrom: RegExp | null;
  readonly pruneFrom: RegExp | null;
  readonly pruneRuntime: boolean;
  readonly tagFocus: TagMatcher[];
  readonly tagIgnore: TagMatcher[];
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * Compiles a regexp written in Go's syntax (RE2, what pprof takes) into a JavaScript RegExp.
 * Translated: leading flag groups `(?i)`, `(?s)`, `(?m)`; `(?P<name>…)`; `\A` and `\z`;
 * `\Q…\E`; POSIX classes `[[:alpha:]]`. Throws SyntaxError (with the reason) when the result is
 * not a valid JavaScript regexp, and for Go features JavaScript lacks (`(?U)`).
 */
export function compileGoRegExp(source: string): RegExp {
  let src = source;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'U') throw new SyntaxError('the (?U) flag (ungreedy) is not supported');
      if (!flags.includes(f)) flags += f;
    }
    src = src.slice(lead[0].length);
  }
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      const d = src[i + 1];
      if (d === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (d === 'A') out += '^';
      else if (d === 'z') out += '$';
      else out += c + d;
      i++;
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '[' && src[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (m && POSIX_CLASSES[m[2]] !== undefined) {
        if (m[1]) throw new SyntaxError(`negated POSIX class [:^${m[2]}:] is not supported`);
        out += POSIX_CLASSES[m[2]];
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return new RegExp(out, flags);
}

function regexpOption(option: keyof ProfileFilter, value: string | undefined): RegExp | null {
  if (value === undefined || value === '') return null;
  try {
    return compileGoRegExp(value);
  } catch (e) {
    throw new FilterError(
      option,
      `invalid ${optionName(option)} regexp "${value}": ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** The option as pprof names it (-show_from, -tagfocus). */
function optionName(option: keyof ProfileFilter): string {
  if (option === 'tagFocus' || option === 'tagIgnore') return option.toLowerCase();
  return option.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

/** pprof's tagFilterRangeRx: a signed integer with an optional unit. */
const RANGE_PART = /([+-]?\d+)([A-Za-z]+)?/g;

/** Compiles one pprof tag expression (see `TagExpression`). */
export function compileTagExpression(
  option: 'tagFocus' | 'tagIgnore',
  expr: TagExpression,
): TagMatcher {
  let key: string | undefined;
  let value = expr;
  const eq = expr.indexOf('=');
  if (eq >= 0) {
    key = expr.slice(0, eq);
    value = expr.slice(eq + 1);
  }
  const range = parseRange(value);
  if (range) return { kind: 'number', key, test: range };
  const res: RegExp[] = [];
  for (const part of value.split(',')) {
    try {
      res.push(compileGoRegExp(part));
    } catch (e) {
      throw new FilterError(
        option,
        `invalid ${optionName(option)} regexp "${part}" in "${expr}": ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return { kind: 'string', key, res };
}

/** pprof's parseTagFilterRange: a numeric test, or undefined when `filter` is not a range. */
function parseRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const parts = [...filter.matchAll(RANGE_PART)].slice(0, 2);
  if (parts.length === 0) return undefined;
  const [whole0, num0, unit0 = ''] = parts[0];
  const [lo, unit] = scaleMeasurement(Number(num0), unit0, unit0);
  const inUnit = (v: number, u: string): number | undefined => {
    const [sv, su] = scaleMeasurement(v, u, unit);
    return su === unit ? sv : undefined;
  };
  if (parts.length === 1) {
    if (filter === whole0) return (v, u) => inUnit(v, u) === lo;
    if (filter === whole0 + ':') return (v, u) => (inUnit(v, u) ?? -Infinity) >= lo;
    if (filter === ':' + whole0) return (v, u) => (inUnit(v, u) ?? Infinity) <= lo;
    return undefined;
  }
  const [whole1, num1, unit1 = ''] = parts[1];
  if (filter !== whole0 + ':' + whole1) return undefined;
  const [hi, u2] = scaleMeasurement(Number(num1), unit1, unit);
  if (u2 !== unit) return undefined;
  return (v, u) => {
    const sv = inUnit(v, u);
    return sv !== undefined && sv >= lo && sv <= hi;
  };
}

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}
interface UnitType {
  defaultUnit: Unit;
  units: Unit[];
}

// pprof's measurement.UnitTypes.
const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: [], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u));
}

/** pprof's measurement.Scale (for explicit target units): value and the unit it ends up in. */
function scaleMeasurement(value: number, from: string, to: string): [number, string] {
  if (value < 0) {
    const [v, u] = scaleMeasurement(-value, from, to);
    return [-v, u];
  }
  for (const ut of UNIT_TYPES) {
    const f = sniffUnit(ut, from);
    if (!f) continue;
    const t = sniffUnit(ut, to) ?? ut.defaultUnit;
    return [(value * f.factor) / t.factor, t.name];
  }
  if (to === 'count' || to === 'sample' || to === 'unit' || to === 'minimum' || to === 'auto')
    return [value, ''];
  return [value, to];
}

/**
 * Checks and compiles a filter. Throws FilterError, naming the option and the reason, for an
 * invalid regexp or tag expression.
 */
export function compileFilter(filter: ProfileFilter = {}): CompiledFilter {
  const focus = regexpOption('focus', filter.focus);
  const ignore = regexpOption('ignore', filter.ignore);
  const hide = regexpOption('hide', filter.hide);
  const show = regexpOption('show', filter.show);
  const showFrom = regexpOption('showFrom', filter.showFrom);
  const pruneFrom = regexpOption('pruneFrom', filter.pruneFrom);
  const tagFocus = (filter.tagFocus ?? [])
    .filter((e) => e !== '')
    .map((e) => compileTagExpression('tagFocus', e));
  const tagIgnore = (filter.tagIgnore ?? [])
    .filter((e) => e !== '')
    .map((e) => compileTagExpression('tagIgnore', e));
  const pruneRuntime = filter.pruneRuntime === true;
  const canonical = {
    focus: filter.focus || undefined,
    ignore: filter.ignore || undefined,
    hide: filter.hide || undefined,
    show: filter.show || undefined,
    showFrom: filter.showFrom || undefined,
    pruneFrom: filter.pruneFrom || undefined,
    pruneRuntime: pruneRuntime || undefined,
    tagFocus: tagFocus.length ? filter.tagFocus!.filter((e) => e !== '') : undefined,
    tagIgnore: tagIgnore.length ? filter.tagIgnore!.filter((e) => e !== '') : undefined,
  };
  const key = JSON.stringify(canonical);
  const empty = key === '{}';
  return {
    source: filter,
    key,
    empty,
    focus,
    ignore,
    hide,
    show,
    showFrom,
    pruneFrom,
    pruneRuntime,
    tagFocus,
    tagIgnore,
  };
}

/** `filter` compiled, unless it already is. */
export function asCompiledFilter(
  filter: ProfileFilter | CompiledFilter | undefined,
): CompiledFilter {
  if (filter && 'key' in filter && 'empty' in filter && 'source' in filter)
    return filter as CompiledFilter;
  return compileFilter((filter as ProfileFilter | undefined) ?? {});
}

/**
 * The function names pruneRuntime removes, tested (fully, as pprof's drop_frames is) against the
 * name with any argument list cut at its first "(" (pprof's simplifyFunc: `runtime.(*mheap).alloc`
 * is tested as `runtime.`).
 */
export const RUNTIME_FRAMES = /^(?:runtime|internal\/runtime\/.*)\..*$/s;

/** pprof's bracketRx: C++ names containing "(" that are not argument lists, or a "(". */
const BRACKETS = /\(anonymous namespace\)|operator\(\)|\(/g;

/** pprof's simplifyFunc: the name without a leading "." and cut at its first "(" that does not belong to a reserved C++ name. */
export function simplifyFunctionName(name: string): string {
  const f = name.startsWith('.') ? name.slice(1) : name;
  for (const m of f.matchAll(BRACKETS)) if (m[0] === '(') return f.slice(0, m.index);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Labels.

/** The numeric label units of a profile, as pprof infers them (Profile.NumLabelUnits). */
export function numLabelUnits(profile: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const keys = new Set<string>();
  const s = profile.samples;
  for (let l = 0; l < s.labelKey.length; l++) {
    if (s.labelStr[l] !== 0) continue;
    const key = profile.strings[s.labelKey[l]];
    keys.add(key);
    const unit = profile.strings[s.labelNumUnit[l]];
    if (unit !== '' && !units.has(key)) units.set(key, unit);
  }
  for (const key of keys) {
    if (!units.get(key)) units.set(key, key === 'alignment' || key === 'request' ? 'bytes' : key);
  }
  return units;
}

/**
 * Which samples the tag expressions keep: `undefined` when there are none (all kept), else one
 * byte per sample (1 = kept). Every tagFocus expression must match, no tagIgnore one may.
 */
export function tagMask(
  profile: Profile,
  tagFocus: readonly TagMatcher[],
  tagIgnore: readonly TagMatcher[],
): Uint8Array | undefined {
  if (tagFocus.length === 0 && tagIgnore.length === 0) return undefined;
  const s = profile.samples;
  const strings = profile.strings;
  const units = numLabelUnits(profile);
  const n = s.count;
  const mask = new Uint8Array(n);
  // Regexp results per (matcher, string index): labels repeat a handful of values.
  const memo = new Map<TagMatcher, Map<number, boolean>>();
  const strTest = (
    m: TagMatcher & { kind: 'string' },
    keyX: number,
    valX: number,
    re: RegExp,
    text: string,
  ): boolean => {
    let byString = memo.get(m);
    if (!byString) memo.set(m, (byString = new Map()));
    // Keyless expressions test "key:value"; memoize on the pair.
    const code = (m.key === undefined ? keyX * 0x100000 : 0) + valX * 64 + m.res.indexOf(re);
    let r = byString.get(code);
    if (r === undefined) {
      r = re.test(text);
      byString.set(code, r);
    }
    return r;
  };
  const matches = (m: TagMatcher, i: number): boolean => {
    const a = s.labelStart[i];
    const b = s.labelStart[i + 1];
    if (m.kind === 'number') {
      for (let l = a; l < b; l++) {
        if (s.labelStr[l] !== 0) continue;
        const key = strings[s.labelKey[l]];
        if (m.key !== undefined && key !== m.key) continue;
        if (m.test(s.labelNum[l], units.get(key) ?? key)) return true;
      }
      return false;
    }
    if (m.key !== undefined) {
      for (let l = a; l < b; l++) {
        if (s.labelStr[l] === 0 || strings[s.labelKey[l]] !== m.key) continue;
        for (const re of m.res)
          if (strTest(m, s.labelKey[l], s.labelStr[l], re, strings[s.labelStr[l]])) return true;
      }
      return false;
    }
    for (const re of m.res) {
      let found = false;
      for (let l = a; l < b && !found; l++) {
        if (s.labelStr[l] === 0) continue;
        found = strTest(
          m,
          s.labelKey[l],
          s.labelStr[l],
          re,
          strings[s.labelKey[l]] + ':' + strings[s.labelStr[l]],
        );
      }
      if (!found) return false;
    }
    return true;
  };
  for (let i = 0; i < n; i++) {
    let keep = 1;
    for (const m of tagFocus) {
      if (!matches(m, i)) {
        keep = 0;
        break;
      }
    }
    if (keep) {
      for (const m of tagIgnore) {
        if (matches(m, i)) {
          keep = 0;
          break;
        }
      }
    }
    mask[i] = keep;
  }
  return mask;
}

/** One label key of a profile, for the UI's filter chips. */
export interface LabelKeySummary {
  key: string;
  /** String labels (pprof.Do labels, goroutine labels) or numeric ones (heap's `bytes`). */
  kind: 'string' | 'number';
  /** The unit of a numeric key, as pprof infers it; '' for string keys. */
  unit: string;
  /** How many samples carry the key. */
  samples: number;
  /**
   * Each distinct value with the samples carrying it and, per sample type, their summed values;
   * most frequent first. At most `maxValues` (then `truncated` is true).
   */
  values: { value: string; samples: number; totals: number[] }[];
  truncated: boolean;
}

/**
 * The label keys of a profile and their values, keys in name order. Numeric values are given as
 * decimal text. `tagExpression(key, value)` turns one into a filter.
 */
export function listLabels(profile: Profile, maxValues = 1000): LabelKeySummary[] {
  const s = profile.samples;
  const nTypes = profile.sampleTypes.length;
  const units = numLabelUnits(profile);
  interface Acc {
    kind: 'string' | 'number';
    samples: number;
    values: Map<string, { samples: number; totals: number[] }>;
  }
  const keys = new Map<string, Acc>();
  for (let i = 0; i < s.count; i++) {
    const seen = new Set<string>();
    for (let l = s.labelStart[i]; l < s.labelStart[i + 1]; l++) {
      const key = profile.strings[s.labelKey[l]];
      const kind = s.labelStr[l] !== 0 ? 'string' : 'number';
      const value = kind === 'string' ? profile.strings[s.labelStr[l]] : String(s.labelNum[l]);
      let acc = keys.get(key);
      if (!acc) keys.set(key, (acc = { kind, samples: 0, values: new Map() }));
      if (!seen.has(key)) {
        seen.add(key);
        acc.samples++;
      }
      let v = acc.values.get(value);
      if (!v)
        acc.values.set(value, (v = { samples: 0, totals: new Array<number>(nTypes).fill(0) }));
      v.samples++;
      for (let t = 0; t < nTypes; t++) v.totals[t] += s.values[i * nTypes + t];
    }
  }
  return [...keys.keys()].sort().map((key) => {
    const acc = keys.get(key)!;
    const values = [...acc.values].map(([value, v]) => ({ value, ...v }));
    values.sort(
      (a, b) => b.samples - a.samples || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    );
    return {
      key,
      kind: acc.kind,
      unit: acc.kind === 'number' ? (units.get(key) ?? key) : '',
      samples: acc.samples,
      values: values.slice(0, maxValues),
      truncated: values.length > maxValues,
    };
  });
}

/**
 * The tag expression that keeps exactly the samples whose label `key` is `value`: for a string
 * label the value as an anchored, escaped regexp (commas written \x2c, since pprof splits
 * expressions at commas); for a numeric label the number in the label's `unit` (from
 * LabelKeySummary.unit), which pprof compares after unit conversion.
 */
export function tagExpression(key: string, value: string | number, unit = ''): TagExpression {
  if (typeof value === 'number') return `${key}=${value}${/^[A-Za-z]+$/.test(unit) ? unit : ''}`;
  return `${key}=^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/,/g, '\\x2c')}$`;
}
