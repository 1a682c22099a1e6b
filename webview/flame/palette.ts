// The flame graph's colour scheme as data, with no DOM access, so exports and tests can use it;
// colors.ts fills it in from the VS Code theme.
import type { ThemeKind } from '../common/theme-kind';

export interface FlamePalette {
  kind: ThemeKind;
  text: string;
  dimText: string;
  dimFill: string;
  background: string;
  border: string | undefined;
  focus: string;
  matchOutline: string;
  fillFor(funcName: string): string;
  /**
   * Diff colours: index 0 is the dim fill, then DIFF_STEPS shades from strongest shrinkage (green)
   * through unchanged (neutral grey) to strongest growth (red), as pprof's diff views colour them.
   */
  diffColors: string[];
}

/** Shades on each side of "unchanged" in a diff. */
export const DIFF_STEPS = 8;

/** Colour index (into `diffColors`) for a change of `delta` against the larger of the two values. */
export function diffColorIndex(base: number, current: number): number {
  const scale = Math.max(Math.abs(base), Math.abs(current));
  if (scale === 0) return 1 + DIFF_STEPS;
  const rel = (current - base) / scale; // -1 … 1
  const step = Math.round(rel * DIFF_STEPS);
  return 1 + DIFF_STEPS + Math.max(-DIFF_STEPS, Math.min(DIFF_STEPS, step));
}

