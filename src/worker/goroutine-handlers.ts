// The parse worker's goroutine methods (see ./goroutine-protocol). Snapshots and their grouped
// views live here, off the extension host's event loop: grouping or filtering 100k goroutines
// takes tens of milliseconds that the host would otherwise spend blocked.
import { readFile } from 'node:fs/promises';
import {
  exploreSnapshot,
  filterView,
  goroutineSummaries,
  goroutineTable,
  groupSummary,
  summariseDump,
  type ExplorerOptions,
  type ExplorerView,
} from '../core/goroutines/explorer';
import { snapshotFromFrames } from '../core/goroutines/from-frames';
import type { GoroutineSnapshot } from '../core/goroutines/model';
import { defaultDumpIndex, summarizeDumps } from '../core/goroutines/dumps';
import { parseGoroutineDumps } from '../core/goroutines/parse';
import { goroutineAt } from '../core/goroutines/view';
import { summariseLeakSites } from '../core/goroutines/leak';
import { gunzip } from '../node/inflate';
import {
  STALE_GOROUTINE_HANDLE,
  type GoroutineWorkerMethods,
  type LoadedGoroutines,
} from './goroutine-protocol';

interface Held {
  snapshot: GoroutineSnapshot;
  /** Recent views by key, oldest first. */
  views: Map<string, ExplorerView>;
}

/**
 * Views kept per snapshot. Typing a filter makes a new view per keystroke; the tree asks for
 * pages of the newest few, so six is plenty and bounds memory (a view of 100k goroutines holds
 * its row lists, about 1 MB).
 */
const MAX_VIEWS = 6;

const held = new Map<number, Held>();
let nextHandle = 1;

function get(handle: number): Held {
  const h = held.get(handle);
  if (!h) {
    const e = new Error(`goroutine snapshot ${handle} is no longer loaded`);
    e.name = STALE_GOROUTINE_HANDLE;
    throw e;
  }
  return h;
}

/** Keeps a snapshot built elsewhere in the worker (a core read through Delve) under a new handle. */
export function keepSnapshot(snapshot: GoroutineSnapshot): LoadedGoroutines {
  return keep(snapshot);
}

const releaseListeners: ((handle: number) => void)[] = [];

/** Calls `listener` when the host releases a snapshot (a core's Delve ends then). */
export function onSnapshotReleased(listener: (handle: number) => void): void {
  releaseListeners.push(listener);
}

function keep(snapshot: GoroutineSnapshot): LoadedGoroutines {
  const handle = nextHandle++;
  held.set(handle, { snapshot, views: new Map() });
  return { handle, summary: summariseDump(snapshot) };
}

function viewOf(
  handle: number,
  baseline: number | undefined,
  options: ExplorerOptions,
): { h: Held; view: ExplorerView; base: GoroutineSnapshot | undefined } {
  const h = get(handle);
  const base = baseline !== undefined ? get(baseline).snapshot : undefined;
  const cached = (key: string, make: () => ExplorerView): ExplorerView => {
    let view = h.views.get(key);
    if (view) {
      // Most recently used last.
      h.views.delete(key);
    } else {
      view = make();
      if (h.views.size >= MAX_VIEWS) h.views.delete(h.views.keys().next().value!);
    }
    h.views.set(key, view);
    return view;
  };
  // Grouping is the expensive part (~300 ms for 100k goroutines); a filter narrows a cached
  // grouping in one pass, so typing in the filter box does not regroup.
  const groupedKey = JSON.stringify([
    baseline ?? 0,
    options.similarity,
    options.hideSystem,
    '',
    options.onlyLeaked === true,
  ]);
  const grouped = cached(groupedKey, () =>
    exploreSnapshot(h.snapshot, { ...options, filter: '' }, base),
  );
  if (options.filter === '') return { h, view: grouped, base };
  const key = JSON.stringify([
    baseline ?? 0,
    options.similarity,
    options.hideSystem,
    options.filter,
    options.onlyLeaked === true,
  ]);
  return {
    h,
    view: cached(key, () => filterView(h.snapshot, grouped, options.filter, base)),
    base,
  };
}

type Handlers = {
  [M in keyof GoroutineWorkerMethods]: (
    params: GoroutineWorkerMethods[M]['params'],
  ) => Promise<GoroutineWorkerMethods[M]['result']> | GoroutineWorkerMethods[M]['result'];
};

export const goroutineHandlers: Handlers = {
  async loadGoroutineDump(params) {
    const input = params.text ?? params.bytes ?? new Uint8Array(await readFile(params.path ?? ''));
    const dumps = parseGoroutineDumps(input, { inflate: gunzip });
    const dump =
      params.dump !== undefined && params.dump >= 0 && params.dump < dumps.length
        ? params.dump
        : defaultDumpIndex(dumps);
    const loaded = keep(dumps[dump].snapshot);
    return dumps.length > 1 ? { ...loaded, dumps: summarizeDumps(dumps), dump } : loaded;
  },
  loadDebuggerGoroutines(params) {
    return keep(snapshotFromFrames(params.goroutines, { modules: params.modules }));
  },
  goroutineGroups(params) {
    const { h, view, base } = viewOf(params.handle, params.baseline, params.options);
    const end = Math.min(view.entries.length, params.offset + params.limit);
    const groups = [];
    for (let i = params.offset; i < end; i++) groups.push(groupSummary(h.snapshot, view, i, base));
    return {
      groupCount: view.entries.length,
      totalGoroutines: view.totalGoroutines,
      hiddenSystem: view.hiddenSystem,
      matchedGoroutines: view.matchedGoroutines,
      comparison: view.comparison,
      groups,
    };
  },
  goroutinePage(params) {
    const { h, view } = viewOf(params.handle, params.baseline, params.options);
    if (params.group >= view.entries.length)
      throw new RangeError(`group ${params.group} out of range`);
    return goroutineSummaries(h.snapshot, view, params.group, params.offset, params.limit);
  },
  goroutineDetail(params) {
    const { snapshot } = get(params.handle);
    if (params.row >= snapshot.goroutines.count)
      throw new RangeError(`row ${params.row} out of range`);
    return goroutineAt(snapshot, params.row);
  },
  goroutineTable(params) {
    const { h, view } = viewOf(params.handle, params.baseline, { ...params.options, filter: '' });
    return goroutineTable(h.snapshot, view);
  },
  goroutineLeakSites(params) {
    return summariseLeakSites(get(params.handle).snapshot);
  },
  releaseGoroutines(params) {
    held.delete(params.handle);
    for (const l of releaseListeners) l(params.handle);
  },
};
