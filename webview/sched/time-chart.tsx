// One chart of the dashboard on the shared time axis: a canvas for the data, d3 axes in an SVG
// on top, and the time interactions every chart shares — click picks an instant (its P/M/G
// tables), drag zooms to the dragged range, Ctrl/Cmd+wheel zooms around the pointer,
// Shift+wheel (or a sideways swipe) pans, double-click goes back to following the live end.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DecimatedSeries, PMatrix } from '../../src/core/schedtrace';
import { prepareCanvas } from '../common/canvas';
import { drawHeatmap, drawMarkers, drawSeries, heatmapMax, type SeriesStyle } from './draw';
import { formatTime } from './format';
import type { Palette } from './palette';
import { formatCount } from '../../src/core/format/units';
import { lowerBound } from '../../src/core/binary-search';

export const MARGIN = { left: 52, right: 14, top: 8, bottom: 22 };

export interface ChartLine {
  key: string;
  label: string;
  series: DecimatedSeries | undefined;
  color: string;
  style?: SeriesStyle;
  dashed?: boolean;
}

export interface TimeChartProps {
  id: string;
  title: string;
  /** Full chart width in CSS pixels (the plot is this minus the margins). */
  width: number;
  height: number;
  domain: [number, number];
  lines?: ChartLine[];
  heatmap?: PMatrix;
  markers?: { times: number[]; color: string; label: string };
  /** Unit shown after readout values. */
  unit?: string;
  /** Largest y shown at least (e.g. GOMAXPROCS for the P chart). */
  yMinMax?: number;
  selectedMs: number | null;
  palette: Palette;
  onSelect(timeMs: number): void;
  onZoom(t0: number, t1: number): void;
  onFollow(): void;
  /** Extra content on the chart's header line. */
  extra?: ReactNode;
}

/** The value of a series nearest to `t` (binary search on its times). */
function valueAt(
  s: DecimatedSeries | undefined,
  t: number,
): { min: number; max: number } | undefined {
  if (!s || s.time.length === 0) return undefined;
  let lo = lowerBound(s.time, t, 0, s.time.length - 1);
  if (lo > 0 && t - s.time[lo - 1] < s.time[lo] - t) lo--;
  return { min: s.min[lo], max: s.max[lo] };
}

function fmtValue(v: number): string {
  return Number.isInteger(v) ? formatCount(v) : v < 10 ? v.toFixed(2) : v.toFixed(1);
}

let measures = 0;
/** Each draw as a `sched-chart-draw` measure (the benchmark reads them) and as data attributes for tests. */
function recordDraw(canvas: HTMLCanvasElement, chart: string, t0: number, points: number): void {
  const ms = performance.now() - t0;
  if (++measures > 4000) {
    performance.clearMeasures('sched-chart-draw');
    measures = 1;
  }
  performance.measure('sched-chart-draw', { start: t0, duration: ms, detail: { points, chart } });
  canvas.dataset.points = String(points);
  canvas.dataset.drawMs = ms.toFixed(2);
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? '0') + 1);
}

