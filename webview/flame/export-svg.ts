// The flame graph as a standalone SVG: the boxes of the current horizontal range, every row, with
// the same colours and labels as on screen and each box's name and value as a tooltip.
import type { CallTree } from '../../src/core/flame/call-tree';
import { forEachVisibleNode } from '../../src/core/layout/flame-layout';
import { shortNames } from '../../src/core/layout/short-names';
import { diffColorIndex, type FlamePalette } from './palette';

const ROW = 20;
/** A crude but safe width estimate per character of 11px sans-serif text in an SVG viewer. */
const CHAR_PX = 6.6;
/** Cap the export: beyond this many boxes an SVG gets too slow for viewers to open. */
const MAX_BOXES = 60_000;

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export interface SvgOptions {
  tree: CallTree;
  start: Float64Array;
  domain: [number, number];
  width: number;
  palette: FlamePalette;
  title: string;
  format(v: number): string;
  diff?: { base: Float64Array; current: Float64Array };
}

export function flameSvg(o: SvgOptions): string {
  const { tree, palette } = o;
  const height = (tree.maxDepth + 1) * ROW + 30;
  const parts: string[] = [];
  let boxes = 0;
  forEachVisibleNode(
    tree,
    o.start,
    { x0: o.domain[0], x1: o.domain[1], width: o.width, firstRow: 0, lastRow: tree.maxDepth },
    0.5,
    (node, left, right) => {
      if (boxes++ >= MAX_BOXES) return;
      const x = Math.max(left, 0);
      const w = Math.min(right, o.width) - x;
      const y = 24 + tree.depth[node] * ROW;
      const name = node === 0 ? 'all' : tree.funcName[tree.func[node]];
      const fill = o.diff
        ? palette.diffColors[diffColorIndex(o.diff.base[node], o.diff.current[node])]
        : node === 0
          ? palette.dimFill
          : palette.fillFor(name, tree.funcFile[tree.func[node]]);
      const value = o.diff
        ? `${o.format(o.diff.base[node])} → ${o.format(o.diff.current[node])}`
        : o.format(tree.total[node]);
      parts.push(
        `<g><title>${esc(`${name}\n${value}`)}</title><rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(w - 0.5, 0.5).toFixed(2)}" height="${ROW - 1}" fill="${fill}"/>`,
      );
      const chars = Math.floor((w - 6) / CHAR_PX);
      if (chars >= 3) {
        const forms = node === 0 ? ['all'] : shortNames(name);
        let label =
          forms.find((f) => f.length <= chars) ?? forms[forms.length - 1].slice(0, chars - 1) + '…';
        if (label.length > chars) label = label.slice(0, chars - 1) + '…';
        parts.push(`<text x="${(x + 3).toFixed(2)}" y="${y + 14}">${esc(label)}</text>`);
      }
      parts.push('</g>');
    },
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${height}" viewBox="0 0 ${o.width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
    `<text x="4" y="16" font-size="13" font-weight="bold" fill="${palette.text}">${esc(o.title)}</text>`,
    `<g fill="${palette.text}">`,
    ...parts,
    '</g>',
    boxes > MAX_BOXES
      ? `<text x="4" y="${height - 4}" fill="${palette.text}">${boxes - MAX_BOXES} more boxes left out</text>`
      : '',
    '</svg>',
  ].join('\n');
}
