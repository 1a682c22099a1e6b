// What the timeline's tooltip says: a mark (a span, a GC cycle, a pause, or a run of them
// merged below a pixel), or a graph's values at a time; with the other clock (wall-clock time
// under a relative axis, and back) when the trace has clock snapshots.
import { formatTimeIn } from '../../src/core/layout/timeline-axis';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
} from '../../src/core/format/units';
import {
  formatWallClock,
  formatWallRfc3339,
  traceToWall,
} from '../../src/core/exectrace/wall-clock';
import { MIX_CLASSES, SPAN_CLASSES } from '../../src/core/layout/timeline-lanes';
import type { LaneData, SeriesData, TraceSummaryView } from '../../src/protocol/timeline';
import { CLASS_LABELS } from './palette';

export interface HoverInfo {
  x: number;
  y: number;
  /** A single span, GC cycle or pause: its details are requested and shown when they come. */
  ref?: { kind: 'span' | 'gc' | 'stw'; index: number };
  /** What is known at once (merged runs, graphs). */
  title: string;
  lines: string[];
}

/** How times read: the trace's length, and its clock snapshots when the axis shows wall-clock time or can. */
export interface HoverClock {
  /** The whole trace's duration, ns (times are written with a precision that suits it). */
  fullSpan: number;
  /** The trace's clock snapshots, when it has any. */
  anchors: Parameters<typeof traceToWall>[0] | undefined;
  /** The axis shows wall-clock time. */
  wallMode: boolean;
  utcOffset: number;
}

/** A mark of a lane: what it is and when. */
export function describeMark(
  kind: 'p' | 'g' | 'gc' | 'stw',
  d: LaneData,
  i: number,
  x: number,
  y: number,
  clock: HoverClock,
  summary: TraceSummaryView,
): HoverInfo {
  const anchors = clock.wallMode ? clock.anchors : undefined;
  const at = (t: number) =>
    anchors
      ? formatWallClock(traceToWall(anchors, t), clock.utcOffset, 9)
      : formatTimeIn(t, clock.fullSpan);
  const when = `${at(d.start[i])} – ${at(d.end[i])} (${formatDuration(d.end[i] - d.start[i])})`;
  if (d.n[i] > 1) {
    const lines = [when, ...otherClock(d.start[i], clock)];
    const C = d.classCount;
    if (C === 1) lines.push(`${formatPercent(d.mix[i], 1)} busy`);
    else
      for (let c = 0; c < C; c++)
        if (d.mix[i * C + c] > 0.005)
          lines.push(`${MIX_CLASSES[c]}: ${formatPercent(d.mix[i * C + c], 1)}`);
    lines.push('Zoom in to see them one by one.');
    const what =
      kind === 'p'
        ? 'goroutine runs'
        : kind === 'g'
          ? 'state changes'
          : kind === 'gc'
            ? 'GC cycles'
            : 'pauses';
    return { x, y, title: `${formatCount(d.n[i])} ${what}, each narrower than a pixel`, lines };
  }
  const ref = { kind: kind === 'gc' || kind === 'stw' ? kind : ('span' as const), index: d.ref[i] };
  let title: string;
  if (kind === 'p') title = `G${d.gid[i]} ${summary.groups[d.group[i]]?.name ?? ''}`;
  else if (kind === 'g') title = CLASS_LABELS[SPAN_CLASSES[d.cls[i]]];
  else title = kind === 'gc' ? 'GC cycle' : 'Stop-the-world';
  return { x, y, ref, title, lines: [when, ...otherClock(d.start[i], clock)] };
}

/** The heap or goroutine graph at time `t`, from the series answer covering it (`span`: the window's duration). */
export function describeGraph(
  which: 'heap' | 'goroutines',
  s: { t0: number; t1: number; buckets: number; data: SeriesData } | undefined,
  t: number,
  span: number,
  x: number,
  y: number,
  clock: HoverClock,
): HoverInfo | undefined {
  if (!s) return undefined;
  const b = Math.floor(((t - s.t0) / (s.t1 - s.t0)) * s.buckets);
  if (b < 0 || b >= s.buckets) return undefined;
  const v = (d: { max: Float64Array }) => d.max[b];
  const lines =
    which === 'heap'
      ? [`in use: ${bytes(v(s.data.heapAlloc))}`, `goal: ${bytes(v(s.data.heapGoal))}`]
      : [
          `running: ${num(v(s.data.running))}`,
          `runnable: ${num(v(s.data.runnable))}`,
          `syscall: ${num(v(s.data.syscall))}`,
          `blocked: ${num(v(s.data.waiting))}`,
        ];
  return {
    x,
    y,
    title: `${which === 'heap' ? 'Heap' : 'Goroutines'} at ${formatTimeIn(t, span)}`,
    lines: [...lines, ...otherClock(t, clock)],
  };
}

/** A hover line naming `t` in the other clock (wall when the axis is relative, and back). */
function otherClock(t: number, clock: HoverClock): string[] {
  const anchors = clock.anchors;
  if (!anchors) return [];
  if (clock.wallMode) return [`${formatTimeIn(t, clock.fullSpan)} since the trace start`];
  return [`wall clock ${formatWallRfc3339(traceToWall(anchors, t), clock.utcOffset)}`];
}

export function bytes(v: number): string {
  return Number.isFinite(v) ? formatBytes(v) : '—';
}

export function num(v: number): string {
  return Number.isFinite(v) ? formatCount(Math.round(v)) : '—';
}
