// A query (sample type + filter) evaluated on a profile index: for every distinct stack, the value
// it contributes and the location-trie node where that value lands; for every trie node, the
// total of the stacks through it; and, when the filter edits stacks, which locations keep which
// frames and which trie nodes are left out. Every view (trees, top, sandwich, line costs) reads
// this instead of the samples.
//
// pprof applies its options in this order (internal/driver: fetch, then applyFocus), each stage
// seeing the frames the previous ones left: drop_frames (Profile.Prune; our pruneRuntime runs
// here too), then focus/ignore/hide/show (FilterSamplesByName), show_from, tag filters, and
// prune_from. Location-level edits (which Lines a location keeps) are global in pprof, as here;
// path-level edits are computed top-down over the trie, because each depends only on the path
// from the root to a node, except prune_from's, which depends on the stack's leaf and is applied
// by moving the stack's value to the node where it is cut.
import {
  asCompiledFilter,
  compileGoRegExp,
  RUNTIME_FRAMES,
  simplifyFunctionName,
  tagMask,
  type CompiledFilter,
  type ProfileFilter,
} from './filter';
import { idsThroughChain, type ChainIdColumns, type ProfileIndex } from './profile-index';

/** What every view of a profile index is asked for: a sample type and a filter. */
export interface ProfileQuery {
  /** Index into `profile.sampleTypes` (see `findSampleType` for pprof's -sample_index names). */
  sampleType: number;
  /** What to keep; see ProfileFilter. A compiled filter is reused as is. */
  filter?: ProfileFilter | CompiledFilter;
}

/** A query evaluated; see the file comment. Internal to the views, exported for them. */
export interface Evaluation {
  readonly index: ProfileIndex;
  readonly sampleType: number;
  readonly filter: CompiledFilter;
  /** The factor sample values were multiplied by (and rounded, as pprof's -normalize does); 1 normally. */
  readonly scale: number;
  /** True when the filter edits stacks (the precomputed function tree no longer applies). */
  readonly structural: boolean;
  /** Per stack: its value for the sample type after tag filters and scaling. */
  readonly stackVal: Float64Array;
  /** Per stack: Σ|value| of its samples (`stackVal` itself when no value is negative). */
  readonly stackAbs: Float64Array;
  /**
   * Per stack: the trie node its value lands on, or -1 when the filters drop it. Null when the
   * filter edits no stacks: a stack then lands on its own node (`index.stackNode`), and a
   * dropped stack has value 0 (and `stackAbs` 0).
   */
  readonly effLeaf: Int32Array | null;
  /**
   * Per trie node: summed values / absolute values of the kept stacks through it, when the
   * filter edits stacks. Otherwise null, and `prefix`/`prefixAbs` give any node's total in two
   * reads: use `nodeTotalAt`/`nodeAbsAt`.
   */
  readonly nodeTotal: Float64Array | null;
  readonly nodeAbs: Float64Array | null;
  /** Σ stackVal (Σ stackAbs) over stacks 0..d-1, when the filter edits no stacks. */
  readonly prefix: Float64Array | null;
  readonly prefixAbs: Float64Array | null;
  /** How many stacks the filter keeps (all of them, even zero-valued ones, when nothing is filtered). */
  readonly keptStacks: number;
  /** Per trie node: 1 when its location stays on the stack (null: all do). */
  readonly visible: Uint8Array | null;
  /** Per trie node: the deepest visible node on its path (0: none); null: the node itself. */
  readonly lastVisible: Int32Array | null;
  /**
   * The kept frames of trie node n, outermost first: xframes `chainX[chainStart[n] ..
   * chainStart[n+1])` (none for a left-out node). The index's own chain when the filter edits
   * no stacks.
   */
  readonly chainStart: Uint32Array;
  readonly chainX: Int32Array;
  /** Sum of the kept stacks' values (the root's total). */
  readonly total: number;
  /** Per-chain-entry id columns of this evaluation's chain (when it is not the index's). Internal. */
  readonly chainIdColumns: ChainIdColumns;
}

const LOC_PRUNE = 1;
const LOC_BENEATH = 2;
const LOC_FOCUS = 4;
const LOC_IGNORE = 8;
const LOC_HIDDEN = 16;
const LOC_SHOW_FROM = 32;
const LOC_PRUNE_FROM = 64;

