// Canvas drawing of the dashboard's charts: decimated line series (a min–max band per pixel
// bucket, so spikes survive), per-cycle points and stems, event markers, and the per-P heatmap
// (an image a pixel per column, scaled up). Pure functions of their inputs and a 2D context.
import { color as d3color } from 'd3-color';
import type { ScaleLinear } from 'd3-scale';
import type { DecimatedSeries, PMatrix } from '../../src/core/schedtrace';

export type SeriesStyle = 'line' | 'step' | 'points' | 'stems';

export interface DrawSeries {
  series: DecimatedSeries;
  color: string;
  style: SeriesStyle;
  dashed?: boolean;
}

/** Draws one series; returns the number of points drawn. */
export function drawSeries(
  ctx: CanvasRenderingContext2D,
  s: DrawSeries,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
): number {
  const { time, min, max } = s.series;
  const n = time.length;
  if (n === 0) return 0;
  ctx.save();
  ctx.strokeStyle = s.color;
  ctx.fillStyle = s.color;
  ctx.lineWidth = 1.5;
  if (s.dashed) ctx.setLineDash([4, 3]);
  if (s.style === 'points' || s.style === 'stems') {
    const y0 = y(0);
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const px = x(time[i]);
      if (s.style === 'stems') {
        ctx.moveTo(px, y0);
        ctx.lineTo(px, y(max[i]));
      }
      ctx.moveTo(px + 2.5, y(max[i]));
      ctx.arc(px, y(max[i]), 2.5, 0, 2 * Math.PI);
      if (min[i] !== max[i]) {
        ctx.moveTo(px, y(min[i]));
        ctx.lineTo(px, y(max[i]));
      }
    }
    ctx.stroke();
    ctx.restore();
    return n;
  }
  if (!s.series.raw) {
    // A bucket per pixel: fill between the minima and maxima, so a one-sample spike still shows.
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    ctx.moveTo(x(time[0]), y(max[0]));
    for (let i = 1; i < n; i++) ctx.lineTo(x(time[i]), y(max[i]));
    for (let i = n - 1; i >= 0; i--) ctx.lineTo(x(time[i]), y(min[i]));
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  ctx.beginPath();
  const step = s.style === 'step';
  ctx.moveTo(x(time[0]), y(max[0]));
  for (let i = 1; i < n; i++) {
    const px = x(time[i]);
    if (step) ctx.lineTo(px, y(max[i - 1]));
    ctx.lineTo(px, y(max[i]));
  }
  ctx.stroke();
  if (n === 1) {
    ctx.beginPath();
    ctx.arc(x(time[0]), y(max[0]), 2, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.restore();
  return n;
}

/** Small downward triangles at the top of the plot at each time (forced GCs). */
export function drawMarkers(
  ctx: CanvasRenderingContext2D,
  times: readonly number[],
  color: string,
  x: ScaleLinear<number, number>,
  top: number,
): number {
  ctx.save();
  ctx.fillStyle = color;
  ctx.beginPath();
  for (const t of times) {
    const px = x(t);
    ctx.moveTo(px - 4, top);
    ctx.lineTo(px + 4, top);
    ctx.lineTo(px, top + 6);
    ctx.closePath();
  }
  ctx.fill();
  ctx.restore();
  return times.length;
}

function rgb(c: string): [number, number, number] {
  const parsed = d3color(c)?.rgb();
  return parsed ? [parsed.r, parsed.g, parsed.b] : [128, 128, 128];
}

/** Largest finite value of a heatmap (0 when empty). */
export function heatmapMax(m: PMatrix): number {
  let hi = 0;
  for (let i = 0; i < m.values.length; i++) {
    const v = m.values[i];
    if (v > hi) hi = v;
  }
  return hi;
}

/**
 * The heatmap as an image of `plotWidth` × `rows` pixels (one pixel row per P), each column
 * painted over the time its matrix column covers; intensity on a square-root scale of the
 * run-queue length, so a few long queues do not wash out the short ones. Returns the cells drawn.
 */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  m: PMatrix,
  x: ScaleLinear<number, number>,
  area: { left: number; top: number; width: number; height: number },
  colors: { low: string; high: string; background: string },
  scratch: HTMLCanvasElement,
): number {
  const { cols, rows, colTimeMs, values } = m;
  if (cols === 0 || rows === 0) return 0;
  const w = Math.max(1, Math.floor(area.width));
  scratch.width = w;
  scratch.height = rows;
  const sctx = scratch.getContext('2d')!;
  const img = sctx.createImageData(w, rows);
  const data = img.data;
  const lo = rgb(colors.low);
  const hi = rgb(colors.high);
  const max = Math.max(1, heatmapMax(m));
  const sqrtMax = Math.sqrt(max);
  // Column c covers [colTime[c], colTime[c+1]); the last one as wide as the one before it.
  const spacing =
    cols > 1
      ? (colTimeMs[cols - 1] - colTimeMs[0]) / (cols - 1)
      : Math.max(1, x.domain()[1] - x.domain()[0]);
  let cells = 0;
  for (let c = 0; c < cols; c++) {
    const start = colTimeMs[c];
    const end = c + 1 < cols ? colTimeMs[c + 1] : start + spacing;
    let px0 = Math.floor(x(start) - area.left);
    let px1 = Math.ceil(x(end) - area.left);
    if (px1 <= 0 || px0 >= w) continue;
    px0 = Math.max(0, px0);
    px1 = Math.min(w, Math.max(px0 + 1, px1));
    for (let p = 0; p < rows; p++) {
      const v = values[c * rows + p];
      if (Number.isNaN(v)) continue;
      cells++;
      const f = v <= 0 ? 0 : 0.15 + 0.85 * (Math.sqrt(v) / sqrtMax);
      const alpha = v <= 0 ? 40 : 255;
      const r = lo[0] + (hi[0] - lo[0]) * f;
      const g = lo[1] + (hi[1] - lo[1]) * f;
      const b = lo[2] + (hi[2] - lo[2]) * f;
      for (let px = px0; px < px1; px++) {
        const k = (p * w + px) * 4;
        data[k] = r;
        data[k + 1] = g;
        data[k + 2] = b;
        data[k + 3] = alpha;
      }
    }
  }
  sctx.putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, w, rows, area.left, area.top, w, area.height);
  ctx.restore();
  return cells;
}
