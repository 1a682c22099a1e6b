// The profile view: Flame Graph, Icicle (bottom-up), Top, Call Tree and Sandwich tabs over one
// profile (or a diff of two), sharing the sample type, the filters, the search and the selected
// function. Talks to the host only through src/protocol/flame; asks for each view's data when
// it is shown and keeps the last few answers.
import type { VscodeTextfield as TextfieldElement } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { VscodeButton, VscodeCheckbox, VscodeOption, VscodeSingleSelect, VscodeTextfield } from '@vscode-elements/react-elements';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import type { Sandwich } from '../../src/core/flame/sandwich';
import type { DiffTopTable } from '../../src/core/pprof/diff';
import type { ProfileFilter } from '../../src/core/pprof/filter';
import type { TopTable } from '../../src/core/pprof/top';
import { formatCount, formatPercent as percent, formatValue } from '../../src/core/format/units';
import { frameKindOfFile } from '../../src/core/perf/frame-names';
import { cutUnder, pickTreeForZoom } from '../../src/core/flame/view-tree';
import { findByNamePath, layoutStarts, matchNodes } from '../../src/core/layout/flame-layout';
import type { FlameHostMessage, FlameRequest, FlameView, FlameWebviewMessage, ProfileSummary, ViewQuery } from '../../src/protocol/flame';
import { loadState, onHostMessage, post, saveState } from '../common/vscode-api';
import { CallTreeTable } from './call-tree-table';
import { makePalette } from './colors';
import { flameSvg } from './export-svg';
import { addToFilter, exactName, FilterBar } from './filter-bar';
import type { FlameGraphHandle } from './flame-graph';
import { FlamePanel, type TreeData } from './flame-panel';
import { SandwichView } from './sandwich-view';
import { TopTableView, type TopSortKey } from './top-table';

interface PersistedState {
  view: FlameView;
  sampleType: number | null;
  filter: ProfileFilter;
  normalize: boolean;
  search: string;
  focus: { flame: string[]; icicle: string[] };
  scroll: { flame: number; icicle: number; top: number };
  selectedFunc: { name: string; file?: string } | null;
  topSort: { key: TopSortKey; desc: boolean };
}

const DEFAULT_STATE: PersistedState = {
  view: 'flame',
  sampleType: null,
  filter: {},
  normalize: false,
  search: '',
  focus: { flame: [], icicle: [] },
  scroll: { flame: 0, icicle: 0, top: 0 },
  selectedFunc: null,
  topSort: { key: 'flat', desc: true },
};

const TABS: { view: FlameView; label: string; title: string }[] = [
  { view: 'flame', label: 'Flame Graph', title: 'Callers above callees, widths by value' },
  { view: 'icicle', label: 'Icicle', title: 'Bottom-up: the functions where time is spent, with their callers below' },
  { view: 'top', label: 'Top', title: 'Functions by flat and cumulative value, as pprof -top' },
  { view: 'tree', label: 'Call Tree', title: 'The call tree as an expandable table' },
  { view: 'sandwich', label: 'Sandwich', title: 'Callers and callees of the selected function' },
];

const send = (m: FlameWebviewMessage) => post(m);

/** A request without its id (the id is added when it is sent). */
type Unsent<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/** Search text as a case-insensitive regular expression, or a plain substring when it is not one. */
function searchMatcher(text: string): ((name: string) => boolean) | undefined {
  if (text.trim() === '') return undefined;
  try {
    const re = new RegExp(text, 'i');
    return (name) => re.test(name);
  } catch {
    const lower = text.toLowerCase();
    return (name) => name.toLowerCase().includes(lower);
  }
}

const NO_ZOOM: string[] = [];

/** Says how small the frames left out of a pruned tree are, relative to the zoomed frame. */
function PrunedNotice({ data, zoomPath, refining, inTable }: { data: TreeData; zoomPath: readonly string[]; refining: boolean; inTable?: boolean }) {
  const node = findByNamePath(data.tree, zoomPath);
  const cut = cutUnder(data, node);
  if (cut === 0) return null;
  const of = node === 0 ? 'the profile' : data.tree.funcName[data.tree.func[node]];
  return (
    <div className="notice" data-testid="pruned-notice">
      {refining ? `Loading the frames under ${of} that are too small to see from the root…` : `Frames smaller than ${percent(cut, 1)} of ${of} are left out to keep the view fast.`}
      {inTable && ' Zoom into a frame in the Flame Graph to see the ones under it.'}
    </div>
  );
}

