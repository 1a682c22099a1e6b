// Time on the timeline: tick positions at 1/2/5 steps and their labels in ns, µs, ms or s,
// relative to the trace start. Deep zooms far into a trace would print labels like
// "5123456.1 µs"; there the axis names a base time once ("5.123 s +") and the ticks count from it.

/** Units of time labels, by their size in ns. */
const UNITS: readonly { name: string; ns: number }[] = [
  { name: 'ns', ns: 1 },
  { name: 'µs', ns: 1e3 },
  { name: 'ms', ns: 1e6 },
  { name: 's', ns: 1e9 },
];

/** The unit a tick step is labelled in: the largest unit not larger than the step. */
export function unitForStep(step: number): { name: string; ns: number } {
  let u = UNITS[0];
  for (const x of UNITS) if (step >= x.ns) u = x;
  return u;
}

/** The smallest 1, 2 or 5 × 10^k ns (k ≥ 0) that is at least `span / maxTicks`. */
export function niceStep(span: number, maxTicks: number): number {
  const raw = Math.max(1, span / Math.max(1, maxTicks));
  let p = Math.pow(10, Math.floor(Math.log10(raw)));
  // Guard against log10 rounding (e.g. 1000 → 2.9999999).
  while (p * 10 <= raw) p *= 10;
  while (p > raw) p /= 10;
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return 10 * p;
}

/** Digits after the point needed to print multiples of `step` in `unitNs` exactly. */
function decimalsFor(step: number, unitNs: number): number {
  let d = 0;
  let v = step / unitNs;
  while (d < 9 && Math.abs(v - Math.round(v)) > 1e-9 * Math.max(1, v)) {
    v *= 10;
    d++;
  }
  return d;
}

/** `ns` in `unit` with `decimals` digits; a minus sign for negatives. */
function inUnit(ns: number, unit: { name: string; ns: number }, decimals: number): string {
  const v = ns / unit.ns;
  const text = Math.abs(v).toFixed(decimals);
  return `${v < 0 && Number(text) !== 0 ? '−' : ''}${text} ${unit.name}`;
}

/**
 * The unit and decimals to print multiples of `step` among values up to `magnitude`: the unit
 * of the magnitude, or a smaller one when that would need more than 3 decimals ("0.5 s",
 * "1.002 ms", "56.7 µs").
 */
function labelUnit(
  magnitude: number,
  step: number,
): { unit: { name: string; ns: number }; decimals: number } {
  let i = UNITS.indexOf(unitForStep(Math.max(step, magnitude)));
  for (; i > 0; i--) if (decimalsFor(step, UNITS[i].ns) <= 3) break;
  return { unit: UNITS[i], decimals: decimalsFor(step, UNITS[i].ns) };
}

/** Ticks of a time axis and their labels. */
export interface TimeAxis {
  step: number;
  /** Tick times (ns since the trace start), multiples of `step`, within [t0, t1]. */
  ticks: number[];
  labels: string[];
  /** When labels count from a base time (deep zoom), that time and its label; else null. */
  base: number | null;
  baseLabel: string;
}

/**
 * Ticks for the window [t0, t1] (ns since the trace start) with at most about `maxTicks` ticks,
 * labelled as `labelUnit` says. When labels would need 5 or more digits before the point
 * ("5123456.7 µs"), the axis counts from a base (t0 rounded down to a multiple of 1000 steps),
 * labelled once ("5.1234 s"), and the ticks read "+56.7 µs".
 */
export function timeAxis(t0: number, t1: number, maxTicks: number): TimeAxis {
  const span = Math.max(1, t1 - t0);
  const step = niceStep(span, maxTicks);
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1 && ticks.length < 10_000; t += step)
    ticks.push(Math.round(t / step) * step);
  const magnitude = Math.max(Math.abs(t0), Math.abs(t1));
  const { unit, decimals } = labelUnit(magnitude, step);
  if (magnitude / unit.ns < 1e4) {
    return {
      step,
      ticks,
      labels: ticks.map((t) => inUnit(t, unit, decimals)),
      base: null,
      baseLabel: '',
    };
  }
  const baseStep = step * 1000;
  const base = Math.floor(t0 / baseStep) * baseStep;
  const rel = labelUnit(t1 - base, step);
  const baseUnit = unitForStep(Math.max(1, Math.abs(base)));
  return {
    step,
    ticks,
    labels: ticks.map((t) => `+${inUnit(t - base, rel.unit, rel.decimals)}`),
    base,
    baseLabel: inUnit(base, baseUnit, decimalsFor(baseStep, baseUnit.ns)),
  };
}

/**
 * A time since the trace start, precise to what a window of `span` ns can show, in the unit of
 * the time itself (or of the window, for times near 0: "0 ms", not "0 ns").
 */
export function formatTimeIn(ns: number, span: number): string {
  const unit = unitForStep(Math.max(1, Math.abs(ns), Math.abs(span) / 100));
  const step = niceStep(Math.max(1, span), 1000);
  return inUnit(ns, unit, Math.min(9, decimalsFor(step, unit.ns)));
}