/** Rounds half away from zero, as Go's math.Round (pprof's ScaleN). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Checks that `t` is a sample type of the index's profile. */
export function checkSampleType(index: ProfileIndex, t: number): void {
  if (!(Number.isInteger(t) && t >= 0 && t < index.sampleTypeCount)) {
    const types = index.profile.sampleTypes.map((v) => v.type).join(', ');
    throw new RangeError(
      `sample type ${t} does not exist; the profile has ${index.sampleTypeCount} (${types})`,
    );
  }
}

/**
 * Evaluates a query on an index. Nothing is cached here: the worker keeps recent evaluations
 * (src/worker/profile-cache.ts), so a tree, the top table and line costs of one query pay once.
 * `scale` multiplies every sample value, rounded per sample as pprof's -normalize does.
 * Throws FilterError for an invalid filter and RangeError for a sample type the profile lacks.
 */
export function evaluate(index: ProfileIndex, query: ProfileQuery, scale = 1): Evaluation {
  checkSampleType(index, query.sampleType);
  return compute(index, query.sampleType, asCompiledFilter(query.filter), scale);
}

/** Per-string regexp results, computed on first use. */
class MatchCache {
  private readonly names: Int8Array;
  private readonly files: Int8Array;
  private readonly maps: Int8Array;
  /** The text an anchored literal regexp (`^main\.work$`, what a click on a function gives) matches. */
  private readonly literal: string | undefined;
  constructor(
    private readonly index: ProfileIndex,
    private readonly re: RegExp,
  ) {
    this.names = new Int8Array(index.names.length).fill(-1);
    this.files = new Int8Array(index.files.length).fill(-1);
    this.maps = new Int8Array(index.profile.mappings.count).fill(-1);
    const m =
      re.flags === ''
        ? /^\^((?:[^\\^$.|?*+()[\]{}]|\\[\\^$.|?*+()[\]{}/-])*)\$$/.exec(re.source)
        : null;
    // Comparing strings is several times cheaper than running a regexp over 50,000 names.
    this.literal = m ? m[1].replace(/\\(.)/g, '$1') : undefined;
  }
  private test(s: string): boolean {
    return this.literal !== undefined ? s === this.literal : this.re.test(s);
  }
  /** pprof: `re.MatchString(fn.Name) || re.MatchString(fn.Filename)`. */
  key(k: number): boolean {
    const n = this.index.funcNameId[k];
    let r = this.names[n];
    if (r < 0) r = this.names[n] = this.test(this.index.names[n]) ? 1 : 0;
    if (r) return true;
    const f = this.index.funcFileId[k];
    let q = this.files[f];
    if (q < 0) q = this.files[f] = this.test(this.index.files[f]) ? 1 : 0;
    return q === 1;
  }
  /** pprof's matchesMapping: the location's mapping file matches. */
  mapping(loc: number): boolean {
    const m = this.index.profile.locations.mapping[loc];
    return m >= 0 && this.mappingFile(m);
  }
  /** Mapping m's file matches. */
  mappingFile(m: number): boolean {
    let r = this.maps[m];
    if (r < 0) r = this.maps[m] = this.re.test(this.index.profile.mappings.filename[m]) ? 1 : 0;
    return r === 1;
  }
}

/** A test of simplified function names (pprof's Prune and PruneFrom), cached per name. */
class SimpleNameCache {
  private readonly names: Int8Array;
  constructor(
    private readonly index: ProfileIndex,
    private readonly test: (simple: string) => boolean,
  ) {
    this.names = new Int8Array(index.names.length).fill(-1);
  }
  key(k: number): boolean {
    const n = this.index.funcNameId[k];
    let r = this.names[n];
    if (r < 0) r = this.names[n] = this.test(simplifyFunctionName(this.index.names[n])) ? 1 : 0;
    return r === 1;
  }
}

/** The total of the kept stacks through trie node n. */
export function nodeTotalAt(ev: Evaluation, n: number): number {
  if (ev.nodeTotal) return ev.nodeTotal[n];
  const nss = ev.index.nodeStackStart;
  return ev.prefix![nss[n + ev.index.nodeSize[n]]] - ev.prefix![nss[n]];
}

