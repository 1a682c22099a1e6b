// The timeline's input: Ctrl/Cmd+wheel and keys zoom, drag and Shift+wheel pan (d3-zoom, through
// the viewport), a drag on the time ruler or a Shift+drag selects a range, the overview strip
// moves the window; hovering a mark or a graph describes it, clicking a mark selects it (a run
// merged below a pixel zooms to it), clicking a group's gutter opens or closes it.
import type { TraceSummaryView } from '../../src/protocol/timeline';
import type { DataCache } from './data-cache';
import { GUTTER, markAt } from './draw';
import { HEADER, type Row, type RowLayout } from './layout';
import {
  describeGraph,
  describeMark,
  type HoverClock,
  type HoverInfo,
} from './timeline-hover-text';
import type { TimelineViewport } from './timeline-viewport';

/** Zoom factor of one key press. */
const KEY_ZOOM = 1.6;

/** What input acts on: the controller's state and the page's callbacks. */
export interface InputTarget {
  summary(): TraceSummaryView;
  layout(): RowLayout;
  readonly cache: DataCache;
  /** The selected time range (set while dragging, before `selection` says it is done). */
  selectionRange(): [number, number] | undefined;
  setSelectionRange(range: [number, number] | undefined): void;
  clock(): HoverClock;
  hover(info: HoverInfo | undefined): void;
  select(ref: { kind: 'span' | 'gc' | 'stw'; index: number } | undefined): void;
  selection(range: [number, number] | undefined): void;
  toggleGroup(group: number): void;
  clearSelection(): void;
  clearHighlight(): void;
  /** The lanes were scrolled. */
  scrolled(): void;
  resize(): void;
  requestDraw(): void;
  drawOverlay(): void;
}

export interface InputElements {
  body: HTMLDivElement;
  scroller: HTMLDivElement;
}

export class TimelineInput {
  /** The mark under the pointer, and the one clicked (outlined on the overlay). */
  hovered: { key: string; index: number; row: Row } | undefined;
  selected: { key: string; index: number } | undefined;
  private selecting: { from: number; to: number } | undefined;
  private overviewDrag = false;
  private readonly cleanup: (() => void)[] = [];

  constructor(
    private readonly el: InputElements,
    private readonly vp: TimelineViewport,
    private readonly t: InputTarget,
  ) {}

  /** Which pointer events d3-zoom handles: Ctrl/Cmd+wheel, and plain drags on lanes and graphs. */
  zoomFilter(event: MouseEvent | WheelEvent): boolean {
    if (event.type === 'wheel') return event.ctrlKey || event.metaKey;
    if (event.button !== 0 || event.shiftKey || event.ctrlKey || event.metaKey) return false;
    const { x, y, inLanes } = this.local(event);
    if (x < GUTTER || x > GUTTER + this.vp.plotW) return false;
    if (!inLanes && y < HEADER.gc.top) return false; // overview and ruler have their own drags
    return true;
  }

  private local(e: MouseEvent): { x: number; y: number; inLanes: boolean } {
    const r = this.el.body.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return { x, y, inLanes: y >= HEADER.height };
  }

