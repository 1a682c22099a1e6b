// What the editor shows for a profile, without VS Code: the after-line text and heat level of
// each source line with a cost, the CodeLens text above each function, and the hover text of a
// line — for one profile, or the change between two (a diff view). The controller (./controller)
// only turns these into decorations, lenses and hovers, so this file is what the unit tests drive.
import type { FileCosts, LineCall, LineCalls } from '../../core/pprof/source-costs';
import { formatPercent, formatValue } from '../../core/format/units';
import { searchFirst } from '../../core/binary-search';

/** How the costs are read: the unit of the sample type, and the total that shares are taken of. */
export interface CostScale {
  /** The sample type's unit ("nanoseconds", "bytes", "count"). */
  unit: string;
  /** The sample type's total over the whole profile (the current one, for a diff). */
  total: number;
}

/**
 * Heat levels of a line (1–5) by its share of the profile's total. Fixed steps, not a
 * scale fitted to the file: a line with 0.5% of the CPU stays pale even when it is the
 * file's hottest, so colour says how much the line matters to the whole program. The steps
 * follow what people look for in pprof's -list output: over a quarter, over a tenth, a few
 * percent, one percent, below.
 */
export const HEAT_STEPS = [0.01, 0.03, 0.1, 0.25] as const;
export type HeatLevel = 1 | 2 | 3 | 4 | 5;

export function heatLevel(share: number): HeatLevel {
  let level = 1;
  for (const step of HEAT_STEPS) if (Math.abs(share) >= step) level++;
  return level as HeatLevel;
}

/** `tone`: a cost ("hot"), or a change that costs more ("worse") or less ("better") than the base. */
export type Tone = 'hot' | 'worse' | 'better';

export interface LineAnnotation {
  /** 0-based editor line. */
  line: number;
  /** The after-line text, e.g. `flat 1.20s · cum 3.40s (34.00%)`. */
  text: string;
  tone: Tone;
  level: HeatLevel;
  /** Flat and cum (for a diff: current − base, base scaled as in the diff view). */
  flat: number;
  cum: number;
}

export interface FunctionLens {
  /** 0-based editor line of the `func` line. */
  line: number;
  name: string;
  title: string;
}

export interface FileAnnotations {
  lines: LineAnnotation[];
  lenses: FunctionLens[];
  /** Lines (and function starts) of the profile past the end of the document: the file changed since. */
  outOfRange: number;
}

const signed = (v: number, unit: string): string => (v > 0 ? '+' : '') + formatValue(v, unit);

/** Costs of one file for one profile, fitted to a document of `lineCount` lines. */
export function fileAnnotations(
  costs: FileCosts | undefined,
  scale: CostScale,
  lineCount: number,
): FileAnnotations {
  const out: FileAnnotations = { lines: [], lenses: [], outOfRange: 0 };
  if (!costs) return out;
  const { unit, total } = scale;
  for (let i = 0; i < costs.lines.length; i++) {
    const line = costs.lines[i];
    if (line < 1) continue; // no line number recorded: nothing to point at
    if (line > lineCount) {
      out.outOfRange++;
      continue;
    }
    const flat = costs.flat[i];
    const cum = costs.cum[i];
    out.lines.push({
      line: line - 1,
      text: `flat ${formatValue(flat, unit)} · cum ${formatValue(cum, unit)} (${formatPercent(cum, total)})`,
      tone: 'hot',
      level: heatLevel(total === 0 ? 0 : cum / total),
      flat,
      cum,
    });
  }
  for (const fn of costs.functions) {
    if (fn.startLine < 1) continue;
    if (fn.startLine > lineCount) {
      out.outOfRange++;
      continue;
    }
    out.lenses.push({
      line: fn.startLine - 1,
      name: fn.name,
      title: `self ${formatValue(fn.self, unit)} (${formatPercent(fn.self, total)}) · total ${formatValue(fn.total, unit)} (${formatPercent(fn.total, total)})`,
    });
  }
  return out;
}

/** Scale of a diff: `currentScale` multiplies the current profile's values before the base's are subtracted. */
export interface DiffScale extends CostScale {
  /**
   * 1, or for a normalised diff Σbase / Σcurrent (pprof -normalize, as the diff view does), so
   * that a profile recorded for twice as long does not show every line as worse.
   */
  currentScale: number;
}

/**
 * The change from `base` to `current` per line and function: current × currentScale − base,
 * the figures the diff view shows. Lines whose change is zero get nothing.
 */