/** Σ|value| of the kept stacks through trie node n (0: no kept stack passes there). */
export function nodeAbsAt(ev: Evaluation, n: number): number {
  if (ev.nodeAbs) return ev.nodeAbs[n];
  const nss = ev.index.nodeStackStart;
  return ev.prefixAbs![nss[n + ev.index.nodeSize[n]]] - ev.prefixAbs![nss[n]];
}

function compute(
  index: ProfileIndex,
  t: number,
  filter: CompiledFilter,
  scale: number,
): Evaluation {
  const profile = index.profile;
  const nTypes = index.sampleTypeCount;
  const D = index.stackCount;

  // Stack values: a view of the index's column when nothing selects samples or scales values,
  // else from the samples (pprof scales, and rounds, sample by sample). Views are copied before
  // anything writes to them.
  const signed = index.hasNegative || scale < 0;
  const mask = tagMask(profile, filter.tagFocus, filter.tagIgnore);
  let stackVal: Float64Array;
  let stackAbs: Float64Array;
  let fromIndex = false;
  if (!mask && scale === 1) {
    stackVal = index.stackValues.subarray(t * D, (t + 1) * D);
    stackAbs = index.hasNegative ? index.stackAbs.subarray(t * D, (t + 1) * D) : stackVal;
    fromIndex = true;
  } else {
    stackVal = new Float64Array(D);
    stackAbs = signed ? new Float64Array(D) : stackVal;
    const vals = profile.samples.values;
    const ss = index.sampleStack;
    for (let s = 0; s < ss.length; s++) {
      if (mask && mask[s] === 0) continue;
      const v0 = vals[s * nTypes + t];
      const v = scale === 1 ? v0 : roundHalfAway(v0 * scale);
      stackVal[ss[s]] += v;
      if (signed) stackAbs[ss[s]] += Math.abs(v);
    }
  }

  // pprof applies the profile's own drop_frames to every report (RemoveUninteresting).
  let dropFrames: RegExp | null = null;
  let keepFrames: RegExp | null = null;
  if (profile.dropFrames !== '') {
    try {
      dropFrames = compileGoRegExp(`^(?:${profile.dropFrames})$`);
      if (profile.keepFrames !== '') keepFrames = compileGoRegExp(`^(?:${profile.keepFrames})$`);
    } catch {
      // pprof ignores a drop_frames it cannot compile (the error of RemoveUninteresting is dropped).
      dropFrames = keepFrames = null;
    }
  }
  let pruneTest =
    filter.pruneRuntime || dropFrames
      ? (simple: string): boolean =>
          (filter.pruneRuntime && RUNTIME_FRAMES.test(simple)) ||
          (dropFrames !== null &&
            dropFrames.test(simple) &&
            !(keepFrames && keepFrames.test(simple)))
      : null;
  // Edits that match no frame change nothing: leave them out, so that e.g. pruneRuntime on a
  // profile without runtime frames keeps the fast paths.
  const anyKey = (test: (k: number) => boolean): boolean => {
    for (let k = 0; k < index.funcCount; k++) if (index.funcHasFunction[k] && test(k)) return true;
    return false;
  };
  if (pruneTest) {
    const names = new SimpleNameCache(index, pruneTest);
    if (!anyKey((k) => index.funcName[k] !== '' && names.key(k))) pruneTest = null;
  }
  let hide = filter.hide;
  if (hide) {
    const m = new MatchCache(index, hide);
    let any = anyKey((k) => m.key(k));
    for (let mi = 0; mi < profile.mappings.count && !any; mi++) any = m.mappingFile(mi);
    if (!any) hide = null;
  }
  let pruneFrom = filter.pruneFrom;
  if (pruneFrom) {
    const re = pruneFrom;
    const names = new SimpleNameCache(index, (s) => re.test(s));
    if (!anyKey((k) => index.funcName[k] !== '' && names.key(k))) pruneFrom = null;
  }
  const structural =
    pruneTest !== null ||
    hide !== null ||
    filter.show !== null ||
    filter.showFrom !== null ||
    pruneFrom !== null;
  if (!structural) return selectStacks(index, t, filter, scale, stackVal, stackAbs, fromIndex);
  return editStacks(index, t, { ...filter, hide, pruneFrom }, scale, stackVal, stackAbs, pruneTest);
}

