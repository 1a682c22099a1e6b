// The timeline's behaviour outside React: the view window and its d3-zoom transform, input
// (Ctrl/Cmd+wheel and keys zoom, drag and Shift+wheel pan, drag on the time ruler or Shift+drag
// selects a range, the overview strip moves the window), deciding what to fetch, and drawing
// each frame from the data cache. React renders the page around it and gets told about hover,
// selection and details through callbacks; nothing here re-renders React per frame.
import { axisTop } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { formatTimeIn, niceStep, timeAxis } from '../../src/core/exectrace/timeline-axis';
import { formatBytes, formatCount, formatDuration, formatPercent } from '../../src/core/format/units';
import {
  formatWallClock,
  formatWallRfc3339,
  localUtcOffsetMinutes,
  parseWallTime,
  traceToWall,
  utcOffsetLabel,
  wallAxis,
  wallToTrace,
} from '../../src/core/exectrace/wall-clock';
import { MIX_CLASSES, SPAN_CLASSES } from '../../src/core/exectrace/timeline-lanes';
import type { LaneData, LaneRef, OverviewData, SeriesData, TimelineWebviewMessage, TraceSummaryView } from '../../src/protocol/timeline';
import { prepareCanvas, TextWidthCache } from '../common/canvas';
import { uiFont } from '../common/theme';
import { DataCache, fetchWindow, resolutionLevel } from './data-cache';
import { addLane, drawSteps, drawTexts, GUTTER, LabelCache, markAt, RectBatch, xOf, type LaneStyle, type XScale } from './draw';
import { ROW_H, RowLayout, type Row } from './layout';
import { CLASS_LABELS, type TimelinePalette } from './palette';

/** Rows of the fixed header, top to bottom (CSS pixels). */
export const HEADER = {
  overview: { top: 0, h: 30 },
  axis: { top: 30, h: 26 },
  gc: { top: 56, h: 16 },
  stw: { top: 72, h: 16 },
  heap: { top: 88, h: 46 },
  goroutines: { top: 134, h: 46 },
  height: 182,
} as const;

/** The narrowest view: 20 pixels per ns is deeper than any event's precision. */
const MIN_NS_PER_PX = 0.05;
/** Browsers cap element heights (Chrome at ~33M px); beyond this the scrollbar maps proportionally. */
const MAX_SCROLL_PX = 8_000_000;
/** Zoom factor of one key press. */
const KEY_ZOOM = 1.6;

export interface HoverInfo {
  x: number;
  y: number;
  /** A single span, GC cycle or pause: its details are requested and shown when they come. */
  ref?: { kind: 'span' | 'gc' | 'stw'; index: number };
  /** What is known at once (merged runs, graphs). */
  title: string;
  lines: string[];
}

export interface ControllerCallbacks {
  send(message: TimelineWebviewMessage): void;
  hover(info: HoverInfo | undefined): void;
  /** A mark was clicked (or the selection cleared: undefined). */
  select(ref: { kind: 'span' | 'gc' | 'stw'; index: number } | undefined): void;
  selection(range: [number, number] | undefined): void;
  /** Rows were expanded or collapsed (to persist). */
  expanded(groups: number[]): void;
  view(t0: number, t1: number): void;
}

export interface Elements {
  body: HTMLDivElement;
  header: HTMLCanvasElement;
  axis: SVGGElement;
  scroller: HTMLDivElement;
  spacer: HTMLDivElement;
  lanes: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
}

let drawMeasures = 0;

export class TimelineController {
  private summary: TraceSummaryView;
  private layout: RowLayout;
  private readonly expandedGroups: Set<number>;
  private readonly cache = new DataCache();
  private overview: { buckets: number; data: OverviewData } | undefined;
  private width = 0;
  private lanesHeight = 0;
  private plotW = 1;
  private t0: number;
  private t1: number;
  private transform: ZoomTransform = zoomIdentity;
  private readonly zoomBehavior: ZoomBehavior<HTMLDivElement, unknown>;
  private readonly bodySel: Selection<HTMLDivElement, unknown, null, undefined>;
  private palette: TimelinePalette;
  private readonly batch = new RectBatch();
  private readonly labels = new LabelCache();
  private readonly widths: TextWidthCache;
  private drawPending = 0;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private lanesInFlight = false;
  private seriesInFlight = false;
  private seq = 0;
  private selectionRange: [number, number] | undefined;
  private selecting: { from: number; to: number } | undefined;
  private overviewDrag = false;
  private hovered: { key: string; index: number; row: Row } | undefined;
  private selected: { key: string; index: number } | undefined;
  private highlight: { group: number; member?: number } | undefined;
  private stacks: { run: Float64Array; all: Float64Array } | undefined;
  private font: string | undefined;
  private overlayDrawn = false;
  private overviewCache: { key: string; data: OverviewData; canvas: HTMLCanvasElement } | undefined;
  private firstDataAt = 0;
  private readonly summaryAt = performance.now();
  private firstDrawn = false;
  private disposed = false;
  private readonly cleanup: (() => void)[] = [];
  /** Axis labels in wall-clock time (only when the trace has clock snapshots). */
  private wallMode = false;

