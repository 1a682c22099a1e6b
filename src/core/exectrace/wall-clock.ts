// Wall-clock time in execution traces. Since Go 1.25 every generation's sync batch carries a
// clock snapshot (EvClockSnapshot: the trace clock, the monotonic clock and the wall clock read
// together), so a moment of the trace can be named in wall time — and a time from a log line,
// a panic or a gctrace line can be found in the trace. Each generation (about a second) has its
// own snapshot; a time maps through the snapshot nearest to it, so clock drift between the
// trace clock and the wall clock never accumulates beyond one generation.
import type { ClockSnapshot } from './generation';
import { searchFirst } from '../binary-search';

/** One clock snapshot, in the timeline's terms. */
export interface WallClockAnchor {
  /** Trace time of the snapshot: ns since the trace's time base (the timeline's time). */
  t: number;
  /** Wall clock at that moment: whole seconds since the Unix epoch, and nanoseconds (0–999999999). */
  sec: number;
  nsec: number;
}

/** What the timeline needs to show wall-clock time, or why it cannot. */
export interface WallClockInfo {
  anchors: WallClockAnchor[];
  /** Why there is no wall clock (empty when anchors exist). */
  unavailable: string;
}

/**
 * The anchors of a trace's generations (relative to `timeBase`, the absolute trace time of the
 * timeline's 0), sorted by time; with the reason when there are none.
 */
export function wallClockInfo(
  version: number,
  timeBase: number,
  generations: readonly { clock: ClockSnapshot | null }[],
): WallClockInfo {
  const anchors: WallClockAnchor[] = [];
  for (const g of generations) {
    if (!g.clock) continue;
    anchors.push({
      t: g.clock.traceNs - timeBase,
      sec: Number(g.clock.wallSec),
      nsec: Number(g.clock.wallNsec),
    });
  }
  anchors.sort((a, b) => a.t - b.t);
  let unavailable = '';
  if (anchors.length === 0) {
    unavailable =
      version < 25
        ? 'This trace has no wall clock: traces of Go releases before 1.25 carry no clock snapshots (Go 1.25 and newer write one per generation). Times are shown since the trace start.'
        : 'This trace has no clock snapshot (no complete generation was read), so its times cannot be shown as wall-clock time.';
  }
  return { anchors, unavailable };
}

/** Wall time as seconds since the epoch plus nanoseconds: exact where a double of ns is not (2^53 ns is 104 days). */
export interface WallTime {
  sec: number;
  nsec: number;
}

function nearest<T>(items: readonly T[], key: (x: T) => number, v: number): T {
  // The last item at or before v (the first when none is).
  const lo = Math.max(0, searchFirst(0, items.length, (i) => key(items[i]) > v) - 1);
  const a = items[lo];
  const b = items[lo + 1];
  return b !== undefined && Math.abs(key(b) - v) < Math.abs(key(a) - v) ? b : a;
}

function normalise(sec: number, nsecOffset: number): WallTime {
  const carry = Math.floor(nsecOffset / 1e9);
  return { sec: sec + carry, nsec: Math.round(nsecOffset - carry * 1e9) };
}

/** The wall time of trace time `t` (ns since the time base); `anchors` must be non-empty. */
export function traceToWall(anchors: readonly WallClockAnchor[], t: number): WallTime {
  const a = nearest(anchors, (x) => x.t, t);
  return normalise(a.sec, a.nsec + (t - a.t));
}

