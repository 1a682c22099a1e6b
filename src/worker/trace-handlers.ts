// The parse worker's execution-trace methods; see trace-protocol.ts.
import { wallClockInfo } from '../core/exectrace/wall-clock';
import {
  cpuProfile,
  GoState,
  goroutineSpans,
  previousSpan,
  spanEnd,
  spanGoroutine,
  spanReason,
  spanStart,
  stackFrames,
  TraceError,
  TraceModelBuilder,
  TraceReader,
  type EventBlock,
  type TraceModel,
} from '../core/exectrace';
import { estimateCpuSamplePeriod, profileFromStacks } from '../core/exectrace/profile-from-stacks';
import { formatTimeIn } from '../core/layout/timeline-axis';
import { formatDuration } from '../core/format/units';
import {
  AnalysisReader,
  laneGroups,
  type AnalysisNumbers,
  type LaneGroups,
} from '../core/layout/timeline-groups';
import {
  LaneIndex,
  MIX_CLASSES,
  SPAN_CLASSES,
  spanBounds,
  spanClassOf,
} from '../core/layout/timeline-lanes';
import { decimateSteps, stepBlocks, type StepBlocks } from '../core/layout/timeline-series';
import { nearlySortedOrder, radixOrder } from '../core/layout/radix-order';
import type {
  AnalysisRow,
  DetailRef,
  LaneData,
  LaneRef,
  OverviewData,
  SpanDetail,
  StackFrameView,
} from '../protocol/timeline';
import { keepProfile } from './profile-handlers';
import { readTraceRange, scanTraceFile } from './trace-range';
import { openTraceFile } from '../node/trace-file';
import type { LoadedTrace, TraceWorkerMethods } from './trace-protocol';

/** Span class → mix class (running, runnable, syscall, waiting). */
const MIX_OF_CLASS = Uint8Array.from(SPAN_CLASSES, (_, c) => Math.min(c, MIX_CLASSES.length - 1));
/** Goroutine lane indexes kept per trace; each is small, but a scroll through 600K lanes should not keep them all. */
const MAX_CACHED_LANES = 20_000;
/** Yield to the worker's event loop this often while parsing, so a cancel request is heard. */
const YIELD_MS = 40;

interface Trace {
  model: TraceModel;
  /** Span class of a span (SPAN_CLASSES), from its state and reason. */
  classOf: (span: number) => number;
  groups: LaneGroups;
  procLanes: LaneIndex[];
  goroutineLanes: Map<number, LaneIndex>;
  gcLane: LaneIndex;
  stwLane: LaneIndex;
  analysis: AnalysisReader;
  groupRows: AnalysisNumbers[] | undefined;
  /** Members of a group sorted by a column: the last order asked for (sorting 600K goroutines is not free). */
  sorted: { key: string; order: Int32Array } | undefined;
  /** Members of lane groups by goroutine ID, by group (made when a group is first sorted). */
  membersById: Map<number, Int32Array>;
  /** Every goroutine index in goroutine-ID order (made on the first sort of the analysis tab). */
  byId: Int32Array | undefined;
  overview: Map<number, OverviewData>;
  /** Block ranges of the graphs' series, by series (made on first use). */
  seriesBlocks: Map<string, StepBlocks>;
  cpuPeriod: number | undefined;
}

const traces = new Map<number, Trace>();
const loads = new Map<number, Load>();
let nextHandle = 1;