export function diffAnnotations(
  current: FileCosts | undefined,
  base: FileCosts | undefined,
  scale: DiffScale,
  lineCount: number,
): FileAnnotations {
  const out: FileAnnotations = { lines: [], lenses: [], outOfRange: 0 };
  const { unit, total, currentScale } = scale;
  const byLine = new Map<number, { flat: number; cum: number }>();
  const add = (c: FileCosts | undefined, factor: number) => {
    if (!c) return;
    for (let i = 0; i < c.lines.length; i++) {
      const e = byLine.get(c.lines[i]) ?? { flat: 0, cum: 0 };
      e.flat += factor * c.flat[i];
      e.cum += factor * c.cum[i];
      byLine.set(c.lines[i], e);
    }
  };
  add(current, currentScale);
  add(base, -1);
  // Normalising leaves rounding residue (1e-12 of the total) on lines that did not change.
  const eps = Math.abs(total) * 1e-9;
  const unchanged = (a: number, b: number) => Math.abs(a) <= eps && Math.abs(b) <= eps;
  for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
    const { flat, cum } = byLine.get(line)!;
    if (line < 1 || unchanged(flat, cum)) continue;
    if (line > lineCount) {
      out.outOfRange++;
      continue;
    }
    out.lines.push({
      line: line - 1,
      text: `Δ flat ${signed(flat, unit)} · Δ cum ${signed(cum, unit)} (${cum > 0 ? '+' : ''}${formatPercent(cum, total)})`,
      tone: cum > 0 || (cum === 0 && flat > 0) ? 'worse' : 'better',
      level: heatLevel(total === 0 ? 0 : cum / total || flat / total),
      flat,
      cum,
    });
  }
  const fns = new Map<string, { line: number; self: number; total: number }>();
  const addFns = (c: FileCosts | undefined, factor: number) => {
    for (const fn of c?.functions ?? []) {
      const e = fns.get(fn.name) ?? { line: 0, self: 0, total: 0 };
      // The current profile's start line wins: it is the code the editor shows (or closer to it).
      if (e.line === 0 || c === current) e.line = fn.startLine || e.line;
      e.self += factor * fn.self;
      e.total += factor * fn.total;
      fns.set(fn.name, e);
    }
  };
  addFns(current, currentScale);
  addFns(base, -1);
  for (const [name, e] of fns) {
    if (e.line < 1 || unchanged(e.self, e.total)) continue;
    if (e.line > lineCount) {
      out.outOfRange++;
      continue;
    }
    out.lenses.push({
      line: e.line - 1,
      name,
      title: `Δ self ${signed(e.self, unit)} · Δ total ${signed(e.total, unit)}`,
    });
  }
  out.lenses.sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : 1));
  return out;
}

/** The annotation of a 0-based line, by binary search (lines are ascending). */
export function annotationAt(
  lines: readonly LineAnnotation[],
  line: number,
): LineAnnotation | undefined {
  const found = lines[searchFirst(0, lines.length, (i) => lines[i].line >= line)];
  return found?.line === line ? found : undefined;
}

/** Rows each of callers and callees a hover lists; the rest are summed into one line. */
export const HOVER_ROWS = 8;

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

function callRows(calls: LineCall[], scale: CostScale, diff: boolean): string[] {
  const rows = calls
    .slice(0, HOVER_ROWS)
    .map(
      (c) =>
        `- ${code(c.name)} — ${diff ? signed(c.value, scale.unit) : `${formatValue(c.value, scale.unit)} (${formatPercent(c.value, scale.total)})`}`,
    );
  if (calls.length > HOVER_ROWS) {
    const rest = calls.slice(HOVER_ROWS).reduce((s, c) => s + c.value, 0);
    rows.push(
      `- … ${calls.length - HOVER_ROWS} more — ${diff ? signed(rest, scale.unit) : formatValue(rest, scale.unit)}`,
    );
  }
  return rows;
}

/** current × currentScale − base, per function name, largest change first. */
export function diffCalls(current: LineCall[], base: LineCall[], currentScale: number): LineCall[] {
  const m = new Map<string, LineCall>();
  for (const c of current) m.set(c.name, { ...c, value: c.value * currentScale });
  for (const c of base) {
    const e = m.get(c.name);
    if (e) e.value -= c.value;
    else m.set(c.name, { ...c, value: -c.value });
  }
  return [...m.values()]
    .filter((c) => c.value !== 0)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : 1));
}

/**
 * The hover of an annotated line (Markdown): its flat and cum, then who calls into the line and
 * what it calls. `what` names the profile and sample type ("cpu-….pb.gz, cpu"). For a diff,
 * `base` holds the same line in the base profile and every figure is a change.
 */
export function hoverMarkdown(
  calls: LineCalls,
  scale: CostScale,
  what: string,
  base?: { calls: LineCalls; currentScale: number },
): string {
  const diff = base !== undefined;
  const k = base?.currentScale ?? 1;
  const flat = diff ? calls.flat * k - base.calls.flat : calls.flat;
  const cum = diff ? calls.cum * k - base.calls.cum : calls.cum;
  const callers = diff ? diffCalls(calls.callers, base.calls.callers, k) : calls.callers;
  const callees = diff ? diffCalls(calls.callees, base.calls.callees, k) : calls.callees;
  const lines: string[] = [];
  lines.push(
    diff
      ? `**Go Lens** · ${what} · line ${calls.line}: Δ flat **${signed(flat, scale.unit)}** · Δ cum **${signed(cum, scale.unit)}**`
      : `**Go Lens** · ${what} · line ${calls.line}: flat **${formatValue(flat, scale.unit)}** · cum **${formatValue(cum, scale.unit)}** (${formatPercent(cum, scale.total)})`,
  );
  lines.push('', `**Callers** (who calls into this line):`);
  for (const row of callers.length
    ? callRows(callers, scale, diff)
    : ['- none recorded (a goroutine starts here, or its callers were filtered out)'])
    lines.push(row);
  lines.push('', `**Callees** (what this line calls):`);
  for (const row of callees.length
    ? callRows(callees, scale, diff)
    : [diff ? '- no change' : '- none: all of the line’s cost is its own (flat)'])
    lines.push(row);
  return lines.join('\n');
}
