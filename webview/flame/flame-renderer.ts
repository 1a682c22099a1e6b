// Draws a flame graph (root on top, as pprof's web UI does) onto a 2D canvas. Only layout
// decisions of the moment come in; all geometry comes from src/core/layout.
//
// Budget: a frame must draw in well under 16 ms with ~10k visible boxes and must not make
// garbage (a collection mid-animation is a dropped frame). So: boxes are collected into reused
// typed arrays, bucketed by an integer colour id and filled one colour at a time as a single
// path (a fillStyle change per box costs more than the rectangle); labels come from a cache
// keyed by function and width in characters. Everything that depends only on the tree
// (display names, colour ids) is computed once, lazily.
import type { CallTree } from '../../src/core/flame/call-tree';
import { forEachVisibleNode, type FlameViewport } from '../../src/core/layout/flame-layout';
import { shortNames } from '../../src/core/layout/short-names';
import type { TextWidthCache } from '../common/canvas';
import { diffColorIndex, type FlamePalette } from './colors';

export const ROW_HEIGHT = 20;
const TEXT_PAD = 4;
/** Boxes narrower than a pixel are not drawn: their parent already covers them on screen. */
const MIN_BOX_PX = 1;
/** Boxes narrower than this get no label: not even "f…" would fit. */
const MIN_LABEL_PX = 22;
/** Colour id of the root and of boxes dimmed by a search. */
const DIM = 0;

/** Per-function data derived from a tree, filled in the first time a function is drawn. */
export class TreeDecorations {
  private readonly names: (string[] | undefined)[];
  /** Colour id per function (0 = not yet known); ids index `colors`. */
  private colorIds: Int32Array;
  private colors: string[] = [];
  private readonly colorIdByFill = new Map<string, number>();
  private palette: FlamePalette | undefined;
  private readonly labels = new Map<number, string>();
  private labelFont = '';

  constructor(private readonly tree: CallTree) {
    this.names = new Array(tree.funcName.length);
    this.colorIds = new Int32Array(tree.funcName.length);
  }

  /** Display forms of function `f`'s name, longest first. */
  namesOf(f: number): string[] {
    let n = this.names[f];
    if (!n) n = this.names[f] = shortNames(this.tree.funcName[f]);
    return n;
  }

  /** Resets colours when the theme changed; returns the colour table (id → CSS colour). */
  usePalette(palette: FlamePalette): string[] {
    if (palette !== this.palette) {
      this.palette = palette;
      this.colorIds.fill(0);
      this.colorIdByFill.clear();
      this.colors = [palette.dimFill];
    }
    return this.colors;
  }

  colorIdOf(f: number): number {
    let id = this.colorIds[f];
    if (id === 0) {
      const fill = this.palette!.fillFor(this.tree.funcName[f], this.tree.funcFile[f]);
      id = this.colorIdByFill.get(fill) ?? 0;
      if (id === 0) {
        id = this.colors.length;
        this.colors.push(fill);
        this.colorIdByFill.set(fill, id);
      }
      this.colorIds[f] = id;
    }
    return id;
  }

  /** The label of function `f` in a box with room for `room` pixels (cached per width in characters). */
  labelOf(f: number, room: number, state: FlameDrawState): string {
    if (state.font !== this.labelFont) {
      this.labels.clear();
      this.labelFont = state.font;
    }
    const chars = Math.min(Math.floor(room / state.charWidth), 255);
    const key = f * 256 + chars;
    let label = this.labels.get(key);
    if (label === undefined) {
      label = fitLabel(this.namesOf(f), room, chars, state);
      if (this.labels.size > 200_000) this.labels.clear();
      this.labels.set(key, label);
    }
    return label;
  }
}

export interface FlameDrawState {
  tree: CallTree;
  start: Float64Array;
  viewport: FlameViewport;
  /** Pixels of the graph scrolled off above the canvas. */
  scrollTop: number;
  height: number;
  palette: FlamePalette;
  font: string;
  widths: TextWidthCache;
  /** Average character width of the font, for choosing a label without measuring each candidate. */
  charWidth: number;
  /** Per node: 1 when it matches the search. Undefined when there is no search. */
  matched: Uint8Array | undefined;
  decorations: TreeDecorations;
  /** A diff: colour each box by its change from `base` to `current` instead of by package. */
  diff?: { base: Float64Array; current: Float64Array };
  /** Draw the root at the bottom (callers in the sandwich view, growing upwards). */
  flipped?: boolean;
  /** Leave out the root row (the sandwich's halves start at the function itself). */
  hideRoot?: boolean;
}

