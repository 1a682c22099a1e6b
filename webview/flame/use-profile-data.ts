// The profile view's data: the summary and the answers to what the current view shows (trees,
// the top table, a sandwich), asked of the host through src/protocol/flame when a view needs
// them and kept (the last few trees) so switching back needs no round trip. The components in
// app.tsx only read what this returns.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Sandwich } from '../../src/core/flame/sandwich';
import { pickTreeForZoom } from '../../src/core/flame/view-tree';
import type { DiffTopTable } from '../../src/core/pprof/diff';
import type { ProfileFilter } from '../../src/core/pprof/filter';
import type { TopTable } from '../../src/core/pprof/top';
import { layoutStarts } from '../../src/core/layout/flame-layout';
import type {
  FlameMethods,
  FlamePushes,
  FlameView,
  ProfileSummary,
  TreeAnswer,
  ViewQuery,
} from '../../src/protocol/flame';
import { RpcError } from '../common/rpc';
import { connectToHost } from '../common/vscode-api';
import type { TreeData } from './flame-panel';
import type { TopSortKey } from './top-table';

/** The view's state kept by VS Code across hide/show (setState). */
export interface PersistedState {
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

/** The channel to the host of this profile view. */
export const host = connectToHost<FlameMethods, FlamePushes>();

export const NO_ZOOM: string[] = [];

const hasTree = (view: FlameView) => view === 'flame' || view === 'icicle' || view === 'tree';
const queryKeyOf = (query: ViewQuery, normalize: boolean) => JSON.stringify([query, normalize]);
const treeKeyOf = (queryKey: string, inverted: boolean) => `${queryKey}|${inverted}`;

export function useProfileData(state: PersistedState) {
  const [summary, setSummary] = useState<ProfileSummary>();
  const [trees, setTrees] = useState<TreeData[]>([]);
  const [top, setTop] = useState<{ key: string; table: TopTable | DiffTopTable }>();
  const [sandwich, setSandwich] = useState<{
    key: string;
    fn: { name: string; file?: string };
    data: Sandwich;
  }>();
  const [loading, setLoading] = useState<string | undefined>('Loading profile…');
  const [error, setError] = useState<string>();
  const [filterError, setFilterError] = useState<string>();
  /** Keys of the answers asked for and not yet come. */
  const pending = useRef(new Set<string>());
  const initialState = useRef(state);

  const sampleType = summary
    ? state.sampleType !== null && state.sampleType < summary.sampleTypes.length
      ? state.sampleType
      : summary.defaultSampleType
    : 0;
  const query: ViewQuery = useMemo(
    () => ({ sampleType, filter: state.filter }),
    [sampleType, state.filter],
  );
  const queryKey = queryKeyOf(query, state.normalize);

  const storeTree = useCallback((key: string, answer: TreeAnswer) => {
    performance.mark('flame-tree-received');
    const data: TreeData = {
      key,
      tree: answer.tree,
      start: layoutStarts(answer.tree),
      prunedBelow: answer.prunedBelow,
      focusPath: answer.focusPath,
      diff: answer.diff,
    };
    setTrees((prev) => [data, ...prev.filter((t) => t.key !== key)].slice(0, 8));
    setFilterError(undefined);
    setLoading(undefined);
  }, []);

  /** A query failed: its own error (e.g. a bad filter regexp) shows at the filters; an unreadable profile instead of the view. */
  const queryFailed = useCallback((err: unknown) => {
    setLoading(undefined);
    if (err instanceof RpcError && err.code === 'disposed') return;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RpcError && err.code === 'unreadable') setError(message);
    else setFilterError(message);
  }, []);

  /** An action failed (export, save): the view says so instead of the profile, as for a load failure. */
  const actionFailed = useCallback((err: unknown) => {
    if (err instanceof RpcError && err.code === 'disposed') return;
    setLoading(undefined);
    setError(err instanceof Error ? err.message : String(err));
  }, []);

  useEffect(() => {
    const off = host.on('loading', ({ message }) => setLoading(message));
    // The saved query goes with `ready`, so the first tree comes back with the summary.
    const s = initialState.current;
    const first = hasTree(s.view)
      ? {
          sampleType: s.sampleType,
          filter: s.filter,
          inverted: s.view === 'icicle',
          normalize: s.normalize,
        }
      : undefined;
    host.request('ready', first ? { first } : {}).then((r) => {
      if (r.first?.tree)
        storeTree(
          treeKeyOf(
            queryKeyOf(r.first.params.query, r.first.params.normalize),
            r.first.params.inverted,
          ),
          r.first.tree,
        );
      else if (r.first?.error !== undefined) setFilterError(r.first.error);
      setSummary(r.summary);
      setError(undefined);
      setLoading(undefined);
    }, actionFailed);
    return off;
  }, [storeTree, actionFailed]);