/** The trace time (ns since the time base) of a wall time; `anchors` must be non-empty. */
export function wallToTrace(anchors: readonly WallClockAnchor[], w: WallTime): number {
  // Seconds are compared first: in ns they would not fit a double exactly.
  const a = nearest(anchors, (x) => x.sec + x.nsec / 1e9, w.sec + w.nsec / 1e9);
  return a.t + (w.sec - a.sec) * 1e9 + (w.nsec - a.nsec);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Calendar fields of a wall time seen at UTC offset `offsetMinutes`. */
function fields(w: WallTime, offsetMinutes: number) {
  const d = new Date((w.sec + offsetMinutes * 60) * 1000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

/**
 * `10:11:12.123456` (the time of day at UTC offset `offsetMinutes`) with `decimals` digits of
 * the second (0–9), for axis ticks and hover.
 */
export function formatWallClock(w: WallTime, offsetMinutes: number, decimals = 6): string {
  const f = fields(w, offsetMinutes);
  const frac = decimals > 0 ? '.' + pad(w.nsec, 9).slice(0, Math.min(9, decimals)) : '';
  return `${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${frac}`;
}

/** `2026-12-05T10:11:12.123456789+01:00`: the full wall time, as Go's RFC3339Nano with all nine digits. */
export function formatWallRfc3339(w: WallTime, offsetMinutes: number): string {
  const f = fields(w, offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  const zone = offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}.${pad(w.nsec, 9)}${zone}`;
}

/** Digits of a fraction of a second ("123" → 123000000 ns). */
function fractionNs(frac: string | undefined): number {
  return frac ? Number((frac + '000000000').slice(0, 9)) : 0;
}

const RFC3339 =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})/i;
const GO_LOG = /(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/;
const TIME_ONLY = /(?<![\d:])(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?![\d:])/;

/**
 * Finds a wall-clock time in `text` (a pasted log line): RFC3339 with a zone
 * (`2026-12-05T10:11:12.123456Z`), the log package's `2026/12/05 10:11:12.123456`, or a time of
 * day alone (`10:11:12.123`). Times without a zone are read at UTC offset `offsetMinutes` (the
 * log package writes local time); a time of day takes the date of `near` (the trace's wall
 * time), the day before or after when that is closer. Undefined when the text holds no time.
 */
export function parseWallTime(
  text: string,
  offsetMinutes: number,
  near: WallTime,
): WallTime | undefined {
  const utcSec = (
    y: number,
    mo: number,
    d: number,
    h: number,
    mi: number,
    s: number,
    offMin: number,
  ) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - offMin * 60;
  let m = RFC3339.exec(text);
  if (m) {
    const zone = m[8].toUpperCase();
    let off = 0;
    if (zone !== 'Z') {
      const z = /([+-])(\d{2}):?(\d{2})/.exec(zone)!;
      off = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
    }
    return { sec: utcSec(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], off), nsec: fractionNs(m[7]) };
  }
  m = GO_LOG.exec(text);
  if (m)
    return {
      sec: utcSec(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], offsetMinutes),
      nsec: fractionNs(m[7]),
    };
  m = TIME_ONLY.exec(text);
  if (m) {
    const [h, mi, s] = [+m[1], +m[2], +m[3]];
    if (h > 23 || mi > 59 || s > 60) return undefined;
    const day = fields(near, offsetMinutes);
    const base = utcSec(day.y, day.mo, day.d, h, mi, s, offsetMinutes);
    // The day (before, of, after the trace) that puts the time closest to the trace.
    const best = [base - 86400, base, base + 86400].reduce((a, b) =>
      Math.abs(b - near.sec) < Math.abs(a - near.sec) ? b : a,
    );
    return { sec: best, nsec: fractionNs(m[4]) };
  }
  return undefined;
}

/** The UTC offset (minutes east) of the zone the viewer is in, at wall time `w`. */
export function localUtcOffsetMinutes(w: WallTime): number {
  return -new Date(w.sec * 1000).getTimezoneOffset();
}

/** `UTC+01:00`, `UTC`, `UTC−05:00`. */
export function utcOffsetLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const a = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes < 0 ? '−' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Digits of the second a tick step needs: 1 s → 0, 100 ms → 1, 1 ms → 3, 1 µs → 6. */
function decimalsForStep(step: number): number {
  return Math.min(9, Math.max(0, Math.ceil(9 - Math.log10(step) - 1e-9)));
}

/**
 * Ticks of the window [t0, t1] (trace times) placed where the wall clock reads round values
 * (every 100 ms on the wall, not every 100 ms since the trace start), each labelled with the
 * time of day at `offsetMinutes`. `niceStep` is the relative axis's step chooser.
 */
export function wallAxis(
  anchors: readonly WallClockAnchor[],
  t0: number,
  t1: number,
  maxTicks: number,
  offsetMinutes: number,
  niceStep: (span: number, maxTicks: number) => number,
): { ticks: number[]; labels: string[] } {
  const step = niceStep(Math.max(1, t1 - t0), maxTicks);
  const w0 = traceToWall(anchors, t0);
  // ns since local midnight fits a double exactly (< 8.7e13).
  const dayNs = ((((w0.sec + offsetMinutes * 60) % 86400) + 86400) % 86400) * 1e9 + w0.nsec;
  const first = t0 + ((step - (dayNs % step)) % step);
  const ticks: number[] = [];
  const labels: string[] = [];
  const decimals = decimalsForStep(step);
  for (let t = first; t <= t1 && ticks.length < 10_000; t += step) {
    ticks.push(t);
    labels.push(formatWallClock(traceToWall(anchors, t), offsetMinutes, decimals));
  }
  return { ticks, labels };
}