export const TimeChart = memo(function TimeChart(props: TimeChartProps) {
  const { id, width, height, domain, lines, heatmap, markers, palette } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scratchRef = useRef<HTMLCanvasElement | null>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const drag = useRef<{ x0: number; x1: number; moved: boolean } | null>(null);
  const [brush, setBrush] = useState<[number, number] | null>(null);
  const [hoverMs, setHoverMs] = useState<number | null>(null);
  const hitRef = useRef<HTMLDivElement>(null);
  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = Math.max(1, height - MARGIN.top - MARGIN.bottom);

  const [d0, d1] = domain;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([d0, d1])
        .range([MARGIN.left, MARGIN.left + plotW]),
    [d0, d1, plotW],
  );
  const y = useMemo(() => {
    if (heatmap)
      return scaleLinear()
        .domain([0, Math.max(1, heatmap.rows)])
        .range([MARGIN.top, MARGIN.top + plotH]);
    let hi = props.yMinMax ?? 0;
    for (const l of lines ?? []) {
      const s = l.series;
      if (!s) continue;
      for (let i = 0; i < s.max.length; i++) if (s.max[i] > hi) hi = s.max[i];
    }
    return scaleLinear()
      .domain([0, hi > 0 ? hi * 1.05 : 1])
      .range([MARGIN.top + plotH, MARGIN.top])
      .nice(4);
  }, [lines, heatmap, plotH, props.yMinMax]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width <= 0) return;
    const started = performance.now();
    const ctx = prepareCanvas(canvas, width, height);
    ctx.clearRect(0, 0, width, height);
    let points = 0;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top - 1, plotW, plotH + 2);
    ctx.clip();
    // Horizontal grid lines at the y ticks.
    if (!heatmap) {
      ctx.strokeStyle = palette.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const t of y.ticks(4)) {
        const py = Math.round(y(t)) + 0.5;
        ctx.moveTo(MARGIN.left, py);
        ctx.lineTo(MARGIN.left + plotW, py);
      }
      ctx.stroke();
    }
    if (heatmap) {
      scratchRef.current ??= document.createElement('canvas');
      points += drawHeatmap(
        ctx,
        heatmap,
        x,
        { left: MARGIN.left, top: MARGIN.top, width: plotW, height: plotH },
        { low: palette.heatLow, high: palette.heatHigh, background: palette.background },
        scratchRef.current,
      );
    }
    for (const l of lines ?? [])
      if (l.series)
        points += drawSeries(
          ctx,
          { series: l.series, color: l.color, style: l.style ?? 'line', dashed: l.dashed },
          x,
          y,
        );
    if (markers) points += drawMarkers(ctx, markers.times, markers.color, x, MARGIN.top);
    if (props.selectedMs !== null) {
      const px = Math.round(x(props.selectedMs)) + 0.5;
      ctx.strokeStyle = palette.selection;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([3, 2]);
      ctx.beginPath();
      ctx.moveTo(px, MARGIN.top);
      ctx.lineTo(px, MARGIN.top + plotH);
      ctx.stroke();
    }
    ctx.restore();
    recordDraw(canvas, id, started, points);
  }, [x, y, width, height, plotW, plotH, lines, heatmap, markers, props.selectedMs, palette, id]);

  useLayoutEffect(() => {
    if (!xAxisRef.current || !yAxisRef.current) return;
    const span = d1 - d0;
    select(xAxisRef.current).call(
      axisBottom(x)
        .ticks(Math.max(2, Math.floor(plotW / 90)))
        .tickFormat((v) => formatTime(Number(v), span))
        .tickSizeOuter(0),
    );
    const yAxis = axisLeft(y).tickSizeOuter(0);
    if (heatmap) {
      // One tick per P when they fit, otherwise a few.
      const rows = heatmap.rows;
      const every = Math.max(1, Math.ceil(rows / Math.max(1, Math.floor(plotH / 14))));
      const ticks: number[] = [];
      for (let p = 0; p < rows; p += every) ticks.push(p + 0.5);
      yAxis.tickValues(ticks).tickFormat((v) => `P${Math.floor(Number(v))}`);
    } else {
      yAxis.ticks(4).tickFormat((v) => fmtValue(Number(v)));
    }
    select(yAxisRef.current).call(yAxis);
  }, [x, y, d0, d1, heatmap, plotW, plotH]);

  // Wheel zoom/pan needs preventDefault, which React's passive wheel listener cannot do.
  const wheelState = useRef({ domain, plotW, x, onZoom: props.onZoom });
  wheelState.current = { domain, plotW, x, onZoom: props.onZoom };
  useEffect(() => {
    const el = hitRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const {
        domain: [a, b],
        plotW: w,
        x: scale,
        onZoom,
      } = wheelState.current;
      const span = b - a;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const at = scale.invert(e.clientX - el.getBoundingClientRect().left + MARGIN.left);
        const k = Math.exp(e.deltaY * 0.002);
        onZoom(at - (at - a) * k, at + (b - at) * k);
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const dt = ((e.shiftKey ? e.deltaY : e.deltaX) / w) * span;
        onZoom(a + dt, b + dt);
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const timeAt = (clientX: number, el: Element) => {
    const rect = el.getBoundingClientRect();
    return x.invert(clientX - rect.left + MARGIN.left);
  };

  const readout = () => {
    if (hoverMs === null) return null;
    const span = domain[1] - domain[0];
    const parts: string[] = [`at ${formatTime(hoverMs, span, true)}`];
    for (const l of lines ?? []) {
      const v = valueAt(l.series, hoverMs);
      if (v)
        parts.push(
          `${l.label} ${v.min === v.max ? fmtValue(v.max) : `${fmtValue(v.min)}–${fmtValue(v.max)}`}${props.unit ?? ''}`,
        );
    }
    return parts.join(' · ');
  };

  return (
    <section className="chart" data-chart={props.id}>
      <div className="chart-head">
        <span className="chart-title">{props.title}</span>
        {(lines ?? []).map((l) => (
          <span key={l.key} className="legend">
            <span
              className={`swatch ${l.style === 'points' || l.style === 'stems' ? 'dot' : ''} ${l.dashed ? 'dashed' : ''}`}
              style={{
                borderColor: l.color,
                background: l.style === 'points' || l.style === 'stems' ? l.color : undefined,
              }}
            />
            {l.label}
          </span>
        ))}
        {markers && (
          <span className="legend">
            <span className="swatch tri" style={{ borderTopColor: markers.color }} />
            {markers.label}
          </span>
        )}
        {props.extra}
        <span className="readout">{readout()}</span>
      </div>
      <div className="plot" style={{ width, height }}>
        <canvas ref={canvasRef} className="chart-canvas" data-testid={`chart-${props.id}`} />
        <svg className="axes" width={width} height={height} aria-hidden="true">
          <g ref={xAxisRef} transform={`translate(0,${MARGIN.top + plotH})`} />
          <g ref={yAxisRef} transform={`translate(${MARGIN.left},0)`} />
        </svg>
        <div
          ref={hitRef}
          className="hit"
          style={{ left: MARGIN.left, top: MARGIN.top, width: plotW, height: plotH }}
          role="img"
          aria-label={`${props.title}. Click to show the scheduler state at that time, drag to zoom, Ctrl+wheel to zoom, Shift+wheel to pan, double-click to follow live.`}
          onMouseDown={(e) => {
            if (e.button !== 0) return;
            const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
            drag.current = { x0: px, x1: px, moved: false };
          }}
          onMouseMove={(e) => {
            const el = e.currentTarget;
            setHoverMs(timeAt(e.clientX, el));
            const d = drag.current;
            if (!d) return;
            d.x1 = e.clientX - el.getBoundingClientRect().left;
            if (Math.abs(d.x1 - d.x0) > 4) d.moved = true;
            if (d.moved) setBrush([Math.min(d.x0, d.x1), Math.max(d.x0, d.x1)]);
          }}
          onMouseLeave={() => {
            setHoverMs(null);
          }}
          onMouseUp={(e) => {
            const d = drag.current;
            drag.current = null;
            setBrush(null);
            if (!d) return;
            if (!d.moved) {
              props.onSelect(timeAt(e.clientX, e.currentTarget));
              return;
            }
            const a = x.invert(Math.min(d.x0, d.x1) + MARGIN.left);
            const b = x.invert(Math.max(d.x0, d.x1) + MARGIN.left);
            if (b - a > 1) props.onZoom(a, b);
          }}
          onDoubleClick={() => props.onFollow()}
        />
        {brush && (
          <div
            className="brush"
            style={{
              left: MARGIN.left + brush[0],
              top: MARGIN.top,
              width: brush[1] - brush[0],
              height: plotH,
            }}
          />
        )}
        {heatmap && <div className="heat-legend">max {fmtValue(heatmapMax(heatmap))} Gs</div>}
      </div>
    </section>
  );
});
