// The timeline's behaviour outside React: it holds the trace's rows and the state the user
// changes (expanded groups, selection, highlight, the wall-clock axis), decides what to fetch,
// and ties together the view window (timeline-viewport.ts), input (timeline-input.ts), drawing
// each frame from the data cache (timeline-drawing.ts) and the tooltip's text
// (timeline-hover-text.ts). React renders the page around it and gets told about hover,
// selection and details through callbacks; nothing here re-renders React per frame.
import { formatTimeIn } from '../../src/core/layout/timeline-axis';
import { formatDuration } from '../../src/core/format/units';
import {
  formatWallClock,
  formatWallRfc3339,
  localUtcOffsetMinutes,
  parseWallTime,
  traceToWall,
  utcOffsetLabel,
  wallToTrace,
} from '../../src/core/exectrace/wall-clock';
import type { Params, Result } from '../../src/protocol/rpc';
import type {
  LaneData,
  LaneRef,
  OverviewData,
  SeriesData,
  TimelineMethods,
  TraceSummaryView,
} from '../../src/protocol/timeline';
import { DataCache, fetchWindow, resolutionLevel } from './data-cache';
import { ROW_H, RowLayout, type Row } from './layout';
import type { TimelinePalette } from './palette';
import { TimelineDrawing, type TimelineScene } from './timeline-drawing';
import type { HoverClock, HoverInfo } from './timeline-hover-text';
import { TimelineInput } from './timeline-input';
import { TimelineViewport } from './timeline-viewport';

export { HEADER } from './layout';
export type { HoverInfo } from './timeline-hover-text';

export interface ControllerCallbacks {
  /** Asks the host (the page's channel, webview/common/rpc.ts); the page shows a failure. */
  request<K extends keyof TimelineMethods & string>(
    method: K,
    params: Params<TimelineMethods, K>,
  ): Promise<Result<TimelineMethods, K>>;
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

export class TimelineController {
  private summary: TraceSummaryView;
  private layout: RowLayout;
  private readonly expandedGroups: Set<number>;
  private readonly cache = new DataCache();
  private overview: { buckets: number; data: OverviewData } | undefined;
  private readonly viewport: TimelineViewport;
  private readonly input: TimelineInput;
  private readonly drawing: TimelineDrawing;
  private drawPending = 0;
  private fetchTimer: ReturnType<typeof setTimeout> | undefined;
  private lanesInFlight = false;
  private seriesInFlight = false;
  private selectionRange: [number, number] | undefined;
  private highlight: { group: number; member?: number } | undefined;
  private stacks: { run: Float64Array; all: Float64Array } | undefined;
  private firstDataAt = 0;
  /** While the rest of a previewed trace loads: how far (see setLoading). */
  private loading: { parsedNs: number; endNs: number } | undefined;
  /** Bumped when the summary is replaced: answers to requests made before are dropped. */
  private epoch = 0;
  private disposed = false;
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
    this.expandedGroups = new Set(
      (initial.expanded ?? []).filter((g) => g < summary.groups.length),
    );
    this.layout = this.makeLayout();
    this.viewport = new TimelineViewport(
      el,
      () => ({ start: this.summary.start, end: this.summary.end }),
      (event) => this.input.zoomFilter(event),
      (a, b) => this.onZoom(a, b),
    );
    this.drawing = new TimelineDrawing(el, this.viewport, palette);
    this.input = new TimelineInput(el, this.viewport, {
      summary: () => this.summary,
      layout: () => this.layout,
      cache: this.cache,
      selectionRange: () => this.selectionRange,
      setSelectionRange: (range) => (this.selectionRange = range),
      clock: () => this.clock(),
      hover: (info) => this.cb.hover(info),
      select: (ref) => this.cb.select(ref),
      selection: (range) => this.cb.selection(range),
      toggleGroup: (group) => this.toggleGroup(group),
      clearSelection: () => this.clearSelection(),
      clearHighlight: () => (this.highlight = undefined),
      scrolled: () => {
        this.requestDraw();
        this.scheduleFetch();
      },
      resize: () => this.resize(),
      requestDraw: () => this.requestDraw(),
      drawOverlay: () => this.drawOverlay(),
    });
    this.input.listen();
    this.resize();
    if (initial.t0 !== undefined && initial.t1 !== undefined && initial.t1 > initial.t0)
      this.zoomTo(initial.t0, initial.t1);
  }

  private makeLayout(): RowLayout {
    return new RowLayout(
      this.summary.procs.length,
      this.summary.groups.map((g) => g.count),
      this.expandedGroups,
    );
  }

