// Flame box colours: one hue per Go package (so a package reads as one colour across the
// graph), with lightness chosen per theme so names stay legible in light, dark and
// high-contrast themes. Chrome colours come from the --vscode-* variables.
import { hsl } from 'd3-color';
import { packageOf } from '../../src/core/layout/short-names';
import { cssColor, themeKind } from '../common/theme';
import { DIFF_STEPS, nonGoHue, type FlamePalette } from './palette';
import { frameKindOfFile } from '../../src/core/perf/frame-names';

export { diffColorIndex, DIFF_STEPS, type FlamePalette } from './palette';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Hue for a package: Go's runtime in cool blues, everything else across warm-to-green hues. */
function hueFor(pkg: string): number {
  if (pkg === 'runtime' || pkg.startsWith('runtime/') || pkg.startsWith('internal/'))
    return 200 + (hash(pkg) % 40);
  return (hash(pkg) % 150) + 0; // 0–150: reds, oranges, yellows, greens
}

export function makePalette(): FlamePalette {
  const kind = themeKind();
  const cache = new Map<string, string>();
  const [sat, light] =
    kind === 'light'
      ? [0.6, 0.78]
      : kind === 'dark'
        ? [0.45, 0.33]
        : kind === 'high-contrast'
          ? [0.7, 0.2]
          : [0.7, 0.9];
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const light2 = kind === 'light' || kind === 'high-contrast-light';
  const diffColors = [light2 ? '#e4e4e4' : '#3a3a3a'];
  for (let i = -DIFF_STEPS; i <= DIFF_STEPS; i++) {
    const t = Math.abs(i) / DIFF_STEPS;
    const hue = i < 0 ? 130 : 0;
    // Neutral grey at 0, saturating towards the extremes; lightness kept legible per theme.
    diffColors.push(
      hsl(hue, i === 0 ? 0 : 0.25 + 0.55 * t, light2 ? 0.88 - 0.3 * t : 0.3 + 0.12 * t).formatHex(),
    );
  }
  return {
    kind,
    diffColors,
    text: kind === 'light' || kind === 'high-contrast-light' ? '#1e1e1e' : '#f0f0f0',
    dimText: cssColor('disabledForeground', kind === 'light' ? '#8a8a8a' : '#8a8a8a'),
    dimFill: kind === 'light' || kind === 'high-contrast-light' ? '#e4e4e4' : '#3a3a3a',
    background: cssColor('editor-background', kind === 'light' ? '#ffffff' : '#1e1e1e'),
    border: highContrast
      ? cssColor('contrastBorder', kind === 'high-contrast' ? '#6fc3df' : '#0f4a85')
      : undefined,
    focus: cssColor('focusBorder', '#007fd4'),
    matchOutline: cssColor('editor-findMatchBorder', kind === 'light' ? '#b36b00' : '#f0c000'),
    fillFor(funcName: string, file?: string): string {
      const other = file ? nonGoHue(frameKindOfFile(file)) : undefined;
      if (other) {
        const key = `\0${other.hue}`;
        let c = cache.get(key);
        if (!c) cache.set(key, (c = hsl(other.hue, sat * other.saturation, light).formatHex()));
        return c;
      }
      const pkg = packageOf(funcName);
      let c = cache.get(pkg);
      if (!c) {
        c = hsl(hueFor(pkg), sat, light).formatHex();
        cache.set(pkg, c);
      }
      return c;
    },
  };
}