/**
 * A filter that edits stacks: which frames each location keeps, which trie nodes stay on the
 * stacks, where each stack's value lands, and dense node totals. (It reads the stack values and
 * never writes them, so they may be views of the index's columns.)
 */
function editStacks(
  index: ProfileIndex,
  t: number,
  filter: CompiledFilter,
  scale: number,
  stackVal: Float64Array,
  stackAbs: Float64Array,
  pruneTest: ((simple: string) => boolean) | null,
): Evaluation {
  const profile = index.profile;
  const D = index.stackCount;
  const N = index.nodeCount;
  const signed = stackAbs !== stackVal;
  const nLoc = profile.locations.count;
  const lfs = index.locFrameStart;
  const locFlags = new Uint8Array(nLoc);
  const focus = filter.focus ? new MatchCache(index, filter.focus) : null;
  const ignore = filter.ignore ? new MatchCache(index, filter.ignore) : null;

  // Location-level edits, stage by stage on a scratch list of the location's xframes.
  const keptStart = new Uint32Array(nLoc + 1);
  const kept = new Int32Array(lfs[nLoc]);
  {
    const hide = filter.hide ? new MatchCache(index, filter.hide) : null;
    const show = filter.show ? new MatchCache(index, filter.show) : null;
    const showFrom = filter.showFrom ? new MatchCache(index, filter.showFrom) : null;
    const pruneFromRe = filter.pruneFrom;
    const pruneFrom = pruneFromRe ? new SimpleNameCache(index, (s) => pruneFromRe.test(s)) : null;
    const prune = pruneTest ? new SimpleNameCache(index, pruneTest) : null;
    const xf = index.xFunc;
    const hasFn = index.xHasFunction;
    const named = (x: number): boolean => hasFn[x] === 1 && index.funcName[xf[x]] !== '';
    let maxLines = 1;
    for (let l = 0; l < nLoc; l++) maxLines = Math.max(maxLines, lfs[l + 1] - lfs[l]);
    let lines = new Int32Array(maxLines);
    let tmp = new Int32Array(maxLines);
    let nk = 0;
    for (let l = 0; l < nLoc; l++) {
      keptStart[l] = nk;
      // A location without Lines has no frames for pprof's filters; its pseudo-frame (its
      // address) is what trees show for it when it stays.
      const pseudo = profile.locations.frameCount[l] === 0;
      let len = 0;
      if (!pseudo) for (let x = lfs[l]; x < lfs[l + 1]; x++) lines[len++] = x;
      let flags = 0;
      if (prune) {
        let i = len - 1;
        while (i >= 0 && !(named(lines[i]) && prune.key(xf[lines[i]]))) i--;
        if (i >= 0) {
          flags |= LOC_BENEATH;
          if (i === len - 1) flags |= LOC_PRUNE;
          else {
            // Keep the callers outside the match (Line[i+1:]).
            for (let k = i + 1; k < len; k++) lines[k - i - 1] = lines[k];
            len -= i + 1;
          }
        }
      }
      const matches = (m: MatchCache): boolean => {
        for (let k = 0; k < len; k++) if (hasFn[lines[k]] && m.key(xf[lines[k]])) return true;
        return m.mapping(l);
      };
      if (ignore && matches(ignore)) flags |= LOC_IGNORE;
      else if (!focus || matches(focus)) flags |= LOC_FOCUS;
      let emptied = false;
      if (hide && matches(hide)) {
        if (hide.mapping(l)) len = 0;
        else {
          let k2 = 0;
          for (let k = 0; k < len; k++)
            if (!(hasFn[lines[k]] && hide.key(xf[lines[k]]))) tmp[k2++] = lines[k];
          [lines, tmp] = [tmp, lines];
          len = k2;
        }
        emptied = len === 0;
      }
      if (show) {
        if (!show.mapping(l)) {
          let k2 = 0;
          for (let k = 0; k < len; k++)
            if (!hasFn[lines[k]] || show.key(xf[lines[k]])) tmp[k2++] = lines[k];
          [lines, tmp] = [tmp, lines];
          len = k2;
        }
        emptied = len === 0;
      }
      if (emptied) flags |= LOC_HIDDEN;
      if (showFrom && !emptied) {
        if (showFrom.mapping(l)) flags |= LOC_SHOW_FROM;
        else {
          let i = len - 1;
          while (i >= 0 && !(hasFn[lines[i]] && showFrom.key(xf[lines[i]]))) i--;
          if (i >= 0) {
            flags |= LOC_SHOW_FROM;
            len = i + 1;
          }
        }
      }
      if (pruneFrom && !emptied) {
        let i = 0;
        while (i < len && !(named(lines[i]) && pruneFrom.key(xf[lines[i]]))) i++;
        if (i < len) {
          flags |= LOC_PRUNE_FROM;
          for (let k = i; k < len; k++) lines[k - i] = lines[k];
          len -= i;
        }
      }
      locFlags[l] = flags;
      if (pseudo) {
        if (!emptied) kept[nk++] = lfs[l];
      } else for (let k = 0; k < len; k++) kept[nk++] = lines[k];
    }
    keptStart[nLoc] = nk;
  }

  // Path-level state, top-down over the trie (parents precede children in pre-order).
  const parent = index.nodeParent;
  const nodeLoc = index.nodeLoc;
  const nameFilter = focus !== null || ignore !== null;
  const pathFlags = nameFilter ? new Uint8Array(N) : null;
  const visible = new Uint8Array(N);
  const lastVisible = new Int32Array(N);
  const anyVisible = new Uint8Array(N);
  let cutTo: Int32Array | null = null;
  let showSeen: Uint8Array | null = null;
  let pruneFromAt: Int32Array | null = null;
  {
    if (pruneTest) cutTo = new Int32Array(N);
    if (filter.showFrom) showSeen = new Uint8Array(N);
    if (filter.pruneFrom) {
      pruneFromAt = new Int32Array(N);
      pruneFromAt[0] = -1;
    }
    // Prune's scan from the root: 0 before the first frame it keeps ("user" frame), 1 after,
    // 2 cut (the stack ends at cutTo).
    const pstate = pruneTest ? new Uint8Array(N) : null;
    for (let n = 1; n < N; n++) {
      const p = parent[n];
      const f = locFlags[nodeLoc[n]];
      if (pstate && cutTo) {
        const ps = pstate[p];
        if (ps === 2) {
          pstate[n] = 2;
          cutTo[n] = cutTo[p];
        } else if (ps === 0) {
          pstate[n] = f & (LOC_PRUNE | LOC_BENEATH) ? 0 : 1;
          cutTo[n] = n;
        } else if (f & LOC_PRUNE) {
          pstate[n] = 2;
          cutTo[n] = p;
        } else if (f & LOC_BENEATH) {
          pstate[n] = 2;
          cutTo[n] = n;
        } else {
          pstate[n] = 1;
          cutTo[n] = n;
        }
      }
      if (pathFlags) pathFlags[n] = pathFlags[p] | (f & (LOC_FOCUS | LOC_IGNORE));
      const shown = (f & LOC_HIDDEN) === 0;
      anyVisible[n] = anyVisible[p] | (shown ? 1 : 0);
      let vis = shown;
      if (showSeen) {
        showSeen[n] = showSeen[p] | (shown && f & LOC_SHOW_FROM ? 1 : 0);
        vis = vis && showSeen[n] === 1;
      }
      visible[n] = vis ? 1 : 0;
      lastVisible[n] = vis ? n : lastVisible[p];
      if (pruneFromAt) pruneFromAt[n] = vis && f & LOC_PRUNE_FROM ? n : pruneFromAt[p];
    }
  }

  // Where each stack's value lands, or -1.
  const effLeaf = new Int32Array(D);
  const stackNode = index.stackNode;
  // pprof's FilterSamplesByName drops samples without locations (we keep them, in the root,
  // only when nothing is filtered, so an unfiltered tree matches buildCallTree's).
  for (let d = 0; d < D; d++) {
    let x = stackNode[d];
    if (stackAbs[d] === 0 || x === 0) {
      effLeaf[d] = -1;
      continue;
    }
    if (cutTo) x = cutTo[x];
    if (pathFlags) {
      const f = pathFlags[x];
      if (f & LOC_IGNORE || !(f & LOC_FOCUS)) {
        effLeaf[d] = -1;
        continue;
      }
    }
    if (!anyVisible[x]) {
      effLeaf[d] = -1;
      continue;
    }
    if (showSeen && !showSeen[x]) {
      effLeaf[d] = -1;
      continue;
    }
    if (pruneFromAt && pruneFromAt[x] >= 0) x = pruneFromAt[x];
    effLeaf[d] = x;
  }

  const nodeTotal = new Float64Array(N);
  let nodeAbs = nodeTotal;
  if (signed) nodeAbs = new Float64Array(N);
  let total = 0;
  for (let d = 0; d < D; d++) {
    const x = effLeaf[d];
    if (x < 0) continue;
    const v = stackVal[d];
    nodeTotal[x] += v;
    if (signed) nodeAbs[x] += stackAbs[d];
    total += v;
  }
  for (let n = N - 1; n > 0; n--) nodeTotal[parent[n]] += nodeTotal[n];
  if (signed) for (let n = N - 1; n > 0; n--) nodeAbs[parent[n]] += nodeAbs[n];

  let keptStacks = 0;
  for (let d = 0; d < D; d++) if (effLeaf[d] >= 0) keptStacks++;
  // The kept frames of each visible node, outermost first, in trie order.
  const chainStart = new Uint32Array(N + 1);
  for (let n = 1; n < N; n++) {
    const l = nodeLoc[n];
    chainStart[n + 1] = chainStart[n] + (visible[n] ? keptStart[l + 1] - keptStart[l] : 0);
  }
  const chainX = new Int32Array(chainStart[N]);
  for (let n = 1; n < N; n++) {
    if (!visible[n]) continue;
    const l = nodeLoc[n];
    let e = chainStart[n];
    for (let k = keptStart[l + 1] - 1; k >= keptStart[l]; k--) chainX[e++] = kept[k];
  }
  return {
    index,
    sampleType: t,
    filter,
    scale,
    structural: true,
    stackVal,
    stackAbs,
    effLeaf,
    nodeTotal,
    nodeAbs,
    prefix: null,
    prefixAbs: null,
    keptStacks,
    visible,
    lastVisible,
    chainStart,
    chainX,
    total,
    chainIdColumns: {},
  };
}

