// The flame graph's colour scheme as data, with no DOM access, so exports and tests can use it;
// colors.ts fills it in from the VS Code theme.
import type { ThemeKind } from '../common/theme-kind';
import type { FrameKind } from '../../src/core/perf/frame-names';

export interface FlamePalette {
  kind: ThemeKind;
  text: string;
  dimText: string;
  dimFill: string;
  background: string;
  border: string | undefined;
  focus: string;
  matchOutline: string;
  /**
   * The fill of a function's boxes. `file` marks kernel and native frames of perf recordings
   * (see src/core/perf/frame-names.ts), which get their own hues.
   */
  fillFor(funcName: string, file?: string): string;
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

/**
 * Hue and saturation scale for frames that are not Go code: kernel frames in violet, native
 * (C, cgo, shared libraries, JIT) in a muted sand, both away from the hues Go packages use
 * (0–150 for user code, 200–240 for the runtime). Undefined for Go frames.
 */
export function nonGoHue(kind: FrameKind): { hue: number; saturation: number } | undefined {
  if (kind === 'kernel') return { hue: 275, saturation: 1 };
  if (kind === 'native') return { hue: 40, saturation: 0.35 };
  return undefined;
}