function get(handle: number): Trace {
  const t = traces.get(handle);
  if (!t) throw new Error('Go Lens: this trace is no longer loaded; reopen it.');
  return t;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** GC cycles or pauses as closed intervals: NaN ends (before or after the trace) become its edges. */
function closed(
  start: Float64Array,
  end: Float64Array,
  model: TraceModel,
): { start: Float64Array; end: Float64Array } {
  const s = Float64Array.from(start, (v) => (Number.isNaN(v) ? model.start : v));
  const e = Float64Array.from(end, (v) => (Number.isNaN(v) ? model.end : v));
  return { start: s, end: e };
}

function indexTrace(model: TraceModel): Trace {
  const spans = model.spans;
  const start = (i: number) => spanStart(spans, i);
  const end = (i: number) => spanEnd(spans, i);
  const bounds = spanBounds(spans);
  const gc = closed(model.gc.cycles.start, model.gc.cycles.end, model);
  const stw = closed(model.gc.stw.start, model.gc.stw.end, model);
  return {
    model,
    classOf: spanClassOf(
      spans.state,
      spans.reason,
      Array.from(spans.reasons, (r) => model.strings[r]),
    ),
    groups: laneGroups(model),
    procLanes: model.procs.map(
      (p) => new LaneIndex(p.running, start, end, null, 1, null, undefined, bounds),
    ),
    goroutineLanes: new Map(),
    gcLane: new LaneIndex(null, gc.start, gc.end, null, 1),
    stwLane: new LaneIndex(null, stw.start, stw.end, null, 1),
    analysis: new AnalysisReader(model),
    groupRows: undefined,
    sorted: undefined,
    membersById: new Map(),
    byId: undefined,
    overview: new Map(),
    seriesBlocks: new Map(),
    cpuPeriod: estimateCpuSamplePeriod(model.cpuSamples),
  };
}

function goroutineLane(t: Trace, gi: number): LaneIndex {
  let lane = t.goroutineLanes.get(gi);
  if (!lane) {
    const spans = t.model.spans;
    lane = new LaneIndex(
      goroutineSpans(t.model, gi),
      (i) => spanStart(spans, i),
      (i) => spanEnd(spans, i),
      t.classOf,
      MIX_CLASSES.length,
      MIX_OF_CLASS,
      undefined,
      spanBounds(spans),
    );
    if (t.goroutineLanes.size >= MAX_CACHED_LANES) t.goroutineLanes.clear();
    t.goroutineLanes.set(gi, lane);
  }
  return lane;
}

function memberOf(t: Trace, group: number, member: number): number {
  const g = t.groups;
  if (group >= g.count) throw new Error(`lane group ${group} does not exist`);
  const k = g.memberStart[group] + member;
  if (k >= g.memberStart[group + 1]) throw new Error(`group ${group} has no goroutine ${member}`);
  return g.members[k];
}

function laneData(t: Trace, ref: LaneRef, t0: number, t1: number, resolution: number): LaneData {
  const m = t.model;
  let lane: LaneIndex;
  let goroutine: LaneData['goroutine'];
  if (ref.kind === 'p') {
    if (ref.index >= t.procLanes.length) throw new Error(`P lane ${ref.index} does not exist`);
    lane = t.procLanes[ref.index];
  } else if (ref.kind === 'g') {
    const gi = memberOf(t, ref.group, ref.member);
    lane = goroutineLane(t, gi);
    goroutine = { index: gi, id: m.goroutines.id[gi] };
  } else {
    lane = ref.kind === 'gc' ? t.gcLane : t.stwLane;
  }
  const q = lane.query(t0, t1, resolution);
  const n = q.count;
  const C = q.classCount;
  const cls = new Uint8Array(n);
  const refs = new Int32Array(n);
  const group = new Int32Array(n).fill(-1);
  const gid = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (q.n[i] > 1) {
      refs[i] = -1;
      let best = 0;
      for (let c = 1; c < C; c++) if (q.mix[i * C + c] > q.mix[i * C + best]) best = c;
      cls[i] = best;
      continue;
    }
    const idx = lane.at(q.first[i]);
    refs[i] = idx;
    if (ref.kind === 'p') {
      const g = spanGoroutine(m.spans, idx);
      group[i] = t.groups.groupOf[g];
      gid[i] = m.goroutines.id[g];
    } else if (ref.kind === 'g') {
      cls[i] = t.classOf(idx);
    }
  }
  return {
    key: laneKeyOf(ref),
    goroutine,
    start: q.start.slice(),
    end: q.end.slice(),
    n: q.n.slice(),
    cls,
    ref: refs,
    group,
    gid,
    mix: q.mix.slice(),
    classCount: C,
  };
}