type RowGeometry = Pick<FlameDrawState, 'tree' | 'scrollTop' | 'flipped' | 'hideRoot' | 'height'>;

/** Rows the graph occupies. */
export function rowCount(state: Pick<FlameDrawState, 'tree' | 'hideRoot'>): number {
  return state.tree.maxDepth + (state.hideRoot ? 0 : 1);
}

/**
 * The y of a node's row on the canvas. A flipped graph grows upwards from the canvas bottom
 * when it is shorter than the canvas, so its first row sits next to whatever is below it.
 */
export function rowY(depth: number, state: RowGeometry): number {
  const first = state.hideRoot ? 1 : 0;
  const rows = rowCount(state);
  if (!state.flipped) return (depth - first) * ROW_HEIGHT - state.scrollTop;
  const pad = Math.max(0, state.height - rows * ROW_HEIGHT);
  return pad + (rows - 1 - (depth - first)) * ROW_HEIGHT - state.scrollTop;
}

/** The depth under a canvas y (the inverse of `rowY`). */
export function depthAtY(y: number, state: RowGeometry): number {
  const first = state.hideRoot ? 1 : 0;
  const rows = rowCount(state);
  if (!state.flipped) return Math.floor((y + state.scrollTop) / ROW_HEIGHT) + first;
  const pad = Math.max(0, state.height - rows * ROW_HEIGHT);
  return rows - 1 - Math.floor((y + state.scrollTop - pad) / ROW_HEIGHT) + first;
}

/**
 * The longest display form of at most `chars` characters, or the shortest form cut with an
 * ellipsis; then checked with one measurement, since the character estimate is an average.
 */
function fitLabel(forms: string[], room: number, chars: number, state: FlameDrawState): string {
  if (chars < 2) return '';
  let label = forms[forms.length - 1];
  for (const f of forms) {
    if (f.length <= chars) {
      label = f;
      break;
    }
  }
  if (label.length > chars) label = label.slice(0, chars - 1) + '…';
  while (state.widths.width(label, state.font) > room) {
    chars = Math.min(label.length, chars) - 2;
    if (chars < 1) return '';
    label = forms[forms.length - 1].slice(0, chars) + '…';
  }
  return label;
}

/** Reused between frames: the visible boxes of the current frame, and their order by colour. */
let boxNode = new Int32Array(16384);
let boxLeft = new Float64Array(16384);
let boxRight = new Float64Array(16384);
let boxColor = new Int32Array(16384);
let byColor = new Int32Array(16384);
let colorStart = new Int32Array(64);

function ensureBoxCapacity(n: number): void {
  if (n <= boxNode.length) return;
  const size = Math.max(n, boxNode.length * 2);
  const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
    const b = make(size);
    b.set(a);
    return b;
  };
  boxNode = grow(boxNode, (k) => new Int32Array(k));
  boxLeft = grow(boxLeft, (k) => new Float64Array(k));
  boxRight = grow(boxRight, (k) => new Float64Array(k));
  boxColor = grow(boxColor, (k) => new Int32Array(k));
  byColor = new Int32Array(size);
}

