// The flame graph view: toolbar (sample type, search, reset, save), breadcrumb of the zoom path,
// the graph, a tooltip and a details line. Talks to the host only through src/protocol/flame.
import { VscodeButton, VscodeOption, VscodeSingleSelect, VscodeTextfield } from '@vscode-elements/react-elements';
import type { VscodeTextfield as TextfieldElement } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import { formatValue } from '../../src/core/format/units';
import { findByNamePath, layoutStarts, matchNodes, namePath, pathTo } from '../../src/core/layout/flame-layout';
import type { FlameHostMessage, FlameWebviewMessage, ProfileSummary } from '../../src/protocol/flame';
import { loadState, onHostMessage, post, saveState } from '../common/vscode-api';
import { FlameGraph } from './flame-graph';

interface PersistedState {
  sampleType: number | null;
  focusPath: string[];
  search: string;
  scrollTop: number;
}

interface TreeState {
  tree: CallTree;
  start: Float64Array;
  sampleType: number;
  prunedBelow: number;
}

const send = (m: FlameWebviewMessage) => post(m);

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

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (100 * part) / whole;
  return p >= 10 || p === 0 ? `${p.toFixed(1)}%` : `${p.toPrecision(2)}%`;
}

function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(-2).join('/') : file;
}

export function App() {
  const [persisted, setPersisted] = useState<PersistedState>(() => loadState<PersistedState>({ sampleType: null, focusPath: [], search: '', scrollTop: 0 }));
  const [summary, setSummary] = useState<ProfileSummary>();
  const [treeState, setTreeState] = useState<TreeState>();
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState(-1);
  const [loading, setLoading] = useState<string | undefined>('Loading profile…');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [tooltip, setTooltip] = useState<{ node: number; x: number; y: number }>();
  const persistedRef = useRef(persisted);
  persistedRef.current = persisted;
  const searchRef = useRef<TextfieldElement>(null);

  const update = useCallback((patch: Partial<PersistedState>) => {
    setPersisted((prev) => {
      const next = { ...prev, ...patch };
      saveState(next);
      return next;
    });
  }, []);

  useEffect(() => {
    const off = onHostMessage<FlameHostMessage>((msg) => {
      switch (msg.type) {
        case 'loading':
          setLoading(msg.message);
          break;
        case 'summary': {
          setSummary(msg.summary);
          setError(undefined);
          const wanted = persistedRef.current.sampleType;
          const sampleType = wanted !== null && wanted < msg.summary.sampleTypes.length ? wanted : msg.summary.defaultSampleType;
          send({ type: 'setSampleType', sampleType });
          break;
        }
        case 'tree': {
          performance.mark('flame-tree-received');
          const start = layoutStarts(msg.tree);
          setTreeState({ tree: msg.tree, start, sampleType: msg.sampleType, prunedBelow: msg.prunedBelow });
          const f = findByNamePath(msg.tree, persistedRef.current.focusPath);
          setFocus(f);
          setSelected(f === 0 ? -1 : f);
          setLoading(undefined);
          break;
        }
        case 'error':
          setError(msg.message);
          setLoading(undefined);
          break;
        case 'sourceResult':
          setNotice(msg.ok ? `Opened ${msg.message}` : msg.message);
          break;
      }
    });
    send({ type: 'ready' });
    return off;
  }, []);

  const tree = treeState?.tree;
  const matcher = useMemo(() => searchMatcher(persisted.search), [persisted.search]);
  const match = useMemo(() => (tree && matcher ? matchNodes(tree, matcher) : undefined), [tree, matcher]);
  const unit = tree?.sampleType.unit ?? '';
  const rootTotal = tree ? tree.total[0] : 0;
  const fmt = (v: number) => formatValue(v, unit);

  const zoomTo = useCallback(
    (node: number) => {
      if (!tree) return;
      setFocus(node);
      setSelected(node === 0 ? -1 : node);
      update({ focusPath: namePath(tree, node) });
    },
    [tree, update],
  );

  const openSource = useCallback(
    (node: number) => {
      if (!tree || node <= 0) return;
      const f = tree.func[node];
      setSelected(node);
      const file = tree.funcFile[f];
      if (!file) {
        setNotice(`${tree.funcName[f]} has no source file in this profile.`);
        return;
      }
      send({ type: 'openSource', location: { func: tree.funcName[f], file, line: tree.line[node] } });
    },
    [tree],
  );

  const onHover = useCallback((node: number, x: number, y: number) => setTooltip(node >= 0 ? { node, x, y } : undefined), []);
  const onScroll = useCallback((top: number) => update({ scrollTop: top }), [update]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!tree) return;
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && document.activeElement?.tagName !== 'VSCODE-TEXTFIELD')) {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && focus > 0) {
        zoomTo(tree.parent[focus]);
      } else if (e.key === 'Enter' && selected > 0 && document.activeElement?.tagName === 'CANVAS') {
        openSource(selected);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tree, focus, selected, zoomTo, openSource]);

  const sampleTypeLabel = (i: number) => (summary ? `${summary.sampleTypes[i].type} (${summary.sampleTypes[i].unit})` : '');
  const detailNode = tooltip && tooltip.node >= 0 ? tooltip.node : selected;

  return (
    <div className="flame-root">
      <div className="toolbar">
        <span className="title" title={summary?.title}>
          {summary?.title ?? 'Profile'}
        </span>
        {summary && summary.sampleTypes.length > 1 && (
          <VscodeSingleSelect
            className="sample-type"
            aria-label="Sample type"
            value={String(treeState?.sampleType ?? summary.defaultSampleType)}
            onChange={(e) => {
              const v = Number((e.target as HTMLSelectElement).value);
              update({ sampleType: v });
              setLoading('Building call tree…');
              send({ type: 'setSampleType', sampleType: v });
            }}
          >
            {summary.sampleTypes.map((_, i) => (
              <VscodeOption key={i} value={String(i)}>
                {sampleTypeLabel(i)}
              </VscodeOption>
            ))}
          </VscodeSingleSelect>
        )}
        {tree && (<VscodeTextfield
          ref={searchRef}
          className="search"
          placeholder="Search functions (regexp)"
          aria-label="Search functions"
          value={persisted.search}
          onInput={(e) => update({ search: (e.target as HTMLInputElement).value })}
        />)}
        {match && tree && (
          <span className="match-share" data-testid="match-share">
            Matched {percent(match.matchedTotal, rootTotal)} · {fmt(match.matchedTotal)}
          </span>
        )}
        <span className="spacer" />
        {tree && <VscodeButton secondary disabled={focus === 0} onClick={() => zoomTo(0)} title="Show the whole profile (Esc zooms out one level)">
          Reset zoom
        </VscodeButton>}
        {summary?.canSaveAs && (
          <VscodeButton secondary onClick={() => send({ type: 'saveAs' })} title="Save a copy of this profile">
            Save As…
          </VscodeButton>
        )}
      </div>
      {summary?.warnings.map((w, i) => (
        <div key={i} className="warning" role="alert">
          {w}
        </div>
      ))}
      {treeState && treeState.prunedBelow > 0 && (
        <div className="notice">Frames smaller than {percent(treeState.prunedBelow, 1)} of the profile are left out to keep the view fast.</div>
      )}
      {tree && (
        <nav className="breadcrumb" aria-label="Zoom path">
          {pathTo(tree, focus).map((n, i, all) => (
            <span key={n}>
              <a href="#" onClick={(e) => (e.preventDefault(), zoomTo(n))} aria-current={i === all.length - 1 ? 'location' : undefined}>
                {n === 0 ? 'all' : tree.funcName[tree.func[n]]}
              </a>
              {i < all.length - 1 && <span className="sep"> › </span>}
            </span>
          ))}
        </nav>
      )}
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {loading && !error && <div className="loading">{loading}</div>}
      {tree && rootTotal === 0 && !loading && (
        <div className="empty">
          This profile has no {tree.sampleType.type} samples.{' '}
          {tree.sampleType.unit === 'nanoseconds' || tree.sampleType.type === 'samples'
            ? 'The program used no measurable CPU while it was profiled: capture while it is busy (send it load), or for longer.'
            : 'Nothing of this kind was recorded while the profile was taken.'}
        </div>
      )}
      {tree && treeState && rootTotal > 0 && (
        <FlameGraph
          tree={tree}
          start={treeState.start}
          focus={focus}
          matched={match?.matched}
          selected={selected}
          onFocus={zoomTo}
          onOpenSource={openSource}
          onHover={onHover}
          initialScrollTop={persisted.scrollTop}
          onScroll={onScroll}
        />
      )}
      {tree && tooltip && tooltip.node >= 0 && (
        <div className="tooltip" style={{ left: Math.min(tooltip.x + 14, window.innerWidth - 380), top: tooltip.y + 16 }} role="tooltip">
          {tooltip.node === 0 ? (
            <div className="fn">all</div>
          ) : (
            <>
              <div className="fn">{tree.funcName[tree.func[tooltip.node]]}</div>
              <div className="file">
                {tree.funcFile[tree.func[tooltip.node]] || 'no file'}
                {tree.line[tooltip.node] > 0 ? `:${tree.line[tooltip.node]}` : ''}
              </div>
            </>
          )}
          <div>
            Total: {fmt(tree.total[tooltip.node])} ({percent(tree.total[tooltip.node], rootTotal)})
          </div>
          <div>
            Self: {fmt(tree.self[tooltip.node])} ({percent(tree.self[tooltip.node], rootTotal)})
          </div>
          {tooltip.node > 0 && <div className="hint">Click to zoom · double-click or Ctrl/Cmd+click to open the source</div>}
        </div>
      )}
      <div className="details">
        {tree && detailNode > 0 ? (
          <>
            <span className="fn">{tree.funcName[tree.func[detailNode]]}</span>
            {tree.funcFile[tree.func[detailNode]] && (
              <a href="#" className="source-link" onClick={(e) => (e.preventDefault(), openSource(detailNode))}>
                {shortFile(tree.funcFile[tree.func[detailNode]])}
                {tree.line[detailNode] > 0 ? `:${tree.line[detailNode]}` : ''}
              </a>
            )}
            <span>
              total {fmt(tree.total[detailNode])} ({percent(tree.total[detailNode], rootTotal)}), self {fmt(tree.self[detailNode])}
            </span>
          </>
        ) : (
          <span className="muted">{summary ? `${summary.sampleCount.toLocaleString()} samples${notice ? '' : ' · hover a frame for details'}` : ''}</span>
        )}
        {notice && <span className="notice-inline">{notice}</span>}
      </div>
    </div>
  );
}