  // Ask for what the current view shows, unless we have it.
  const view = state.view;
  const inverted = view === 'icicle';
  const treeKey = treeKeyOf(queryKey, inverted);
  // A pruned tree leaves out frames too narrow to see from the root; zoomed far in they would
  // show, so the zoomed node's subtree is asked for again in full detail (`refineKey`).
  const zoomPath = view === 'flame' || view === 'icicle' ? state.focus[view] : NO_ZOOM;
  const baseTree = trees.find((t) => t.key === treeKey);
  const zoomTrees = useMemo(
    () => trees.filter((t) => t.key.startsWith(`${treeKey}|`)),
    [trees, treeKey],
  );
  const zoomPick = useMemo(
    () => (baseTree ? pickTreeForZoom([baseTree, ...zoomTrees], zoomPath) : undefined),
    [baseTree, zoomTrees, zoomPath],
  );
  const refineKey =
    zoomPick?.refine && zoomPath.length > 0 ? `${treeKey}|${JSON.stringify(zoomPath)}` : undefined;
  const treeData = zoomPick?.tree ?? baseTree;
  const sandwichKey = state.selectedFunc ? `${queryKey}|${JSON.stringify(state.selectedFunc)}` : '';
  useEffect(() => {
    if (!summary || error) return;
    const ask = <T>(key: string, answer: Promise<T>, use: (r: T) => void) => {
      pending.current.add(key);
      answer.then(
        (r) => {
          pending.current.delete(key);
          use(r);
        },
        (err) => {
          pending.current.delete(key);
          queryFailed(err);
        },
      );
    };
    if (hasTree(view) && !treeData && !pending.current.has(treeKey)) {
      setLoading('Building the call tree…');
      ask(
        treeKey,
        host.request('tree', { query, inverted, normalize: state.normalize, focusPath: [] }),
        (r) => storeTree(treeKey, r),
      );
    } else if (
      refineKey &&
      !trees.some((t) => t.key === refineKey) &&
      !pending.current.has(refineKey)
    ) {
      ask(
        refineKey,
        host.request('tree', { query, inverted, normalize: state.normalize, focusPath: zoomPath }),
        (r) => storeTree(refineKey, r),
      );
    } else if (view === 'top' && top?.key !== queryKey && !pending.current.has(queryKey)) {
      setLoading('Computing the top table…');
      ask(queryKey, host.request('top', { query, normalize: state.normalize }), (table) => {
        setTop({ key: queryKey, table });
        setFilterError(undefined);
        setLoading(undefined);
      });
    } else if (
      view === 'sandwich' &&
      state.selectedFunc &&
      sandwich?.key !== sandwichKey &&
      !pending.current.has(sandwichKey)
    ) {
      setLoading('Finding callers and callees…');
      const fn = state.selectedFunc;
      ask(sandwichKey, host.request('sandwich', { query, fn }), (data) => {
        setSandwich({ key: sandwichKey, fn, data });
        setLoading(undefined);
      });
    }
    // The keys say what is asked; each branch asks only for what is neither here nor pending, so
    // a run with nothing new to ask does nothing.
  }, [
    summary,
    error,
    view,
    inverted,
    query,
    state.normalize,
    state.selectedFunc,
    zoomPath,
    treeKey,
    treeData,
    refineKey,
    trees,
    queryKey,
    top,
    sandwichKey,
    sandwich,
    storeTree,
    queryFailed,
  ]);

  // Editor annotations follow what this view shows.
  // Once per query content (queryKey): `query` is a new object whenever the filter object is, even
  // when equal, and each run is a request to the host.
  useEffect(() => {
    if (summary)
      host.request('activeQuery', { query, normalize: state.normalize }).catch(actionFailed);
    // oxlint-disable-next-line react-hooks/exhaustive-deps -- keyed by queryKey (the query's content), see above
  }, [summary, queryKey]);

  return {
    summary,
    sampleType,
    query,
    queryKey,
    trees,
    treeKey,
    treeData,
    zoomPath,
    /** The zoomed subtree is being asked for in full detail. */
    refining: refineKey !== undefined && !trees.some((t) => t.key === refineKey),
    top: top?.key === queryKey ? top : undefined,
    sandwich: sandwich && sandwich.key === sandwichKey ? sandwich : undefined,
    loading,
    error,
    filterError,
    setFilterError,
    actionFailed,
  };
}
