// The flame graph canvas: drawing, hover, click-to-zoom, Ctrl/Cmd+wheel zoom and drag to pan
// (d3-zoom on the x axis), native vertical scrolling. Geometry lives in src/core/layout.
//
// Two stacked canvases: the graph, redrawn when the picture changes (zoom, scroll, search,
// tree, theme), and a transparent overlay for the hover and selection outlines, redrawn on
// every mouse move without touching the graph or React state.
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import { nodeAt } from '../../src/core/layout/flame-layout';
import { prepareCanvas, TextWidthCache } from '../common/canvas';
import { uiFont, watchTheme } from '../common/theme';
import { makePalette } from './colors';
import {
  depthAtY,
  drawFlame,
  drawHighlights,
  ROW_HEIGHT,
  rowCount,
  TreeDecorations,
} from './flame-renderer';

/** What the view around a graph may read from it: for exports (the visible range, the pixels). */
export interface FlameGraphHandle {
  domain: [number, number];
  canvas: HTMLCanvasElement | null;
}

export interface FlameGraphProps {
  tree: CallTree;
  start: Float64Array;
  /** The node the view is zoomed to (0 = whole profile). */
  focus: number;
  matched: Uint8Array | undefined;
  selected: number;
  onFocus(node: number): void;
  onOpenSource(node: number): void;
  onHover(node: number, clientX: number, clientY: number): void;
  /** Vertical scroll to restore when the view comes back. */
  initialScrollTop: number;
  onScroll(scrollTop: number): void;
  /** Colour by change from base to current (a diff). */
  diff?: { base: Float64Array; current: Float64Array };
  /** Root at the bottom, growing upwards (callers in the sandwich). */
  flipped?: boolean;
  /** Leave out the root row. */
  hideRoot?: boolean;
  /** Filled in with the current range and canvas, for exports. */
  handle?: { current: FlameGraphHandle | null };
  ariaLabel?: string;
}

let measuresKept = 0;
/**
 * Records each draw as a `flame-draw` performance measure (read by the render benchmark and
 * visible in the webview's developer tools) and on the canvas as data attributes.
 */
function recordRender(
  canvas: HTMLCanvasElement,
  start: number,
  drawn: number,
  name = 'flame-draw',
): void {
  const ms = performance.now() - start;
  // Keep the timeline bounded in a view that stays open for hours.
  if (++measuresKept > 2000) {
    performance.clearMeasures();
    measuresKept = 1;
  }
  performance.measure(name, { start, duration: ms, detail: { drawn } });
  canvas.dataset.renderMs = ms.toFixed(2);
  canvas.dataset.drawn = String(drawn);
  canvas.dataset.renders = String(Number(canvas.dataset.renders ?? '0') + 1);
}

/** Average glyph width of the UI font over text that looks like Go function names. */
function averageCharWidth(widths: TextWidthCache, font: string): number {
  const sample = 'github.com/acme/shop/cart.(*Service).Checkout.func2 runtime.mallocgc';
  return widths.width(sample, font) / sample.length;
}

