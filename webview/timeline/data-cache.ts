// What the webview has of the trace: each lane's marks for some window at some resolution, and
// the graphs. Frames are drawn from here only; fetching is decided here: a lane is fetched again
// when the view leaves the window it has or zooms past its resolution. Windows are fetched a
// screen wider on each side, so panning draws from the cache while the next answer is on its way,
// and resolutions are powers of two, so zooming within a factor of two needs nothing new.
import { laneKey, type LaneData, type LaneRef, type SeriesData } from '../../src/protocol/timeline';

/** Lanes kept: a few screens of lanes scrolled through; the oldest are dropped beyond this. */
const MAX_LANES = 3000;

export interface CachedLane {
  t0: number;
  t1: number;
  resolution: number;
  data: LaneData;
}

/** The resolution level for a view of `nsPerPx`: the power of two at or below it (merges stay under a pixel). */
export function resolutionLevel(nsPerPx: number): number {
  return Math.pow(2, Math.floor(Math.log2(Math.max(nsPerPx, 1e-3))));
}

/** The window to fetch for a view: one view width more on each side, within the trace. */
export function fetchWindow(v0: number, v1: number, start: number, end: number): [number, number] {
  const span = v1 - v0;
  return [Math.max(start, v0 - span), Math.min(end, v1 + span) + 1];
}

export class DataCache {
  private readonly lanes = new Map<string, CachedLane>();
  series: { t0: number; t1: number; buckets: number; data: SeriesData } | undefined;
  /** Lanes requested and not answered yet, with the window asked for. */
  private readonly inFlight = new Map<string, { t0: number; t1: number; resolution: number }>();

  clear(): void {
    this.lanes.clear();
    this.inFlight.clear();
    this.series = undefined;
  }

  get(key: string): CachedLane | undefined {
    return this.lanes.get(key);
  }

  get size(): number {
    return this.lanes.size;
  }

  /** True when the cache (or a request on its way) has the lane for the view at its level. */
  private covers(
    c: { t0: number; t1: number; resolution: number } | undefined,
    v0: number,
    v1: number,
    level: number,
  ): boolean {
    return !!c && c.resolution === level && c.t0 <= v0 && c.t1 >= v1;
  }

  /** The lanes of `refs` to fetch for the view [v0, v1] at `level`. */
  missing(refs: LaneRef[], v0: number, v1: number, level: number): LaneRef[] {
    return refs.filter((r) => {
      const k = laneKey(r);
      return (
        !this.covers(this.lanes.get(k), v0, v1, level) &&
        !this.covers(this.inFlight.get(k), v0, v1, level)
      );
    });
  }

  requested(refs: LaneRef[], t0: number, t1: number, resolution: number): void {
    for (const r of refs) this.inFlight.set(laneKey(r), { t0, t1, resolution });
  }

  /** Stores an answer. An older request's answer does not replace a finer one already here. */
  store(lanes: LaneData[], t0: number, t1: number, resolution: number): void {
    for (const data of lanes) {
      const f = this.inFlight.get(data.key);
      if (f && f.t0 === t0 && f.t1 === t1 && f.resolution === resolution)
        this.inFlight.delete(data.key);
      this.lanes.delete(data.key); // re-insert: Map order is the eviction order
      this.lanes.set(data.key, { t0, t1, resolution, data });
    }
    if (this.lanes.size > MAX_LANES) {
      let drop = this.lanes.size - MAX_LANES;
      for (const k of this.lanes.keys()) {
        if (drop-- <= 0) break;
        this.lanes.delete(k);
      }
    }
  }

  /** Forgets requests that will not be answered (an error came back). */
  failed(): void {
    this.inFlight.clear();
  }

  /** Whether the graphs need fetching for the view. */
  seriesMissing(v0: number, v1: number, nsPerPx: number): boolean {
    const s = this.series;
    if (!s) return true;
    const res = (s.t1 - s.t0) / s.buckets;
    return !(s.t0 <= v0 && s.t1 >= v1 && res <= nsPerPx * 1.01 && res >= nsPerPx / 2.5);
  }
}