/**
 * A filter that only selects stacks (focus, ignore, tags, or none): the dropped stacks' values
 * zeroed, and prefix sums for node totals. focus/ignore are found from the matching functions'
 * locations, their trie nodes and those nodes' stack ranges, instead of a pass over the trie.
 */
function selectStacks(
  index: ProfileIndex,
  t: number,
  filter: CompiledFilter,
  scale: number,
  stackValIn: Float64Array,
  stackAbsIn: Float64Array,
  fromIndex: boolean,
): Evaluation {
  const D = index.stackCount;
  if (fromIndex && filter.empty) {
    // Unfiltered: the index's own columns and prefix sums, no pass at all.
    const base = index.stackPrefix.subarray(t * (D + 1), (t + 1) * (D + 1));
    return {
      index,
      sampleType: t,
      filter,
      scale,
      structural: false,
      stackVal: stackValIn,
      stackAbs: stackAbsIn,
      effLeaf: null,
      nodeTotal: null,
      nodeAbs: null,
      prefix: base,
      prefixAbs: index.hasNegative
        ? index.stackPrefixAbs.subarray(t * (D + 1), (t + 1) * (D + 1))
        : base,
      keptStacks: D,
      visible: null,
      lastVisible: null,
      chainStart: index.chainStart,
      chainX: index.chainX,
      total: base[D],
      chainIdColumns: {},
    };
  }

  const nss = index.nodeStackStart;
  const size = index.nodeSize;
  const stackNode = index.stackNode;
  const focus = filter.focus ? new MatchCache(index, filter.focus) : null;
  const ignore = filter.ignore ? new MatchCache(index, filter.ignore) : null;
  const locIgnore = ignore ? matchingLocations(index, ignore) : null;
  const locFocus = focus ? matchingLocations(index, focus) : null;
  // Stack ranges (as +1/-1 at their ends) of the nodes at focused / ignored locations; a location
  // matching both counts as ignored.
  const ignored = locIgnore ? new Set(locIgnore) : null;
  const mark = (locs: number[]): Int32Array => {
    const diff = new Int32Array(D + 1);
    for (const l of locs) {
      if (ignored && locs !== locIgnore && ignored.has(l)) continue;
      for (let i = index.locNodeStart[l]; i < index.locNodeStart[l + 1]; i++) {
        const n = index.locNodes[i];
        diff[nss[n]]++;
        diff[nss[n + size[n]]]--;
      }
    }
    return diff;
  };
  const focusDiff = locFocus ? mark(locFocus) : null;
  const ignoreDiff = locIgnore ? mark(locIgnore) : null;
  const dropEmpty = !filter.empty;
  // Kept values are copied into fresh (zeroed) columns: the index's must not be written.
  const stackVal = fromIndex ? new Float64Array(D) : stackValIn;
  const stackAbs =
    stackAbsIn === stackValIn ? stackVal : fromIndex ? new Float64Array(D) : stackAbsIn;
  let f = 0;
  let g = 0;
  let kept = 0;
  let total = 0;
  const prefix = new Float64Array(D + 1);
  const prefixAbs = stackAbs === stackVal ? prefix : new Float64Array(D + 1);
  for (let d = 0; d < D; d++) {
    if (focusDiff) f += focusDiff[d];
    if (ignoreDiff) g += ignoreDiff[d];
    const keep = !((focusDiff && f === 0) || g > 0 || (dropEmpty && stackNode[d] === 0));
    if (fromIndex) {
      if (keep) {
        stackVal[d] = stackValIn[d];
        if (stackAbs !== stackVal) stackAbs[d] = stackAbsIn[d];
      }
    } else if (!keep) {
      stackVal[d] = 0;
      stackAbs[d] = 0;
    }
    if (stackAbs[d] !== 0) kept++;
    total += stackVal[d];
    prefix[d + 1] = prefix[d] + stackVal[d];
    if (prefixAbs !== prefix) prefixAbs[d + 1] = prefixAbs[d] + stackAbs[d];
  }
  return {
    index,
    sampleType: t,
    filter,
    scale,
    structural: false,
    stackVal,
    stackAbs,
    effLeaf: null,
    nodeTotal: null,
    nodeAbs: null,
    prefix,
    prefixAbs,
    keptStacks: kept,
    visible: null,
    lastVisible: null,
    chainStart: index.chainStart,
    chainX: index.chainX,
    total,
    chainIdColumns: {},
  };
}

