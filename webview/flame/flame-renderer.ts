// Draws a flame graph (root on top, as pprof's web UI does) onto a 2D canvas. Only layout
// decisions of the moment come in; all geometry comes from src/core/layout.
//
// Budget: a frame must draw in well under 16 ms with ~10k visible boxes, so per-box work is
// a few array reads, one fillRect and at most one cached text measurement. Anything that
// depends only on the tree (display names, colours) is computed once per tree, lazily.
import type { CallTree } from '../../src/core/flame/call-tree';
import { forEachVisibleNode, type FlameViewport } from '../../src/core/layout/flame-layout';
import { shortNames } from '../../src/core/layout/short-names';
import type { TextWidthCache } from '../common/canvas';
import type { FlamePalette } from './colors';

export const ROW_HEIGHT = 20;
const TEXT_PAD = 4;
/** Boxes narrower than a pixel are not drawn: their parent already covers them on screen. */
const MIN_BOX_PX = 1;
/** Boxes narrower than this get no label: not even "f…" would fit. */
const MIN_LABEL_PX = 22;

/** Per-function data derived from a tree, filled in the first time a function is drawn. */
export class TreeDecorations {
  private readonly names: (string[] | undefined)[];
  private fills: (string | undefined)[];
  private palette: FlamePalette | undefined;

  constructor(private readonly tree: CallTree) {
    this.names = new Array(tree.funcName.length);
    this.fills = new Array(tree.funcName.length);
  }

  /** Display forms of function `f`'s name, longest first. */
  namesOf(f: number): string[] {
    let n = this.names[f];
    if (!n) n = this.names[f] = shortNames(this.tree.funcName[f]);
    return n;
  }

  fillOf(f: number, palette: FlamePalette): string {
    if (palette !== this.palette) {
      this.palette = palette;
      this.fills = new Array(this.tree.funcName.length);
    }
    let c = this.fills[f];
    if (!c) c = this.fills[f] = palette.fillFor(this.tree.funcName[f]);
    return c;
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
}

/**
 * The longest display form that fits `room` pixels, or the shortest form cut with an ellipsis.
 * Estimated from the average character width, then checked with one (cached) measurement.
 */
function fitLabel(forms: string[], room: number, state: FlameDrawState): string {
  let chars = Math.floor(room / state.charWidth);
  if (chars < 2) return '';
  let label = forms[forms.length - 1];
  for (const f of forms) {
    if (f.length <= chars) {
      label = f;
      break;
    }
  }
  if (label.length > chars) label = label.slice(0, chars - 1) + '…';
  // Proportional fonts: one measurement confirms; shorten once more if the estimate was off.
  while (state.widths.width(label, state.font) > room) {
    chars = Math.min(label.length, chars) - 2;
    if (chars < 1) return '';
    label = forms[forms.length - 1].slice(0, chars) + '…';
  }
  return label;
}

/** Reused between frames: the visible boxes of the current frame. */
let boxNode = new Int32Array(16384);
let boxLeft = new Float64Array(16384);
let boxRight = new Float64Array(16384);

/**
 * Draws the visible part of the graph; returns how many boxes were drawn. Boxes are collected
 * first, then filled one colour at a time as a single path (a fillStyle change per box costs
 * more than the rectangle), then labelled in one pass with one text colour per kind.
 */
export function drawFlame(ctx: CanvasRenderingContext2D, state: FlameDrawState): number {
  const { tree, palette, viewport, decorations } = state;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, viewport.width, state.height);
  let count = 0;
  forEachVisibleNode(tree, state.start, viewport, MIN_BOX_PX, (node, left, right) => {
    if (count === boxNode.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      boxNode = grow(boxNode, (n) => new Int32Array(n));
      boxLeft = grow(boxLeft, (n) => new Float64Array(n));
      boxRight = grow(boxRight, (n) => new Float64Array(n));
    }
    boxNode[count] = node;
    boxLeft[count] = left;
    boxRight[count] = right;
    count++;
  });

  const dimmed = (node: number) => state.matched !== undefined && node !== 0 && state.matched[node] === 0;
  const fillOf = (node: number) => (node === 0 || dimmed(node) ? palette.dimFill : decorations.fillOf(tree.func[node], palette));
  // One path per colour.
  const byFill = new Map<string, number[]>();
  for (let b = 0; b < count; b++) {
    const fill = fillOf(boxNode[b]);
    let list = byFill.get(fill);
    if (!list) byFill.set(fill, (list = []));
    list.push(b);
  }
  for (const [fill, list] of byFill) {
    ctx.fillStyle = fill;
    ctx.beginPath();
    for (const b of list) {
      const x = Math.max(boxLeft[b], -1);
      const w = Math.min(boxRight[b], viewport.width + 1) - x;
      ctx.rect(x, tree.depth[boxNode[b]] * ROW_HEIGHT - state.scrollTop, w > 1.5 ? w - 1 : w, ROW_HEIGHT - 1);
    }
    ctx.fill();
  }
  if (palette.border) {
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let b = 0; b < count; b++) {
      const x = Math.max(boxLeft[b], -1);
      const w = Math.min(boxRight[b], viewport.width + 1) - x;
      if (w > 3) ctx.rect(x + 0.5, tree.depth[boxNode[b]] * ROW_HEIGHT - state.scrollTop + 0.5, w - 2, ROW_HEIGHT - 2);
    }
    ctx.stroke();
  }

  ctx.font = state.font;
  ctx.textBaseline = 'middle';
  for (const dim of [false, true]) {
    ctx.fillStyle = dim ? palette.dimText : palette.text;
    for (let b = 0; b < count; b++) {
      const node = boxNode[b];
      if (boxRight[b] - boxLeft[b] < MIN_LABEL_PX || dimmed(node) !== dim) continue;
      // Labels start at the visible left edge of the box, so a wide zoomed box keeps its name on screen.
      const textX = Math.max(boxLeft[b], 0) + TEXT_PAD;
      const room = Math.min(boxRight[b], viewport.width) - textX - TEXT_PAD;
      const label = node === 0 ? 'all' : fitLabel(decorations.namesOf(tree.func[node]), room, state);
      if (label) ctx.fillText(label, textX, tree.depth[node] * ROW_HEIGHT - state.scrollTop + ROW_HEIGHT / 2);
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
  state: Pick<FlameDrawState, 'tree' | 'start' | 'viewport' | 'scrollTop' | 'height' | 'palette'>,
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
    const y = tree.depth[node] * ROW_HEIGHT - state.scrollTop;
    ctx.strokeStyle = kind === 'selected' ? palette.focus : palette.text;
    ctx.lineWidth = 2;
    ctx.strokeRect(left + 1, y + 1, Math.max(right - left - 3, 1), ROW_HEIGHT - 3);
  }
}
