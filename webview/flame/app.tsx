// The profile view: Flame Graph, Icicle (bottom-up), Top, Call Tree and Sandwich tabs over one
// profile (or a diff of two), sharing the sample type, the filters, the search and the selected
// function. The data (requests to the host through src/protocol/flame, the answers kept) is
// useProfileData's; this file lays out the toolbar, tabs and views.
import type { VscodeTextfield as TextfieldElement } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import {
  VscodeButton,
  VscodeCheckbox,
  VscodeOption,
  VscodeSingleSelect,
  VscodeTextfield,
} from '@vscode-elements/react-elements';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import type { ProfileFilter } from '../../src/core/pprof/filter';
import { formatValue } from '../../src/core/format/units';
import { frameKindOfFile, isSourceFile } from '../../src/core/perf/frame-names';
import { matchNodes } from '../../src/core/layout/flame-layout';
import type { ExportRequest, FlameView } from '../../src/protocol/flame';
import type { SourceLocation } from '../../src/protocol/source';
import { loadState, saveState } from '../common/vscode-api';
import { CallTreeTable } from './call-tree-table';
import { makePalette } from './colors';
import { flameSvg } from './export-svg';
import { FilterBar } from './filter-bar';
import type { FlameGraphHandle } from './flame-graph';
import { FlamePanel } from './flame-panel';
import {
  DetailsBar,
  HoverTooltip,
  nodeOfFunction,
  percent,
  PrunedNotice,
  searchMatcher,
  type Hover,
} from './profile-parts';
import { SandwichView } from './sandwich-view';
import { TopTableView } from './top-table';
import { host, NO_ZOOM, useProfileData, type PersistedState } from './use-profile-data';

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
  {
    view: 'icicle',
    label: 'Icicle',
    title: 'Bottom-up: the functions where time is spent, with their callers below',
  },
  { view: 'top', label: 'Top', title: 'Functions by flat and cumulative value, as pprof -top' },
  { view: 'tree', label: 'Call Tree', title: 'The call tree as an expandable table' },
  { view: 'sandwich', label: 'Sandwich', title: 'Callers and callees of the selected function' },
];

