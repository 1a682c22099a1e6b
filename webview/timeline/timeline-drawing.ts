// Drawing the timeline, a frame at a time from the data cache: the fixed header (the overview
// strip, the axis, GC and stop-the-world rows, the heap and goroutine graphs), the visible lanes
// with their gutter labels, and the overlay with the hovered and selected outlines. Each frame is
// recorded as a `timeline-draw` performance measure (the benchmark and the e2e tests read them).
import { axisTop } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { niceStep, timeAxis } from '../../src/core/layout/timeline-axis';
import { formatCount } from '../../src/core/format/units';
import { utcOffsetLabel, wallAxis } from '../../src/core/exectrace/wall-clock';
import type { OverviewData, TraceSummaryView } from '../../src/protocol/timeline';
import { prepareCanvas, TextWidthCache } from '../common/canvas';
import { uiFont } from '../common/theme';
import type { DataCache } from './data-cache';
import {
  addLane,
  drawSteps,
  drawTexts,
  GUTTER,
  LabelCache,
  RectBatch,
  xOf,
  type LaneStyle,
  type XScale,
} from './draw';
import { HEADER, ROW_H, type RowLayout } from './layout';
import type { TimelinePalette } from './palette';
import { bytes, num, type HoverClock } from './timeline-hover-text';
import type { TimelineViewport } from './timeline-viewport';

/** What a frame shows besides the view window: the controller's state as it is now. */
export interface TimelineScene {
  summary: TraceSummaryView;
  layout: RowLayout;
  expandedGroups: ReadonlySet<number>;
  cache: DataCache;
  overview: { buckets: number; data: OverviewData } | undefined;
  /** The stacked goroutine graph's bases (running; running + runnable + syscall). */
  stacks: { run: Float64Array; all: Float64Array } | undefined;
  selectionRange: [number, number] | undefined;
  highlight: { group: number; member?: number } | undefined;
  hovered: { key: string; index: number } | undefined;
  selected: { key: string; index: number } | undefined;
  /** The time "Go to Time…" went to, marked by a line across the lanes. */
  goneTo: number | undefined;
  /** When the first P lane's data came (0: not yet), for the `timeline-first` measure. */
  firstDataAt: number;
  /** While the rest of a previewed trace loads: parsed so far, and the estimated end (ns). */
  loading?: { parsedNs: number; endNs: number };
  clock: HoverClock;
}

export interface DrawingElements {
  header: HTMLCanvasElement;
  axis: SVGGElement;
  lanes: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
}

let drawMeasures = 0;

export class TimelineDrawing {
  private readonly batch = new RectBatch();
  private readonly labels = new LabelCache();
  private readonly widths: TextWidthCache;
  private font: string | undefined;
  private overlayDrawn = false;
  private overviewCache: { key: string; data: OverviewData; canvas: HTMLCanvasElement } | undefined;
  private readonly summaryAt = performance.now();
  private firstDrawn = false;
  private sc!: TimelineScene;

  constructor(
    private readonly el: DrawingElements,
    private readonly vp: TimelineViewport,
    private palette: TimelinePalette,
  ) {
    this.widths = new TextWidthCache(() => el.lanes.getContext('2d')!);
  }

  setPalette(p: TimelinePalette): void {
    this.palette = p;
    this.font = undefined;
  }

  private style(ctx: CanvasRenderingContext2D): LaneStyle {
    // Read once per theme: getComputedStyle in a frame forces a style recalculation.
    const font = (this.font ??= uiFont(11));
    ctx.font = font;
    return {
      palette: this.palette,
      batch: this.batch,
      labels: this.labels,
      widths: this.widths,
      font,
      charWidth: this.widths.width('0000000000', font) / 10,
      summary: this.sc.summary,
    };
  }

  /** Draws the header and the visible lanes; records the time as a `timeline-draw` measure. */
  draw(scene: TimelineScene): void {
    if (this.vp.width === 0) return;
    this.sc = scene;
    const started = performance.now();
    const marks = this.drawHeader() + this.drawLanes();
    this.drawAxis();
    // The overlay only holds the hovered and selected outlines; positions move with the view.
    if (this.sc.hovered || this.sc.selected || this.overlayDrawn || this.sc.goneTo !== undefined)
      this.drawOverlay(scene);
    const ms = performance.now() - started;
    if (++drawMeasures > 4000) {
      performance.clearMeasures('timeline-draw');
      drawMeasures = 1;
    }
    performance.measure('timeline-draw', { start: started, duration: ms, detail: { marks } });
    const ds = this.el.lanes.dataset;
    ds.draws = String(Number(ds.draws ?? '0') + 1);
    ds.drawMs = ms.toFixed(2);
    ds.marks = String(marks);
    if (!this.firstDrawn && this.sc.firstDataAt > 0) {
      this.firstDrawn = true;
      performance.measure('timeline-first', {
        start: this.summaryAt,
        duration: performance.now() - this.summaryAt,
      });
      ds.first = '1';
    }
  }

