// The execution-trace view: staged progress while the worker parses, then the scheduler
// timeline (P lanes, GC/STW, heap and goroutine graphs, goroutine lanes by start function) and
// the goroutine analysis table as two tabs. Talks to the host only through src/protocol/timeline
// (requests on the page's one channel, webview/common/rpc.ts); the timeline itself lives in
// TimelineController, this file is the page around it.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatTimeIn } from '../../src/core/layout/timeline-axis';
import { formatCount, formatDuration } from '../../src/core/format/units';
import type { AnalysisColumn } from '../../src/core/layout/timeline-groups';
import { SPAN_CLASSES } from '../../src/core/layout/timeline-lanes';
import type {
  AnalysisRow,
  CpuProfileParams,
  DetailRef,
  SpanDetail,
  TimelineMethods,
  TimelinePushes,
  TracePartialView,
  TraceSummaryView,
} from '../../src/protocol/timeline';
import type { SourceLocation } from '../../src/protocol/source';
import { RpcError } from '../common/rpc';
import { watchTheme } from '../common/theme';
import { connectToHost, loadState, saveState } from '../common/vscode-api';
import { AnalysisTable, type GroupPage } from './analysis-table';
import { GUTTER } from './draw';
import { CLASS_LABELS, makePalette } from './palette';
import { HEADER, TimelineController, type HoverInfo } from './timeline-controller';

interface PersistedState {
  tab: 'timeline' | 'analysis';
  t0?: number;
  t1?: number;
  expanded: number[];
  legend: boolean;
  sort: { column: AnalysisColumn; descending: boolean };
  /** The axis shows wall-clock time (traces with clock snapshots). */
  wall?: boolean;
}

const DEFAULTS: PersistedState = {
  tab: 'timeline',
  expanded: [],
  legend: true,
  sort: { column: 'execTime', descending: true },
};
const PAGE = 100;

const host = connectToHost<TimelineMethods, TimelinePushes>();
const refKey = (r: DetailRef) => `${r.kind}:${r.index}`;
/** Detail rows that change when a preview becomes the complete trace. */
const TIME_ROWS = new Set(['Start', 'Duration', 'Ended', 'Note']);