  listen(): void {
    const body = this.el.body;
    const on = <K extends keyof HTMLElementEventMap>(
      el: HTMLElement | Window,
      type: K,
      fn: (e: HTMLElementEventMap[K]) => void,
      opts?: AddEventListenerOptions,
    ) => {
      el.addEventListener(type, fn as EventListener, opts);
      this.cleanup.push(() => el.removeEventListener(type, fn as EventListener, opts));
    };
    on(this.el.scroller, 'scroll', () => this.t.scrolled());
    // Shift+wheel and sideways swipes pan; plain wheel scrolls the lanes (the browser does it).
    on(
      body,
      'wheel',
      (e) => {
        if (e.ctrlKey || e.metaKey) return;
        const dx = e.shiftKey
          ? e.deltaY || e.deltaX
          : Math.abs(e.deltaX) > Math.abs(e.deltaY)
            ? e.deltaX
            : 0;
        if (dx === 0) return;
        e.preventDefault();
        this.vp.panBy(dx);
      },
      { passive: false },
    );
    on(body, 'mousedown', (e) => {
      if (e.button !== 0) return;
      const { x, y, inLanes } = this.local(e);
      if (x >= GUTTER && x <= GUTTER + this.vp.plotW) {
        if (!inLanes && y < HEADER.overview.top + HEADER.overview.h) {
          this.overviewDrag = true;
          this.vp.centerOverviewAt(x);
          e.preventDefault();
        } else if (
          (!inLanes && y >= HEADER.axis.top && y < HEADER.axis.top + HEADER.axis.h) ||
          e.shiftKey
        ) {
          const t = this.vp.timeAtX(x);
          this.selecting = { from: t, to: t };
          e.preventDefault();
        }
      }
    });
    on(window, 'mousemove', (e) => {
      if (this.overviewDrag) {
        this.vp.centerOverviewAt(this.local(e).x);
        return;
      }
      if (this.selecting) {
        this.selecting.to = this.vp.timeAtX(
          Math.max(GUTTER, Math.min(GUTTER + this.vp.plotW, this.local(e).x)),
        );
        this.t.setSelectionRange([
          Math.min(this.selecting.from, this.selecting.to),
          Math.max(this.selecting.from, this.selecting.to),
        ]);
        this.t.requestDraw();
      }
    });
    on(window, 'mouseup', () => {
      this.overviewDrag = false;
      if (!this.selecting) return;
      const s = this.selecting;
      this.selecting = undefined;
      const px = (Math.abs(s.to - s.from) / (this.vp.t1 - this.vp.t0)) * this.vp.plotW;
      const range: [number, number] | undefined =
        px < 3 ? undefined : [Math.min(s.from, s.to), Math.max(s.from, s.to)];
      this.t.setSelectionRange(range);
      this.t.selection(range);
      this.t.requestDraw();
    });
    on(body, 'mousemove', (e) => this.onHover(e));
    on(body, 'mouseleave', () => {
      this.hovered = undefined;
      this.t.hover(undefined);
      this.t.drawOverlay();
    });
    on(body, 'click', (e) => this.onClick(e));
    on(body, 'keydown', (e) => this.onKey(e));
    const ro = new ResizeObserver(() => this.t.resize());
    ro.observe(body);
    this.cleanup.push(() => ro.disconnect());
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target instanceof HTMLInputElement) return;
    const step = this.vp.plotW / 5;
    switch (e.key) {
      case 'w':
      case '+':
      case '=':
        this.vp.zoomBy(KEY_ZOOM);
        break;
      case 's':
      case '-':
        this.vp.zoomBy(1 / KEY_ZOOM);
        break;
      case 'a':
      case 'ArrowLeft':
        this.vp.panBy(-step);
        break;
      case 'd':
      case 'ArrowRight':
        this.vp.panBy(step);
        break;
      case '0':
      case 'Home':
        this.vp.fit();
        break;
      case 'z':
        const range = this.t.selectionRange();
        if (range) this.vp.zoomTo(...range);
        break;
      case 'Escape':
        this.t.clearSelection();
        this.selected = undefined;
        this.t.select(undefined);
        this.t.clearHighlight();
        this.t.requestDraw();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** What is under a point of the body: a lane row (scrolled area) or a header row. */
  private hitTest(
    x: number,
    y: number,
    inLanes: boolean,
  ): { row?: Row; header?: keyof typeof HEADER; t: number } {
    const t = this.vp.timeAtX(x);
    if (inLanes)
      return {
        row: this.t.layout().rowAt(this.vp.virtualTop(this.t.layout().height) + y - HEADER.height),
        t,
      };
    for (const k of ['overview', 'axis', 'gc', 'stw', 'heap', 'goroutines'] as const) {
      const r = HEADER[k];
      if (y >= r.top && y < r.top + r.h) return { header: k, t };
    }
    return { t };
  }

  private laneAt(
    row: Row | undefined,
    header: string | undefined,
  ): { key: string; kind: 'p' | 'g' | 'gc' | 'stw' } | undefined {
    if (header === 'gc' || header === 'stw') return { key: header, kind: header };
    if (row?.kind === 'p') return { key: `p${row.index}`, kind: 'p' };
    if (row?.kind === 'g') return { key: `g${row.group}.${row.member}`, kind: 'g' };
    return undefined;
  }

  private onHover(e: MouseEvent): void {
    if (this.selecting || this.overviewDrag || e.buttons !== 0) return;
    const { x, y, inLanes } = this.local(e);
    if (x < GUTTER || x > GUTTER + this.vp.plotW) {
      if (this.hovered) {
        this.hovered = undefined;
        this.t.hover(undefined);
        this.t.drawOverlay();
      }
      return;
    }
    const hit = this.hitTest(x, y, inLanes);
    const lane = this.laneAt(hit.row, hit.header);
    const nsPerPx = (this.vp.t1 - this.vp.t0) / this.vp.plotW;
    if (lane) {
      const c = this.t.cache.get(lane.key);
      const i = c ? markAt(c.data, hit.t, 2 * nsPerPx) : -1;
      if (c && i >= 0) {
        const d = c.data;
        const same = this.hovered?.key === lane.key && this.hovered.index === i;
        this.hovered = {
          key: lane.key,
          index: i,
          row: hit.row ?? { kind: 'section', section: 'procs', top: 0, height: 0 },
        };
        this.t.hover(describeMark(lane.kind, d, i, x, y, this.t.clock(), this.t.summary()));
        if (!same) this.t.drawOverlay();
        return;
      }
    } else if (hit.header === 'heap' || hit.header === 'goroutines') {
      this.hovered = undefined;
      this.t.hover(
        describeGraph(
          hit.header,
          this.t.cache.series,
          hit.t,
          this.vp.t1 - this.vp.t0,
          x,
          y,
          this.t.clock(),
        ),
      );
      this.t.drawOverlay();
      return;
    }
    if (this.hovered) {
      this.hovered = undefined;
      this.t.drawOverlay();
    }
    this.t.hover(undefined);
  }

  private onClick(e: MouseEvent): void {
    this.el.body.focus({ preventScroll: true });
    const { x, y, inLanes } = this.local(e);
    if (x < GUTTER && inLanes) {
      const row = this.t
        .layout()
        .rowAt(this.vp.virtualTop(this.t.layout().height) + y - HEADER.height);
      if (row?.kind === 'group') this.t.toggleGroup(row.group);
      return;
    }
    if (x > GUTTER + this.vp.plotW) return;
    const hit = this.hitTest(x, y, inLanes);
    const lane = this.laneAt(hit.row, hit.header);
    if (!lane) return;
    const c = this.t.cache.get(lane.key);
    const i = c ? markAt(c.data, hit.t, 2 * ((this.vp.t1 - this.vp.t0) / this.vp.plotW)) : -1;
    if (!c || i < 0) return;
    if (c.data.n[i] > 1) {
      // A merged run: zoom to it.
      this.vp.zoomTo(c.data.start[i], c.data.end[i]);
      return;
    }
    this.selected = { key: lane.key, index: i };
    this.t.select({
      kind: lane.kind === 'gc' || lane.kind === 'stw' ? lane.kind : 'span',
      index: c.data.ref[i],
    });
    this.t.drawOverlay();
  }

  dispose(): void {
    for (const c of this.cleanup) c();
  }
}
