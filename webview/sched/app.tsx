// The scheduler dashboard: header numbers, Ps / threads / global run queue over time, the per-P
// run-queue heatmap, GC heap, pauses and CPU, and the P/M/G tables of a picked instant. Talks to
// the host only through src/protocol/sched: it says which range it shows (follow the live end,
// or a zoomed range) and gets that range decimated; it never holds the history.
import { VscodeButton, VscodeOption, VscodeSingleSelect } from '@vscode-elements/react-elements';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DecimatedSeries } from '../../src/core/schedtrace';
import type {
  DashboardInfo,
  RunStatus,
  SchedDetailMessage,
  SchedMethods,
  SchedPushes,
  SchedUpdate,
} from '../../src/protocol/sched';
import { watchTheme } from '../common/theme';
import { connectToHost, loadState, saveState } from '../common/vscode-api';
import { DetailTables } from './detail-tables';
import { formatSpan, formatTime } from './format';
import { makePalette } from './palette';
import { MARGIN, TimeChart, type ChartLine } from './time-chart';
import { formatCount } from '../../src/core/format/units';

interface PersistedState {
  follow: boolean;
  /** Follow window, ms (0 = everything). */
  windowMs: number;
  t0: number;
  t1: number;
  selectedMs: number | null;
  gFilter: string;
  gScrollTop: number;
}

const DEFAULTS: PersistedState = {
  follow: true,
  windowMs: 0,
  t0: 0,
  t1: 1,
  selectedMs: null,
  gFilter: '',
  gScrollTop: 0,
};
const WINDOWS = [0, 30_000, 60_000, 300_000, 900_000, 3_600_000];
/** The narrowest range a zoom goes to: a few snapshots at the shortest useful interval. */
const MIN_SPAN_MS = 50;

const host = connectToHost<SchedMethods, SchedPushes>();
/** Actions and view changes: what they change comes back as pushes. */
const send = (method: 'ready' | 'stop' | 'restart' | 'saveLog' | 'showTerminal') =>
  void host.request(method, {}).catch(() => undefined);

let updatesMeasured = 0;