export function App() {
  const [persisted, setPersisted] = useState<PersistedState>(() =>
    loadState<PersistedState>(DEFAULTS),
  );
  const [summary, setSummary] = useState<TraceSummaryView>();
  const [progress, setProgress] = useState<{ message: string; fraction?: number }>({
    message: 'Starting…',
  });
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ message: string; level: 'info' | 'warning' }>();
  const [hover, setHover] = useState<HoverInfo>();
  const [details, setDetails] = useState<Map<string, SpanDetail>>(new Map());
  const [selectedRef, setSelectedRef] = useState<DetailRef>();
  const [selection, setSelection] = useState<[number, number]>();
  const [analysis, setAnalysis] = useState<AnalysisRow[]>();
  const [pages, setPages] = useState<Map<number, GroupPage>>(new Map());
  const [opened, setOpened] = useState<string>();
  const [themeVersion, setThemeVersion] = useState(0);
  // The palette is read from the theme's CSS variables: read it again when the theme changes.
  const palette = useMemo(() => (void themeVersion, makePalette()), [themeVersion]);
  const controller = useRef<TimelineController | undefined>(undefined);
  const persistedRef = useRef(persisted);
  persistedRef.current = persisted;
  const detailsRef = useRef(details);
  detailsRef.current = details;
  const selectedRefRef = useRef(selectedRef);
  selectedRefRef.current = selectedRef;
  /** The selected span's details before the complete trace replaced its preview, to check against. */
  const swappedDetail = useRef<SpanDetail | undefined>(undefined);

  const update = useCallback((patch: Partial<PersistedState>) => {
    setPersisted((prev) => {
      const next = { ...prev, ...patch };
      saveState(next);
      return next;
    });
  }, []);

  /** A request failed: the view says so, and the timeline may ask again (a closed view is not told). */
  const failed = useCallback((err: unknown) => {
    if (err instanceof RpcError && err.code === 'disposed') return;
    setNotice({
      message: `Go Lens: ${err instanceof Error ? err.message : String(err)}`,
      level: 'warning',
    });
    controller.current?.onRequestFailed();
  }, []);

  useEffect(() => watchTheme(() => setThemeVersion((v) => v + 1)), []);
  useEffect(() => controller.current?.setPalette(palette), [palette]);

  const requestDetail = useCallback(
    (ref: DetailRef) => {
      const key = refKey(ref);
      if (detailsRef.current.has(key)) return;
      host.request('traceDetail', { ref }).then((detail) => {
        const old = swappedDetail.current;
        if (old && refKey(old.ref) === refKey(detail.ref)) {
          swappedDetail.current = undefined;
          // The same span in the new model? (One still open in the preview only grew; times
          // are written to the trace's length, so they are left out of the check.)
          const what = (d: SpanDetail) =>
            JSON.stringify([d.title, d.rows.filter(([k]) => !TIME_ROWS.has(k))]);
          if (what(old) !== what(detail))
            setSelectedRef((r) => (r && refKey(r) === refKey(detail.ref) ? undefined : r));
        }
        setDetails((prev) => new Map(prev).set(refKey(detail.ref), detail));
      }, failed);
    },
    [failed],
  );

  const requestPage = useCallback(
    (group: number, offset: number, sort = persistedRef.current.sort) => {
      setPages((prev) => {
        const next = new Map(prev);
        const old = prev.get(group);
        next.set(group, {
          rows: offset === 0 ? [] : (old?.rows ?? []),
          total: old?.total ?? 0,
          loading: true,
        });
        return next;
      });
      host
        .request('traceAnalysisGoroutines', {
          group,
          offset,
          limit: PAGE,
          sortBy: sort.column,
          descending: sort.descending,
        })
        .then(
          (page) =>
            setPages((prev) => {
              const next = new Map(prev);
              const old = prev.get(group);
              if (!old) return prev; // collapsed meanwhile
              const rows = offset === 0 ? page.rows : [...old.rows.slice(0, offset), ...page.rows];
              next.set(group, { rows, total: page.total, loading: false });
              return next;
            }),
          (err) => {
            setPages((prev) =>
              new Map(prev).set(group, {
                ...(prev.get(group) ?? { rows: [], total: 0 }),
                loading: false,
              }),
            );
            failed(err);
          },
        );
    },
    [failed],
  );

  useEffect(() => {
    const showSummary = (summary: TraceSummaryView) => {
      performance.mark(summary.partial ? 'timeline-summary-partial' : 'timeline-summary');
      setSummary(summary);
      setError(undefined);
      const sel = selectedRefRef.current;
      swappedDetail.current = sel ? detailsRef.current.get(refKey(sel)) : undefined;
      setDetails(new Map());
      setAnalysis(undefined);
      setPages(new Map());
      // Details are asked for again from the new model: the selected span keeps its index, and
      // stays selected when that index is the same span there.
      setSelectedRef((r) => (r ? { ...r } : r));
    };
    const offs = [
      host.on('progress', ({ message, fraction }) => setProgress({ message, fraction })),
      host.on('summary', showSummary),
      host.on('loading', ({ parsedNs, fraction }) =>
        controller.current?.setLoading(parsedNs, fraction),
      ),
    ];
    host.request('ready', {}).then(showSummary, (err) => {
      if (!(err instanceof RpcError && err.code === 'disposed'))
        setError(err instanceof Error ? err.message : String(err));
    });
    return () => offs.forEach((off) => off());
  }, []);

  useEffect(() => {
    if (hover?.ref) requestDetail(hover.ref);
  }, [hover, requestDetail]);
  useEffect(() => {
    if (selectedRef) requestDetail(selectedRef);
  }, [selectedRef, requestDetail]);
  useEffect(() => {
    if (persisted.tab === 'analysis' && summary && !analysis)
      host.request('traceAnalysis', {}).then(setAnalysis, failed);
  }, [persisted.tab, summary, analysis, failed]);

  const flame = useCallback(
    (range: [number, number], group?: number, goroutine?: number) => {
      setOpened(undefined);
      const m: CpuProfileParams = { t0: range[0], t1: range[1] };
      if (goroutine !== undefined) m.goroutine = goroutine;
      else if (group !== undefined) m.group = group;
      host.request('cpuProfile', m).then((r) => {
        if ('notice' in r) return setNotice({ message: r.notice, level: 'info' });
        setOpened(
          `Opened the CPU flame graph: ${r.opened.title} (${formatCount(r.opened.samples)} samples)`,
        );
        setNotice(undefined);
      }, failed);
    },
    [failed],
  );

  const openSource = useCallback(
    (location: SourceLocation) =>
      host.request('openSource', { location }).then((r) => {
        if (!r.ok) setNotice({ message: r.message, level: 'warning' });
      }, failed),
    [failed],
  );

  const reveal = useCallback(
    (group: number, member?: number) => {
      update({ tab: 'timeline' });
      // After the tab switch has laid the timeline out again.
      requestAnimationFrame(() => controller.current?.reveal(group, member));
    },
    [update],
  );

  if (error && !summary) {
    return (
      <div className="view-root timeline-root">
        <div className="error fatal" data-testid="trace-error">
          {error}
        </div>
      </div>
    );
  }
  if (!summary) {
    const pct = progress.fraction !== undefined ? Math.round(progress.fraction * 100) : undefined;
    return (
      <div className="view-root timeline-root">
        <div className="loading" data-testid="trace-progress">
          <div>{progress.message}…</div>
          {pct !== undefined && <ProgressBar pct={pct} />}
          <button
            className="link-button"
            onClick={() => void host.request('cancel', {}).catch(failed)}
          >
            Cancel
          </button>
        </div>
      </div>
    );
  }

  const span = summary.end - summary.start;
  const selected = selectedRef ? details.get(refKey(selectedRef)) : undefined;
  const hoverDetail = hover?.ref ? details.get(refKey(hover.ref)) : undefined;
  const flameRange = (): [number, number] =>
    selection ?? controller.current?.window ?? [summary.start, summary.end];
  return (
    <div className="view-root timeline-root">
      <div className="toolbar">
        <div className="tabs" role="tablist">
          <button
            role="tab"
            aria-selected={persisted.tab === 'timeline'}
            className={persisted.tab === 'timeline' ? 'tab active' : 'tab'}
            onClick={() => update({ tab: 'timeline' })}
          >
            Timeline
          </button>
          <button
            role="tab"
            aria-selected={persisted.tab === 'analysis'}
            className={persisted.tab === 'analysis' ? 'tab active' : 'tab'}
            data-testid="tab-analysis"
            onClick={() => update({ tab: 'analysis' })}
          >
            Goroutine analysis
          </button>
        </div>
        {persisted.tab === 'timeline' && (
          <>
            <button
              className="icon-button"
              title="Zoom out (S, −, Ctrl+wheel)"
              onClick={() => controller.current?.zoomBy(1 / 1.6)}
            >
              <span className="codicon codicon-zoom-out" />
            </button>
            <button
              className="icon-button"
              title="Zoom in (W, +, Ctrl+wheel)"
              onClick={() => controller.current?.zoomBy(1.6)}
            >
              <span className="codicon codicon-zoom-in" />
            </button>
            <button
              className="icon-button"
              title="Whole trace (0)"
              onClick={() => controller.current?.fit()}
            >
              <span className="codicon codicon-screen-full" />
            </button>
            <button
              className="text-button"
              data-testid="cpu-flame"
              title={
                selection
                  ? 'CPU flame graph of the selected range'
                  : 'CPU flame graph of the visible range (drag on the time ruler or Shift+drag to select a range)'
              }
              onClick={() => flame(flameRange())}
            >
              <span className="codicon codicon-flame" /> CPU flame graph{' '}
              {selection ? 'of selection' : 'of view'}
            </button>
            <button
              className="icon-button"
              title="Legend"
              aria-pressed={persisted.legend}
              onClick={() => update({ legend: !persisted.legend })}
            >
              <span className="codicon codicon-symbol-color" />
            </button>
            <WallClockControls
              summary={summary}
              controller={controller}
              wall={persisted.wall === true}
              onWall={(wall) => update({ wall })}
              notify={setNotice}
            />
          </>
        )}
        <span
          className="info"
          data-testid="trace-info"
          data-events={summary.eventCount}
          data-spans={summary.spanCount}
          data-goroutines={summary.goroutineCount}
          title={`${summary.version}; ${formatCount(summary.eventCount)} events, ${formatCount(summary.spanCount)} goroutine state changes; parsed in ${formatDuration(summary.loadMs * 1e6)}`}
        >
          {summary.title} · {formatDuration(span)} · {summary.procs.length} Ps ·{' '}
          {formatCount(summary.goroutineCount)} goroutines · {formatCount(summary.cpuSamples)} CPU
          samples
        </span>
      </div>
      {summary.warning && (
        <div className="warning" data-testid="trace-warning">
          {summary.warning}
        </div>
      )}
      {summary.partial && <PartialBar partial={summary.partial} onCancel={failed} />}
      {summary.spanCount === 0 && (
        <div className="notice-bar" data-testid="empty-trace">
          This trace records no goroutine activity ({formatCount(summary.eventCount)} events): the
          program was idle, or the trace was stopped right after it started.
        </div>
      )}
      {notice && (
        <div
          className={notice.level === 'warning' ? 'warning notice-bar' : 'notice-bar'}
          data-testid="notice"
        >
          {notice.message}
          <button className="icon-button" title="Dismiss" onClick={() => setNotice(undefined)}>
            <span className="codicon codicon-close" />
          </button>
        </div>
      )}
      {opened && (
        <div className="notice-bar" data-testid="flame-opened">
          {opened}
        </div>
      )}
      {persisted.tab === 'timeline' && persisted.legend && <Legend palette={palette} />}
      {selection && persisted.tab === 'timeline' && (
        <div className="selection-bar" data-testid="selection-bar">
          <span className="selection-text">
            Selected {formatTimeIn(selection[0], span)} – {formatTimeIn(selection[1], span)} (
            {formatDuration(selection[1] - selection[0])})
          </span>
          <button
            className="text-button"
            onClick={() => controller.current?.zoomTo(selection[0], selection[1])}
          >
            Zoom to selection (Z)
          </button>
          <button className="text-button" onClick={() => flame(selection)}>
            CPU flame graph
          </button>
          <button className="text-button" onClick={() => controller.current?.clearSelection()}>
            Clear (Esc)
          </button>
        </div>
      )}
      <div className="tab-body" hidden={persisted.tab !== 'timeline'}>
        <Timeline
          summary={summary}
          palette={palette}
          initial={{ t0: persisted.t0, t1: persisted.t1, expanded: persisted.expanded }}
          controller={controller}
          callbacks={{
            request: (method, params) => host.request(method, params),
            hover: setHover,
            select: (ref) => setSelectedRef(ref),
            selection: setSelection,
            expanded: (groups) => update({ expanded: groups }),
            // Not React state: a re-render per frame of a pan would cost more than the frame.
            view: (t0, t1) => saveViewSoon(t0, t1, update),
          }}
        />
        {hover && <Tooltip hover={hover} detail={hoverDetail} />}
        {selected && (
          <DetailsPanel
            detail={selected}
            onOpenSource={openSource}
            onClose={() => setSelectedRef(undefined)}
            onReveal={(g, m) => controller.current?.reveal(g, m)}
            onFlame={
              summary.cpuSamples > 0 ? (gi) => flame(flameRange(), undefined, gi) : undefined
            }
            flameWhat={selection ? 'in the selection' : 'in view'}
          />
        )}
      </div>
      {persisted.tab === 'analysis' && (
        <div className="tab-body analysis-body">
          <AnalysisTable
            groups={analysis}
            pages={pages}
            sort={persisted.sort}
            hasCpuSamples={summary.cpuSamples > 0}
            onSort={(column) => {
              const sort = {
                column,
                descending: persisted.sort.column === column ? !persisted.sort.descending : true,
              };
              update({ sort });
              for (const g of pages.keys()) requestPage(g, 0, sort);
            }}
            onToggle={(group) => {
              if (pages.has(group)) {
                setPages((prev) => {
                  const next = new Map(prev);
                  next.delete(group);
                  return next;
                });
              } else requestPage(group, 0);
            }}
            onMore={(group) => requestPage(group, pages.get(group)?.rows.length ?? 0)}
            onReveal={reveal}
            onFlame={(group, goroutine) => flame([summary.start, summary.end], group, goroutine)}
          />
        </div>
      )}
    </div>
  );
}