function laneKeyOf(ref: LaneRef): string {
  return ref.kind === 'p'
    ? `p${ref.index}`
    : ref.kind === 'g'
      ? `g${ref.group}.${ref.member}`
      : ref.kind;
}

const frames = (m: TraceModel, stack: number): StackFrameView[] =>
  stackFrames(m, stack).map((f) => ({ func: f.func, file: f.file, line: f.line }));

const STATE_TEXT: Record<number, string> = {
  [GoState.Running]: 'running',
  [GoState.Runnable]: 'runnable (waiting for a P)',
  [GoState.Waiting]: 'blocked',
  [GoState.Syscall]: 'in a syscall',
};

/** The goroutine's span after span s, −1 if s is its last. */
function nextSpan(m: TraceModel, s: number): number {
  const sp = m.spans;
  let next = -1;
  const gi = spanGoroutine(sp, s);
  for (let k = m.goroutines.lastSpan[gi]; k > s; k = previousSpan(sp, k)) next = k;
  return next;
}

function spanDetail(t: Trace, s: number): SpanDetail {
  const m = t.model;
  const sp = m.spans;
  if (s >= sp.count) throw new Error(`span ${s} does not exist`);
  const gi = spanGoroutine(sp, s);
  const id = m.goroutines.id[gi];
  const group = t.groups.groupOf[gi];
  const startFn = group >= 0 ? t.groups.names[group] : m.strings[m.goroutines.startFunc[gi]];
  const state = sp.state[s];
  const reason = m.strings[spanReason(sp, s)];
  const cls = SPAN_CLASSES[t.classOf(s)];
  const rows: [string, string][] = [
    ['Goroutine', `G${id}${startFn ? ` ${startFn}` : ''}`],
    [
      'State',
      state === GoState.Waiting
        ? `blocked (${cls === 'other' ? reason || 'other' : cls})`
        : (STATE_TEXT[state] ?? String(state)),
    ],
  ];
  if (reason) rows.push(['Reason', reason]);
  const span = m.end - m.start;
  const start = spanStart(sp, s);
  rows.push(
    ['Start', formatTimeIn(start, span)],
    ['Duration', formatDuration(spanEnd(sp, s) - start)],
  );
  if (sp.p[s] >= 0) rows.push(['P', `P${sp.p[s]}`]);
  if (sp.m[s] >= 0) rows.push(['M', `M${m.threads[sp.m[s]]?.id ?? sp.m[s]} (thread)`]);
  const stacks: SpanDetail['stacks'] = [];
  if (state === GoState.Running) {
    // A running span starts without a stack (GoStart has none); where it stopped is what tells.
    const next = nextSpan(m, s);
    if (next >= 0) {
      const why = m.strings[spanReason(sp, next)] || STATE_TEXT[sp.state[next]] || '';
      if (sp.stack[next] >= 0)
        stacks.push({
          title: `Stopped running${why ? ` (${why})` : ''} at`,
          frames: frames(m, sp.stack[next]),
        });
    } else if (!Number.isNaN(m.goroutines.endedAt[gi])) {
      rows.push(['Ended', 'the goroutine exited at the end of this span']);
    }
  } else if (sp.stack[s] >= 0) {
    const title =
      state === GoState.Waiting
        ? 'Blocked at'
        : state === GoState.Syscall
          ? 'Syscall at'
          : state === GoState.Runnable && reason
            ? 'Stopped at'
            : 'Made runnable at';
    stacks.push({ title, frames: frames(m, sp.stack[s]) });
  }
  const created = m.goroutines.creationStack[gi];
  if (created >= 0) stacks.push({ title: 'Goroutine created at', frames: frames(m, created) });
  return {
    ref: { kind: 'span', index: s },
    title: `G${id} ${state === GoState.Waiting ? `blocked${reason ? `: ${reason}` : ''}` : (STATE_TEXT[state] ?? '')}`,
    rows,
    stacks,
    goroutine: group >= 0 ? { index: gi, id, group, member: t.groups.memberPos[gi] } : undefined,
  };
}

