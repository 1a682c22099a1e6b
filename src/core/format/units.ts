// The one home of how Go Lens writes numbers for people: every view, hover, CodeLens, tooltip,
// notification and the CLI formats through here, so one value reads the same everywhere.
//
// The rules follow `go tool pprof` (its internal/measurement package), since pprof's web UI and
// CLI are what Go developers read profiles in:
// - **Percentages** (`formatPercent`): two decimals from 1% up (`12.34%`), two significant digits
//   below (`0.12%`, Go's %.2g: `1e-05%` when tiny), `100%` within ±0.05 of it, `0%` for nothing.
// - **Bytes** (`formatBytes`, `formatValue(v, 'bytes')`): the largest 1024-based unit reached, named
//   B, kB, MB, GB, TB, PB as pprof names them; two decimals with a trailing ".00" dropped, no space
//   (`512B`, `1.50kB`, `3GB`).
// - **Durations** (`formatDuration`, `formatValue(v, 'nanoseconds')`): the largest of ns, µs, ms, s,
//   hrs reached, two decimals with ".00" dropped, no space, as pprof (and Go's time.Duration) write
//   them (`850ns`, `12.35µs`, `1.50ms`, `2.03s`). Zero is `0s` as a duration, `0` as a sample value.
// - **Counts** (`formatCount`, counts and unknown units): thousands separators whatever the
//   locale (`1,234,567`), fractions to two decimals.
// Where we differ from pprof on purpose: microseconds print as "µs" (pprof: "us"), and counts get
// thousands separators. Time-axis tick labels (src/core/exectrace/timeline-axis.ts, the scheduler
// dashboard's axis) are not durations: their precision follows the tick step.

/** What kind of quantity a unit measures. */
export type UnitFamily = 'time' | 'bytes' | 'count';

interface Scale {
  name: string;
  aliases: string[];
  factor: number;
}

const BYTE_SCALES: Scale[] = [
  { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
  { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
  { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
  { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
  { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
];

const TIME_SCALES: Scale[] = [
  { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
  { name: 'µs', aliases: ['µs', 'μs', 'us', 'microsecond'], factor: 1e3 },
  { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
  { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
  { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
];

/** As pprof's sniffUnit: case-insensitive, a plural "s" dropped from names longer than 2. */
function sniff(
  unit: string,
): { family: 'time' | 'bytes'; scales: Scale[]; factor: number } | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  for (const [family, scales] of [
    ['bytes', BYTE_SCALES],
    ['time', TIME_SCALES],
  ] as const) {
    for (const s of scales) if (s.aliases.includes(u)) return { family, scales, factor: s.factor };
  }
  return undefined;
}

/** The family of a pprof unit string (`nanoseconds` → time, `bytes` → bytes, anything else → count). */
export function unitFamily(unit: string): UnitFamily {
  return sniff(unit)?.family ?? 'count';
}

/**
 * `value` (in `unit`) expressed in the largest unit it reaches: 1536 bytes → 1.5 kB,
 * 2.5e9 nanoseconds → 2.5 s. Counts and unknown units come back unchanged.
 */
export function scaleValue(value: number, unit: string): { value: number; unit: string } {
  const s = sniff(unit);
  if (!s) return { value, unit };
  const base = Math.abs(value) * s.factor;
  let best: Scale | undefined;
  for (const sc of s.scales)
    if (base / sc.factor >= 1 && (!best || sc.factor >= best.factor)) best = sc;
  // Below the smallest unit (only 0 and fractions of a byte or nanosecond) pprof uses the base.
  best ??= s.scales[0];
  return { value: (value * s.factor) / best.factor, unit: best.name };
}

/** `1234567` → `1,234,567`; fractions keep up to two decimals. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const neg = value < 0;
  const abs = Math.abs(value);
  let int = Math.trunc(abs);
  let frac = '';
  if (abs !== int) {
    const fixed = abs.toFixed(2);
    const dot = fixed.indexOf('.');
    int = Number(fixed.slice(0, dot));
    frac = fixed.slice(dot).replace(/\.?0+$/, '');
  }
  const digits = int >= 1e21 ? BigInt(int).toString() : String(int);
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg && (int !== 0 || frac !== '') ? '-' : '') + grouped + frac;
}

/**
 * A sample value as people read it, e.g. `10ms`, `1.50MB`, `12,345` (counts), `7 widgets` (an
 * unknown unit). Two decimals, ".00" dropped, exactly as pprof prints it; zero prints as `0`.
 */
export function formatValue(value: number, unit: string): string {
  if (!sniff(unit)) {
    const u = unit.toLowerCase();
    const plain = formatCount(value);
    return u === '' || u === 'count' || u === 'counts' || u === 'sample' || u === 'samples'
      ? plain
      : `${plain} ${unit}`;
  }
  const scaled = scaleValue(value, unit);
  let text = scaled.value.toFixed(2);
  if (text.endsWith('.00')) text = text.slice(0, -3);
  if (text === '0' || text === '-0') return '0';
  return text + scaled.unit;
}

/**
 * `value` as a percentage of `total`, like pprof: `100%` within ±0.05 of it, two decimals from
 * 1% up, two significant digits below (`0.12%`), `0%` for nothing or a zero total. The sign is
 * kept (a diff's change); pprof's own tables print magnitudes (see src/cli/top.ts).
 */
export function formatPercent(value: number, total: number): string {
  if (total === 0 || value === 0) return '0%';
  const ratio = (value / total) * 100;
  const r = Math.abs(ratio);
  const sign = ratio < 0 ? '-' : '';
  if (r >= 99.95 && r <= 100.05) return `${sign}100%`;
  if (r >= 1) return `${sign}${r.toFixed(2)}%`;
  return `${sign}${goFormatG2(r)}%`;
}

/** Go's `%.2g` for a non-negative number below 1 (and 0): `0.12`, `0.5`, `1e-05` (exponent below -4). */
function goFormatG2(x: number): string {
  if (x === 0) return '0';
  const [mantissa, e] = x.toExponential(1).split('e');
  const exp = Number(e);
  if (exp < -4) return `${mantissa.replace(/\.0$/, '')}e-${String(-exp).padStart(2, '0')}`;
  return x
    .toPrecision(2)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** A size in bytes, as pprof writes it: `512B`, `1.50kB`, `12.35MB` (1024-based). */
export function formatBytes(bytes: number): string {
  return bytes === 0 ? '0B' : formatValue(bytes, 'bytes');
}

/** A duration in nanoseconds, as pprof writes it: `850ns`, `12.35µs`, `1.50ms`, `2.03s`; `0s`; `—` when unknown. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  // Below a nanosecond (fractions from an average) the base unit with two decimals.
  return ns === 0 ? '0s' : formatValue(ns, 'nanoseconds');
}

/** A duration in milliseconds (wall-clock timings of runs, captures, parses): `formatDuration` of it. */
export function formatMs(ms: number): string {
  return formatDuration(ms * 1e6);
}
