// Draws the timeline's lanes and graphs onto canvases, from the data cache only. A frame must
// draw in well under 16 ms with a few thousand marks on screen and must not make garbage: marks
// are collected into reused typed arrays bucketed by colour and filled one colour at a time
// (a fillStyle change per mark costs more than the rectangle); label texts are cached per
// goroutine and width; nothing depends on how big the trace is, only on what is on screen.
import { shortNames } from '../../src/core/layout/short-names';
import { FIRST_WAITING_CLASS, SPAN_CLASSES } from '../../src/core/layout/timeline-lanes';
import type { LaneData, TraceSummaryView } from '../../src/protocol/timeline';
import type { TextWidthCache } from '../common/canvas';
import { CLASS_LABELS, type TimelinePalette } from './palette';
import { upperBound } from '../../src/core/binary-search';

/** Width of the lane-name gutter on the left. */
export const GUTTER = 210;
/** Marks narrower than this get no label. */
const MIN_LABEL_PX = 34;
const TEXT_PAD = 4;

/** Rectangles per colour, in reused buffers: x, y, w, h per rectangle. */
export class RectBatch {
  private bufs: Float32Array[] = [];
  private counts: number[] = [];
  readonly colors: string[] = [];
  private readonly ids = new Map<string, number>();
  total = 0;

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  idOf(color: string): number {
    let id = this.ids.get(color);
    if (id === undefined) {
      id = this.colors.length;
      this.colors.push(color);
      this.ids.set(color, id);
      this.bufs.push(new Float32Array(4 * 256));
      this.counts.push(0);
    }
    return id;
  }

  add(id: number, x: number, y: number, w: number, h: number): void {
    let b = this.bufs[id];
    const n = this.counts[id];
    if (4 * (n + 1) > b.length) {
      const bigger = new Float32Array(b.length * 2);
      bigger.set(b);
      this.bufs[id] = b = bigger;
    }
    b[4 * n] = x;
    b[4 * n + 1] = y;
    b[4 * n + 2] = w;
    b[4 * n + 3] = h;
    this.counts[id] = n + 1;
    this.total++;
  }

  fill(ctx: CanvasRenderingContext2D): void {
    for (let id = 0; id < this.colors.length; id++) {
      const n = this.counts[id];
      if (n === 0) continue;
      const b = this.bufs[id];
      ctx.fillStyle = this.colors[id];
      ctx.beginPath();
      for (let i = 0; i < n; i++) ctx.rect(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]);
      ctx.fill();
    }
  }
}

/** The x scale of a frame: ns → CSS pixels. */
export interface XScale {
  t0: number;
  t1: number;
  x0: number;
  width: number;
}

export const xOf = (s: XScale, t: number) => s.x0 + ((t - s.t0) / (s.t1 - s.t0)) * s.width;

/** Index of the first mark ending after t (marks are in time order). */
export function firstMarkAfter(d: LaneData, t: number): number {
  return upperBound(d.end, t, 0, d.start.length);
}

/** The mark under time t (within `slack` ns, for marks drawn wider than they are), or −1. */
export function markAt(d: LaneData, t: number, slack: number): number {
  let i = firstMarkAfter(d, t - slack);
  let best = -1;
  let bestDist = Infinity;
  for (; i < d.start.length && d.start[i] <= t + slack; i++) {
    const dist = t < d.start[i] ? d.start[i] - t : t > d.end[i] ? t - d.end[i] : 0;
    if (dist < bestDist) {
      best = i;
      bestDist = dist;
      if (dist === 0) break;
    }
  }
  return best;
}

/** Labels of goroutines on P lanes, per goroutine and available width in characters. */
export class LabelCache {
  private readonly byKey = new Map<string, string>();
  private font = '';

  label(gid: number, group: string, room: number, charWidth: number, font: string): string {
    if (font !== this.font) {
      this.byKey.clear();
      this.font = font;
    }
    const chars = Math.floor(room / charWidth);
    const key = `${gid}|${group}|${chars}`;
    let text = this.byKey.get(key);
    if (text === undefined) {
      text = '';
      const forms = group ? shortNames(group).map((n) => `G${gid} ${n}`) : [];
      forms.push(`G${gid}`);
      for (const f of forms) {
        if (f.length <= chars) {
          text = f;
          break;
        }
      }
      if (!text && chars >= 3) text = `G${gid}`.slice(0, chars - 1) + '…';
      if (this.byKey.size > 20_000) this.byKey.clear();
      this.byKey.set(key, text);
    }
    return text;
  }
}

