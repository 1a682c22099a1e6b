// The timeline's view window: which time range the plot shows (a d3-zoom transform over the
// whole trace, kept from panning past either end), how wide the plot is, and where the lanes are
// scrolled to (mapped proportionally once the lanes are taller than a browser lets an element be).
import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import {
  zoom,
  zoomIdentity,
  type D3ZoomEvent,
  type ZoomBehavior,
  type ZoomTransform,
} from 'd3-zoom';
import { GUTTER, type XScale } from './draw';

/** The narrowest view: 20 pixels per ns is deeper than any event's precision. */
const MIN_NS_PER_PX = 0.05;
/** Browsers cap element heights (Chrome at ~33M px); beyond this the scrollbar maps proportionally. */
const MAX_SCROLL_PX = 8_000_000;

export interface ViewportElements {
  body: HTMLDivElement;
  scroller: HTMLDivElement;
  spacer: HTMLDivElement;
}

export class TimelineViewport {
  t0: number;
  t1: number;
  /** Body width and the height of the scrolled lanes, CSS pixels (0 until first laid out). */
  width = 0;
  lanesHeight = 0;
  /** Width of the plot right of the gutter. */
  plotW = 1;
  private transform: ZoomTransform = zoomIdentity;
  private readonly zoomBehavior: ZoomBehavior<HTMLDivElement, unknown>;
  private readonly bodySel: Selection<HTMLDivElement, unknown, null, undefined>;

  constructor(
    private readonly el: ViewportElements,
    /** The trace's time range. */
    private readonly full: () => { start: number; end: number },
    /** Which pointer events zoom and pan (see TimelineInput.zoomFilter). */
    filter: (event: MouseEvent | WheelEvent) => boolean,
    /** The window moved. */
    private readonly changed: (t0: number, t1: number) => void,
  ) {
    this.t0 = this.fullStart;
    this.t1 = this.fullEnd;
    this.bodySel = select(el.body);
    this.zoomBehavior = zoom<HTMLDivElement, unknown>()
      .filter(filter)
      .wheelDelta(
        (e: WheelEvent) => -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.004),
      )
      .clickDistance(4)
      .on('zoom', (e: D3ZoomEvent<HTMLDivElement, unknown>) => this.onZoom(e.transform));
    this.bodySel.call(this.zoomBehavior).on('dblclick.zoom', null);
  }

  get fullStart(): number {
    return this.full().start;
  }

  get fullEnd(): number {
    const { start, end } = this.full();
    return Math.max(end, start + 1);
  }

  private baseScale() {
    return scaleLinear()
      .domain([this.fullStart, this.fullEnd])
      .range([GUTTER, GUTTER + this.plotW]);
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
    this.changed(a, b);
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

  /** The trace's time range changed (the complete trace after a preview): shows `window` of it. */
  rebase(window: [number, number]): void {
    if (this.width === 0) return; // not laid out yet: resize() configures it
    this.configureZoom();
    this.transform = zoomIdentity;
    this.zoomTo(window[0], window[1]);
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

  /** The time at body x `x`. */
  timeAtX(x: number): number {
    return this.t0 + ((x - GUTTER) / this.plotW) * (this.t1 - this.t0);
  }

  /** The window's time → x mapping for drawing. */
  scale(): XScale {
    return { t0: this.t0, t1: this.t1, x0: GUTTER, width: this.plotW };
  }

  /**
   * Where the overview strip ends when it spans more than the view can show (the estimated end
   * of a trace whose rest is loading); undefined: the trace's end.
   */
  overviewEnd: number | undefined;

  /** Keeps the window centred on the overview strip's body x `x`, at the same zoom. */
  centerOverviewAt(x: number): void {
    const end = Math.max(this.fullEnd, this.overviewEnd ?? 0);
    const t = this.fullStart + ((x - GUTTER) / this.plotW) * (end - this.fullStart);
    const half = (this.t1 - this.t0) / 2;
    this.zoomTo(t - half, t + half);
  }

  /** The lanes' scroll position in layout pixels, for lanes `total` pixels tall. */
  virtualTop(total: number): number {
    const s = this.el.scroller;
    const view = this.lanesHeight;
    const spacerTotal = Math.min(total, MAX_SCROLL_PX);
    if (total <= MAX_SCROLL_PX || spacerTotal <= view) return s.scrollTop;
    return (s.scrollTop * (total - view)) / (spacerTotal - view);
  }

  scrollToVirtual(y: number, total: number): void {
    const view = this.lanesHeight;
    const spacerTotal = Math.min(total, MAX_SCROLL_PX);
    this.el.scroller.scrollTop =
      total <= MAX_SCROLL_PX || spacerTotal <= view
        ? y
        : (y * (spacerTotal - view)) / (total - view);
  }

  /** Sizes the scrolled area for lanes `total` pixels tall. */
  updateSpacer(total: number): void {
    const height = Math.min(total, MAX_SCROLL_PX);
    this.el.spacer.style.height = `${Math.max(0, height - this.lanesHeight)}px`;
  }

  /**
   * Takes the body's new size, keeping the same time window; false when nothing changed (or the
   * body is hidden: the analysis tab is in front, and the layout stays until it is shown again).
   */
  resize(lanesTotal: number): boolean {
    const body = this.el.body;
    if (body.clientWidth === 0 || body.clientHeight === 0) return false;
    const w = Math.max(GUTTER + 50, Math.floor(body.clientWidth));
    const lanesH = Math.max(40, Math.floor(this.el.scroller.clientHeight));
    if (w === this.width && lanesH === this.lanesHeight) return false;
    const [a, b] = [this.t0, this.t1];
    this.width = w;
    this.lanesHeight = lanesH;
    // The scroller's vertical scrollbar takes room at the right of the lanes.
    const scrollbar = this.el.scroller.offsetWidth - this.el.scroller.clientWidth;
    this.plotW = Math.max(20, w - GUTTER - Math.max(scrollbar, 8));
    this.updateSpacer(lanesTotal);
    this.configureZoom();
    // Keep the same time window across a resize.
    this.zoomTo(a, b);
    return true;
  }

  dispose(): void {
    this.bodySel.on('.zoom', null);
  }
}