  /**
   * How far the rest of a previewed trace has loaded: the overview strip then spans the whole
   * trace as far as it can be estimated (parsed time over the share of the file), with the
   * preview's part drawn and the part parsed since shown as loading.
   */
  setLoading(parsedNs: number, fraction: number): void {
    const s = this.summary;
    if (s.partial?.state !== 'loading' || fraction <= 0) return;
    const parsed = Math.max(s.end, parsedNs);
    const estimated = s.start + (parsed - s.start) / Math.min(1, fraction);
    this.loading = { parsedNs: parsed, endNs: Math.max(parsed, estimated) };
    this.viewport.overviewEnd = this.loading.endNs;
    this.requestDraw();
  }

  /**
   * The same trace modelled again: the complete trace after a preview of its first generations,
   * or the trace parsed again after the worker restarted. Keeps the time window (a view of the
   * whole preview becomes a view of the whole trace), the selected range, the scroll position
   * and the expanded groups (found again by name: the groups' order can change); the data
   * already fetched is dropped, and answers still on their way are ignored.
   */
  setSummary(summary: TraceSummaryView): void {
    const old = this.summary;
    if (summary === old) return;
    const [a, b] = [this.t0, this.t1];
    const whole = a <= this.fullStart && b >= this.fullEnd;
    const names = new Set([...this.expandedGroups].map((g) => old.groups[g]?.name));
    this.expandedGroups.clear();
    summary.groups.forEach((g, i) => {
      if (names.has(g.name)) this.expandedGroups.add(i);
    });
    this.summary = summary;
    if (summary.partial?.state !== 'loading') {
      this.loading = undefined;
      this.viewport.overviewEnd = undefined;
    }
    this.epoch++;
    this.cache.clear();
    this.overview = undefined;
    this.stacks = undefined;
    this.lanesInFlight = false;
    this.seriesInFlight = false;
    this.highlight = undefined;
    // The selected mark's lane may have moved (group order); its details panel stays.
    this.input.selected = undefined;
    this.layout = this.makeLayout();
    this.viewport.updateSpacer(this.layout.height);
    this.cb.expanded([...this.expandedGroups]);
    this.viewport.rebase(whole ? [summary.start, summary.end] : [a, b]);
    this.requestDraw();
    this.scheduleFetch();
  }

  // ---- view window (timeline-viewport.ts) ----------------------------------------------------

  private get t0(): number {
    return this.viewport.t0;
  }

  private get t1(): number {
    return this.viewport.t1;
  }

  private get plotW(): number {
    return this.viewport.plotW;
  }

  private get lanesHeight(): number {
    return this.viewport.lanesHeight;
  }

  private get fullStart(): number {
    return this.viewport.fullStart;
  }

  private get fullEnd(): number {
    return this.viewport.fullEnd;
  }

  private virtualTop(): number {
    return this.viewport.virtualTop(this.layout.height);
  }

  private onZoom(a: number, b: number): void {
    this.cb.view(a, b);
    this.cb.hover(undefined);
    this.input.hovered = undefined;
    this.requestDraw();
    this.scheduleFetch();
  }

  /** Shows [t0, t1] (clamped to the trace). */
  zoomTo(t0: number, t1: number): void {
    this.viewport.zoomTo(t0, t1);
  }

  /** Zooms by `factor` (> 1 in) around plot x `atX` (default: the middle). */
  zoomBy(factor: number, atX?: number): void {
    this.viewport.zoomBy(factor, atX);
  }

  panBy(px: number): void {
    this.viewport.panBy(px);
  }

  fit(): void {
    this.viewport.fit();
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
    this.viewport.updateSpacer(this.layout.height);
    this.requestDraw();
    this.scheduleFetch();
  }

