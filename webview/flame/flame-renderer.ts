// Draws a flame graph (root on top, as pprof's web UI does) onto a 2D canvas. Only layout
// decisions of the moment come in; all geometry comes from src/core/layout.
import type { CallTree } from '../../src/core/flame/call-tree';
import { forEachVisibleNode, type FlameViewport } from '../../src/core/layout/flame-layout';
import { shortNames } from '../../src/core/layout/short-names';
import type { TextWidthCache } from '../common/canvas';
import type { FlamePalette } from './colors';

export const ROW_HEIGHT = 20;
const TEXT_PAD = 4;
/** Boxes narrower than this are not drawn: their parent already covers them on screen. */
const MIN_BOX_PX = 0.35;

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
  /** Per node: 1 when it matches the search. Undefined when there is no search. */
  matched: Uint8Array | undefined;
  hovered: number;
  selected: number;
  /** Shortened names per function index, computed once per tree. */
  names: string[][];
}

/** The longest display form of `names` that fits `room` pixels, ellipsised if none does. */
function fitLabel(forms: string[], room: number, state: FlameDrawState): string {
  for (const f of forms) if (state.widths.width(f, state.font) <= room) return f;
  const shortest = forms[forms.length - 1];
  let lo = 0;
  let hi = shortest.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (state.widths.width(shortest.slice(0, mid) + '…', state.font) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? shortest.slice(0, lo) + '…' : '';
}

/** Draws the visible part of the graph; returns how many boxes were drawn. */
export function drawFlame(ctx: CanvasRenderingContext2D, state: FlameDrawState): number {
  const { tree, palette, viewport } = state;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, viewport.width, state.height);
  ctx.font = state.font;
  ctx.textBaseline = 'middle';
  let drawn = 0;
  forEachVisibleNode(tree, state.start, viewport, MIN_BOX_PX, (node, left, right) => {
    const y = tree.depth[node] * ROW_HEIGHT - state.scrollTop;
    const x = Math.max(left, -1);
    const w = Math.min(right, viewport.width + 1) - x;
    const name = node === 0 ? '' : tree.funcName[tree.func[node]];
    const dim = state.matched !== undefined && node !== 0 && state.matched[node] === 0;
    ctx.fillStyle = node === 0 ? palette.dimFill : dim ? palette.dimFill : palette.fillFor(name);
    ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW_HEIGHT - 1);
    if (palette.border && w > 3) {
      ctx.strokeStyle = palette.border;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, Math.max(w - 2, 0), ROW_HEIGHT - 2);
    }
    if (w > 2 * TEXT_PAD + 8) {
      const label = node === 0 ? 'all' : fitLabel(state.names[tree.func[node]], w - 2 * TEXT_PAD, state);
      if (label) {
        ctx.fillStyle = dim ? palette.dimText : palette.text;
        ctx.fillText(label, x + TEXT_PAD, y + ROW_HEIGHT / 2);
      }
    }
    drawn++;
  });
  // Outlines last, so neighbours never paint over them.
  for (const [node, color] of [
    [state.selected, palette.focus],
    [state.hovered, palette.text],
  ] as const) {
    if (node < 0 || node >= tree.nodeCount) continue;
    const scale = viewport.width / (viewport.x1 - viewport.x0);
    const left = (state.start[node] - viewport.x0) * scale;
    const right = left + tree.total[node] * scale;
    const y = tree.depth[node] * ROW_HEIGHT - state.scrollTop;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.strokeRect(Math.max(left, 0) + 1, y + 1, Math.max(Math.min(right, viewport.width) - Math.max(left, 0) - 3, 1), ROW_HEIGHT - 3);
  }
  return drawn;
}

/** Display names for every function of a tree (computed once per tree, not per frame). */
export function namesFor(tree: CallTree): string[][] {
  return tree.funcName.map((n) => shortNames(n));
}