/**
 * A preview of a big trace's first generations is on screen: while the rest loads, how far it
 * is, with Cancel (the preview then stays); afterwards why the rest is missing.
 */
function PartialBar(props: { partial: TracePartialView; onCancel: (err: unknown) => void }) {
  const { partial } = props;
  const [progress, setProgress] = useState<{ message: string; fraction?: number }>();
  // Its own subscription: a progress push re-renders this bar, not the page.
  useEffect(() => host.on('progress', setProgress), []);
  if (partial.state !== 'loading')
    return (
      <div className="warning notice-bar" data-testid="trace-partial" data-state={partial.state}>
        {partial.message}
      </div>
    );
  const pct = progress?.fraction !== undefined ? Math.round(progress.fraction * 100) : undefined;
  return (
    <div className="notice-bar partial-bar" data-testid="trace-partial" data-state="loading">
      <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" />
      <span>
        {partial.message}
        {progress ? ` · ${progress.message}` : ''}
      </span>
      {pct !== undefined && <ProgressBar pct={pct} label="Loading the rest of the trace" />}
      <button
        className="link-button"
        data-testid="trace-partial-cancel"
        onClick={() => void host.request('cancel', {}).catch(props.onCancel)}
      >
        Cancel
      </button>
    </div>
  );
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Persists the view window a moment after panning stops (not on every frame). */
function saveViewSoon(t0: number, t1: number, update: (p: Partial<PersistedState>) => void): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => update({ t0, t1 }), 300);
}