export function App() {
  const [state, setState] = useState<PersistedState>(() => {
    const s = loadState<PersistedState>(DEFAULT_STATE);
    return {
      ...DEFAULT_STATE,
      ...s,
      focus: { ...DEFAULT_STATE.focus, ...s.focus },
      scroll: { ...DEFAULT_STATE.scroll, ...s.scroll },
    };
  });
  const {
    summary,
    sampleType,
    query,
    trees,
    treeKey,
    treeData,
    zoomPath,
    refining,
    top,
    sandwich,
    loading,
    error,
    filterError,
    setFilterError,
    actionFailed,
  } = useProfileData(state);
  const [notice, setNotice] = useState<string>();
  const [hover, setHover] = useState<Hover>();
  const [selectedNode, setSelectedNode] = useState<{ key: string; node: number }>();
  const [exportOpen, setExportOpen] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const searchRef = useRef<TextfieldElement>(null);
  const graphHandle = useRef<FlameGraphHandle | null>(null);

  const update = useCallback((patch: Partial<PersistedState>) => {
    setState((prev) => {
      const next = { ...prev, ...patch };
      saveState(next);
      return next;
    });
  }, []);

  const isDiff = Boolean(summary?.diffBase);
  const unit = summary?.sampleTypes[sampleType]?.unit ?? '';
  const fmt = useCallback((v: number) => formatValue(v, unit), [unit]);

  const view = state.view;

  const matcher = useMemo(() => searchMatcher(state.search), [state.search]);
  const flameTree = treeData?.tree;
  const match = useMemo(() => {
    if (!flameTree) return undefined;
    if (matcher) return matchNodes(flameTree, matcher);
    return undefined;
  }, [flameTree, matcher]);
  // A function chosen in another view lights up in the graphs.
  const highlight = useMemo(() => {
    if (!flameTree || matcher || !state.selectedFunc || selectedNode?.key === treeData?.key)
      return undefined;
    const fn = state.selectedFunc;
    return matchNodes(flameTree, (name) => name === fn.name);
  }, [flameTree, matcher, state.selectedFunc, selectedNode, treeData]);

  const currentNode = flameTree
    ? selectedNode?.key === treeData?.key
      ? selectedNode.node
      : state.selectedFunc
        ? nodeOfFunction(flameTree, state.selectedFunc)
        : -1
    : -1;

  const selectNode = useCallback(
    (node: number) => {
      setSelectedNode({ key: treeData?.key ?? treeKey, node });
      if (flameTree && node > 0) {
        const f = flameTree.func[node];
        update({
          selectedFunc: { name: flameTree.funcName[f], file: flameTree.funcFile[f] || undefined },
        });
      }
    },
    [treeKey, treeData, flameTree, update],
  );

  const openNode = useCallback(
    (tree: CallTree, node: number) => {
      if (node <= 0) return;
      const f = tree.func[node];
      const file = tree.funcFile[f];
      if (!file) {
        setNotice(`${tree.funcName[f]} has no source file in this profile.`);
        return;
      }
      // An object file named in brackets, not a source: a C source perf named is opened too.
      if (!isSourceFile(file)) {
        const kind = frameKindOfFile(file);
        setNotice(
          `${tree.funcName[f]} is a ${kind === 'kernel' ? 'kernel' : 'native'} frame (${file}): it has no source file to open.`,
        );
        return;
      }
      const location: SourceLocation = { func: tree.funcName[f], file, line: tree.line[node] };
      host
        .request('openSource', { location })
        .then((r) => setNotice(r.ok ? `Opened ${r.message}` : r.message), actionFailed);
    },
    [actionFailed],
  );

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
    (tree: CallTree | undefined, diff?: { base: Float64Array; current: Float64Array }) =>
      (node: number, x: number, y: number) =>
        setHover(node >= 0 && tree ? { tree, node, x, y, diff } : undefined),
    [],
  );
  const flameHover = useMemo(
    () => onHover(flameTree, treeData?.diff),
    [flameTree, treeData, onHover],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (
        (e.key === 'f' && (e.ctrlKey || e.metaKey)) ||
        (e.key === '/' &&
          !['VSCODE-TEXTFIELD', 'INPUT'].includes(document.activeElement?.tagName ?? ''))
      ) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const send = (req: ExportRequest) => void host.request('export', req).catch(actionFailed);
  const exportAs = (format: 'folded' | 'svg' | 'png' | 'pprof') => {
    setExportOpen(false);
    if (format === 'pprof') return send({ format: 'pprof' });
    if (format === 'folded') return send({ format: 'folded', query, normalize: state.normalize });
    const h = graphHandle.current;
    if (!treeData || !h)
      return setNotice('Switch to the Flame Graph or Icicle view to export it as an image.');
    if (format === 'png') {
      if (h.canvas) send({ format: 'png', dataUrl: h.canvas.toDataURL('image/png') });
      return;
    }
    const svg = flameSvg({
      tree: treeData.tree,
      start: treeData.start,
      domain: h.domain,
      width: h.canvas?.clientWidth ?? 1200,
      palette: makePalette(),
      title: summary?.title ?? 'profile',
      format: fmt,
      diff: treeData.diff,
    });
    send({ format: 'svg', svg });
  };

  const rootTotal = flameTree ? flameTree.total[0] : (summary?.totals[sampleType] ?? 0);
  const sampleTypeLabel = (i: number) =>
    summary ? `${summary.sampleTypes[i].type} (${summary.sampleTypes[i].unit})` : '';
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
          <VscodeCheckbox
            checked={state.normalize}
            title="Scale the new profile to the base's total first (pprof -normalize)"
            onChange={(e) => update({ normalize: (e.target as HTMLInputElement).checked })}
          >
            Normalize
          </VscodeCheckbox>
        )}
        <span className="spacer" />
        {summary?.canSaveAs && (
          <VscodeButton
            secondary
            onClick={() => void host.request('saveAs', {}).catch(actionFailed)}
            title="Save a copy of this profile"
          >
            Save As…
          </VscodeButton>
        )}
        {summary && (
          <span className="export">
            <VscodeButton
              secondary
              onClick={() => setExportOpen((o) => !o)}
              aria-expanded={exportOpen}
              title="Export the stacks or the picture"
            >
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
                  <button
                    role="menuitem"
                    onClick={() => exportAs('pprof')}
                    title="The whole profile, for go tool pprof (perf recordings and folded stacks included)"
                  >
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
            <button
              key={t.view}
              role="tab"
              aria-selected={view === t.view}
              className={view === t.view ? 'tab active' : 'tab'}
              title={t.title}
              onClick={() => update({ view: t.view })}
            >
              {t.label}
            </button>
          ))}
          {isDiff && (
            <span className="diff-legend">Red: grew from {summary.diffBase} · green: shrank</span>
          )}
        </div>
      )}
      {summary && (
        <FilterBar
          filter={state.filter}
          labels={summary.labels}
          error={filterError}
          onChange={setFilter}
        />
      )}
      {summary?.warnings.map((w, i) => (
        <div key={i} className="warning" role="alert">
          {w}
        </div>
      ))}
      {treeData && treeData.prunedBelow > 0 && (view === 'flame' || view === 'icicle') && (
        <PrunedNotice data={treeData} zoomPath={zoomPath} refining={refining} />
      )}
      {treeData && treeData.prunedBelow > 0 && view === 'tree' && (
        <PrunedNotice data={treeData} zoomPath={NO_ZOOM} refining={false} inTable />
      )}
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {loading && !error && <div className="loading">{loading}</div>}
      {summary &&
        !error &&
        flameTree &&
        rootTotal === 0 &&
        (view === 'flame' || view === 'icicle' || view === 'tree') && (
          <div className="empty">
            Nothing left to show:{' '}
            {summary.sampleCount === 0
              ? 'the profile has no samples.'
              : 'no sample of this type passes the filters.'}
          </div>
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
          label={
            view === 'flame'
              ? 'Flame graph. Click a frame to zoom, double-click or Ctrl+click to open its source.'
              : 'Icicle graph: functions where the value is spent, callers below.'
          }
        />
      )}
      {!error && view === 'tree' && treeData && rootTotal !== 0 && (
        <CallTreeTable
          tree={treeData.tree}
          format={fmt}
          matched={match?.matched}
          selected={currentNode}
          onSelect={selectNode}
          onOpen={(n) => openNode(treeData.tree, n)}
          diff={treeData.diff}
        />
      )}
      {!error && view === 'top' && top && (
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
      {!error && view === 'sandwich' && !state.selectedFunc && (
        <div className="empty">
          Select a function in the Flame Graph, Top or Call Tree view to see its callers and callees
          here.
        </div>
      )}
      {!error && view === 'sandwich' && sandwich && (
        <SandwichView
          fn={sandwich.fn}
          sandwich={sandwich.data}
          format={fmt}
          total={summary?.totals[sampleType] ?? 0}
          onOpenSource={(which, n) =>
            openNode(which === 'callers' ? sandwich.data.callers : sandwich.data.callees, n)
          }
          onHover={(which, n, x, y) =>
            onHover(which === 'callers' ? sandwich.data.callers : sandwich.data.callees)(n, x, y)
          }
          onPick={(which, n) => {
            const t = which === 'callers' ? sandwich.data.callers : sandwich.data.callees;
            if (n > 1)
              update({
                selectedFunc: {
                  name: t.funcName[t.func[n]],
                  file: t.funcFile[t.func[n]] || undefined,
                },
              });
          }}
        />
      )}
      {hover && <HoverTooltip hover={hover} fmt={fmt} />}
      <DetailsBar
        tree={detailTree}
        node={detailNode}
        rootTotal={rootTotal}
        fmt={fmt}
        summary={summary}
        filter={state.filter}
        notice={notice}
        openNode={openNode}
        setFilter={setFilter}
        showSandwich={() => update({ view: 'sandwich' })}
      />
    </div>
  );
}