/**
 * The locations pprof's matchesName accepts: one of their Lines' function name or file matches,
 * or their mapping's file does. Found from the matching function keys' locations.
 */
function matchingLocations(index: ProfileIndex, m: MatchCache): number[] {
  const nLoc = index.profile.locations.count;
  const seen = new Uint8Array(nLoc);
  const out: number[] = [];
  const add = (l: number) => {
    if (seen[l]) return;
    seen[l] = 1;
    out.push(l);
  };
  for (let k = 0; k < index.funcCount; k++) {
    if (index.keyLocStart[k] === index.keyLocStart[k + 1] || !m.key(k)) continue;
    for (let i = index.keyLocStart[k]; i < index.keyLocStart[k + 1]; i++) add(index.keyLocs[i]);
  }
  const maps = index.profile.mappings;
  for (let mi = 0; mi < maps.count; mi++) {
    if (!m.mappingFile(mi)) continue;
    const lm = index.profile.locations.mapping;
    for (let l = 0; l < nLoc; l++) if (lm[l] === mi) add(l);
  }
  return out;
}

/** An id per xframe, named so its per-chain-entry form can be kept. */
export interface IdMap {
  /** The column its per-chain-entry ids are kept in; none for a one-off map (e.g. one line's frames). */
  name?: keyof ChainIdColumns;
  idOf: Int32Array;
  count: number;
}