interface TimelineProps {
  summary: TraceSummaryView;
  palette: ReturnType<typeof makePalette>;
  initial: { t0?: number; t1?: number; expanded?: number[] };
  controller: React.MutableRefObject<TimelineController | undefined>;
  callbacks: ConstructorParameters<typeof TimelineController>[3];
}

/**
 * The wall-clock toggle (axis in wall time vs since the trace start) and "Go to Time…", which
 * takes a time pasted from a log line. Without clock snapshots the toggle says why.
 */
function WallClockControls(props: {
  summary: TraceSummaryView;
  controller: React.MutableRefObject<TimelineController | undefined>;
  wall: boolean;
  onWall(wall: boolean): void;
  notify(n: { message: string; level: 'info' | 'warning' } | undefined): void;
}) {
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  const available = (props.summary.wallClock?.anchors.length ?? 0) > 0;
  const why =
    props.summary.wallClock?.unavailable ||
    'This trace carries no clock snapshots (Go 1.25 and newer traces do).';
  const on = props.wall && available;
  useEffect(() => props.controller.current?.setWallClock(on), [on, props.controller]);
  const submit = () => {
    const r = props.controller.current?.goToWallTime(text);
    if (!r) return;
    props.notify({ message: r.message, level: r.ok ? 'info' : 'warning' });
    if (r.ok) setAsking(false);
  };
  return (
    <>
      <button
        className="text-button"
        data-testid="wall-clock"
        aria-pressed={on}
        aria-disabled={!available}
        title={
          available
            ? on
              ? 'Show time since the trace start'
              : "Show wall-clock time (from the trace's clock snapshots)"
            : why
        }
        onClick={() =>
          available ? props.onWall(!on) : props.notify({ message: why, level: 'info' })
        }
      >
        <span className="codicon codicon-watch" /> {on ? 'Wall clock' : 'Since start'}
      </button>
      <button
        className="text-button"
        data-testid="go-to-time"
        title={available ? 'Go to a wall-clock time pasted from a log line' : why}
        onClick={() =>
          available ? setAsking(!asking) : props.notify({ message: why, level: 'info' })
        }
      >
        Go to Time…
      </button>
      {asking && (
        <input
          className="go-to-time"
          data-testid="go-to-time-input"
          autoFocus
          size={44}
          value={text}
          placeholder="Paste a log line: 2026/12/05 10:11:12.123456, RFC3339, 10:11:12.123"
          aria-label="Wall-clock time to go to"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') submit();
            if (e.key === 'Escape') setAsking(false);
          }}
        />
      )}
    </>
  );
}