function detail(t: Trace, ref: DetailRef): SpanDetail {
  const m = t.model;
  if (ref.kind === 'span') return spanDetail(t, ref.index);
  const lane = ref.kind === 'gc' ? t.gcLane : t.stwLane;
  if (ref.index >= lane.count) throw new Error(`${ref.kind} ${ref.index} does not exist`);
  const s = lane.startAt(ref.index);
  const e = lane.endAt(ref.index);
  const span = m.end - m.start;
  const rows: [string, string][] = [
    ['Start', formatTimeIn(s, span)],
    ['Duration', formatDuration(e - s)],
  ];
  if (ref.kind === 'gc') {
    const open =
      Number.isNaN(m.gc.cycles.start[ref.index]) || Number.isNaN(m.gc.cycles.end[ref.index]);
    if (open) rows.push(['Note', 'the cycle runs past the edge of the trace']);
    return {
      ref,
      title: `GC cycle ${m.gc.cycles.seq[ref.index]} (concurrent mark)`,
      rows,
      stacks: [],
    };
  }
  const kind = m.strings[m.gc.stw.kind[ref.index]];
  const g = m.gc.stw.g[ref.index];
  if (g >= 0) rows.push(['Goroutine', `G${m.goroutines.id[g]}`]);
  return { ref, title: `Stop-the-world: ${kind || 'unknown'}`, rows, stacks: [] };
}

/**
 * `members` (by `value` descending, ties by goroutine ID) by `value` ascending, ties still by
 * ID: the runs of equal values in reverse order, each run as it is.
 */
function reverseRuns(members: Int32Array, value: Float64Array): Int32Array {
  const out = new Int32Array(members.length);
  let o = 0;
  for (let end = members.length; end > 0;) {
    let start = end - 1;
    const v = value[members[start]];
    while (start > 0 && value[members[start - 1]] === v) start--;
    out.set(members.subarray(start, end), o);
    o += end - start;
    end = start;
  }
  return out;
}

/** Members of a lane group by goroutine ID (kept: the analysis tab sorts them again and again). */
function membersById(t: Trace, group: number): Int32Array {
  let byId = t.membersById.get(group);
  if (!byId) {
    // The group's members picked from all goroutines in ID order: goroutine indices are nearly
    // in ID order, so that order costs a pass of nearly sorted insertion, once per trace, where
    // sorting each group's IDs cost a gather and a radix sort (0.5 s for 6.3M goroutines).
    t.byId ??= nearlySortedOrder(t.model.goroutines.id);
    const g = t.groups;
    const groupOf = g.groupOf;
    byId = new Int32Array(g.memberStart[group + 1] - g.memberStart[group]);
    const all = t.byId;
    // An index loop: `for…of` here made an iterator result object per goroutine.
    for (let i = 0, k = 0; i < all.length; i++) if (groupOf[all[i]] === group) byId[k++] = all[i];
    t.membersById.set(group, byId);
  }
  return byId;
}

function analysisRow(t: Trace, gi: number): AnalysisRow {
  const group = t.groups.groupOf[gi];
  return {
    ...t.analysis.row(gi),
    name: t.groups.names[group] ?? '',
    group,
    goroutine: { index: gi, id: t.model.goroutines.id[gi], member: t.groups.memberPos[gi] },
  };
}

