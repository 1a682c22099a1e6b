// The parse worker's pprof methods; see profile-protocol.ts.
import { gzipSync } from 'node:zlib';
import { sandwichOf } from '../core/flame/sandwich';
import { diffTreeForView } from '../core/flame/diff-tree';
import { foldedFromTree } from '../core/flame/folded-tree';
import { fitTreeToView } from '../core/flame/view-tree';
import { encodeProfile } from '../core/pprof/encode';
import { readProfileBytes } from '../core/perf/read-any';
import { readProfileFile } from '../node/profile-file';
import { symbolizeProfile } from '../node/addr2line';
import { diffTopOf, profileKind } from '../core/pprof/diff';
import { listLabels } from '../core/pprof/filter';
import { indexProfile, type ProfileIndex } from '../core/pprof/profile-index';
import { fileCostsOf, lineCallsOf, matchRecordedFile } from '../core/pprof/source-costs';
import { topTableOf } from '../core/pprof/top';
import { gunzip } from '../node/inflate';
import type { Profile } from '../core/pprof/model';
import { ProfileQueryCache } from './profile-cache';
import type { LoadedProfile, ProfileWorkerMethods } from './profile-protocol';

interface Loaded {
  index: ProfileIndex;
  /** Source files the profile names, for matching a local path. */
  files: string[];
  /** Compiled filters and recent query results. */
  queries: ProfileQueryCache;
}

const loaded = new Map<number, Loaded>();
let nextHandle = 1;

function get(handle: number): Loaded {
  const l = loaded.get(handle);
  if (!l) throw new Error(`Go Lens: profile ${handle} is no longer loaded; reopen it.`);
  return l;
}

/**
 * Indexes a decoded profile and keeps it under a new handle. Other worker methods that make a
 * profile (the CPU samples of a trace range) call this, so every profile view works on it.
 */
export function keepProfile(profile: Profile): LoadedProfile {
  const index = indexProfile(profile);
  const handle = nextHandle++;
  const files = [...new Set(profile.functions.filename)].filter((f) => f !== '');
  loaded.set(handle, { index, files, queries: new ProfileQueryCache(index) });
  const n = profile.sampleTypes.length;
  const totals = new Array<number>(n).fill(0);
  for (let s = 0; s < profile.samples.count; s++)
    for (let t = 0; t < n; t++) totals[t] += profile.samples.values[s * n + t];
  let hasLines = false;
  for (let f = 0; f < profile.frames.count && !hasLines; f++) hasLines = profile.frames.line[f] > 0;
  return {
    handle,
    sampleTypes: profile.sampleTypes,
    defaultSampleType: profile.defaultSampleType,
    totals,
    sampleCount: profile.samples.count,
    durationNanos: profile.durationNanos,
    timeNanos: profile.timeNanos,
    comments: profile.comments,
    kind: profileKind(profile),
    periodType: profile.periodType,
    labels: listLabels(profile),
    hasLines,
  };
}

type Handlers = {
  [M in keyof ProfileWorkerMethods]: (
    params: ProfileWorkerMethods[M]['params'],
    progress: (message: string, fraction?: number) => void,
  ) => Promise<ProfileWorkerMethods[M]['result']> | ProfileWorkerMethods[M]['result'];
};

export const profileHandlers: Handlers = {
  async loadProfile(params, progress) {
    progress('reading');
    // Any format Go Lens reads (pprof, perf script, folded, perf.data via perf script); text is
    // streamed from the file, and pprof is inflated before decoding with no reference kept to the
    // compressed bytes (about 0.1 GB less peak on a 1M-sample profile).
    const read = params.bytes
      ? readProfileBytes(params.bytes, gunzip)
      : await readProfileFile(params.path ?? '', {
          onProgress: progress,
          perf: params.perf,
          perfUnavailable: params.perfUnavailable,
          go: params.go,
        });
    let profile = read.profile;
    if (params.binary) {
      progress('symbolizing');
      profile = await symbolizeProfile(profile, params.binary, params.goCommand);
    }
    progress('indexing');
    return { ...keepProfile(profile), format: read.format, warnings: read.warnings };
  },
  profilePprof(params) {
    return gzipSync(encodeProfile(get(params.handle).index.profile));
  },
  profileTree(params) {
    const l = get(params.handle);
    const q = l.queries.query(params.query);
    if (params.base) {
      const diff = l.queries.diffTree(
        get(params.base.handle).queries,
        q,
        params.base.normalize,
        params.inverted === true,
      );
      const view = diffTreeForView(diff, params.maxNodes, params.focusPath);
      return {
        tree: view.tree,
        prunedBelow: view.prunedBelow,
        focusPath: view.focusPath,
        diff: { base: view.base, current: view.current, scale: diff.scale },
      };
    }
    const { tree, prunedBelow, focusPath } = fitTreeToView(
      l.queries.tree(q, params.inverted === true),
      params.maxNodes,
      [],
      params.focusPath,
    );
    return { tree, prunedBelow, focusPath };
  },
  profileTop(params) {
    const l = get(params.handle);
    const q = l.queries.query(params.query);
    if (params.base)
      return diffTopOf(
        ...l.queries.diffEvaluations(get(params.base.handle).queries, q, params.base.normalize),
      );
    return topTableOf(l.queries.evaluation(q));
  },
  profileSandwich(params) {
    const l = get(params.handle);
    const s = sandwichOf(l.queries.evaluation(l.queries.query(params.query)), params.fn);
    return {
      ...s,
      callers: fitTreeToView(s.callers, params.maxNodes).tree,
      callees: fitTreeToView(s.callees, params.maxNodes).tree,
    };
  },
  profileFileCosts(params) {
    const l = get(params.handle);
    const recorded = matchRecordedFile(l.files, params.localPath);
    return recorded === undefined
      ? undefined
      : fileCostsOf(l.queries.evaluation(l.queries.query(params.query)), recorded);
  },
  profileLineCalls(params) {
    const l = get(params.handle);
    return lineCallsOf(
      l.queries.evaluation(l.queries.query(params.query)),
      params.file,
      params.line,
    );
  },
  profileFolded(params) {
    const l = get(params.handle);
    const q = l.queries.query(params.query);
    const tree = params.base
      ? l.queries.diffTree(get(params.base.handle).queries, q, params.base.normalize, false)
      : l.queries.tree(q, false);
    return foldedFromTree(tree, params.base !== undefined);
  },
  release(params) {
    loaded.delete(params.handle);
  },
};