/** The timeline's DOM: header canvas and axis, the scrolled lanes (sticky canvases over a spacer). */
function Timeline(props: TimelineProps) {
  const body = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLCanvasElement>(null);
  const axis = useRef<SVGGElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const spacer = useRef<HTMLDivElement>(null);
  const lanes = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const callbacks = useRef(props.callbacks);
  callbacks.current = props.callbacks;

  const { controller } = props;
  // One controller per view: it takes the palette (setPalette), the view (its own state) and new
  // summaries (setSummary) over its lifetime, so `palette` and `initial` are read only when it
  // is made.
  useLayoutEffect(() => {
    const c = new TimelineController(
      {
        body: body.current!,
        header: header.current!,
        axis: axis.current!,
        scroller: scroller.current!,
        spacer: spacer.current!,
        lanes: lanes.current!,
        overlay: overlay.current!,
      },
      props.summary,
      props.palette,
      {
        request: (method, params) => callbacks.current.request(method, params),
        hover: (h) => callbacks.current.hover(h),
        select: (r) => callbacks.current.select(r),
        selection: (r) => callbacks.current.selection(r),
        expanded: (g) => callbacks.current.expanded(g),
        view: (a, b) => callbacks.current.view(a, b),
      },
      props.initial,
    );
    controller.current = c;
    return () => {
      c.dispose();
      controller.current = undefined;
    };
    // oxlint-disable-next-line react-hooks/exhaustive-deps -- made once, see above
  }, [controller]);
  // A new summary of the same trace (the complete one after a preview) keeps the view.
  useLayoutEffect(() => controller.current?.setSummary(props.summary), [props.summary, controller]);

  return (
    <div
      className="timeline-body"
      ref={body}
      tabIndex={0}
      data-testid="timeline"
      aria-label="Scheduler timeline. Ctrl+wheel or W/S to zoom, drag or A/D to pan, drag on the time ruler to select a range, click a span for its details."
    >
      <div className="timeline-header" style={{ height: HEADER.height }}>
        <canvas ref={header} className="header-canvas" />
        <svg
          className="axis"
          style={{ top: HEADER.axis.top, height: HEADER.axis.h, left: 0 }}
          aria-hidden="true"
        >
          <g ref={axis} transform={`translate(0,${HEADER.axis.h - 1})`} />
        </svg>
      </div>
      <div className="timeline-lanes" ref={scroller}>
        <div className="lanes-sticky">
          <canvas ref={lanes} className="lanes-canvas" data-testid="lanes-canvas" />
          <canvas ref={overlay} className="lanes-overlay" />
        </div>
        <div ref={spacer} className="lanes-spacer" />
      </div>
    </div>
  );
}