export function App() {
  const [persisted, setPersisted] = useState<PersistedState>(() =>
    loadState<PersistedState>(DEFAULTS),
  );
  const [info, setInfo] = useState<DashboardInfo>();
  const [status, setStatus] = useState<RunStatus>();
  const [update, setUpdate] = useState<SchedUpdate>();
  const [charts, setCharts] = useState<{
    data: NonNullable<SchedUpdate['charts']>;
    t0: number;
    t1: number;
  }>();
  const [detail, setDetail] = useState<SchedDetailMessage>();
  const [error, setError] = useState<string>();
  const [width, setWidth] = useState(0);
  const [themeVersion, setThemeVersion] = useState(0);
  // The palette is read from the theme's CSS variables: read it again when the theme changes.
  const palette = useMemo(() => (void themeVersion, makePalette()), [themeVersion]);
  const chartsRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const seq = useRef(0);
  const receivedAt = useRef(0);
  const persistedRef = useRef(persisted);
  persistedRef.current = persisted;

  const updateState = useCallback((patch: Partial<PersistedState>) => {
    setPersisted((prev) => {
      const next = { ...prev, ...patch };
      saveState(next);
      return next;
    });
  }, []);

  useEffect(() => watchTheme(() => setThemeVersion((v) => v + 1)), []);

  /** The P/M/G tables nearest to the instant picked. */
  const selectTime = useCallback(
    (timeMs: number) =>
      host.request('selectTime', { timeMs }).then(
        (d) => d && setDetail(d),
        () => undefined,
      ),
    [],
  );

  useEffect(() => {
    const offs = [
      host.on('init', (msg) => {
        setInfo(msg.info);
        setError(undefined);
      }),
      host.on('status', (msg) => {
        setStatus(msg.status);
        // A log that finished loading can now answer the instant picked before the tab was hidden.
        if (msg.status.state === 'loaded' && persistedRef.current.selectedMs !== null)
          void selectTime(persistedRef.current.selectedMs);
      }),
      host.on('update', (msg) => {
        receivedAt.current = performance.now();
        setUpdate(msg);
        if (msg.charts) setCharts({ data: msg.charts, t0: msg.t0, t1: msg.t1 });
      }),
      host.on('error', (msg) => setError(msg.message)),
    ];
    send('ready');
    if (persistedRef.current.selectedMs !== null) void selectTime(persistedRef.current.selectedMs);
    const off = () => offs.forEach((o) => o());
    return off;
  }, [selectTime]);

  useLayoutEffect(() => {
    const el = chartsRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
  // Tell the host what we show; it answers with that range decimated to the plot width.
  const { follow: viewFollow, windowMs: viewWindowMs, t0: viewT0, t1: viewT1 } = persisted;
  const hasWidth = width > 0;
  useEffect(() => {
    if (!hasWidth) return;
    void host
      .request('view', {
        seq: ++seq.current,
        follow: viewFollow,
        windowMs: viewWindowMs,
        t0: viewT0,
        t1: Math.max(viewT1, viewT0 + 1),
        width: plotWidth,
      })
      .catch(() => undefined);
  }, [viewFollow, viewWindowMs, viewT0, viewT1, plotWidth, hasWidth]);

  // The time of one update from its arrival to every chart drawn (the benchmark reads these).
  useLayoutEffect(() => {
    if (!update || receivedAt.current === 0) return;
    const ms = performance.now() - receivedAt.current;
    if (++updatesMeasured > 4000) {
      performance.clearMeasures('sched-update');
      updatesMeasured = 1;
    }
    performance.measure('sched-update', {
      start: receivedAt.current,
      duration: ms,
      detail: { charts: !!update.charts },
    });
    if (rootRef.current) rootRef.current.dataset.updateMs = ms.toFixed(2);
    receivedAt.current = 0;
  }, [update, charts]);

  const domain: [number, number] = persisted.follow
    ? charts
      ? [charts.t0, charts.t1]
      : [update?.t0 ?? 0, update?.t1 ?? 1]
    : [persisted.t0, persisted.t1];
  // A new array only when the range changes, so the charts' scales do not change on every update.
  const [domain0, domain1] = domain;
  const stableDomain = useMemo<[number, number]>(() => [domain0, domain1], [domain0, domain1]);

  const zoomTo = useCallback(
    (a: number, b: number) => {
      if (b - a < MIN_SPAN_MS) {
        const mid = (a + b) / 2;
        a = mid - MIN_SPAN_MS / 2;
        b = mid + MIN_SPAN_MS / 2;
      }
      updateState({ follow: false, t0: a, t1: b });
    },
    [updateState],
  );
  const follow = useCallback(() => updateState({ follow: true }), [updateState]);
  const select = useCallback(
    (t: number) => {
      updateState({ selectedMs: t });
      void selectTime(t);
    },
    [updateState, selectTime],
  );
  const zoomOut = () => {
    const [a, b] = stableDomain;
    const span = b - a;
    const start = update?.dataStartMs ?? a;
    const end = update?.dataEndMs ?? b;
    if (span * 2 >= end - start) updateState({ follow: true, windowMs: 0 });
    else zoomTo(a - span / 2, b + span / 2);
  };

  const data = charts?.data;
  const byField = useMemo(() => {
    const m = new Map<string, DecimatedSeries>();
    for (const s of data?.series ?? []) m.set(s.field, s);
    for (const s of data?.gc.series ?? []) m.set(s.field, s);
    return m;
  }, [data]);
  const lines = useMemo(() => {
    const s = (f: string) => byField.get(f);
    const p = palette;
    const mk = (list: ChartLine[]) => list;
    return {
      ps: mk([
        {
          key: 'gomaxprocs',
          label: 'gomaxprocs',
          series: s('gomaxprocs'),
          color: p.foreground,
          style: 'step',
        },
        {
          key: 'idleprocs',
          label: 'idle Ps',
          series: s('idleprocs'),
          color: p.blue,
          style: 'step',
        },
      ]),
      threads: mk([
        { key: 'threads', label: 'threads', series: s('threads'), color: p.purple, style: 'step' },
        {
          key: 'spinningthreads',
          label: 'spinning',
          series: s('spinningthreads'),
          color: p.orange,
          style: 'step',
        },
        {
          key: 'idlethreads',
          label: 'idle',
          series: s('idlethreads'),
          color: p.blue,
          style: 'step',
        },
      ]),
      runqueue: mk([
        {
          key: 'runqueue',
          label: 'global run queue',
          series: s('runqueue'),
          color: p.red,
          style: 'step',
        },
      ]),
      heap: mk([
        {
          key: 'heapStart',
          label: 'heap before',
          series: s('gc:heapStartMB'),
          color: p.orange,
          style: 'points',
        },
        {
          key: 'heapEnd',
          label: 'heap after',
          series: s('gc:heapEndMB'),
          color: p.green,
          style: 'points',
        },
        {
          key: 'heapGoal',
          label: 'goal',
          series: s('gc:heapGoalMB'),
          color: p.blue,
          style: 'step',
          dashed: true,
        },
      ]),
      pauses: mk([
        {
          key: 'sweepTerm',
          label: 'STW sweep termination',
          series: s('gc:clockSweepTermMs'),
          color: p.yellow,
          style: 'stems',
        },
        {
          key: 'markTerm',
          label: 'STW mark termination',
          series: s('gc:clockMarkTermMs'),
          color: p.red,
          style: 'points',
        },
      ]),
      cpu: mk([
        {
          key: 'cpu',
          label: 'GC CPU since start',
          series: s('gc:cpuPercent'),
          color: p.purple,
          style: 'step',
        },
      ]),
    };
  }, [byField, palette]);
  const forced = useMemo(
    () =>
      data
        ? { times: data.gc.forcedTimes, color: palette.red, label: 'forced (runtime.GC)' }
        : undefined,
    [data, palette],
  );

  const latest = update?.latest;
  const live = info?.kind === 'live';
  const running = status?.state === 'running' || status?.state === 'building';
  const ds = update?.downsampling;
  const chartWidth = width;
  const common = {
    width: chartWidth,
    domain: stableDomain,
    selectedMs: persisted.selectedMs,
    palette,
    onSelect: select,
    onZoom: zoomTo,
    onFollow: follow,
  };
  const noGc = !!update && update.gcCount === 0;
  // Memoised: the charts are memo components, and a new element each render would redraw them.
  const gcNone = useMemo(
    () =>
      noGc ? (
        <span className="muted chart-note">no GC cycle yet{live ? '' : ' in this log'}</span>
      ) : null,
    [noGc, live],
  );

  return (
    <div
      className="view-root sched-root"
      ref={rootRef}
      data-state={status?.state ?? ''}
      data-pid={status?.pid ?? ''}
      data-snapshots={update?.snapshotCount ?? 0}
      data-detail-count={update?.detailCount ?? 0}
      data-gc-count={update?.gcCount ?? 0}
      data-gomaxprocs={latest?.gomaxprocs ?? ''}
      data-follow={String(persisted.follow)}
    >
      <div className="toolbar">
        <span className="title" title={info?.source}>
          {info?.title ?? 'Scheduler trace'}
        </span>
        {status && (
          <span className={`state state-${status.state}`} data-testid="run-state">
            {status.message}
          </span>
        )}
        <span className="spacer" />
        {persisted.follow ? (
          <VscodeSingleSelect
            className="window"
            aria-label="Time shown while following"
            value={String(persisted.windowMs)}
            onChange={(e) =>
              updateState({ windowMs: Number((e.target as HTMLSelectElement).value) })
            }
          >
            {WINDOWS.map((w) => (
              <VscodeOption key={w} value={String(w)}>
                {w === 0 ? 'Whole run' : `Last ${formatSpan(w)}`}
              </VscodeOption>
            ))}
          </VscodeSingleSelect>
        ) : (
          <VscodeButton
            onClick={follow}
            title="Follow the newest data again"
            data-testid="back-to-live"
          >
            {live && running ? 'Back to live' : 'Show all'}
          </VscodeButton>
        )}
        <VscodeButton secondary onClick={zoomOut} title="Show twice the time">
          Zoom out
        </VscodeButton>
        {live && (
          <>
            <VscodeButton
              secondary
              disabled={!running}
              onClick={() => send('stop')}
              title="Stop the program and everything it started"
              data-testid="stop"
            >
              Stop
            </VscodeButton>
            <VscodeButton
              secondary
              onClick={() => send('restart')}
              title="Stop and run again with the current settings"
              data-testid="restart"
            >
              Restart
            </VscodeButton>
            <VscodeButton
              secondary
              onClick={() => send('showTerminal')}
              title="The program's own output and input"
            >
              Terminal
            </VscodeButton>
          </>
        )}
        <VscodeButton
          secondary
          onClick={() => send('saveLog')}
          title="Save the stderr log exactly as received (trace and program lines)"
          data-testid="save-log"
        >
          Save Log…
        </VscodeButton>
      </div>
      <div className="scroll">
        {info?.source && (
          <div className="source muted" title={info.source}>
            {info.kind === 'live' ? `$ ${info.source}` : info.source}
          </div>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        {status?.problem && (
          <div
            className={status.state === 'failed' ? 'error' : 'warning'}
            role="alert"
            data-testid="problem"
          >
            {status.problem}
            {status.lastStderr && status.lastStderr.length > 0 && (
              <pre className="last-stderr">{status.lastStderr.join('\n')}</pre>
            )}
          </div>
        )}
        {ds && ds.thinnedBeforeMs !== null && (
          <div className="notice" data-testid="downsampled">
            To bound memory, snapshots before{' '}
            {formatTime(ds.thinnedBeforeMs, ds.thinnedBeforeMs, true)} are at reduced resolution (
            {formatCount(ds.droppedSnapshots)} of {formatCount(ds.snapshotsReceived)} dropped).
          </div>
        )}
        {ds && ds.detailBlocks > ds.detailBlocksWithRows && (
          <div className="notice" data-testid="rows-dropped">
            P/M/G tables are kept for the newest {ds.recentDetailBlocks} snapshots and every{' '}
            {ds.keepEvery}th before them
            {ds.rowsDroppedBudget > 0
              ? ` (and ${ds.rowsDroppedBudget} more were dropped to stay under the row budget)`
              : ''}
            : {formatCount(ds.detailBlocksWithRows)} of {formatCount(ds.detailBlocks)} have them;
            the others keep their counts.
          </div>
        )}
        {ds?.parser && ds.parser.episodes > 0 && (
          <div
            className={ds.parser.lean ? 'warning' : 'notice'}
            role={ds.parser.lean ? 'alert' : undefined}
            data-testid="parser-lean"
          >
            {ds.parser.failures > 0
              ? `The trace parser failed ${ds.parser.failures === 1 ? 'once' : `${ds.parser.failures} times`} and was restarted (see the warnings). `
              : ''}
            {ds.parser.lean
              ? `The program writes faster than Go Lens can parse (up to ${ds.parser.peakPercent}% of the editor's time): only whole trace lines are read now, and scheddetail P/M/G rows are dropped (${formatCount(ds.parser.detailLinesDropped)} so far). Its output still reaches the terminal. Full parsing resumes after 10 s of calm.`
              : `The program's output came faster than Go Lens could parse ${ds.parser.episodes === 1 ? 'once' : `${ds.parser.episodes} times`}: ${formatCount(ds.parser.leanLines)} lines were read whole only, ${formatCount(ds.parser.detailLinesDropped)} scheddetail P/M/G rows dropped.`}
          </div>
        )}
        {update && update.warnings.total > 0 && (
          <div
            className="notice"
            title={update.warnings.recent.map((w) => `line ${w.line}: ${w.message}`).join('\n')}
          >
            {formatCount(update.warnings.total)} line(s) looked like runtime trace lines but were
            kept as program output (hover for the latest).
          </div>
        )}
        <div className="stats" data-testid="stats">
          {latest ? (
            <>
              <span>
                GOMAXPROCS <b data-testid="gomaxprocs">{latest.gomaxprocs}</b>
              </span>
              <span>
                idle Ps <b>{latest.idleprocs}</b>
              </span>
              <span>
                threads <b>{latest.threads}</b>
              </span>
              <span>
                spinning <b>{latest.spinningthreads}</b>
              </span>
              <span>
                idle threads <b>{latest.idlethreads}</b>
              </span>
              <span>
                global run queue <b>{latest.runqueue}</b>
              </span>
              <span className="muted">
                {formatCount(update.snapshotCount)} snapshots to{' '}
                {formatTime(latest.timeMs, latest.timeMs, true)}
                {update.gcCount > 0 ? ` · ${formatCount(update.gcCount)} GC cycles` : ''}
              </span>
              {update.latestGc && (
                <span className="muted">
                  last GC #{update.latestGc.n}: {update.latestGc.heapStartMB}→
                  {update.latestGc.heapEndMB}→{update.latestGc.heapLiveMB} MB, goal{' '}
                  {update.latestGc.heapGoalMB} MB, {update.latestGc.cpuPercent}% CPU
                  {update.latestGc.forced ? ', forced' : ''}
                </span>
              )}
            </>
          ) : (
            <span className="muted">
              {status?.state === 'running'
                ? `Waiting for the first SCHED line (the runtime prints one every ${info?.intervalMs ?? 1000} ms)…`
                : status?.state === 'loading' || status?.state === 'building'
                  ? status.message
                  : 'No snapshots.'}
            </span>
          )}
        </div>
        {info?.kind === 'live' && info.detail === false && (
          <div className="notice">
            Click a chart to pick an instant. P, M and G tables need scheddetail: turn on
            goLens.schedTrace.detail and restart.
          </div>
        )}
        <div className="charts" ref={chartsRef}>
          {width > 0 && (
            <>
              <TimeChart
                id="ps"
                title="Processors (Ps)"
                height={130}
                lines={lines.ps}
                yMinMax={latest?.gomaxprocs}
                {...common}
              />
              <TimeChart
                id="threads"
                title="Threads (Ms)"
                height={130}
                lines={lines.threads}
                {...common}
              />
              <TimeChart
                id="runqueue"
                title="Global run queue"
                height={110}
                lines={lines.runqueue}
                {...common}
              />
              <TimeChart
                id="heatmap"
                title="Local run queue per P"
                height={Math.min(
                  340,
                  Math.max(110, (data?.heatmap.rows ?? 4) * 12 + MARGIN.top + MARGIN.bottom),
                )}
                heatmap={data?.heatmap}
                {...common}
              />
              <TimeChart
                id="gc-heap"
                title="GC: heap (MB)"
                height={150}
                lines={lines.heap}
                markers={forced}
                unit=" MB"
                extra={gcNone}
                {...common}
              />
              <TimeChart
                id="gc-pauses"
                title="GC: stop-the-world pauses (ms, wall clock)"
                height={120}
                lines={lines.pauses}
                unit=" ms"
                extra={gcNone}
                {...common}
              />
              <TimeChart
                id="gc-cpu"
                title="GC: CPU (% of available, since start)"
                height={100}
                lines={lines.cpu}
                unit="%"
                extra={gcNone}
                {...common}
              />
            </>
          )}
        </div>
        {detail ? (
          <DetailTables
            detail={detail}
            gFilter={persisted.gFilter}
            onGFilter={(gFilter) => updateState({ gFilter })}
            gScrollTop={persisted.gScrollTop}
            onGScroll={(gScrollTop) => updateState({ gScrollTop })}
          />
        ) : (
          update &&
          update.snapshotCount > 0 && (
            <div className="notice">
              Click any chart to see the scheduler at that instant; drag to zoom, Ctrl+wheel to
              zoom, Shift+wheel to pan, double-click to follow again.
            </div>
          )
        )}
      </div>
    </div>
  );
}