function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(-2).join('/') : file;
}

/** The heaviest node of `name` (and `file`, when known) in a tree, or -1. */
function nodeOfFunction(tree: CallTree, fn: { name: string; file?: string }): number {
  let best = -1;
  for (let i = 1; i < tree.nodeCount; i++) {
    const f = tree.func[i];
    if (tree.funcName[f] !== fn.name || (fn.file !== undefined && tree.funcFile[f] !== fn.file)) continue;
    if (best < 0 || Math.abs(tree.total[i]) > Math.abs(tree.total[best])) best = i;
  }
  return best;
}

interface Hover {
  tree: CallTree;
  node: number;
  x: number;
  y: number;
  diff?: { base: Float64Array; current: Float64Array };
}

export function App() {
  const [state, setState] = useState<PersistedState>(() => {
    const s = loadState<PersistedState>(DEFAULT_STATE);
    return { ...DEFAULT_STATE, ...s, focus: { ...DEFAULT_STATE.focus, ...s.focus }, scroll: { ...DEFAULT_STATE.scroll, ...s.scroll } };
  });
  const [summary, setSummary] = useState<ProfileSummary>();
  const [trees, setTrees] = useState<TreeData[]>([]);
  const [top, setTop] = useState<{ key: string; table: TopTable | DiffTopTable }>();
  const [sandwich, setSandwich] = useState<{ key: string; fn: { name: string; file?: string }; data: Sandwich }>();
  const [loading, setLoading] = useState<string | undefined>('Loading profile…');
  const [error, setError] = useState<string>();
  const [filterError, setFilterError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [hover, setHover] = useState<Hover>();
  const [selectedNode, setSelectedNode] = useState<{ key: string; node: number }>();
  const [exportOpen, setExportOpen] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const nextRequest = useRef(1);
  const pending = useRef(new Map<number, string>());
  const searchRef = useRef<TextfieldElement>(null);
  const graphHandle = useRef<FlameGraphHandle | null>(null);

  const update = useCallback((patch: Partial<PersistedState>) => {
    setState((prev) => {
      const next = { ...prev, ...patch };
      saveState(next);
      return next;
    });
  }, []);

  const sampleType = summary ? (state.sampleType !== null && state.sampleType < summary.sampleTypes.length ? state.sampleType : summary.defaultSampleType) : 0;
  const query: ViewQuery = useMemo(() => ({ sampleType, filter: state.filter }), [sampleType, state.filter]);
  const queryKey = JSON.stringify([query, state.normalize]);
  const isDiff = Boolean(summary?.diffBase);
  const unit = summary?.sampleTypes[sampleType]?.unit ?? '';
  const fmt = useCallback((v: number) => formatValue(v, unit), [unit]);

  useEffect(() => {
    const off = onHostMessage<FlameHostMessage>((msg) => {
      const expected = 'requestId' in msg && msg.requestId !== undefined ? pending.current.get(msg.requestId) : undefined;
      if ('requestId' in msg && msg.requestId !== undefined) pending.current.delete(msg.requestId);
      switch (msg.type) {
        case 'loading':
          setLoading(msg.message);
          break;
        case 'summary':
          setSummary(msg.summary);
          setError(undefined);
          setLoading(undefined);
          break;
        case 'tree': {
          if (expected === undefined) break;
          performance.mark('flame-tree-received');
          const data: TreeData = { key: expected, tree: msg.tree, start: layoutStarts(msg.tree), prunedBelow: msg.prunedBelow, focusPath: msg.focusPath, diff: msg.diff };
          setTrees((prev) => [data, ...prev.filter((t) => t.key !== expected)].slice(0, 8));
          setFilterError(undefined);
          setLoading(undefined);
          break;
        }
        case 'top':
          if (expected !== undefined) setTop({ key: expected, table: msg.table });
          setFilterError(undefined);
          setLoading(undefined);
          break;
        case 'sandwich':
          if (expected !== undefined) setSandwich({ key: expected, fn: msg.fn, data: msg.sandwich });
          setLoading(undefined);
          break;
        case 'error':
          setLoading(undefined);
          if (msg.requestId !== undefined) setFilterError(msg.message);
          else setError(msg.message);
          break;
        case 'sourceResult':
          setNotice(msg.ok ? `Opened ${msg.message}` : msg.message);
          break;
      }
    });
    send({ type: 'ready' });
    return off;
  }, []);

  const request = useCallback((m: Unsent<FlameRequest>, key: string) => {
    const requestId = nextRequest.current++;
    pending.current.set(requestId, key);
    send({ ...m, requestId } as FlameWebviewMessage);
  }, []);

  // Ask for what the current view shows, unless we have it.
  const view = state.view;
  const inverted = view === 'icicle';
  const treeKey = `${queryKey}|${inverted}`;
  // A pruned tree leaves out frames too narrow to see from the root; zoomed far in they would
  // show, so the zoomed node's subtree is asked for again in full detail (`refineKey`).
  const zoomPath = view === 'flame' || view === 'icicle' ? state.focus[view] : NO_ZOOM;
  const baseTree = trees.find((t) => t.key === treeKey);
  const zoomTrees = useMemo(() => trees.filter((t) => t.key.startsWith(`${treeKey}|`)), [trees, treeKey]);
  const zoomPick = useMemo(() => (baseTree ? pickTreeForZoom([baseTree, ...zoomTrees], zoomPath) : undefined), [baseTree, zoomTrees, zoomPath]);
  const refineKey = zoomPick?.refine && zoomPath.length > 0 ? `${treeKey}|${JSON.stringify(zoomPath)}` : undefined;
  const treeData = zoomPick?.tree ?? baseTree;
  const sandwichKey = state.selectedFunc ? `${queryKey}|${JSON.stringify(state.selectedFunc)}` : '';
  useEffect(() => {
    if (!summary || error) return;
    if ((view === 'flame' || view === 'icicle' || view === 'tree') && !treeData && ![...pending.current.values()].includes(treeKey)) {
      setLoading('Building the call tree…');
      request({ type: 'tree', query, inverted, normalize: state.normalize, focusPath: [] }, treeKey);
    } else if (refineKey && !trees.some((t) => t.key === refineKey) && ![...pending.current.values()].includes(refineKey)) {
      request({ type: 'tree', query, inverted, normalize: state.normalize, focusPath: zoomPath }, refineKey);
    } else if (view === 'top' && top?.key !== queryKey && ![...pending.current.values()].includes(queryKey)) {
      setLoading('Computing the top table…');
      request({ type: 'top', query, normalize: state.normalize }, queryKey);
    } else if (view === 'sandwich' && state.selectedFunc && sandwich?.key !== sandwichKey && ![...pending.current.values()].includes(sandwichKey)) {
      setLoading('Finding callers and callees…');
      request({ type: 'sandwich', query, fn: state.selectedFunc }, sandwichKey);
    }
  }, [summary, error, view, treeKey, treeData, refineKey, trees, queryKey, top, sandwichKey, sandwich]);

  // Editor annotations follow what this view shows.
  useEffect(() => {
    if (summary) send({ type: 'activeQuery', query, normalize: state.normalize });
  }, [summary, queryKey]);

  const matcher = useMemo(() => searchMatcher(state.search), [state.search]);
  const flameTree = treeData?.tree;
  const match = useMemo(() => {
    if (!flameTree) return undefined;
    if (matcher) return matchNodes(flameTree, matcher);
    return undefined;
  }, [flameTree, matcher]);
  // A function chosen in another view lights up in the graphs.
  const highlight = useMemo(() => {
    if (!flameTree || matcher || !state.selectedFunc || selectedNode?.key === treeData?.key) return undefined;
    const fn = state.selectedFunc;
    return matchNodes(flameTree, (name) => name === fn.name);
  }, [flameTree, matcher, state.selectedFunc, selectedNode, treeData]);

  const currentNode = flameTree ? (selectedNode?.key === treeData?.key ? selectedNode.node : state.selectedFunc ? nodeOfFunction(flameTree, state.selectedFunc) : -1) : -1;

  const selectNode = useCallback(
    (node: number) => {
      setSelectedNode({ key: treeData?.key ?? treeKey, node });
      if (flameTree && node > 0) {
        const f = flameTree.func[node];
        update({ selectedFunc: { name: flameTree.funcName[f], file: flameTree.funcFile[f] || undefined } });
      }
    },
    [treeKey, treeData, flameTree, update],
  );

  const openNode = useCallback((tree: CallTree, node: number) => {
    if (node <= 0) return;
    const f = tree.func[node];
    const file = tree.funcFile[f];
    if (!file) {
      setNotice(`${tree.funcName[f]} has no source file in this profile.`);
      return;
    }
    const kind = frameKindOfFile(file);
    if (kind !== 'go') {
      setNotice(`${tree.funcName[f]} is a ${kind === 'kernel' ? 'kernel' : 'native'} frame (${file}): it has no Go source to open.`);
      return;
    }
    send({ type: 'openSource', location: { func: tree.funcName[f], file, line: tree.line[node] } });
  }, []);

  const openFunction = useCallback(
    (name: string) => {
      for (const t of trees) {
        const n = nodeOfFunction(t.tree, { name });
        if (n > 0) return openNode(t.tree, n);
      }
      setNotice(`Open the Flame Graph once to locate ${name}'s source.`);
    },
    [trees, openNode],
  );

  const setFilter = (filter: ProfileFilter) => {
    setFilterError(undefined);
    update({ filter });
  };

  const onHover = useCallback(
    (tree: CallTree | undefined, diff?: { base: Float64Array; current: Float64Array }) => (node: number, x: number, y: number) =>
      setHover(node >= 0 && tree ? { tree, node, x, y, diff } : undefined),
    [],
  );
  const flameHover = useMemo(() => onHover(flameTree, treeData?.diff), [flameTree, treeData, onHover]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !['VSCODE-TEXTFIELD', 'INPUT'].includes(document.activeElement?.tagName ?? ''))) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const exportAs = (format: 'folded' | 'svg' | 'png' | 'pprof') => {
    setExportOpen(false);
    if (format === 'pprof') return send({ type: 'export', format: 'pprof' });
    if (format === 'folded') return send({ type: 'export', format: 'folded', query, normalize: state.normalize });
    const h = graphHandle.current;
    if (!treeData || !h) return setNotice('Switch to the Flame Graph or Icicle view to export it as an image.');
    if (format === 'png') {
      if (h.canvas) send({ type: 'export', format: 'png', dataUrl: h.canvas.toDataURL('image/png') });
      return;
    }
    const svg = flameSvg({ tree: treeData.tree, start: treeData.start, domain: h.domain, width: h.canvas?.clientWidth ?? 1200, palette: makePalette(), title: summary?.title ?? 'profile', format: fmt, diff: treeData.diff });
    send({ type: 'export', format: 'svg', svg });
  };

  const rootTotal = flameTree ? flameTree.total[0] : summary?.totals[sampleType] ?? 0;
  const sampleTypeLabel = (i: number) => (summary ? `${summary.sampleTypes[i].type} (${summary.sampleTypes[i].unit})` : '');
  const hoverTree = hover?.tree;
  const detailTree = flameTree;
  const detailNode = hover && hover.tree === flameTree ? hover.node : currentNode;

  return (
    <div className="view-root flame-root" data-view={view}>
      <div className="toolbar">
        <span className="title" title={summary?.title}>
          {summary?.title ?? 'Profile'}
        </span>
        {summary && summary.sampleTypes.length > 1 && (
          <VscodeSingleSelect
            className="sample-type"
            aria-label="Sample type"
            value={String(sampleType)}
            onChange={(e) => update({ sampleType: Number((e.target as HTMLSelectElement).value) })}
          >
            {summary.sampleTypes.map((_, i) => (
              <VscodeOption key={i} value={String(i)}>
                {sampleTypeLabel(i)}
              </VscodeOption>
            ))}
          </VscodeSingleSelect>
        )}
        {summary && (
          <VscodeTextfield
            ref={searchRef}
            className="search"
            placeholder="Search functions (regexp)"
            aria-label="Search functions"
            value={state.search}
            onInput={(e) => update({ search: (e.target as HTMLInputElement).value })}
          />
        )}
        {match && flameTree && (view === 'flame' || view === 'icicle') && (
          <span className="match-share" data-testid="match-share">
            Matched {percent(match.matchedTotal, rootTotal)} · {fmt(match.matchedTotal)}
          </span>
        )}
        {isDiff && (
          <VscodeCheckbox checked={state.normalize} title="Scale the new profile to the base's total first (pprof -normalize)" onChange={(e) => update({ normalize: (e.target as HTMLInputElement).checked })}>
            Normalize
          </VscodeCheckbox>
        )}
        <span className="spacer" />
        {summary?.canSaveAs && (
          <VscodeButton secondary onClick={() => send({ type: 'saveAs' })} title="Save a copy of this profile">
            Save As…
          </VscodeButton>
        )}
        {summary && (
          <span className="export">
            <VscodeButton secondary onClick={() => setExportOpen((o) => !o)} aria-expanded={exportOpen} title="Export the stacks or the picture">
              Export…
            </VscodeButton>
            {exportOpen && (
              <div className="export-menu" role="menu">
                <button role="menuitem" onClick={() => exportAs('folded')}>
                  Folded stacks (.folded)
                </button>
                <button role="menuitem" onClick={() => exportAs('svg')}>
                  Flame graph as SVG
                </button>
                <button role="menuitem" onClick={() => exportAs('png')}>
                  Flame graph as PNG
                </button>
                {!summary.diffBase && (
                  <button role="menuitem" onClick={() => exportAs('pprof')} title="The whole profile, for go tool pprof (perf recordings and folded stacks included)">
                    pprof (.pb.gz)
                  </button>
                )}
              </div>
            )}
          </span>
        )}
      </div>
      {summary && (
        <div className="tabs" role="tablist">
          {TABS.map((t) => (
            <button key={t.view} role="tab" aria-selected={view === t.view} className={view === t.view ? 'tab active' : 'tab'} title={t.title} onClick={() => update({ view: t.view })}>
              {t.label}
            </button>
          ))}
          {isDiff && <span className="diff-legend">Red: grew from {summary.diffBase} · green: shrank</span>}
        </div>
      )}
      {summary && <FilterBar filter={state.filter} labels={summary.labels} error={filterError} onChange={setFilter} />}
      {summary?.warnings.map((w, i) => (
        <div key={i} className="warning" role="alert">
          {w}
        </div>
      ))}
      {treeData && treeData.prunedBelow > 0 && (view === 'flame' || view === 'icicle') && <PrunedNotice data={treeData} zoomPath={zoomPath} refining={refineKey !== undefined && !trees.some((t) => t.key === refineKey)} />}
      {treeData && treeData.prunedBelow > 0 && view === 'tree' && <PrunedNotice data={treeData} zoomPath={NO_ZOOM} refining={false} inTable />}
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {loading && !error && <div className="loading">{loading}</div>}
      {summary && !error && flameTree && rootTotal === 0 && (view === 'flame' || view === 'icicle' || view === 'tree') && (
        <div className="empty">Nothing left to show: {summary.sampleCount === 0 ? 'the profile has no samples.' : 'no sample of this type passes the filters.'}</div>
      )}
      {!error && treeData && rootTotal !== 0 && (view === 'flame' || view === 'icicle') && (
        <FlamePanel
          key={view}
          data={treeData}
          focusPath={state.focus[view]}
          onFocusPath={(path) => update({ focus: { ...stateRef.current.focus, [view]: path } })}
          matched={match?.matched ?? highlight?.matched}
          selected={currentNode}
          onSelect={selectNode}
          onOpenSource={(n) => openNode(treeData.tree, n)}
          onHover={flameHover}
          initialScrollTop={state.scroll[view]}
          onScroll={(t) => update({ scroll: { ...stateRef.current.scroll, [view]: t } })}
          handle={graphHandle}
          label={view === 'flame' ? 'Flame graph. Click a frame to zoom, double-click or Ctrl+click to open its source.' : 'Icicle graph: functions where the value is spent, callers below.'}
        />
      )}
      {!error && view === 'tree' && treeData && rootTotal !== 0 && (
        <CallTreeTable tree={treeData.tree} format={fmt} matched={match?.matched} selected={currentNode} onSelect={selectNode} onOpen={(n) => openNode(treeData.tree, n)} diff={treeData.diff} />
      )}
      {!error && view === 'top' && top?.key === queryKey && (
        <TopTableView
          table={top.table}
          unit={unit}
          format={fmt}
          matches={matcher}
          sort={state.topSort}
          onSort={(topSort) => update({ topSort })}
          selected={state.selectedFunc?.name}
          onSelect={(name) => {
            setSelectedNode(undefined);
            update({ selectedFunc: { name } });
          }}
          onOpen={openFunction}
          initialScrollTop={state.scroll.top}
          onScroll={(t) => update({ scroll: { ...stateRef.current.scroll, top: t } })}
        />
      )}
      {!error && view === 'sandwich' && !state.selectedFunc && <div className="empty">Select a function in the Flame Graph, Top or Call Tree view to see its callers and callees here.</div>}
      {!error && view === 'sandwich' && sandwich && sandwich.key === sandwichKey && (
        <SandwichView
          fn={sandwich.fn}
          sandwich={sandwich.data}
          format={fmt}
          total={summary?.totals[sampleType] ?? 0}
          onOpenSource={(which, n) => openNode(which === 'callers' ? sandwich.data.callers : sandwich.data.callees, n)}
          onHover={(which, n, x, y) => onHover(which === 'callers' ? sandwich.data.callers : sandwich.data.callees)(n, x, y)}
          onPick={(which, n) => {
            const t = which === 'callers' ? sandwich.data.callers : sandwich.data.callees;
            if (n > 1) update({ selectedFunc: { name: t.funcName[t.func[n]], file: t.funcFile[t.func[n]] || undefined } });
          }}
        />
      )}
      {hover && hoverTree && (
        <div className="tooltip" style={{ left: Math.min(hover.x + 14, window.innerWidth - 380), top: Math.min(hover.y + 16, window.innerHeight - 140) }} role="tooltip">
          {hover.node === 0 ? (
            <div className="fn">all</div>
          ) : (
            <>
              <div className="fn">{hoverTree.funcName[hoverTree.func[hover.node]]}</div>
              <div className="file">
                {hoverTree.funcFile[hoverTree.func[hover.node]] || 'no file'}
                {hoverTree.line[hover.node] > 0 ? `:${hoverTree.line[hover.node]}` : ''}
              </div>
            </>
          )}
          {hover.diff ? (
            <div>
              {fmt(hover.diff.base[hover.node])} → {fmt(hover.diff.current[hover.node])} ({hover.diff.current[hover.node] - hover.diff.base[hover.node] >= 0 ? '+' : ''}
              {fmt(hover.diff.current[hover.node] - hover.diff.base[hover.node])})
            </div>
          ) : (
            <>
              <div>
                Total: {fmt(hoverTree.total[hover.node])} ({percent(hoverTree.total[hover.node], hoverTree.total[0])})
              </div>
              <div>
                Self: {fmt(hoverTree.self[hover.node])} ({percent(hoverTree.self[hover.node], hoverTree.total[0])})
              </div>
            </>
          )}
          {hover.node > 0 && <div className="hint">Click to zoom · double-click or Ctrl/Cmd+click to open the source</div>}
        </div>
      )}
      <div className="details">
        {detailTree && detailNode > 0 ? (
          <>
            <span className="fn">{detailTree.funcName[detailTree.func[detailNode]]}</span>
            {detailTree.funcFile[detailTree.func[detailNode]] && (
              <a href="#" className="source-link" onClick={(e) => (e.preventDefault(), openNode(detailTree, detailNode))}>
                {shortFile(detailTree.funcFile[detailTree.func[detailNode]])}
                {detailTree.line[detailNode] > 0 ? `:${detailTree.line[detailNode]}` : ''}
              </a>
            )}
            <span>
              total {fmt(detailTree.total[detailNode])} ({percent(detailTree.total[detailNode], rootTotal)}), self {fmt(detailTree.self[detailNode])}
            </span>
            <span className="actions">
              <a href="#" title="Keep only stacks through this function" onClick={(e) => (e.preventDefault(), setFilter(addToFilter(state.filter, 'focus', exactName(detailTree.funcName[detailTree.func[detailNode]]))))}>
                Focus
              </a>
              <a href="#" title="Drop stacks through this function" onClick={(e) => (e.preventDefault(), setFilter(addToFilter(state.filter, 'ignore', exactName(detailTree.funcName[detailTree.func[detailNode]]))))}>
                Ignore
              </a>
              <a href="#" title="Callers and callees of this function" onClick={(e) => (e.preventDefault(), update({ view: 'sandwich' }))}>
                Sandwich
              </a>
            </span>
          </>
        ) : (
          <span className="muted">{summary ? `${formatCount(summary.sampleCount)} samples · ${summary.kind} profile` : ''}</span>
        )}
        {notice && <span className="notice-inline">{notice}</span>}
      </div>
    </div>
  );
}