function Legend({ palette }: { palette: ReturnType<typeof makePalette> }) {
  return (
    <div className="legend" data-testid="legend">
      {SPAN_CLASSES.map((c, i) => (
        <span key={c} className="legend-item">
          <span className="swatch" style={{ background: palette.classes[i] }} />
          {CLASS_LABELS[c]}
        </span>
      ))}
      <span className="legend-item">
        <span className="swatch mixed" style={{ background: palette.mixed }} />
        merged (spans under a pixel; height = share)
      </span>
      <span className="legend-item">
        <span className="swatch" style={{ background: palette.gc }} />
        GC
      </span>
      <span className="legend-item">
        <span className="swatch" style={{ background: palette.stw }} />
        stop-the-world
      </span>
      <span className="legend-item muted">P lanes: coloured by the goroutine's start function</span>
    </div>
  );
}

function StackList({
  detail,
  onOpen,
  limit,
}: {
  detail: SpanDetail;
  onOpen?: (f: SpanDetail['stacks'][number]['frames'][number]) => void;
  limit?: number;
}) {
  return (
    <>
      {detail.stacks.map((s, si) => (
        <div key={si} className="stack">
          <div className="stack-title">{s.title}</div>
          {s.frames.slice(0, limit ?? s.frames.length).map((f, fi) =>
            onOpen && f.file ? (
              <button
                key={fi}
                className="frame frame-link"
                title={`Open ${f.file}:${f.line}`}
                data-func={f.func}
                data-file={f.file}
                data-line={f.line}
                onClick={() => onOpen(f)}
              >
                <span className="fn">{f.func}</span>{' '}
                <span className="file">
                  {shortFile(f.file)}:{f.line}
                </span>
              </button>
            ) : (
              <div key={fi} className="frame">
                <span className="fn">{f.func}</span>{' '}
                <span className="file">
                  {shortFile(f.file)}:{f.line}
                </span>
              </div>
            ),
          )}
          {limit !== undefined && s.frames.length > limit && (
            <div className="muted">… {s.frames.length - limit} more (click the span)</div>
          )}
        </div>
      ))}
    </>
  );
}