export interface LaneStyle {
  palette: TimelinePalette;
  batch: RectBatch;
  labels: LabelCache;
  widths: TextWidthCache;
  font: string;
  charWidth: number;
  summary: TraceSummaryView;
}

interface PendingText {
  text: string;
  x: number;
  y: number;
  color: string;
}

/**
 * Adds one lane's marks in the visible window to the batch; returns the marks drawn. Labels of
 * wide marks are appended to `texts` (drawn after the fills, so fills never cover them).
 */
export function addLane(
  kind: 'p' | 'g' | 'gc' | 'stw',
  d: LaneData,
  s: XScale,
  top: number,
  h: number,
  st: LaneStyle,
  texts: PendingText[],
): number {
  const { palette, batch } = st;
  const x1Plot = s.x0 + s.width;
  const nsPerPx = (s.t1 - s.t0) / s.width;
  let drawn = 0;
  const pad = kind === 'p' ? 2 : 1;
  const y = top + pad;
  const hh = h - 2 * pad;
  const mixedId = batch.idOf(palette.mixed);
  const outlineId = batch.idOf(palette.mixedOutline);
  const C = d.classCount;
  // On P lanes one goroutine often runs in many short spans (preempted every 10 ms, or
  // rescheduled at once), with slivers of other goroutines between them: its spans are
  // labelled as one run until something at least 2 px wide (or a 3 px gap) interrupts it.
  let runGid = NaN;
  let runX0 = 0;
  let runX1 = 0;
  let runGroup = -1;
  let runFill = '';
  const flushRun = () => {
    if (!Number.isNaN(runGid) && runX1 - runX0 >= MIN_LABEL_PX) {
      const text = st.labels.label(
        runGid,
        st.summary.groups[runGroup]?.name ?? '',
        runX1 - runX0 - 2 * TEXT_PAD,
        st.charWidth,
        st.font,
      );
      if (text)
        texts.push({ text, x: runX0 + TEXT_PAD, y: y + hh / 2, color: palette.textOn(runFill) });
    }
    runGid = NaN;
  };
  for (let i = firstMarkAfter(d, s.t0); i < d.start.length; i++) {
    const ms = d.start[i];
    if (ms >= s.t1) break;
    let xa = s.x0 + (ms - s.t0) / nsPerPx;
    let xb = s.x0 + (d.end[i] - s.t0) / nsPerPx;
    if (xa < s.x0) xa = s.x0;
    if (xb > x1Plot) xb = x1Plot;
    let w = xb - xa;
    if (w < 1) w = 1;
    drawn++;
    if (d.n[i] > 1) {
      // A sliver of other work inside a goroutine's run does not end its label.
      if (w >= 2 || xa - runX1 >= 3) flushRun();
      // A merged run of sub-pixel spans: its time shares as stacked bands (goroutine lanes), or
      // how busy it was as a bar (P, GC and STW lanes), on a faint outline of the whole run.
      batch.add(outlineId, xa, y + hh - 1, w, 1);
      if (C === 1) {
        const share = Math.max(0.12, Math.min(1, d.mix[i]));
        const fill =
          kind === 'gc'
            ? batch.idOf(palette.gc)
            : kind === 'stw'
              ? batch.idOf(palette.stw)
              : mixedId;
        batch.add(fill, xa, y + hh * (1 - share), w, hh * share);
      } else {
        let yy = y + hh;
        for (let c = 0; c < C; c++) {
          const share = d.mix[i * C + c];
          if (share <= 0) continue;
          const bh = hh * share;
          yy -= bh;
          batch.add(
            batch.idOf(c === C - 1 ? palette.classes[FIRST_WAITING_CLASS + 4] : palette.classes[c]),
            xa,
            yy,
            w,
            bh,
          );
        }
      }
      continue;
    }
    let fill: string;
    if (kind === 'p') fill = palette.groupFill(st.summary.groups[d.group[i]]?.name ?? '');
    else if (kind === 'g') fill = palette.classes[d.cls[i]];
    else fill = kind === 'gc' ? palette.gc : palette.stw;
    batch.add(batch.idOf(fill), xa, y, w, hh);
    if (kind === 'p') {
      if (d.gid[i] === runGid && xa - runX1 < 3) runX1 = xa + w;
      else if (w < 2 && xa - runX1 < 3 && !Number.isNaN(runGid)) {
        // Another goroutine for a sliver: the run's label may continue after it.
      } else {
        flushRun();
        runGid = d.gid[i];
        runGroup = d.group[i];
        runFill = fill;
        runX0 = xa;
        runX1 = xa + w;
      }
    } else if (kind === 'g' && w >= 70) {
      const text = fitText(CLASS_LABELS[SPAN_CLASSES[d.cls[i]]], w - 2 * TEXT_PAD, st.charWidth);
      if (text) texts.push({ text, x: xa + TEXT_PAD, y: y + hh / 2, color: palette.textOn(fill) });
    }
  }
  flushRun();
  return drawn;
}

