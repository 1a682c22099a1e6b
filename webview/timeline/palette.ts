// Colours of the timeline: one per goroutine state class (running, runnable, syscall, and each
// kind of waiting), one per start function on the P lanes, and the chrome from the --vscode-*
// variables. Re-made when the theme changes; lightness is chosen per theme so labels on marks
// stay legible in light, dark and high-contrast themes.
import { hsl } from 'd3-color';
import { SPAN_CLASSES } from '../../src/core/layout/timeline-lanes';
import { cssColor, themeKind } from '../common/theme';

/** Hue and saturation of each span class (SPAN_CLASSES order). */
const CLASS_HS: readonly [number, number][] = [
  [125, 0.5], // running: green
  [48, 0.75], // runnable: amber (ready, waiting for a P)
  [280, 0.45], // syscall: purple
  [210, 0.6], // chan: blue
  [190, 0.55], // select: cyan
  [15, 0.65], // sync: red-orange (locks)
  [170, 0.5], // io: teal
  [230, 0.15], // sleep: grey-blue
  [320, 0.5], // gc: magenta
  [0, 0], // other: grey
];

/** Labels of the classes in the legend. */
export const CLASS_LABELS: Record<(typeof SPAN_CLASSES)[number], string> = {
  running: 'running',
  runnable: 'runnable',
  syscall: 'syscall',
  chan: 'blocked: chan',
  select: 'blocked: select',
  sync: 'blocked: sync',
  io: 'blocked: I/O',
  sleep: 'sleeping',
  gc: 'blocked: GC',
  other: 'blocked: other',
};

export interface TimelinePalette {
  dark: boolean;
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  rowAlt: string;
  gutter: string;
  focus: string;
  selection: string;
  selectionBorder: string;
  highlight: string;
  /** Fill of each span class. */
  classes: string[];
  /** Merged runs: the fill of a P lane's busy share, the outline of any merged mark. */
  mixed: string;
  mixedOutline: string;
  gc: string;
  stw: string;
  heap: string;
  heapGoal: string;
  /** Text on a mark of colour `fill`. */
  textOn(fill: string): string;
  /** Fill of a start function's goroutines on the P lanes. */
  groupFill(name: string): string;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function makePalette(): TimelinePalette {
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const l = light ? 0.62 : 0.45;
  const classes = CLASS_HS.map(([h, s]) => hsl(h, s, l).formatHex());
  const groupCache = new Map<string, string>();
  const textCache = new Map<string, string>();
  const foreground = cssColor('foreground', light ? '#333333' : '#cccccc');
  return {
    dark: !light,
    background: cssColor('editor-background', light ? '#ffffff' : '#1e1e1e'),
    foreground,
    muted: cssColor('descriptionForeground', light ? '#717171' : '#9d9d9d'),
    grid: hc
      ? cssColor('contrastBorder', '#6fc3df')
      : light
        ? 'rgba(0,0,0,0.08)'
        : 'rgba(255,255,255,0.07)',
    rowAlt: light ? 'rgba(0,0,0,0.025)' : 'rgba(255,255,255,0.025)',
    gutter: cssColor('sideBar-background', light ? '#f3f3f3' : '#252526'),
    focus: cssColor('focusBorder', '#007fd4'),
    selection: light ? 'rgba(0,120,215,0.14)' : 'rgba(80,160,255,0.16)',
    selectionBorder: cssColor('focusBorder', '#007fd4'),
    highlight: light ? 'rgba(255,200,0,0.25)' : 'rgba(255,210,0,0.16)',
    classes,
    mixed: light ? '#9a9a9a' : '#8a8a8a',
    mixedOutline: light ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.35)',
    gc: hsl(320, 0.45, light ? 0.6 : 0.42).formatHex(),
    stw: hsl(0, 0.7, light ? 0.55 : 0.48).formatHex(),
    heap: cssColor('charts-blue', '#3794ff'),
    heapGoal: cssColor('charts-orange', '#d18616'),
    textOn(fill: string): string {
      let t = textCache.get(fill);
      if (!t) {
        const c = hsl(fill);
        t = c.l > 0.55 ? '#111111' : '#f4f4f4';
        textCache.set(fill, t);
      }
      return t;
    },
    groupFill(name: string): string {
      let c = groupCache.get(name);
      if (!c) {
        const h = hash(name);
        // Runtime goroutines in muted blue-greys, the program's own in distinct hues.
        const runtime = name.startsWith('runtime.') || name.startsWith('runtime/') || name === '';
        c = runtime
          ? hsl(200 + (h % 40), 0.18, light ? 0.66 : 0.4).formatHex()
          : hsl(h % 360, 0.5, light ? 0.64 : 0.42).formatHex();
        groupCache.set(name, c);
      }
      return c;
    },
  };
}