  constructor(
    private readonly el: Elements,
    summary: TraceSummaryView,
    palette: TimelinePalette,
    private readonly cb: ControllerCallbacks,
    initial: { t0?: number; t1?: number; expanded?: number[] } = {},
  ) {
    this.summary = summary;
    this.palette = palette;
    this.expandedGroups = new Set((initial.expanded ?? []).filter((g) => g < summary.groups.length));
    this.layout = this.makeLayout();
    this.t0 = summary.start;
    this.t1 = Math.max(summary.end, summary.start + 1);
    this.widths = new TextWidthCache(() => el.lanes.getContext('2d')!);
    this.bodySel = select(el.body);
    this.zoomBehavior = zoom<HTMLDivElement, unknown>()
      .filter((event: MouseEvent | WheelEvent) => this.zoomFilter(event))
      .wheelDelta((e: WheelEvent) => -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.004))
      .clickDistance(4)
      .on('zoom', (e: D3ZoomEvent<HTMLDivElement, unknown>) => this.onZoom(e.transform));
    this.bodySel.call(this.zoomBehavior).on('dblclick.zoom', null);
    this.listen();
    this.resize();
    if (initial.t0 !== undefined && initial.t1 !== undefined && initial.t1 > initial.t0) this.zoomTo(initial.t0, initial.t1);
  }

  private makeLayout(): RowLayout {
    return new RowLayout(
      this.summary.procs.length,
      this.summary.groups.map((g) => g.count),
      this.expandedGroups,
    );
  }

  // ---- view window -------------------------------------------------------------------------

  private get fullStart(): number {
    return this.summary.start;
  }

  private get fullEnd(): number {
    return Math.max(this.summary.end, this.summary.start + 1);
  }

  private baseScale() {
    return scaleLinear().domain([this.fullStart, this.fullEnd]).range([GUTTER, GUTTER + this.plotW]);
  }

  private maxZoom(): number {
    return Math.max(1, (this.fullEnd - this.fullStart) / this.plotW / MIN_NS_PER_PX);
  }

  private configureZoom(): void {
    const w = this.plotW;
    this.zoomBehavior
      .scaleExtent([1, this.maxZoom()])
      .extent([
        [GUTTER, 0],
        [GUTTER + w, Math.max(1, this.el.body.clientHeight)],
      ])
      .constrain((t) => {
        // Keep the trace filling the plot: no panning past either end; y is unused.
        let x = t.x;
        x = Math.min(x, GUTTER - GUTTER * t.k);
        x = Math.max(x, GUTTER + w - (GUTTER + w) * t.k);
        return zoomIdentity.translate(x, 0).scale(t.k);
      });
  }

  private onZoom(t: ZoomTransform): void {
    this.transform = t;
    const [a, b] = t.rescaleX(this.baseScale()).domain();
    this.t0 = a;
    this.t1 = b;
    this.cb.view(a, b);
    this.cb.hover(undefined);
    this.hovered = undefined;
    this.requestDraw();
    this.scheduleFetch();
  }

  /** Shows [t0, t1] (clamped to the trace). */
  zoomTo(t0: number, t1: number): void {
    const a = Math.max(this.fullStart, Math.min(t0, t1));
    const b = Math.min(this.fullEnd, Math.max(t0, t1));
    const span = Math.max(b - a, this.plotW * MIN_NS_PER_PX);
    const k = Math.min(this.maxZoom(), Math.max(1, (this.fullEnd - this.fullStart) / span));
    const base = this.baseScale();
    const x = GUTTER - base(a) * k;
    this.bodySel.call(this.zoomBehavior.transform, zoomIdentity.translate(x, 0).scale(k));
  }

  /** Zooms by `factor` (> 1 in) around plot x `atX` (default: the middle). */
  zoomBy(factor: number, atX = GUTTER + this.plotW / 2): void {
    this.bodySel.call(this.zoomBehavior.scaleBy, factor, [atX, 0]);
  }

  panBy(px: number): void {
    this.bodySel.call(this.zoomBehavior.translateBy, -px / this.transform.k, 0);
  }

  fit(): void {
    this.bodySel.call(this.zoomBehavior.transform, zoomIdentity);
  }

  get window(): [number, number] {
    return [this.t0, this.t1];
  }

  get selectionWindow(): [number, number] | undefined {
    return this.selectionRange;
  }

  clearSelection(): void {
    this.selectionRange = undefined;
    this.cb.selection(undefined);
    this.requestDraw();
  }

  // ---- rows and data -------------------------------------------------------------------------

  toggleGroup(group: number, open?: boolean): void {
    const want = open ?? !this.expandedGroups.has(group);
    if (want === this.expandedGroups.has(group)) return;
    if (want) this.expandedGroups.add(group);
    else this.expandedGroups.delete(group);
    this.layout = this.makeLayout();
    this.cb.expanded([...this.expandedGroups]);
    this.updateSpacer();
    this.requestDraw();
    this.scheduleFetch();
  }

  /** Scrolls to a group (or one goroutine of it), expanding the group, and highlights the lanes. */
  reveal(group: number, member?: number): void {
    this.toggleGroup(group, true);
    this.highlight = { group, member };
    const y = this.layout.topOf(group, member);
    this.scrollToVirtual(Math.max(0, y - ROW_H.group * 2));
    this.requestDraw();
    this.scheduleFetch();
  }

  private virtualTop(): number {
    const s = this.el.scroller;
    const total = this.layout.height;
    const view = this.lanesHeight;
    const spacerTotal = Math.min(total, MAX_SCROLL_PX);
    if (total <= MAX_SCROLL_PX || spacerTotal <= view) return s.scrollTop;
    return (s.scrollTop * (total - view)) / (spacerTotal - view);
  }

  private scrollToVirtual(y: number): void {
    const total = this.layout.height;
    const view = this.lanesHeight;
    const spacerTotal = Math.min(total, MAX_SCROLL_PX);
    this.el.scroller.scrollTop = total <= MAX_SCROLL_PX || spacerTotal <= view ? y : (y * (spacerTotal - view)) / (total - view);
  }

  private updateSpacer(): void {
    const total = Math.min(this.layout.height, MAX_SCROLL_PX);
    this.el.spacer.style.height = `${Math.max(0, total - this.lanesHeight)}px`;
  }

  private laneRef(row: Row): LaneRef | undefined {
    if (row.kind === 'p') return { kind: 'p', index: row.index };
    if (row.kind === 'g') return { kind: 'g', group: row.group, member: row.member };
    return undefined;
  }

  private scheduleFetch(): void {
    if (this.fetchTimer !== undefined || this.disposed) return;
    this.fetchTimer = setTimeout(() => {
      this.fetchTimer = undefined;
      this.fetch();
    }, 16);
  }

  private fetch(): void {
    if (this.disposed || this.plotW <= 1) return;
    const nsPerPx = (this.t1 - this.t0) / this.plotW;
    const level = resolutionLevel(nsPerPx);
    if (!this.lanesInFlight) {
      const refs: LaneRef[] = [{ kind: 'gc' }, { kind: 'stw' }];
      // One screen of lanes below what is visible too, so scrolling down finds them ready.
      const top = this.virtualTop();
      for (const r of this.layout.rowsIn(top, top + 2 * this.lanesHeight)) {
        const ref = this.laneRef(r);
        if (ref) refs.push(ref);
      }
      const need = this.cache.missing(refs, this.t0, this.t1, level).slice(0, 400);
      if (need.length > 0) {
        const [a, b] = fetchWindow(this.t0, this.t1, this.fullStart, this.fullEnd);
        const seq = ++this.seq;
        this.cache.requested(need, a, b, level);
        this.lanesInFlight = true;
        this.cb.send({ type: 'lanes', seq, t0: a, t1: b, resolution: level, lanes: need });
      }
    }
    if (!this.seriesInFlight && this.cache.seriesMissing(this.t0, this.t1, nsPerPx)) {
      const [a, b] = fetchWindow(this.t0, this.t1, this.fullStart, this.fullEnd);
      const buckets = Math.max(1, Math.min(8192, Math.round((b - a) / nsPerPx)));
      this.seriesInFlight = true;
      this.cb.send({ type: 'series', seq: ++this.seq, t0: a, t1: b, buckets });
    }
    if (!this.overview || this.overview.buckets !== Math.round(this.plotW)) {
      this.overview = undefined;
      this.cb.send({ type: 'overview', buckets: Math.max(1, Math.round(this.plotW)) });
    }
  }

  onLanes(lanes: LaneData[], t0: number, t1: number, resolution: number): void {
    this.cache.store(lanes, t0, t1, resolution);
    this.lanesInFlight = false;
    if (this.firstDataAt === 0 && lanes.some((l) => l.key.startsWith('p'))) this.firstDataAt = performance.now();
    this.requestDraw();
    this.scheduleFetch();
  }

  /** A request failed (the host said so): let the next view change ask again. */
  onRequestFailed(): void {
    this.lanesInFlight = false;
    this.seriesInFlight = false;
    this.cache.failed();
  }

  onSeries(series: SeriesData, t0: number, t1: number, buckets: number): void {
    this.cache.series = { t0, t1, buckets, data: series };
    // The stacked goroutine graph's bases, once per answer rather than per frame.
    const run = sum(series.running.max, series.runnable.max);
    this.stacks = { run, all: sum(run, series.syscall.max) };
    this.seriesInFlight = false;
    this.requestDraw();
    this.scheduleFetch();
  }

  onOverview(data: OverviewData, buckets: number): void {
    this.overview = { buckets, data };
    this.requestDraw();
  }

  setPalette(p: TimelinePalette): void {
    this.palette = p;
    this.font = undefined;
    this.requestDraw();
  }

  // ---- input ---------------------------------------------------------------------------------

  /** Which pointer events d3-zoom handles: Ctrl/Cmd+wheel, and plain drags on lanes and graphs. */
  private zoomFilter(event: MouseEvent | WheelEvent): boolean {
    if (event.type === 'wheel') return event.ctrlKey || event.metaKey;
    if (event.button !== 0 || event.shiftKey || event.ctrlKey || event.metaKey) return false;
    const { x, y, inLanes } = this.local(event);
    if (x < GUTTER || x > GUTTER + this.plotW) return false;
    if (!inLanes && y < HEADER.gc.top) return false; // overview and ruler have their own drags
    return true;
  }

  private local(e: MouseEvent): { x: number; y: number; inLanes: boolean } {
    const r = this.el.body.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return { x, y, inLanes: y >= HEADER.height };
  }

  private timeAtX(x: number): number {
    return this.t0 + ((x - GUTTER) / this.plotW) * (this.t1 - this.t0);
  }

  private listen(): void {
    const body = this.el.body;
    const on = <K extends keyof HTMLElementEventMap>(el: HTMLElement | Window, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      el.addEventListener(type, fn as EventListener, opts);
      this.cleanup.push(() => el.removeEventListener(type, fn as EventListener, opts));
    };
    on(this.el.scroller, 'scroll', () => {
      this.requestDraw();
      this.scheduleFetch();
    });
    // Shift+wheel and sideways swipes pan; plain wheel scrolls the lanes (the browser does it).
    on(
      body,
      'wheel',
      (e) => {
        if (e.ctrlKey || e.metaKey) return;
        const dx = e.shiftKey ? e.deltaY || e.deltaX : Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : 0;
        if (dx === 0) return;
        e.preventDefault();
        this.panBy(dx);
      },
      { passive: false },
    );
    on(body, 'mousedown', (e) => {
      if (e.button !== 0) return;
      const { x, y, inLanes } = this.local(e);
      if (x >= GUTTER && x <= GUTTER + this.plotW) {
        if (!inLanes && y < HEADER.overview.top + HEADER.overview.h) {
          this.overviewDrag = true;
          this.centerOverviewAt(x);
          e.preventDefault();
        } else if ((!inLanes && y >= HEADER.axis.top && y < HEADER.axis.top + HEADER.axis.h) || e.shiftKey) {
          const t = this.timeAtX(x);
          this.selecting = { from: t, to: t };
          e.preventDefault();
        }
      }
    });
    on(window, 'mousemove', (e) => {
      if (this.overviewDrag) {
        this.centerOverviewAt(this.local(e).x);
        return;
      }
      if (this.selecting) {
        this.selecting.to = this.timeAtX(Math.max(GUTTER, Math.min(GUTTER + this.plotW, this.local(e).x)));
        this.selectionRange = [Math.min(this.selecting.from, this.selecting.to), Math.max(this.selecting.from, this.selecting.to)];
        this.requestDraw();
      }
    });
    on(window, 'mouseup', () => {
      this.overviewDrag = false;
      if (!this.selecting) return;
      const s = this.selecting;
      this.selecting = undefined;
      const px = (Math.abs(s.to - s.from) / (this.t1 - this.t0)) * this.plotW;
      this.selectionRange = px < 3 ? undefined : [Math.min(s.from, s.to), Math.max(s.from, s.to)];
      this.cb.selection(this.selectionRange);
      this.requestDraw();
    });
    on(body, 'mousemove', (e) => this.onHover(e));
    on(body, 'mouseleave', () => {
      this.hovered = undefined;
      this.cb.hover(undefined);
      this.drawOverlay();
    });
    on(body, 'click', (e) => this.onClick(e));
    on(body, 'keydown', (e) => this.onKey(e));
    const ro = new ResizeObserver(() => this.resize());
    ro.observe(body);
    this.cleanup.push(() => ro.disconnect());
  }

  private centerOverviewAt(x: number): void {
    const t = this.fullStart + ((x - GUTTER) / this.plotW) * (this.fullEnd - this.fullStart);
    const half = (this.t1 - this.t0) / 2;
    this.zoomTo(t - half, t + half);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target instanceof HTMLInputElement) return;
    const step = this.plotW / 5;
    switch (e.key) {
      case 'w':
      case '+':
      case '=':
        this.zoomBy(KEY_ZOOM);
        break;
      case 's':
      case '-':
        this.zoomBy(1 / KEY_ZOOM);
        break;
      case 'a':
      case 'ArrowLeft':
        this.panBy(-step);
        break;
      case 'd':
      case 'ArrowRight':
        this.panBy(step);
        break;
      case '0':
      case 'Home':
        this.fit();
        break;
      case 'z':
        if (this.selectionRange) this.zoomTo(...this.selectionRange);
        break;
      case 'Escape':
        this.clearSelection();
        this.selected = undefined;
        this.cb.select(undefined);
        this.highlight = undefined;
        this.requestDraw();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** What is under a point of the body: a lane row (scrolled area) or a header row. */
  private hitTest(x: number, y: number, inLanes: boolean): { row?: Row; header?: keyof typeof HEADER; t: number } {
    const t = this.timeAtX(x);
    if (inLanes) return { row: this.layout.rowAt(this.virtualTop() + y - HEADER.height), t };
    for (const k of ['overview', 'axis', 'gc', 'stw', 'heap', 'goroutines'] as const) {
      const r = HEADER[k];
      if (y >= r.top && y < r.top + r.h) return { header: k, t };
    }
    return { t };
  }

  private laneAt(row: Row | undefined, header: string | undefined): { key: string; kind: 'p' | 'g' | 'gc' | 'stw' } | undefined {
    if (header === 'gc' || header === 'stw') return { key: header, kind: header };
    if (row?.kind === 'p') return { key: `p${row.index}`, kind: 'p' };
    if (row?.kind === 'g') return { key: `g${row.group}.${row.member}`, kind: 'g' };
    return undefined;
  }

  private onHover(e: MouseEvent): void {
    if (this.selecting || this.overviewDrag || e.buttons !== 0) return;
    const { x, y, inLanes } = this.local(e);
    if (x < GUTTER || x > GUTTER + this.plotW) {
      if (this.hovered) {
        this.hovered = undefined;
        this.cb.hover(undefined);
        this.drawOverlay();
      }
      return;
    }
    const hit = this.hitTest(x, y, inLanes);
    const lane = this.laneAt(hit.row, hit.header);
    const nsPerPx = (this.t1 - this.t0) / this.plotW;
    if (lane) {
      const c = this.cache.get(lane.key);
      const i = c ? markAt(c.data, hit.t, 2 * nsPerPx) : -1;
      if (c && i >= 0) {
        const d = c.data;
        const same = this.hovered?.key === lane.key && this.hovered.index === i;
        this.hovered = { key: lane.key, index: i, row: hit.row ?? { kind: 'section', section: 'procs', top: 0, height: 0 } };
        this.cb.hover(this.describeMark(lane.kind, d, i, x, y));
        if (!same) this.drawOverlay();
        return;
      }
    } else if (hit.header === 'heap' || hit.header === 'goroutines') {
      this.hovered = undefined;
      this.cb.hover(this.describeGraph(hit.header, hit.t, x, y));
      this.drawOverlay();
      return;
    }
    if (this.hovered) {
      this.hovered = undefined;
      this.drawOverlay();
    }
    this.cb.hover(undefined);
  }

  private describeMark(kind: 'p' | 'g' | 'gc' | 'stw', d: LaneData, i: number, x: number, y: number): HoverInfo {
    const span = this.fullEnd - this.fullStart;
    const anchors = this.wallMode ? this.anchors : undefined;
    const at = (t: number) => (anchors ? formatWallClock(traceToWall(anchors, t), this.utcOffset, 9) : formatTimeIn(t, span));
    const when = `${at(d.start[i])} – ${at(d.end[i])} (${formatDuration(d.end[i] - d.start[i])})`;
    if (d.n[i] > 1) {
      const lines = [when, ...this.otherClock(d.start[i])];
      const C = d.classCount;
      if (C === 1) lines.push(`${formatPercent(d.mix[i], 1)} busy`);
      else for (let c = 0; c < C; c++) if (d.mix[i * C + c] > 0.005) lines.push(`${MIX_CLASSES[c]}: ${formatPercent(d.mix[i * C + c], 1)}`);
      lines.push('Zoom in to see them one by one.');
      const what = kind === 'p' ? 'goroutine runs' : kind === 'g' ? 'state changes' : kind === 'gc' ? 'GC cycles' : 'pauses';
      return { x, y, title: `${formatCount(d.n[i])} ${what}, each narrower than a pixel`, lines };
    }
    const ref = { kind: kind === 'gc' || kind === 'stw' ? kind : ('span' as const), index: d.ref[i] };
    let title: string;
    if (kind === 'p') title = `G${d.gid[i]} ${this.summary.groups[d.group[i]]?.name ?? ''}`;
    else if (kind === 'g') title = CLASS_LABELS[SPAN_CLASSES[d.cls[i]]];
    else title = kind === 'gc' ? 'GC cycle' : 'Stop-the-world';
    return { x, y, ref, title, lines: [when, ...this.otherClock(d.start[i])] };
  }

  private describeGraph(which: 'heap' | 'goroutines', t: number, x: number, y: number): HoverInfo | undefined {
    const s = this.cache.series;
    if (!s) return undefined;
    const b = Math.floor(((t - s.t0) / (s.t1 - s.t0)) * s.buckets);
    if (b < 0 || b >= s.buckets) return undefined;
    const v = (d: { max: Float64Array }) => d.max[b];
    const lines =
      which === 'heap'
        ? [`in use: ${bytes(v(s.data.heapAlloc))}`, `goal: ${bytes(v(s.data.heapGoal))}`]
        : [`running: ${num(v(s.data.running))}`, `runnable: ${num(v(s.data.runnable))}`, `syscall: ${num(v(s.data.syscall))}`, `blocked: ${num(v(s.data.waiting))}`];
    return { x, y, title: `${which === 'heap' ? 'Heap' : 'Goroutines'} at ${formatTimeIn(t, this.t1 - this.t0)}`, lines: [...lines, ...this.otherClock(t)] };
  }

  private onClick(e: MouseEvent): void {
    this.el.body.focus({ preventScroll: true });
    const { x, y, inLanes } = this.local(e);
    if (x < GUTTER && inLanes) {
      const row = this.layout.rowAt(this.virtualTop() + y - HEADER.height);
      if (row?.kind === 'group') this.toggleGroup(row.group);
      return;
    }
    if (x > GUTTER + this.plotW) return;
    const hit = this.hitTest(x, y, inLanes);
    const lane = this.laneAt(hit.row, hit.header);
    if (!lane) return;
    const c = this.cache.get(lane.key);
    const i = c ? markAt(c.data, hit.t, 2 * ((this.t1 - this.t0) / this.plotW)) : -1;
    if (!c || i < 0) return;
    if (c.data.n[i] > 1) {
      // A merged run: zoom to it.
      this.zoomTo(c.data.start[i], c.data.end[i]);
      return;
    }
    this.selected = { key: lane.key, index: i };
    this.cb.select({ kind: lane.kind === 'gc' || lane.kind === 'stw' ? lane.kind : 'span', index: c.data.ref[i] });
    this.drawOverlay();
  }

  // ---- drawing -------------------------------------------------------------------------------

  resize(): void {
    const body = this.el.body;
    // Hidden (the analysis tab is in front): keep the layout it had until it is shown again.
    if (body.clientWidth === 0 || body.clientHeight === 0) return;
    const w = Math.max(GUTTER + 50, Math.floor(body.clientWidth));
    const lanesH = Math.max(40, Math.floor(this.el.scroller.clientHeight));
    if (w === this.width && lanesH === this.lanesHeight) return;
    const [a, b] = [this.t0, this.t1];
    this.width = w;
    this.lanesHeight = lanesH;
    // The scroller's vertical scrollbar takes room at the right of the lanes.
    const scrollbar = this.el.scroller.offsetWidth - this.el.scroller.clientWidth;
    this.plotW = Math.max(20, w - GUTTER - Math.max(scrollbar, 8));
    this.updateSpacer();
    this.configureZoom();
    // Keep the same time window across a resize.
    this.zoomTo(a, b);
    this.requestDraw();
    this.scheduleFetch();
  }

  requestDraw(): void {
    if (this.drawPending || this.disposed) return;
    this.drawPending = requestAnimationFrame(() => {
      this.drawPending = 0;
      this.draw();
    });
  }

  private style(ctx: CanvasRenderingContext2D): LaneStyle {
    // Read once per theme: getComputedStyle in a frame forces a style recalculation.
    const font = (this.font ??= uiFont(11));
    ctx.font = font;
    return { palette: this.palette, batch: this.batch, labels: this.labels, widths: this.widths, font, charWidth: this.widths.width('0000000000', font) / 10, summary: this.summary };
  }

  /** Draws the header and the visible lanes; records the time as a `timeline-draw` measure. */
  draw(): void {
    if (this.disposed || this.width === 0) return;
    const started = performance.now();
    const marks = this.drawHeader() + this.drawLanes();
    this.drawAxis();
    // The overlay only holds the hovered and selected outlines; positions move with the view.
    if (this.hovered || this.selected || this.overlayDrawn || this.goneTo !== undefined) this.drawOverlay();
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
    if (!this.firstDrawn && this.firstDataAt > 0) {
      this.firstDrawn = true;
      performance.measure('timeline-first', { start: this.summaryAt, duration: performance.now() - this.summaryAt });
      ds.first = '1';
    }
  }

  private scale(): XScale {
    return { t0: this.t0, t1: this.t1, x0: GUTTER, width: this.plotW };
  }

  private drawHeader(): number {
    const p = this.palette;
    const ctx = prepareCanvas(this.el.header, this.width, HEADER.height);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, this.width, HEADER.height);
    ctx.fillStyle = p.gutter;
    ctx.fillRect(0, 0, GUTTER, HEADER.height);
    const st = this.style(ctx);
    const s = this.scale();
    ctx.font = st.font;
    ctx.textBaseline = 'middle';
    const label = (text: string, row: { top: number; h: number }) => {
      ctx.fillStyle = p.foreground;
      ctx.fillText(text, 8, row.top + row.h / 2);
    };
    // Overview: CPU utilization of all Ps over the whole trace, GC cycles, the visible window.
    label('CPU, whole trace', HEADER.overview);
    const ov = HEADER.overview;
    const full: XScale = { t0: this.fullStart, t1: this.fullEnd, x0: GUTTER, width: this.plotW };
    const strip = this.overviewImage();
    if (strip) ctx.drawImage(strip, GUTTER, ov.top, this.plotW, ov.h);
    const wa = xOf(full, this.t0);
    const wb = xOf(full, this.t1);
    ctx.strokeStyle = p.focus;
    ctx.lineWidth = 1;
    ctx.strokeRect(Math.round(wa) + 0.5, ov.top + 0.5, Math.max(2, Math.round(wb - wa) - 1), ov.h - 1);
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
      label(k === 'gc' ? `GC (${this.summary.gcCycles})` : `Stop-the-world (${this.summary.stwCount})`, HEADER[k]);
      const c = this.cache.get(k);
      if (c) marks += addLane(k, c.data, s, HEADER[k].top, HEADER[k].h, st, texts);
    }
    this.batch.fill(ctx);
    // Graphs.
    const series = this.cache.series;
    label('Heap', HEADER.heap);
    label('Goroutines', HEADER.goroutines);
    if (series) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(GUTTER, 0, this.plotW, HEADER.height);
      ctx.clip();
      const d = series.data;
      const hmax = Math.max(maxIn(d.heapAlloc.max), maxIn(d.heapGoal.max));
      const h = HEADER.heap;
      const [a, b] = [series.t0, series.t1];
      ctx.globalAlpha = 0.45;
      drawSteps(ctx, d.heapAlloc.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heap);
      ctx.globalAlpha = 1;
      drawSteps(ctx, d.heapAlloc.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heap, { line: true });
      drawSteps(ctx, d.heapGoal.max, a, b, s, h.top + 2, h.h - 4, hmax * 1.05, p.heapGoal, { line: true, dashed: true });
      const g = HEADER.goroutines;
      const stacks = this.stacks ?? { run: d.running.max, all: d.running.max };
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
    ctx.lineTo(this.width, HEADER.height - 0.5);
    ctx.stroke();
    return marks;
  }

  /**
   * The overview strip (CPU utilization of all Ps and GC cycles over the whole trace) drawn once
   * into its own canvas: it changes only with the data, the width or the theme, not per frame.
   */
  private overviewImage(): HTMLCanvasElement | undefined {
    const o = this.overview;
    if (!o) return undefined;
    const key = `${o.buckets}/${this.plotW}/${this.palette.classes[0]}`;
    if (this.overviewCache?.key === key && this.overviewCache.data === o.data) return this.overviewCache.canvas;
    const canvas = this.overviewCache?.canvas ?? document.createElement('canvas');
    const ov = HEADER.overview;
    const ctx = prepareCanvas(canvas, this.plotW, ov.h);
    ctx.clearRect(0, 0, this.plotW, ov.h);
    const u = o.data.utilization;
    ctx.fillStyle = this.palette.classes[0];
    ctx.beginPath();
    const bw = this.plotW / u.length;
    for (let b = 0; b < u.length; b++) {
      const h = Math.min(1, u[b]) * (ov.h - 6);
      if (h > 0) ctx.rect(b * bw, ov.h - 2 - h, Math.max(1, bw), h);
    }
    ctx.fill();
    const full: XScale = { t0: this.fullStart, t1: this.fullEnd, x0: 0, width: this.plotW };
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
    const r = this.selectionRange;
    if (!r) return;
    const s = this.scale();
    const xa = Math.max(GUTTER, xOf(s, r[0]));
    const xb = Math.min(GUTTER + this.plotW, xOf(s, r[1]));
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

  /** The clock snapshots when the trace has them. */
  private get anchors() {
    const a = this.summary.wallClock?.anchors;
    return a && a.length > 0 ? a : undefined;
  }

  /** The UTC offset wall times are shown in: the viewer's zone at the trace's time. */
  private get utcOffset(): number {
    const a = this.anchors;
    return a ? localUtcOffsetMinutes(a[0]) : 0;
  }

  /** Whether the axis shows wall-clock time; why it cannot when it cannot. */
  get wallClock(): { on: boolean; available: boolean; why: string; zone: string } {
    const available = this.anchors !== undefined;
    return { on: this.wallMode && available, available, why: this.summary.wallClock?.unavailable ?? 'This trace carries no clock snapshots.', zone: utcOffsetLabel(this.utcOffset) };
  }

  setWallClock(on: boolean): void {
    this.wallMode = on && this.anchors !== undefined;
    this.requestDraw();
  }

  /** Ticks, labels and the gutter title of the axis in the current mode. */
  private axisTicks(): { ticks: number[]; labels: string[]; title: string } {
    const maxTicks = Math.max(2, Math.floor(this.plotW / 110));
    const anchors = this.anchors;
    if (this.wallMode && anchors) {
      return { ...wallAxis(anchors, this.t0, this.t1, maxTicks, this.utcOffset, niceStep), title: `Wall clock (${utcOffsetLabel(this.utcOffset)})` };
    }
    const a = timeAxis(this.t0, this.t1, maxTicks);
    return { ticks: a.ticks, labels: a.labels, title: a.base === null ? 'Time since start' : `${a.baseLabel} +` };
  }

  /** A hover line naming `t` in the other clock (wall when the axis is relative, and back). */
  private otherClock(t: number): string[] {
    const anchors = this.anchors;
    if (!anchors) return [];
    if (this.wallMode) return [`${formatTimeIn(t, this.fullEnd - this.fullStart)} since the trace start`];
    return [`wall clock ${formatWallRfc3339(traceToWall(anchors, t), this.utcOffset)}`];
  }

  /**
   * Centres the view on the wall-clock time found in `text` (a log line), keeping the zoom.
   * Returns what to tell the user: where it went, or why it could not.
   */
  goToWallTime(text: string): { ok: boolean; message: string } {
    const anchors = this.anchors;
    if (!anchors) return { ok: false, message: this.wallClock.why };
    const w = parseWallTime(text, this.utcOffset, anchors[0]);
    if (!w) return { ok: false, message: `No time found in "${text.slice(0, 80)}". Paste a log line with a time like 2026-12-05T10:11:12.123Z, 2026/12/05 10:11:12.123456 or 10:11:12.123.` };
    const t = wallToTrace(anchors, w);
    const label = formatWallRfc3339(w, this.utcOffset);
    const start = formatWallClock(traceToWall(anchors, this.fullStart), this.utcOffset);
    const end = formatWallClock(traceToWall(anchors, this.fullEnd), this.utcOffset);
    if (t < this.fullStart || t > this.fullEnd) {
      const off = t < this.fullStart ? `${formatDuration(this.fullStart - t)} before the trace starts` : `${formatDuration(t - this.fullEnd)} after the trace ends`;
      return { ok: false, message: `${label} is ${off}: the trace covers ${start} – ${end} (${utcOffsetLabel(this.utcOffset)}).` };
    }
    const half = Math.max(500, (this.t1 - this.t0) / 2);
    this.zoomTo(Math.max(this.fullStart, t - half), Math.min(this.fullEnd, t + half));
    this.goneTo = t;
    this.requestDraw();
    return { ok: true, message: `${label}: ${formatTimeIn(t, this.fullEnd - this.fullStart)} since the trace start (marked).` };
  }

  /** The time "Go to Time…" went to, marked by a line across the lanes. */
  private goneTo: number | undefined;

  private drawAxis(): void {
    const x = scaleLinear().domain([this.t0, this.t1]).range([GUTTER, GUTTER + this.plotW]);
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
    const w = this.width;
    const h = this.lanesHeight;
    const ctx = prepareCanvas(this.el.lanes, w, h);
    ctx.fillStyle = p.background;
    ctx.fillRect(0, 0, w, h);
    const top = this.virtualTop();
    const rows = this.layout.rowsIn(top, top + h);
    const st = this.style(ctx);
    const s = this.scale();
    this.batch.reset();
    const texts: Parameters<typeof drawTexts>[1] = [];
    let marks = 0;
    let pMarks = 0;
    // Row backgrounds, highlights and gutter.
    for (const r of rows) {
      const y = r.top - top;
      const hl = this.highlight && ((r.kind === 'group' && r.group === this.highlight.group) || (r.kind === 'g' && r.group === this.highlight.group && (this.highlight.member === undefined || this.highlight.member === r.member)));
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
    ctx.rect(GUTTER, 0, this.plotW, h);
    ctx.clip();
    for (const r of rows) {
      const ref = this.laneRef(r);
      if (!ref) continue;
      const key = r.kind === 'p' ? `p${r.index}` : `g${(r as { group: number }).group}.${(r as { member: number }).member}`;
      const c = this.cache.get(key);
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
        const text = r.section === 'procs' ? `Ps (${this.summary.procs.length})` : `Goroutines by start function (${formatCount(this.summary.goroutineCount)})`;
        ctx.fillText(text, 8, mid);
        ctx.font = st.font;
        ctx.strokeStyle = p.grid;
        ctx.beginPath();
        ctx.moveTo(0, Math.round(y + r.height) - 0.5);
        ctx.lineTo(w, Math.round(y + r.height) - 0.5);
        ctx.stroke();
      } else if (r.kind === 'p') {
        ctx.fillText(`P${this.summary.procs[r.index]}`, 16, mid);
      } else if (r.kind === 'group') {
        const g = this.summary.groups[r.group];
        const open = this.expandedGroups.has(r.group);
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
        const c = this.cache.get(`g${r.group}.${r.member}`);
        ctx.fillStyle = p.muted;
        ctx.fillText(c?.data.goroutine ? `G${c.data.goroutine.id}` : '…', 28, mid);
      }
    }
    const ds = this.el.lanes.dataset;
    ds.pLanes = String(this.summary.procs.length);
    ds.pMarks = String(pMarks);
    ds.rows = String(rows.length);
    // Where the first P lane is on the canvas (tests hover there).
    ds.firstPLaneY = String(ROW_H.section + ROW_H.p / 2 - top);
    return marks;
  }

  /** The hovered and selected marks' outlines (a light canvas over the lanes). */
  private drawOverlay(): void {
    const ctx = prepareCanvas(this.el.overlay, this.width, this.lanesHeight);
    ctx.clearRect(0, 0, this.width, this.lanesHeight);
    this.overlayDrawn = !!(this.hovered || this.selected || this.goneTo !== undefined);
    const top = this.virtualTop();
    const s = this.scale();
    const outline = (key: string, index: number, color: string, width: number) => {
      const c = this.cache.get(key);
      if (!c || index >= c.data.start.length) return;
      let rowTop: number;
      let rowH: number;
      if (key.startsWith('p')) {
        rowTop = ROW_H.section + Number(key.slice(1)) * ROW_H.p - top;
        rowH = ROW_H.p;
      } else if (key.startsWith('g')) {
        const [g, m] = key.slice(1).split('.').map(Number);
        rowTop = this.layout.topOf(g, m) - top;
        rowH = ROW_H.g;
      } else return;
      const xa = Math.max(GUTTER, xOf(s, c.data.start[index]));
      const xb = Math.min(GUTTER + this.plotW, xOf(s, c.data.end[index]));
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(xa + 0.5, rowTop + 1.5, Math.max(1, xb - xa - 1), rowH - 3);
    };
    if (this.selected) outline(this.selected.key, this.selected.index, this.palette.focus, 2);
    if (this.hovered) outline(this.hovered.key, this.hovered.index, this.palette.foreground, 1);
    if (this.goneTo !== undefined && this.goneTo >= this.t0 && this.goneTo <= this.t1) {
      // The moment "Go to Time…" found, across every lane.
      const x = Math.round(xOf(s, this.goneTo)) + 0.5;
      ctx.strokeStyle = this.palette.focus;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, this.lanesHeight);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.drawPending) cancelAnimationFrame(this.drawPending);
    if (this.fetchTimer !== undefined) clearTimeout(this.fetchTimer);
    this.bodySel.on('.zoom', null);
    for (const c of this.cleanup) c();
  }
}

function maxIn(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

function sum(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] || 0) + (b[i] || 0);
  return out;
}

function fit(text: string, room: number, charWidth: number): string {
  const chars = Math.floor(room / charWidth);
  if (text.length <= chars) return text;
  return chars > 2 ? '…' + text.slice(text.length - chars + 1) : '';
}

function bytes(v: number): string {
  return Number.isFinite(v) ? formatBytes(v) : '—';
}

function num(v: number): string {
  return Number.isFinite(v) ? formatCount(Math.round(v)) : '—';
}