  private drawHeader(): number {
    const p = this.palette;
    const ctx = prepareCanvas(this.el.header, this.vp.width, HEADER.height);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, this.vp.width, HEADER.height);
    ctx.fillStyle = p.gutter;
    ctx.fillRect(0, 0, GUTTER, HEADER.height);
    const st = this.style(ctx);
    const s = this.vp.scale();
    ctx.font = st.font;
    ctx.textBaseline = 'middle';
    const label = (text: string, row: { top: number; h: number }) => {
      ctx.fillStyle = p.foreground;
      ctx.fillText(text, 8, row.top + row.h / 2);
    };
    // Overview: CPU utilization of all Ps over the whole trace (or the time range of it that is
    // loaded), GC cycles, the visible window.
    // While the rest of a previewed trace loads, the strip spans the estimated whole: the
    // preview's part drawn, the part parsed since hatched, the rest empty.
    const partial = this.sc.summary.partial;
    const loading = partial?.state === 'loading' ? this.sc.loading : undefined;
    label(
      loading
        ? `CPU, loading ${Math.round((100 * (loading.parsedNs - this.vp.fullStart)) / (loading.endNs - this.vp.fullStart))}%`
        : partial
          ? `CPU, first ${partial.generations} gen.`
          : this.sc.summary.range
            ? 'CPU, part shown'
            : 'CPU, whole trace',
      HEADER.overview,
    );
    const ov = HEADER.overview;
    const full: XScale = {
      t0: this.vp.fullStart,
      t1: Math.max(this.vp.fullEnd, loading?.endNs ?? 0),
      x0: GUTTER,
      width: this.vp.plotW,
    };
    const previewW = xOf(full, this.vp.fullEnd) - GUTTER;
    const strip = this.overviewImage();
    if (strip) ctx.drawImage(strip, GUTTER, ov.top, previewW, ov.h);
    if (loading) {
      const xa = GUTTER + previewW;
      const xb = xOf(full, loading.parsedNs);
      ctx.save();
      ctx.globalAlpha = 0.3;
      ctx.fillStyle = p.classes[0];
      for (let x = Math.floor(xa); x < xb; x += 4) ctx.fillRect(x, ov.top + 6, 2, ov.h - 8);
      ctx.restore();
      ctx.strokeStyle = p.grid;
      ctx.strokeRect(
        xa + 0.5,
        ov.top + 0.5,
        Math.max(1, GUTTER + this.vp.plotW - xa - 1),
        ov.h - 1,
      );
    }
    const wa = xOf(full, this.vp.t0);
    const wb = xOf(full, this.vp.t1);
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 1;
    ctx.strokeRect(
      Math.round(wa) + 0.5,
      ov.top + 0.5,
      Math.max(2, Math.round(wb - wa) - 1),
      ov.h - 1,
    );
    // Axis row: the labels are d3's (SVG); the base time of deep zooms in the gutter.
    const axis = this.axisTicks();
    label(axis.title, HEADER.axis);
    ctx.strokeStyle = p.grid;
    ctx.beginPath();
    for (const t of axis.ticks) {
      const x = Math.round(xOf(s, t)) + 0.5;
      ctx.moveTo(x, HEADER.gc.top);
      ctx.lineTo(x, HEADER.height);
    }
    ctx.stroke();
    // GC and STW rows.
    let marks = 0;
    const texts: Parameters<typeof drawTexts>[1] = [];
    this.batch.reset();
    for (const k of ['gc', 'stw'] as const) {
      label(
        k === 'gc'
          ? `GC (${this.sc.summary.gcCycles})`
          : `Stop-the-world (${this.sc.summary.stwCount})`,
        HEADER[k],
      );
      const c = this.sc.cache.get(k);
      if (c) marks += addLane(k, c.data, s, HEADER[k].top, HEADER[k].h, st, texts);
    }
    this.batch.fill(ctx);
    // Graphs.
    const series = this.sc.cache.series;
    label('Heap', HEADER.heap);
    label('Goroutines', HEADER.goroutines);
    if (series) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(GUTTER, 0, this.vp.plotW, HEADER.height);
      ctx.clip();
      const d = series.data;
      const hmax = Math.max(maxIn(d.heapAlloc.max), maxIn(d.heapGoal.max));
      const h = HEADER.heap;
      const [a, b] = [series.t0, series.t1];
      ctx.globalAlpha = 0.45;
      drawSteps(ctx, d.heapAlloc.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heap);
      ctx.globalAlpha = 1;
      drawSteps(ctx, d.heapAlloc.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heap, {
        line: true,
      });
      drawSteps(ctx, d.heapGoal.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heapGoal, {
        line: true,
        dashed: true,
      });
      const g = HEADER.goroutines;
      const stacks = this.sc.stacks ?? { run: d.running.max, all: d.running.max };
      const gmax = Math.max(1, maxIn(stacks.all));
      // Stacked: running at the bottom, runnable on it, syscall on top (cumulative sums).
      drawSteps(ctx, stacks.all, a, b, s, g.top + 2, g.h - 4, gmax * 1.05, p.classes[2]);
      drawSteps(ctx, stacks.run, a, b, s, g.top + 2, g.h - 4, gmax * 1.05, p.classes[1]);
      drawSteps(ctx, d.running.max, a, b, s, g.top + 2, g.h - 4, gmax * 1.05, p.classes[0]);
      ctx.restore();
      ctx.fillStyle = p.muted;
      ctx.textAlign = 'right';
      ctx.fillText(bytes(hmax), GUTTER - 6, h.top + 10);
      ctx.fillText(num(gmax), GUTTER - 6, g.top + 10);
      ctx.textAlign = 'left';
    }
    drawTexts(ctx, texts, st.font);
    this.drawSelectionBand(ctx, HEADER.gc.top, HEADER.height);
    ctx.strokeStyle = p.grid;
    ctx.beginPath();
    ctx.moveTo(0, HEADER.height - 0.5);
    ctx.lineTo(this.vp.width, HEADER.height - 0.5);
    ctx.stroke();
    return marks;
  }

  /**
   * The overview strip (CPU utilization of all Ps and GC cycles over the whole trace) drawn once
   * into its own canvas: it changes only with the data, the width or the theme, not per frame.
   */
  private overviewImage(): HTMLCanvasElement | undefined {
    const o = this.sc.overview;
    if (!o) return undefined;
    const key = `${o.buckets}/${this.vp.plotW}/${this.palette.classes[0]}`;
    if (this.overviewCache?.key === key && this.overviewCache.data === o.data)
      return this.overviewCache.canvas;
    const canvas = this.overviewCache?.canvas ?? document.createElement('canvas');
    const ov = HEADER.overview;
    const ctx = prepareCanvas(canvas, this.vp.plotW, ov.h);
    ctx.clearRect(0, 0, this.vp.plotW, ov.h);
    const u = o.data.utilization;
    ctx.fillStyle = this.palette.classes[0];
    ctx.beginPath();
    const bw = this.vp.plotW / u.length;
    for (let b = 0; b < u.length; b++) {
      const h = Math.min(1, u[b]) * (ov.h - 6);
      if (h > 0) ctx.rect(b * bw, ov.h - 2 - h, Math.max(1, bw), h);
    }
    ctx.fill();
    const full: XScale = {
      t0: this.vp.fullStart,
      t1: this.vp.fullEnd,
      x0: 0,
      width: this.vp.plotW,
    };
    ctx.fillStyle = this.palette.gc;
    ctx.beginPath();
    for (let i = 0; i < o.data.gcStart.length; i++) {
      const xa = xOf(full, o.data.gcStart[i]);
      ctx.rect(xa, 1, Math.max(1, xOf(full, o.data.gcEnd[i]) - xa), 3);
    }
    ctx.fill();
    this.overviewCache = { key, data: o.data, canvas };
    return canvas;
  }

  private drawSelectionBand(ctx: CanvasRenderingContext2D, top: number, bottom: number): void {
    const r = this.sc.selectionRange;
    if (!r) return;
    const s = this.vp.scale();
    const xa = Math.max(GUTTER, xOf(s, r[0]));
    const xb = Math.min(GUTTER + this.vp.plotW, xOf(s, r[1]));
    if (xb <= xa) return;
    ctx.fillStyle = this.palette.selection;
    ctx.fillRect(xa, top, xb - xa, bottom - top);
    ctx.strokeStyle = this.palette.selectionBorder;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(xa) + 0.5, top);
    ctx.lineTo(Math.round(xa) + 0.5, bottom);
    ctx.moveTo(Math.round(xb) - 0.5, top);
    ctx.lineTo(Math.round(xb) - 0.5, bottom);
    ctx.stroke();
  }

  /** Ticks, labels and the gutter title of the axis in the current mode. */
  private axisTicks(): { ticks: number[]; labels: string[]; title: string } {
    const maxTicks = Math.max(2, Math.floor(this.vp.plotW / 110));
    const { anchors, utcOffset } = this.sc.clock;
    if (this.sc.clock.wallMode && anchors) {
      return {
        ...wallAxis(anchors, this.vp.t0, this.vp.t1, maxTicks, utcOffset, niceStep),
        title: `Wall clock (${utcOffsetLabel(utcOffset)})`,
      };
    }
    const a = timeAxis(this.vp.t0, this.vp.t1, maxTicks);
    return {
      ticks: a.ticks,
      labels: a.labels,
      title: a.base === null ? 'Time since start' : `${a.baseLabel} +`,
    };
  }

  private drawAxis(): void {
    const x = scaleLinear()
      .domain([this.vp.t0, this.vp.t1])
      .range([GUTTER, GUTTER + this.vp.plotW]);
    const a = this.axisTicks();
    select(this.el.axis).call(
      axisTop(x)
        .tickValues(a.ticks)
        .tickFormat((_, i) => a.labels[i] ?? '')
        .tickSizeOuter(0)
        .tickSize(5),
    );
  }

  private drawLanes(): number {
    const p = this.palette;
    const w = this.vp.width;
    const h = this.vp.lanesHeight;
    const ctx = prepareCanvas(this.el.lanes, w, h);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, w, h);
    const top = this.vp.virtualTop(this.sc.layout.height);
    const rows = this.sc.layout.rowsIn(top, top + h);
    const st = this.style(ctx);
    const s = this.vp.scale();
    this.batch.reset();
    const texts: Parameters<typeof drawTexts>[1] = [];
    let marks = 0;
    let pMarks = 0;
    // Row backgrounds, highlights and gutter.
    for (const r of rows) {
      const y = r.top - top;
      const hl =
        this.sc.highlight &&
        ((r.kind === 'group' && r.group === this.sc.highlight.group) ||
          (r.kind === 'g' &&
            r.group === this.sc.highlight.group &&
            (this.sc.highlight.member === undefined || this.sc.highlight.member === r.member)));
      if (hl) {
        ctx.fillStyle = p.highlight;
        ctx.fillRect(0, y, w, r.height);
      } else if (r.kind === 'g' && r.member % 2 === 1) {
        ctx.fillStyle = p.rowAlt;
        ctx.fillRect(GUTTER, y, w - GUTTER, r.height);
      }
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, this.vp.plotW, h);
    ctx.clip();
    for (const r of rows) {
      if (r.kind !== 'p' && r.kind !== 'g') continue;
      const key =
        r.kind === 'p'
          ? `p${r.index}`
          : `g${(r as { group: number }).group}.${(r as { member: number }).member}`;
      const c = this.sc.cache.get(key);
      if (!c) continue;
      const n = addLane(r.kind === 'p' ? 'p' : 'g', c.data, s, r.top - top, r.height, st, texts);
      marks += n;
      if (r.kind === 'p') pMarks += n;
    }
    this.batch.fill(ctx);
    drawTexts(ctx, texts, st.font);
    this.drawSelectionBand(ctx, 0, h);
    ctx.restore();
    // Gutter labels last, over anything.
    ctx.fillStyle = p.gutter;
    ctx.fillRect(0, 0, GUTTER, h);
    ctx.font = st.font;
    ctx.textBaseline = 'middle';
    for (const r of rows) {
      const y = r.top - top;
      const mid = y + r.height / 2;
      ctx.fillStyle = p.foreground;
      if (r.kind === 'section') {
        ctx.font = `600 ${st.font}`;
        const text =
          r.section === 'procs'
            ? `Ps (${this.sc.summary.procs.length})`
            : `Goroutines by start function (${formatCount(this.sc.summary.goroutineCount)})`;
        ctx.fillText(text, 8, mid);
        ctx.font = st.font;
        ctx.strokeStyle = p.grid;
        ctx.beginPath();
        ctx.moveTo(0, Math.round(y + r.height) - 0.5);
        ctx.lineTo(w, Math.round(y + r.height) - 0.5);
        ctx.stroke();
      } else if (r.kind === 'p') {
        ctx.fillText(`P${this.sc.summary.procs[r.index]}`, 16, mid);
      } else if (r.kind === 'group') {
        const g = this.sc.summary.groups[r.group];
        const open = this.sc.expandedGroups.has(r.group);
        ctx.fillText(open ? '▾' : '▸', 6, mid);
        const name = g.name || '(no stack seen)';
        const count = ` (${formatCount(g.count)})`;
        const room = GUTTER - 20 - st.widths.width(count, st.font);
        ctx.fillText(fit(name, room, st.charWidth) + count, 18, mid);
        ctx.strokeStyle = p.grid;
        ctx.beginPath();
        ctx.moveTo(GUTTER, Math.round(y) + 0.5);
        ctx.lineTo(w, Math.round(y) + 0.5);
        ctx.stroke();
      } else if (r.kind === 'g') {
        const c = this.sc.cache.get(`g${r.group}.${r.member}`);
        ctx.fillStyle = p.muted;
        ctx.fillText(c?.data.goroutine ? `G${c.data.goroutine.id}` : '…', 28, mid);
      }
    }
    const ds = this.el.lanes.dataset;
    ds.pLanes = String(this.sc.summary.procs.length);
    ds.pMarks = String(pMarks);
    ds.rows = String(rows.length);
    // Where the first P lane is on the canvas (tests hover there).
    ds.firstPLaneY = String(ROW_H.section + ROW_H.p / 2 - top);
    // The time window shown (tests check it survives the swap from a preview to the whole).
    ds.window = `${this.vp.t0},${this.vp.t1}`;
    return marks;
  }

  /** The hovered and selected marks' outlines (a light canvas over the lanes). */
  drawOverlay(scene: TimelineScene): void {
    this.sc = scene;
    const ctx = prepareCanvas(this.el.overlay, this.vp.width, this.vp.lanesHeight);
    ctx.clearRect(0, 0, this.vp.width, this.vp.lanesHeight);
    this.overlayDrawn = !!(this.sc.hovered || this.sc.selected || this.sc.goneTo !== undefined);
    const top = this.vp.virtualTop(this.sc.layout.height);
    const s = this.vp.scale();
    const outline = (key: string, index: number, color: string, width: number) => {
      const c = this.sc.cache.get(key);
      if (!c || index >= c.data.start.length) return;
      let rowTop: number;
      let rowH: number;
      if (key.startsWith('p')) {
        rowTop = ROW_H.section + Number(key.slice(1)) * ROW_H.p - top;
        rowH = ROW_H.p;
      } else if (key.startsWith('g')) {
        const [g, m] = key.slice(1).split('.').map(Number);
        rowTop = this.sc.layout.topOf(g, m) - top;
        rowH = ROW_H.g;
      } else return;
      const xa = Math.max(GUTTER, xOf(s, c.data.start[index]));
      const xb = Math.min(GUTTER + this.vp.plotW, xOf(s, c.data.end[index]));
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(xa + 0.5, rowTop + 1.5, Math.max(1, xb - xa - 1), rowH - 3);
    };
    if (this.sc.selected)
      outline(this.sc.selected.key, this.sc.selected.index, this.palette.focus, 2);
    if (this.sc.hovered)
      outline(this.sc.hovered.key, this.sc.hovered.index, this.palette.foreground, 1);
    if (
      this.sc.goneTo !== undefined &&
      this.sc.goneTo >= this.vp.t0 &&
      this.sc.goneTo <= this.vp.t1
    ) {
      // The moment "Go to Time…" found, across every lane.
      const x = Math.round(xOf(s, this.sc.goneTo)) + 0.5;
      ctx.strokeStyle = this.palette.focus;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, this.vp.lanesHeight);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}

function maxIn(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

function fit(text: string, room: number, charWidth: number): string {
  const chars = Math.floor(room / charWidth);
  if (text.length <= chars) return text;
  return chars > 2 ? '…' + text.slice(text.length - chars + 1) : '';
}