/** Function keys of frames. */
export function funcIdMap(index: ProfileIndex): IdMap {
  return { name: 'func', idOf: index.xFunc, count: index.funcCount };
}

/** pprof -top names of frames. */
export function topNameIdMap(index: ProfileIndex): IdMap {
  return { name: 'top', idOf: index.xTopName, count: index.topNames.length };
}

/** (file, line) ids of frames. */
export function lineIdMap(index: ProfileIndex): IdMap {
  return { name: 'line', idOf: index.xLineId, count: index.lineNo.length };
}

/** `map.idOf` read through the evaluation's chain: one id per chain entry. */
export function evalChainIds(ev: Evaluation, map: IdMap): Int32Array {
  if (map.name === undefined) return idsThroughChain(ev.chainX, map.idOf);
  // The index's chain has the same ids for every query: kept on the index, else on the evaluation.
  const columns = ev.chainX === ev.index.chainX ? ev.index.chainIdColumns : ev.chainIdColumns;
  return (columns[map.name] ??= idsThroughChain(ev.chainX, map.idOf));
}

/**
 * Sums per id over the evaluation's stacks, counting each stack once per id however often the id
 * occurs on it (pprof's "cum": recursion counted once), for several id maps in one walk: a
 * depth-first walk of the trie (pre-order, so leaving nodes is walking up from the previous node
 * to the next one's parent) with a count of the open occurrences of each id.
 */