export const FlameGraph = memo(function FlameGraph(props: FlameGraphProps) {
  const { tree, start, focus, matched, selected, diff, flipped, hideRoot } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(props.initialScrollTop);
  const [themeVersion, setThemeVersion] = useState(0);
  const [domain, setDomain] = useState<[number, number]>(() => [
    start[focus],
    start[focus] + tree.total[focus],
  ]);
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const domainRef = useRef(domain);
  domainRef.current = domain;
  const hoveredRef = useRef(-1);
  const propsRef = useRef(props);
  propsRef.current = props;

  const decorations = useMemo(() => new TreeDecorations(tree), [tree]);
  // The palette and the font are read from the theme's CSS variables: read them again when it changes.
  const palette = useMemo(() => (void themeVersion, makePalette()), [themeVersion]);
  const widths = useMemo(() => new TextWidthCache(() => canvasRef.current!.getContext('2d')!), []);
  const font = useMemo(() => (void themeVersion, uiFont(12)), [themeVersion]);
  const hasWidth = size.width > 0;
  const charWidth = useMemo(
    () => (hasWidth ? averageCharWidth(widths, font) : 7),
    [widths, font, hasWidth],
  );
  const rootTotal = tree.total[0] || 1;
  const graphHeight = rowCount({ tree, hideRoot }) * ROW_HEIGHT + ROW_HEIGHT;

  useEffect(() => watchTheme(() => setThemeVersion((v) => v + 1)), []);

  useLayoutEffect(() => {
    const el = scrollRef.current!;
    const ro = new ResizeObserver(() =>
      setSize({ width: el.clientWidth, height: el.clientHeight }),
    );
    ro.observe(el);
    setSize({ width: el.clientWidth, height: el.clientHeight });
    el.scrollTop = props.initialScrollTop;
    // The browser clamps the position (e.g. "the bottom" asked as a huge number): keep what it took.
    setScrollTop(el.scrollTop);
    return () => ro.disconnect();
    // Only on mount: the initial scroll position restores the saved one; later ones come from the user.
    // oxlint-disable-next-line react-hooks/exhaustive-deps -- mount-only, see above
  }, []);

  const viewport = useMemo(() => {
    // Depths at the top and bottom edges of the canvas (reversed when the graph is flipped).
    const geometry = { tree, scrollTop, flipped, hideRoot, height: size.height };
    const a = depthAtY(0, geometry);
    const b = depthAtY(size.height, geometry);
    return {
      x0: domain[0],
      x1: domain[1],
      width: size.width,
      firstRow: Math.min(a, b) - 1,
      lastRow: Math.max(a, b) + 1,
    };
  }, [domain, size, scrollTop, flipped, hideRoot, tree]);
  if (props.handle) props.handle.current = { domain, canvas: canvasRef.current };

  const drawOverlay = useCallback(() => {
    const overlay = overlayRef.current;
    if (!overlay || size.width === 0) return;
    const t0 = performance.now();
    const ctx = prepareCanvas(overlay, size.width, size.height);
    drawHighlights(
      ctx,
      { tree, start, viewport, scrollTop, height: size.height, palette, flipped, hideRoot },
      [
        [propsRef.current.selected, 'selected'],
        [hoveredRef.current, 'hovered'],
      ],
    );
    recordRender(overlay, t0, 2, 'flame-overlay-draw');
  }, [size.width, size.height, tree, start, viewport, scrollTop, palette, flipped, hideRoot]);

  // d3-zoom drives the x domain: Ctrl/Cmd+wheel (and pinch) zooms, drag pans.
  const baseScale = useMemo(
    () =>
      scaleLinear()
        .domain([0, rootTotal])
        .range([0, Math.max(size.width, 1)]),
    [rootTotal, size.width],
  );
  useEffect(() => {
    const canvas = canvasRef.current!;
    const behavior = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, Math.max(1, rootTotal) * 1e3])
      .extent([
        [0, 0],
        [Math.max(size.width, 1), Math.max(size.height, 1)],
      ])
      .translateExtent([
        [0, 0],
        [Math.max(size.width, 1), Math.max(size.height, 1)],
      ])
      .clickDistance(4)
      .filter((event: Event) => {
        if (event.type === 'wheel')
          return (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey;
        if (event.type === 'dblclick') return false;
        return !(event as MouseEvent).button;
      })
      .on('zoom', (event: { transform: ZoomTransform }) => {
        const d = event.transform.rescaleX(baseScale).domain() as [number, number];
        setDomain([d[0], d[1]]);
      });
    zoomRef.current = behavior;
    const sel = select(canvas);
    sel.call(behavior);
    // Start where the current domain is, so a resize or a new tree does not jump.
    const [a, b] = domainRef.current;
    const k = rootTotal / Math.max(b - a, 1e-9);
    sel.call(behavior.transform, zoomIdentity.scale(k).translate(-baseScale(a), 0));
    return () => {
      sel.on('.zoom', null);
    };
  }, [baseScale, rootTotal, size.width, size.height]);

  // Zooming to a node (click, breadcrumb, restored state) animates the domain to its span.
  useEffect(() => {
    const behavior = zoomRef.current;
    const canvas = canvasRef.current;
    if (!behavior || !canvas || size.width === 0) return;
    const target: [number, number] = [
      start[focus],
      start[focus] + Math.max(tree.total[focus], rootTotal * 1e-12),
    ];
    const from = domainRef.current;
    if (from[0] === target[0] && from[1] === target[1]) return;
    const t0 = performance.now();
    const duration = 180;
    let frame = 0;
    const step = () => {
      const t = Math.min(1, (performance.now() - t0) / duration);
      const e = t * (2 - t);
      const a = from[0] + (target[0] - from[0]) * e;
      const b = from[1] + (target[1] - from[1]) * e;
      const k = rootTotal / Math.max(b - a, 1e-9);
      select(canvas).call(behavior.transform, zoomIdentity.scale(k).translate(-baseScale(a), 0));
      if (t < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [focus, tree, start, baseScale, rootTotal, size.width]);

  // Draw as soon as React has committed anything that changes the picture (before the browser
  // paints): the zoom animation already paces its updates by animation frames.
  useLayoutEffect(() => {
    if (size.width === 0 || size.height === 0) return;
    const canvas = canvasRef.current!;
    const t0 = performance.now();
    const ctx = prepareCanvas(canvas, size.width, size.height);
    const drawn = drawFlame(ctx, {
      tree,
      start,
      viewport,
      scrollTop,
      height: size.height,
      palette,
      font,
      widths,
      charWidth,
      matched,
      decorations,
      diff,
      flipped,
      hideRoot,
    });
    recordRender(canvas, t0, drawn);
    drawOverlay();
  }, [
    size.width,
    size.height,
    tree,
    start,
    viewport,
    scrollTop,
    palette,
    font,
    widths,
    charWidth,
    matched,
    decorations,
    diff,
    flipped,
    hideRoot,
    drawOverlay,
  ]);

  // A new selection only changes the highlights: redraw the overlay, not the graph. Everything
  // else drawOverlay reads also redraws the graph, which redraws the overlay in the effect above.
  // oxlint-disable-next-line react-hooks/exhaustive-deps -- selection-only on purpose, see above
  useEffect(() => drawOverlay(), [selected]);

  const nodeFromEvent = (e: { clientX: number; clientY: number }): number => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const depth = depthAtY(e.clientY - rect.top, {
      tree,
      scrollTop,
      flipped,
      hideRoot,
      height: size.height,
    });
    const x = domain[0] + (px / size.width) * (domain[1] - domain[0]);
    return nodeAt(tree, start, x, depth);
  };

  return (
    <div
      className="flame-scroll"
      ref={scrollRef}
      onScroll={(e) => {
        const top = (e.target as HTMLDivElement).scrollTop;
        setScrollTop(top);
        props.onScroll(top);
      }}
      onWheel={(e) => {
        // Shift+wheel and horizontal trackpad swipes pan sideways.
        const dx = e.shiftKey ? e.deltaY : Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : 0;
        if (dx !== 0 && zoomRef.current && canvasRef.current) {
          const k = rootTotal / (domain[1] - domain[0]);
          select(canvasRef.current).call(zoomRef.current.translateBy, -dx / k, 0);
        }
      }}
    >
      <div className="flame-spacer" style={{ height: Math.max(graphHeight, size.height) }}>
        <div className="flame-layers">
          <canvas
            ref={canvasRef}
            className="flame-canvas"
            tabIndex={0}
            aria-label={
              props.ariaLabel ??
              'Flame graph. Click a frame to zoom, double-click or Ctrl+click to open its source.'
            }
            onMouseMove={(e) => {
              const n = nodeFromEvent(e);
              if (n !== hoveredRef.current) {
                hoveredRef.current = n;
                drawOverlay();
              }
              props.onHover(n, e.clientX, e.clientY);
            }}
            onMouseLeave={() => {
              hoveredRef.current = -1;
              drawOverlay();
              props.onHover(-1, 0, 0);
            }}
            onClick={(e) => {
              const n = nodeFromEvent(e);
              if (n < 0) return;
              if (e.ctrlKey || e.metaKey) props.onOpenSource(n);
              else props.onFocus(n);
            }}
            onDoubleClick={(e) => {
              const n = nodeFromEvent(e);
              if (n > 0) props.onOpenSource(n);
            }}
          />
          <canvas ref={overlayRef} className="flame-overlay" aria-hidden="true" />
        </div>
      </div>
    </div>
  );
});