/** Draws the visible part of the graph; returns how many boxes were drawn. */
export function drawFlame(ctx: CanvasRenderingContext2D, state: FlameDrawState): number {
  const { tree, palette, viewport, decorations, matched, diff } = state;
  const packageColors = decorations.usePalette(palette);
  const colors = diff ? palette.diffColors : packageColors;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, viewport.width, state.height);

  let count = 0;
  forEachVisibleNode(tree, state.start, viewport, MIN_BOX_PX, (node, left, right) => {
    if (node === 0 && state.hideRoot) return;
    ensureBoxCapacity(count + 1);
    boxNode[count] = node;
    boxLeft[count] = left;
    boxRight[count] = right;
    boxColor[count] =
      node === 0 || (matched !== undefined && matched[node] === 0)
        ? DIM
        : diff
          ? diffColorIndex(diff.base[node], diff.current[node])
          : decorations.colorIdOf(tree.func[node]);
    count++;
  });

  // Counting sort of the boxes by colour id.
  if (colorStart.length < colors.length + 1) colorStart = new Int32Array(colors.length * 2 + 1);
  colorStart.fill(0, 0, colors.length + 1);
  for (let b = 0; b < count; b++) colorStart[boxColor[b] + 1]++;
  for (let c = 0; c < colors.length; c++) colorStart[c + 1] += colorStart[c];
  for (let b = 0; b < count; b++) byColor[colorStart[boxColor[b]]++] = b;
  // colorStart[c] is now the end of colour c's run; runs are consecutive from 0.
  let runStart = 0;
  for (let c = 0; c < colors.length; c++) {
    const runEnd = colorStart[c];
    if (runEnd === runStart) continue;
    ctx.fillStyle = colors[c];
    ctx.beginPath();
    for (let k = runStart; k < runEnd; k++) {
      const b = byColor[k];
      const x = boxLeft[b] > -1 ? boxLeft[b] : -1;
      const r = boxRight[b] < viewport.width + 1 ? boxRight[b] : viewport.width + 1;
      const w = r - x;
      ctx.rect(x, rowY(tree.depth[boxNode[b]], state), w > 1.5 ? w - 1 : w, ROW_HEIGHT - 1);
    }
    ctx.fill();
    runStart = runEnd;
  }

  if (palette.border) {
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let b = 0; b < count; b++) {
      const x = Math.max(boxLeft[b], -1);
      const w = Math.min(boxRight[b], viewport.width + 1) - x;
      if (w > 3)
        ctx.rect(x + 0.5, rowY(tree.depth[boxNode[b]], state) + 0.5, w - 2, ROW_HEIGHT - 2);
    }
    ctx.stroke();
  }

  ctx.font = state.font;
  ctx.textBaseline = 'middle';
  for (const dim of [false, true]) {
    ctx.fillStyle = dim ? palette.dimText : palette.text;
    for (let b = 0; b < count; b++) {
      const node = boxNode[b];
      if (boxRight[b] - boxLeft[b] < MIN_LABEL_PX || (node !== 0 && (boxColor[b] === DIM) !== dim))
        continue;
      // Labels start at the visible left edge of the box, so a wide zoomed box keeps its name on screen.
      const textX = Math.max(boxLeft[b], 0) + TEXT_PAD;
      const room = Math.min(boxRight[b], viewport.width) - textX - TEXT_PAD;
      const label =
        node === 0 ? (dim ? '' : 'all') : decorations.labelOf(tree.func[node], room, state);
      if (label) ctx.fillText(label, textX, rowY(tree.depth[node], state) + ROW_HEIGHT / 2);
    }
  }
  return count;
}

/**
 * Outlines for the hovered and selected boxes, on their own transparent canvas over the graph,
 * so moving the mouse repaints two rectangles instead of the whole graph.
 */
export function drawHighlights(
  ctx: CanvasRenderingContext2D,
  state: Pick<
    FlameDrawState,
    'tree' | 'start' | 'viewport' | 'scrollTop' | 'height' | 'palette' | 'flipped' | 'hideRoot'
  >,
  highlights: readonly (readonly [node: number, kind: 'selected' | 'hovered'])[],
): void {
  const { tree, viewport, palette } = state;
  ctx.clearRect(0, 0, viewport.width, state.height);
  const scale = viewport.width / (viewport.x1 - viewport.x0);
  for (const [node, kind] of highlights) {
    if (node < 0 || node >= tree.nodeCount) continue;
    const rawLeft = (state.start[node] - viewport.x0) * scale;
    const left = Math.max(rawLeft, 0);
    const right = Math.min(rawLeft + tree.total[node] * scale, viewport.width);
    if (right <= 0 || left >= viewport.width) continue;
    const y = rowY(tree.depth[node], state);
    ctx.strokeStyle = kind === 'selected' ? palette.focus : palette.text;
    ctx.lineWidth = 2;
    ctx.strokeRect(left + 1, y + 1, Math.max(right - left - 3, 1), ROW_HEIGHT - 3);
  }
}