function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(-2).join('/') : file;
}

function Tooltip({ hover, detail }: { hover: HoverInfo; detail: SpanDetail | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: hover.x + 14, top: hover.y + 14 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const parent = el.parentElement!.getBoundingClientRect();
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    let left = hover.x + 14;
    let top = hover.y + 14;
    if (left + w > parent.width - 4) left = Math.max(GUTTER / 2, hover.x - w - 14);
    if (top + h > parent.height - 4) top = Math.max(4, hover.y - h - 14);
    setPos({ left, top });
  }, [hover.x, hover.y, detail]);
  return (
    <div className="tooltip" ref={ref} style={pos} data-testid="tooltip">
      <div className="tooltip-title">{detail?.title ?? hover.title}</div>
      {detail ? (
        <DetailRows rows={detail.rows} />
      ) : (
        hover.lines.map((l, i) => <div key={i}>{l}</div>)
      )}
      {detail && <StackList detail={detail} limit={8} />}
      {detail && detail.stacks.length > 0 && (
        <div className="muted hint">Click the span to open a frame's source.</div>
      )}
    </div>
  );
}

function DetailRows(props: { rows: SpanDetail['rows'] }) {
  return (
    <table className="rows">
      <tbody>
        {props.rows.map(([k, v]) => (
          <tr key={k}>
            <td className="muted">{k}</td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DetailsPanel(props: {
  detail: SpanDetail;
  onOpenSource(location: SourceLocation): void;
  onClose(): void;
  onReveal(group: number, member: number): void;
  onFlame?: (goroutine: number) => void;
  flameWhat: string;
}) {
  const d = props.detail;
  return (
    <div className="details-panel" data-testid="details">
      <div className="details-head">
        <span className="details-title">{d.title}</span>
        {d.goroutine && (
          <button
            className="text-button"
            onClick={() => props.onReveal(d.goroutine!.group, d.goroutine!.member)}
          >
            Show G{d.goroutine.id}'s lane
          </button>
        )}
        {d.goroutine && props.onFlame && (
          <button className="text-button" onClick={() => props.onFlame!(d.goroutine!.index)}>
            CPU flame graph of G{d.goroutine.id} {props.flameWhat}
          </button>
        )}
        <button className="icon-button" title="Close" onClick={props.onClose}>
          <span className="codicon codicon-close" />
        </button>
      </div>
      <div className="details-body">
        <DetailRows rows={d.rows} />
        <div className="stacks">
          {d.stacks.length === 0 && <div className="muted">No stack recorded for this span.</div>}
          <StackList
            detail={d}
            onOpen={(f) => props.onOpenSource({ func: f.func, file: f.file, line: f.line })}
          />
        </div>
      </div>
    </div>
  );
}

/** A determinate progress bar, `pct` of 100. */
function ProgressBar(props: { pct: number; label?: string }) {
  return (
    <div
      className="progress-bar"
      role="progressbar"
      aria-label={props.label}
      aria-valuenow={props.pct}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div style={{ width: `${props.pct}%` }} />
    </div>
  );
}