function fitText(text: string, room: number, charWidth: number): string {
  const chars = Math.floor(room / charWidth);
  if (text.length <= chars) return text;
  return chars >= 4 ? text.slice(0, chars - 1) + '…' : '';
}

/** Draws the pending labels, clipped to the plot. */
export function drawTexts(ctx: CanvasRenderingContext2D, texts: PendingText[], font: string): void {
  if (texts.length === 0) return;
  ctx.font = font;
  ctx.textBaseline = 'middle';
  let color = '';
  for (const t of texts) {
    if (t.color !== color) {
      color = t.color;
      ctx.fillStyle = color;
    }
    ctx.fillText(t.text, t.x, t.y);
  }
}

/**
 * A step series (one value per column of [seriesT0, seriesT1), e.g. the max of a decimated
 * series) as a filled area from the baseline, or as a line. At most two vertices per pixel and
 * none along flat runs: a path of a vertex per column was the most expensive part of a frame.
 * Stacked areas are drawn as cumulative sums, largest first, each from the baseline.
 */
export function drawSteps(
  ctx: CanvasRenderingContext2D,
  values: Float64Array,
  seriesT0: number,
  seriesT1: number,
  s: XScale,
  top: number,
  h: number,
  yMax: number,
  color: string,
  opts: { line?: boolean; dashed?: boolean } = {},
): void {
  const n = values.length;
  if (n === 0 || yMax <= 0) return;
  const w = (seriesT1 - seriesT0) / n;
  const bottom = top + h;
  const yOf = (v: number) => bottom - (Math.min(v, yMax) / yMax) * (h - 2);
  // Coordinates are clamped to just outside the plot: a coarse series drawn under a deep zoom
  // has columns millions of pixels wide, and paths that far off the canvas rasterize slowly.
  const lo = s.x0 - 2;
  const hi = s.x0 + s.width + 2;
  const xAt = (t: number) => Math.min(hi, Math.max(lo, xOf(s, t)));
  const firstCol = Math.max(0, Math.floor((s.t0 - seriesT0) / w) - 1);
  const lastCol = Math.min(n - 1, Math.ceil((s.t1 - seriesT0) / w) + 1);
  ctx.beginPath();
  let firstX = NaN;
  let curY = NaN; // the y drawn so far
  let px = NaN; // pixel being accumulated, and its highest value (smallest y)
  let pxY = NaN;
  let lastX = 0;
  const emit = (x: number, y: number) => {
    if (Number.isNaN(firstX)) {
      firstX = x;
      ctx.moveTo(x, opts.line ? y : bottom);
      if (!opts.line) ctx.lineTo(x, y);
    } else if (y !== curY) {
      ctx.lineTo(x, curY);
      ctx.lineTo(x, y);
    }
    curY = y;
  };
  for (let b = firstCol; b <= lastCol; b++) {
    const v = values[b];
    if (Number.isNaN(v)) continue;
    const x = xAt(seriesT0 + b * w);
    const y = yOf(v);
    const p = Math.floor(x);
    if (p === px) {
      if (y < pxY) pxY = y;
    } else {
      if (!Number.isNaN(px)) emit(px, pxY);
      px = p;
      pxY = y;
    }
    lastX = xAt(seriesT0 + (b + 1) * w);
  }
  if (Number.isNaN(px)) return;
  emit(px, pxY);
  ctx.lineTo(lastX, curY);
  if (opts.line) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.25;
    ctx.setLineDash(opts.dashed ? [4, 3] : []);
    ctx.stroke();
    ctx.setLineDash([]);
    return;
  }
  ctx.lineTo(lastX, bottom);
  ctx.lineTo(firstX, bottom);
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.fill();
}