/** A load in progress: its cancel flag, where its progress goes, the preview's taker. */
interface Load {
  aborted: boolean;
  progress: (message: string, fraction?: number) => void;
  /** Set while a progressive load waits for its preview. */
  preview: ((t: LoadedTrace) => void) | null;
  /** How far it has got (traceLoadStatus). */
  fraction?: number;
  parsedNs?: number;
}

/** Progressive loads past their preview, until `finishTraceLoad` takes the complete model. */
const background = new Map<number, { load: Load; complete: Promise<LoadedTrace> }>();

/** Default cut of a preview: the first end of a generation after this many ms of parsing… */
const PREVIEW_AFTER_MS = 300;
/** …or anywhere once this many ms were spent modelling (a huge generation). */
const PREVIEW_LATEST_MS = 400;
/** Default wait, after a preview, for the view's first lanes before parsing on. */
const PREVIEW_HOLD_MS = 1000;
/** Previews whose view has not had its first lanes yet, by handle. */
const awaitingLanes = new Map<number, () => void>();

/** Resolves once lanes of `handle` were answered (and the queries sent with them), or after `ms`. */
async function firstLanesServed(handle: number, ms: number): Promise<void> {
  if (ms > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      awaitingLanes.set(handle, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    awaitingLanes.delete(handle);
  }
  // The graphs and the overview strip are asked for with the lanes: let them through too.
  await tick();
}

/** Default size below which a file loads whole without a preview. */
const PREVIEW_MIN_BYTES = 8 << 20;

/** Keeps a model with its lane indexes under a new handle, and says what it holds. */
function keepTrace(
  model: TraceModel,
  error: TraceError | null,
  parseMs: number,
  partial?: LoadedTrace['partial'],
): LoadedTrace {
  const t0 = performance.now();
  const trace = indexTrace(model);
  const indexMs = performance.now() - t0;
  const handle = nextHandle++;
  traces.set(handle, trace);
  const g = trace.groups;
  return {
    handle,
    version: model.version,
    start: model.start,
    end: model.end,
    timeBase: String(model.timeBase),
    eventCount: model.eventCount,
    spanCount: model.spans.count,
    goroutineCount: model.goroutines.count,
    procs: model.procs.map((p) => p.id),
    groups: g.names.map((name, i) => ({
      name,
      count: g.memberStart[i + 1] - g.memberStart[i],
      execTime: g.execTime[i],
    })),
    cpuSamples: model.cpuSamples.count,
    cpuPeriodNanos: trace.cpuPeriod,
    gcCycles: model.gc.cycles.start.length,
    stwCount: model.gc.stw.start.length,
    wallClock: wallClockInfo(model.version, model.timeBase, model.generations),
    lastGeneration: model.generations.at(-1)?.number,
    error: error ? { code: error.code, message: error.message } : undefined,
    parseMs,
    indexMs,
    partial,
  } satisfies LoadedTrace;
}

/**
 * Parses a trace into its model (the whole of loadTrace but for the handles' bookkeeping). A
 * progressive load also feeds a second builder the same blocks until the preview's cut, finishes
 * that one into the preview and hands it to `load.preview`, then goes on with the rest.
 */
async function readTrace(
  params: TraceWorkerMethods['loadTrace']['params'],
  load: Load,
): Promise<LoadedTrace> {
  const progress = (message: string, fraction?: number) => load.progress(message, fraction);
  const started = performance.now();
  progress('Reading the file', 0);
  let range = params.generations
    ? await readTraceRange(params.path ?? '', params.generations)
    : null;
  // A file is read on demand: the reader holds a window of it (the generation being read), so
  // a 1 GB trace's bytes are not resident while its model is built (they were 1 GB of its
  // 4.8 GB peak). Bytes (a range of generations, a file VS Code read) are held whole.
  let data: Uint8Array | null = params.bytes ?? range?.bytes ?? null;
  const timeBase = range?.timeBase;
  range = null; // its bytes are `data`, let go of below
  if (load.aborted) throw new TraceError('cancelled', 'cancelled');
  const file = data ? null : openTraceFile(params.path ?? '');
  try {
    const size = Math.max(1, data ? data.length : file!.source.size);
    let reader: TraceReader | null = new TraceReader(data ?? file!.source, {
      signal: load,
      timeBase,
    });
    const builder = new TraceModelBuilder(reader.version);
    // The preview's builder gets the same blocks (the builder copies what it keeps out of a
    // block, so the reader's reused block can feed both) until the cut.
    const minBytes = params.progressive?.minBytes ?? PREVIEW_MIN_BYTES;
    let preview =
      params.progressive && size >= minBytes ? new TraceModelBuilder(reader.version) : null;
    const afterMs = params.progressive?.afterMs ?? PREVIEW_AFTER_MS;
    const latestMs = params.progressive?.latestMs ?? PREVIEW_LATEST_MS;
    let previewGens = 0;
    /** When the first events came (the reader indexes a whole generation before). */
    let firstEventsAt = 0;
    let error: TraceError | null = null;
    let lastYield = performance.now();
    let lastGen = -1;
    for (;;) {
      let block: EventBlock | null;
      try {
        block = reader.next();
      } catch (e) {
        if (!(e instanceof TraceError) || e.code === 'cancelled' || builder.eventCount === 0)
          throw e;
        error = e;
        break;
      }
      if (!block) break;
      builder.add(block, reader.timeBase);
      if (block.gen > lastGen) lastGen = block.gen;
      if (block.count > 0) load.parsedNs = block.time[block.count - 1];
      load.fraction = reader.bytesRead / size;
      if (preview) {
        preview.add(block, reader.timeBase);
        if (block.endOfGeneration) previewGens++;
        const now = performance.now();
        firstEventsAt ||= now;
        if (
          (block.endOfGeneration && now - started >= afterMs) ||
          now - firstEventsAt >= latestMs
        ) {
          const fraction = reader.bytesRead / size;
          // The reader reads a whole generation before handing out its events: when it has read
          // the whole file, the cut is in the last generation (of a one-generation trace, or
          // near the end), and the rest comes without a preview.
          const more = !block.final && reader.bytesRead < size;
          if (more && load.preview) {
            const model = preview.finish();
            const gens = previewGens + (block.endOfGeneration ? 0 : 1);
            const readyMs = performance.now() - started;
            const first = keepTrace(model, null, readyMs, { fraction, generations: gens, readyMs });
            load.preview(first);
            load.preview = null;
            // Let the answer go out, and the view's first lanes be served, before going on.
            await firstLanesServed(first.handle, params.progressive?.holdMs ?? PREVIEW_HOLD_MS);
            lastYield = performance.now();
            if (load.aborted) throw new TraceError('cancelled', 'cancelled');
          }
          preview = null;
        }
      }
      if (performance.now() - lastYield > YIELD_MS) {
        const f = reader.bytesRead / size;
        progress(`Parsing events: ${Math.round(100 * f)}% (generation ${lastGen})`, 0.05 + 0.8 * f);
        await tick();
        lastYield = performance.now();
        if (load.aborted) throw new TraceError('cancelled', 'cancelled');
      }
    }
    preview = null;
    // The input's bytes are not needed any more: let them go before the model's last (and
    // largest) allocations rather than after (about the file's size off the peak, given bytes).
    data = null;
    reader = null;
    progress('Building the timeline', 0.86);
    await tick();
    if (load.aborted) throw new TraceError('cancelled', 'cancelled');
    const model = builder.finish();
    model.error = error;
    const parseMs = performance.now() - started;
    progress('Indexing lanes', 0.95);
    await tick();
    if (load.aborted) throw new TraceError('cancelled', 'cancelled');
    return keepTrace(model, error, parseMs);
  } finally {
    file?.close();
  }
}

type Handlers = {
  [M in keyof TraceWorkerMethods]: (
    params: TraceWorkerMethods[M]['params'],
    progress: (message: string, fraction?: number) => void,
  ) => Promise<TraceWorkerMethods[M]['result']> | TraceWorkerMethods[M]['result'];
};

export const traceHandlers: Handlers = {
  async loadTrace(params, progress) {
    const load: Load = { aborted: false, progress, preview: null };
    loads.set(params.loadId, load);
    const preview = params.progressive
      ? new Promise<LoadedTrace>((resolve) => (load.preview = resolve))
      : null;
    const complete = readTrace(params, load).finally(() => loads.delete(params.loadId));
    if (!preview) return complete;
    // Whichever comes first: the preview, or the whole trace (a small or one-generation file).
    const first = await Promise.race([preview, complete]);
    if (first.partial) {
      // Handled by finishTraceLoad; until it asks, a failure must not go unobserved.
      complete.catch(() => undefined);
      background.set(params.loadId, { load, complete });
    }
    return first;
  },
  async finishTraceLoad(params, progress) {
    const b = background.get(params.loadId);
    if (!b)
      throw new Error(`Go Lens: no trace load ${params.loadId} is going on in the background.`);
    b.load.progress = progress;
    try {
      return await b.complete;
    } finally {
      background.delete(params.loadId);
    }
  },
  traceLoadStatus(params) {
    const l = loads.get(params.loadId);
    return l ? { fraction: l.fraction ?? 0, parsedNs: l.parsedNs ?? 0 } : null;
  },
  scanTrace(params) {
    return scanTraceFile(params.path);
  },
  cancelTraceLoad(params) {
    const l = loads.get(params.loadId);
    if (l) l.aborted = true;
  },
  endPreviewHold(params) {
    awaitingLanes.get(params.handle)?.();
  },
  traceLanes(params) {
    const t = get(params.handle);
    const lanes = params.lanes.map((ref) =>
      laneData(t, ref, params.t0, params.t1, params.resolution),
    );
    awaitingLanes.get(params.handle)?.();
    return lanes;
  },
  traceSeries(params) {
    const t = get(params.handle);
    const m = t.model;
    const { t0, t1, buckets } = params;
    const gs = m.metrics.goroutines;
    const steps = (name: string, time: Float64Array, value: ArrayLike<number>) => {
      let blocks = t.seriesBlocks.get(name);
      if (!blocks) t.seriesBlocks.set(name, (blocks = stepBlocks(value)));
      return decimateSteps(time, value, t0, t1, buckets, blocks);
    };
    return {
      heapAlloc: steps('heapAlloc', m.metrics.heapAlloc.time, m.metrics.heapAlloc.value),
      heapGoal: steps('heapGoal', m.metrics.heapGoal.time, m.metrics.heapGoal.value),
      running: steps('running', gs.time, gs.running),
      runnable: steps('runnable', gs.time, gs.runnable),
      waiting: steps('waiting', gs.time, gs.waiting),
      syscall: steps('syscall', gs.time, gs.syscall),
    };
  },
  traceOverview(params) {
    const t = get(params.handle);
    const have = t.overview.get(params.buckets);
    if (have)
      return {
        utilization: have.utilization.slice(),
        gcStart: have.gcStart.slice(),
        gcEnd: have.gcEnd.slice(),
      };
    const m = t.model;
    const t0 = m.start;
    const t1 = Math.max(m.end, m.start + 1);
    const util = new Float64Array(params.buckets);
    for (const lane of t.procLanes)
      lane.coverage(t0, t1, params.buckets, Math.max(1, m.procs.length), util);
    const gc = t.gcLane.query(t0, t1, (t1 - t0) / params.buckets);
    const o = { utilization: util, gcStart: gc.start.slice(), gcEnd: gc.end.slice() };
    t.overview.set(params.buckets, o);
    return {
      utilization: o.utilization.slice(),
      gcStart: o.gcStart.slice(),
      gcEnd: o.gcEnd.slice(),
    };
  },
  traceDetail(params) {
    return detail(get(params.handle), params.ref);
  },
  traceAnalysis(params) {
    const t = get(params.handle);
    t.groupRows ??= t.analysis.groupRows(t.groups);
    return t.groupRows.map((r, g) => ({
      ...r,
      blocked: r.blocked.slice(),
      name: t.groups.names[g],
      group: g,
    }));
  },
  traceAnalysisGoroutines(params) {
    const t = get(params.handle);
    const g = t.groups;
    if (params.group >= g.count) throw new Error(`lane group ${params.group} does not exist`);
    const members = g.members.subarray(
      g.memberStart[params.group],
      g.memberStart[params.group + 1],
    );
    const key = `${params.group}/${params.sortBy}/${params.descending}`;
    if (t.sorted?.key !== key) {
      // By the column, then by goroutine ID. A group can hold millions of goroutines: no row
      // objects, no comparator calls, and the groups' own order (execution time, largest first,
      // then ID) as it is.
      let order: Int32Array;
      if (params.sortBy === 'execTime')
        order = params.descending ? members : reverseRuns(members, t.model.execStats.execTime);
      else {
        const byId = membersById(t, params.group);
        order = radixOrder([t.analysis.columnValues(byId, params.sortBy)], [params.descending]);
        for (let k = 0; k < order.length; k++) order[k] = byId[order[k]];
      }
      t.sorted = { key, order };
    }
    const page = t.sorted.order.subarray(params.offset, params.offset + params.limit);
    return { total: members.length, rows: Array.from(page, (gi) => analysisRow(t, gi)) };
  },
  traceCpuProfile(params) {
    const t = get(params.handle);
    const m = t.model;
    let goroutines: Iterable<number> | undefined;
    let whose = '';
    if (params.goroutine !== undefined) {
      if (params.goroutine >= m.goroutines.count)
        throw new Error(`goroutine ${params.goroutine} does not exist`);
      goroutines = [params.goroutine];
      whose = ` of G${m.goroutines.id[params.goroutine]}`;
    } else if (params.group !== undefined) {
      const g = t.groups;
      if (params.group >= g.count) throw new Error(`lane group ${params.group} does not exist`);
      goroutines = g.members.subarray(g.memberStart[params.group], g.memberStart[params.group + 1]);
      whose = ` of ${g.names[params.group] || 'goroutines without a stack'}`;
    }
    const span = m.end - m.start;
    const subject = `${formatTimeIn(params.t0, span)}–${formatTimeIn(params.t1, span)}${whose}`;
    const title = `CPU ${subject} · ${params.source}`;
    const cpu = cpuProfile(m, { start: params.t0, end: params.t1, goroutines });
    if (cpu.totalSamples - cpu.samplesWithoutStack === 0) {
      return {
        profile: null,
        title,
        subject,
        samplesInTrace: m.cpuSamples.count,
        samplesInRange: cpu.totalSamples,
      };
    }
    const period = t.cpuPeriod;
    const comments = [
      `CPU samples of ${subject} in ${params.source}, from an execution trace.`,
      period === undefined
        ? "The trace does not record the CPU profiler's rate and the samples do not show it, so values are sample counts."
        : `The CPU profiler sampled every ${formatDuration(period)} (${Math.round(1e9 / period)} Hz), as the samples' spacing shows.`,
    ];
    if (cpu.samplesWithoutStack > 0)
      comments.push(`${cpu.samplesWithoutStack} samples had no stack and are left out.`);
    const profile = profileFromStacks(cpu.stacks, {
      periodNanos: period,
      durationNanos: Math.max(0, params.t1 - params.t0),
      comments,
    });
    return {
      profile: keepProfile(profile),
      title,
      subject,
      samples: cpu.totalSamples - cpu.samplesWithoutStack,
      withoutStack: cpu.samplesWithoutStack,
    };
  },
  releaseTrace(params) {
    traces.delete(params.handle);
  },
};