  /** Scrolls to a group (or one goroutine of it), expanding the group, and highlights the lanes. */
  reveal(group: number, member?: number): void {
    this.toggleGroup(group, true);
    this.highlight = { group, member };
    const y = this.layout.topOf(group, member);
    this.viewport.scrollToVirtual(Math.max(0, y - ROW_H.group * 2), this.layout.height);
    this.requestDraw();
    this.scheduleFetch();
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
        this.cache.requested(need, a, b, level);
        this.lanesInFlight = true;
        const epoch = this.epoch;
        this.cb.request('traceLanes', { t0: a, t1: b, resolution: level, lanes: need }).then(
          (lanes) => epoch === this.epoch && this.onLanes(lanes, a, b, level),
          () => epoch === this.epoch && this.onRequestFailed(),
        );
      }
    }
    if (!this.seriesInFlight && this.cache.seriesMissing(this.t0, this.t1, nsPerPx)) {
      const [a, b] = fetchWindow(this.t0, this.t1, this.fullStart, this.fullEnd);
      const buckets = Math.max(1, Math.min(8192, Math.round((b - a) / nsPerPx)));
      this.seriesInFlight = true;
      const epoch = this.epoch;
      this.cb.request('traceSeries', { t0: a, t1: b, buckets }).then(
        (series) => epoch === this.epoch && this.onSeries(series, a, b, buckets),
        () => epoch === this.epoch && this.onRequestFailed(),
      );
    }
    if (!this.overview || this.overview.buckets !== Math.round(this.plotW)) {
      this.overview = undefined;
      const buckets = Math.max(1, Math.round(this.plotW));
      const epoch = this.epoch;
      this.cb.request('traceOverview', { buckets }).then(
        (overview) => epoch === this.epoch && this.onOverview(overview, buckets),
        () => undefined,
      );
    }
  }

  onLanes(lanes: LaneData[], t0: number, t1: number, resolution: number): void {
    this.cache.store(lanes, t0, t1, resolution);
    this.lanesInFlight = false;
    if (this.firstDataAt === 0 && lanes.some((l) => l.key.startsWith('p')))
      this.firstDataAt = performance.now();
    this.requestDraw();
    this.scheduleFetch();
  }

  /** A request failed: let the next view change ask again. */
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
    this.drawing.setPalette(p);
    this.requestDraw();
  }

  // ---- wall clock ----------------------------------------------------------------------------

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
    return {
      on: this.wallMode && available,
      available,
      why: this.summary.wallClock?.unavailable ?? 'This trace carries no clock snapshots.',
      zone: utcOffsetLabel(this.utcOffset),
    };
  }

  setWallClock(on: boolean): void {
    this.wallMode = on && this.anchors !== undefined;
    this.requestDraw();
  }

  /** How the tooltip and the axis write times now. */
  private clock(): HoverClock {
    return {
      fullSpan: this.fullEnd - this.fullStart,
      anchors: this.anchors,
      wallMode: this.wallMode,
      utcOffset: this.utcOffset,
    };
  }

  /**
   * Centres the view on the wall-clock time found in `text` (a log line), keeping the zoom.
   * Returns what to tell the user: where it went, or why it could not.
   */
  goToWallTime(text: string): { ok: boolean; message: string } {
    const anchors = this.anchors;
    if (!anchors) return { ok: false, message: this.wallClock.why };
    const w = parseWallTime(text, this.utcOffset, anchors[0]);
    if (!w)
      return {
        ok: false,
        message: `No time found in "${text.slice(0, 80)}". Paste a log line with a time like 2026-12-05T10:11:12.123Z, 2026/12/05 10:11:12.123456 or 10:11:12.123.`,
      };
    const t = wallToTrace(anchors, w);
    const label = formatWallRfc3339(w, this.utcOffset);
    const start = formatWallClock(traceToWall(anchors, this.fullStart), this.utcOffset);
    const end = formatWallClock(traceToWall(anchors, this.fullEnd), this.utcOffset);
    if (t < this.fullStart || t > this.fullEnd) {
      const off =
        t < this.fullStart
          ? `${formatDuration(this.fullStart - t)} before the trace starts`
          : `${formatDuration(t - this.fullEnd)} after the trace ends`;
      return {
        ok: false,
        message: `${label} is ${off}: the trace covers ${start} – ${end} (${utcOffsetLabel(this.utcOffset)}).`,
      };
    }
    const half = Math.max(500, (this.t1 - this.t0) / 2);
    this.viewport.zoomTo(Math.max(this.fullStart, t - half), Math.min(this.fullEnd, t + half));
    this.goneTo = t;
    this.requestDraw();
    return {
      ok: true,
      message: `${label}: ${formatTimeIn(t, this.fullEnd - this.fullStart)} since the trace start (marked).`,
    };
  }

  /** The time "Go to Time…" went to, marked by a line across the lanes. */
  private goneTo: number | undefined;

  // ---- drawing (timeline-drawing.ts) ---------------------------------------------------------

  resize(): void {
    if (!this.viewport.resize(this.layout.height)) return;
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

  private scene(): TimelineScene {
    return {
      summary: this.summary,
      layout: this.layout,
      expandedGroups: this.expandedGroups,
      cache: this.cache,
      overview: this.overview,
      stacks: this.stacks,
      selectionRange: this.selectionRange,
      highlight: this.highlight,
      hovered: this.input.hovered,
      selected: this.input.selected,
      goneTo: this.goneTo,
      loading: this.loading,
      firstDataAt: this.firstDataAt,
      clock: this.clock(),
    };
  }

  /** Draws the header and the visible lanes; records the time as a `timeline-draw` measure. */
  draw(): void {
    if (this.disposed) return;
    this.drawing.draw(this.scene());
  }

  private drawOverlay(): void {
    this.drawing.drawOverlay(this.scene());
  }

  dispose(): void {
    this.disposed = true;
    if (this.drawPending) cancelAnimationFrame(this.drawPending);
    if (this.fetchTimer !== undefined) clearTimeout(this.fetchTimer);
    this.viewport.dispose();
    this.input.dispose();
  }
}

function sum(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] || 0) + (b[i] || 0);
  return out;
}
