// Will a trace fit in memory, and if not, which time ranges of it would: the estimate of the
// memory the timeline's model needs for a file of a given size, and the runs of generations
// (from a generation scan) offered instead, labelled by time, generations and size.

import { formatBytes } from '../format/units';
import type { GenerationExtent, TraceScan } from './generation-scan';

/**
 * Peak memory of the parse worker while it builds a trace's model, per byte of trace file.
 * Measured on traces of test/go/trace-busy with `golens trace-analysis FILE --timings` (peak RSS
 * over the file size) and `npm run bench -- trace`: 5.6–5.8x for the 100 MB one (opening, first
 * screen, goroutine analysis and a range's flame graph; docs/exectrace.md, "Memory"), 4.9x for
 * the 1 GB one (5.2 GB). Rounded up from the larger figure, so that a trace said to fit does.
 * Update it when the model's memory changes; the bench prints the current ratio beside this one.
 */
export const MODEL_PEAK_BYTES_PER_FILE_BYTE = 6;

/** Memory the model of `fileBytes` of trace needs at its peak (an estimate). */
export function estimateModelBytes(fileBytes: number): number {
  return Math.ceil(fileBytes * MODEL_PEAK_BYTES_PER_FILE_BYTE);
}

/**
 * Memory a trace's model may use: `limitMB` when set (> 0), else what the machine has available
 * now (`freeBytes`), within a container's limit (`constrainedBytes`, 0 when none) and the
 * machine's total.
 */
export function traceMemoryBudgetOf(
  limitMB: number,
  freeBytes: number,
  totalBytes: number,
  constrainedBytes: number,
): number {
  if (limitMB > 0) return limitMB * 2 ** 20;
  const total = constrainedBytes > 0 ? Math.min(constrainedBytes, totalBytes) : totalBytes;
  return Math.min(freeBytes, total);
}

/** One answer of the "which part?" question. */
export interface RangeChoice {
  /** Generations to load (numbers from the scan); undefined: the whole trace. */
  generations?: { first: number; last: number };
  /** e.g. "0.0 s – 12.3 s" or "Whole trace". */
  label: string;
  /** e.g. "generations 1–40 of 56 · 310 MB of trace · needs ≈ 2.5 GB". */
  description: string;
  /** Time span in ns since the trace start (the whole trace's for the whole-trace answer). */
  startNs: number;
  endNs: number;
}

/** A time in seconds with the precision the trace's length asks for ("12.3 s", "0.152 s"). */
export function formatTraceTime(ns: number, totalNs: number): string {
  const digits = totalNs >= 10e9 ? 1 : totalNs >= 1e9 ? 2 : 3;
  return `${(ns / 1e9).toFixed(digits)} s`;
}

/** The end of generation i for labels: where the next one starts (so ranges read as contiguous). */
function endOf(gens: readonly GenerationExtent[], i: number): number {
  return i + 1 < gens.length ? gens[i + 1].startNs : gens[i].endNs;
}

function choice(
  scan: TraceScan,
  from: number,
  to: number,
  prefix: string,
  totalNs: number,
  budgetBytes: number,
): RangeChoice {
  const gens = scan.generations;
  const bytes = gens[to].end - gens[from].start;
  const startNs = gens[from].startNs;
  const endNs = endOf(gens, to);
  const nums =
    from === to
      ? `generation ${gens[from].number}`
      : `generations ${gens[from].number}–${gens[to].number}`;
  return {
    generations: { first: gens[from].number, last: gens[to].number },
    label: `${prefix}${formatTraceTime(startNs, totalNs)} – ${formatTraceTime(endNs, totalNs)}`,
    // A single generation can be too big on its own: say so rather than offer it as if it fit.
    description: `${nums} of ${gens.length} · ${formatBytes(bytes)} of trace · needs ≈ ${formatBytes(estimateModelBytes(bytes))}${estimateModelBytes(bytes) > budgetBytes ? ': may run out of memory' : ''}`,
    startNs,
    endNs,
  };
}

/**
 * The ranges to offer when the whole trace needs more than `budgetBytes`: the trace cut into
 * consecutive parts that each fit (from the start), the last generations that fit (the end of
 * a capture is often where the trouble was), and the whole trace anyway, last. Empty when the
 * trace cannot be split (a legacy trace, or a single generation).
 */
export function rangeChoices(scan: TraceScan, budgetBytes: number): RangeChoice[] {
  const gens = scan.generations;
  if (scan.legacy || gens.length < 2) return [];
  const totalNs = endOf(gens, gens.length - 1);
  const fits = (from: number, to: number) =>
    estimateModelBytes(gens[to].end - gens[from].start) <= budgetBytes;
  const out: RangeChoice[] = [];
  const parts: [number, number][] = [];
  for (let from = 0; from < gens.length;) {
    let to = from;
    while (to + 1 < gens.length && fits(from, to + 1)) to++;
    parts.push([from, to]);
    from = to + 1;
  }
  parts.forEach(([from, to], k) =>
    out.push(choice(scan, from, to, `Part ${k + 1} of ${parts.length}: `, totalNs, budgetBytes)),
  );
  let from = gens.length - 1;
  while (from > 0 && fits(from - 1, gens.length - 1)) from--;
  const [lastFrom] = parts[parts.length - 1];
  if (from !== lastFrom)
    out.push(choice(scan, from, gens.length - 1, 'The end: ', totalNs, budgetBytes));
  out.push({
    label: 'Whole trace anyway',
    description: `all ${gens.length} generations · ${formatBytes(scan.size)} · needs ≈ ${formatBytes(estimateModelBytes(scan.size))}: may run out of memory`,
    startNs: 0,
    endNs: totalNs,
  });
  return out;
}

/** The sentence that says a trace does not fit, before anything is loaded. */
export function tooBigMessage(name: string, fileBytes: number, budgetBytes: number): string {
  return `${name} is ${formatBytes(fileBytes)}; its timeline needs about ${formatBytes(estimateModelBytes(fileBytes))} of memory (${MODEL_PEAK_BYTES_PER_FILE_BYTE}x the file), more than the ${formatBytes(budgetBytes)} available.`;
}