export function cumulativeByIds(ev: Evaluation, maps: readonly IdMap[]): Float64Array[] {
  const index = ev.index;
  const N = index.nodeCount;
  const size = index.nodeSize;
  const parent = index.nodeParent;
  const cs = ev.chainStart;
  const dense = ev.nodeTotal !== null;
  const total = ev.nodeTotal ?? new Float64Array(0);
  const abs = ev.nodeAbs ?? new Float64Array(0);
  const P = ev.prefix ?? new Float64Array(0);
  const PA = ev.prefixAbs ?? new Float64Array(0);
  const nss = index.nodeStackStart;
  return maps.map((map) => {
    const ids = evalChainIds(ev, map);
    const cum = new Float64Array(map.count);
    const active = new Int32Array(map.count);
    let prev = 0;
    for (let n = 1; n < N; n++) {
      let v: number;
      if (dense) {
        if (abs[n] === 0) {
          // Nothing below has a value either: skip the subtree.
          n += size[n] - 1;
          continue;
        }
        v = total[n];
      } else {
        const lo = nss[n];
        const hi = nss[n + size[n]];
        if (PA[hi] === PA[lo]) {
          n += size[n] - 1;
          continue;
        }
        v = P[hi] - P[lo];
      }
      const p = parent[n];
      for (let m = prev; m !== p; m = parent[m]) {
        const e1 = cs[m + 1];
        for (let e = cs[m]; e < e1; e++) {
          const id = ids[e];
          if (id >= 0) active[id]--;
        }
      }
      const e1 = cs[n + 1];
      for (let e = cs[n]; e < e1; e++) {
        const id = ids[e];
        if (id >= 0 && active[id]++ === 0) cum[id] += v;
      }
      prev = n;
    }
    return cum;
  });
}

/**
 * Sums per id of the stacks' leaf frames (pprof's "flat"): each kept stack's value goes to the id
 * of the innermost kept frame of its deepest visible location.
 */
export function flatById(ev: Evaluation, map: IdMap): Float64Array {
  const index = ev.index;
  const flat = new Float64Array(map.count);
  const idOf = map.idOf;
  const D = index.stackCount;
  if (!ev.effLeaf) {
    const leafX = index.stackLeafX;
    for (let d = 0; d < D; d++) {
      if (ev.stackAbs[d] === 0) continue;
      const x = leafX[d];
      if (x < 0) continue;
      const id = idOf[x];
      if (id >= 0) flat[id] += ev.stackVal[d];
    }
    return flat;
  }
  const lastVisible = ev.lastVisible;
  const cs = ev.chainStart;
  const cx = ev.chainX;
  const effLeaf = ev.effLeaf;
  for (let d = 0; d < D; d++) {
    let x: number = effLeaf[d];
    if (x < 0) continue;
    if (lastVisible) x = lastVisible[x];
    if (x === 0 || cs[x] === cs[x + 1]) continue;
    const id = idOf[cx[cs[x + 1] - 1]];
    if (id >= 0) flat[id] += ev.stackVal[d];
  }
  return flat;
}
