// A deliberately plain reimplementation of what `go tool pprof` does to a profile before -top,
// with objects and strings, transcribed stage by stage from google/pprof (profile/prune.go,
// profile/filter.go, internal/driver/driver_focus.go, internal/graph/graph.go) — the oracle the
// fast index-based views are checked against on random profiles.
import { pprofAddressName } from '../../../src/core/pprof/folded';
import {
  compileGoRegExp,
  numLabelUnits,
  RUNTIME_FRAMES,
  simplifyFunctionName,
  type ProfileFilter,
} from '../../../src/core/pprof/filter';
import type { Profile } from '../../../src/core/pprof/model';

export interface RefLine {
  /** null: the Line has no Function. */
  fn: { name: string; file: string } | null;
  line: number;
}
export interface RefLocation {
  id: number;
  address: number;
  mappingFile: string | null;
  /** Innermost first. */
  lines: RefLine[];
}
export interface RefSample {
  /** Leaf first. */
  locs: RefLocation[];
  values: number[];
  strLabels: Map<string, string[]>;
  numLabels: Map<string, number[]>;
}
export interface RefProfile {
  samples: RefSample[];
  locations: RefLocation[];
  numUnits: Map<string, string>;
}

export function toRef(p: Profile): RefProfile {
  const locations: RefLocation[] = [];
  for (let l = 0; l < p.locations.count; l++) {
    const lines: RefLine[] = [];
    for (
      let f = p.locations.firstFrame[l];
      f < p.locations.firstFrame[l] + p.locations.frameCount[l];
      f++
    ) {
      const fn = p.frames.function[f];
      lines.push({
        fn: fn < 0 ? null : { name: p.functions.name[fn], file: p.functions.filename[fn] },
        line: p.frames.line[f],
      });
    }
    const m = p.locations.mapping[l];
    locations.push({
      id: l,
      address: p.locations.address[l],
      mappingFile: m < 0 ? null : p.mappings.filename[m],
      lines,
    });
  }
  const n = p.sampleTypes.length;
  const samples: RefSample[] = [];
  for (let s = 0; s < p.samples.count; s++) {
    const locs: RefLocation[] = [];
    for (let k = p.samples.stackStart[s]; k < p.samples.stackStart[s + 1]; k++)
      locs.push(locations[p.samples.stackLocations[k]]);
    const strLabels = new Map<string, string[]>();
    const numLabels = new Map<string, number[]>();
    for (let l = p.samples.labelStart[s]; l < p.samples.labelStart[s + 1]; l++) {
      const key = p.strings[p.samples.labelKey[l]];
      if (p.samples.labelStr[l] !== 0)
        strLabels.set(key, [...(strLabels.get(key) ?? []), p.strings[p.samples.labelStr[l]]]);
      else numLabels.set(key, [...(numLabels.get(key) ?? []), p.samples.labelNum[l]]);
    }
    samples.push({
      locs,
      values: [...p.samples.values.subarray(s * n, (s + 1) * n)],
      strLabels,
      numLabels,
    });
  }
  return { samples, locations, numUnits: numLabelUnits(p) };
}

/** Deep-copies locations so stages can edit Lines globally, as pprof edits its Location objects. */
function cloneAll(ref: RefProfile): RefProfile {
  const map = new Map<RefLocation, RefLocation>();
  const locations = ref.locations.map((l) => {
    const c = { ...l, lines: [...l.lines] };
    map.set(l, c);
    return c;
  });
  return {
    numUnits: ref.numUnits,
    locations,
    samples: ref.samples.map((s) => ({ ...s, locs: s.locs.map((l) => map.get(l)!) })),
  };
}

const matchesFn = (re: RegExp, fn: { name: string; file: string }): boolean =>
  re.test(fn.name) || re.test(fn.file);

/** Profile.Prune(dropRx, keepRx). */
function prune(ref: RefProfile, drop: (s: string) => boolean): void {
  const pruneSet = new Set<RefLocation>();
  const beneath = new Set<RefLocation>();
  for (const loc of ref.locations) {
    let i: number;
    for (i = loc.lines.length - 1; i >= 0; i--) {
      const fn = loc.lines[i].fn;
      if (fn && fn.name !== '' && drop(simplifyFunctionName(fn.name))) break;
    }
    if (i >= 0) {
      beneath.add(loc);
      if (i === loc.lines.length - 1) pruneSet.add(loc);
      else loc.lines = loc.lines.slice(i + 1);
    }
  }
  for (const s of ref.samples) {
    let foundUser = false;
    for (let i = s.locs.length - 1; i >= 0; i--) {
      const l = s.locs[i];
      if (!pruneSet.has(l) && !beneath.has(l)) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      if (pruneSet.has(l)) {
        s.locs = s.locs.slice(i + 1);
        break;
      }
      if (beneath.has(l)) {
        s.locs = s.locs.slice(i);
        break;
      }
    }
  }
}

function matchesName(loc: RefLocation, re: RegExp): boolean {
  for (const ln of loc.lines) if (ln.fn && matchesFn(re, ln.fn)) return true;
  return loc.mappingFile !== null && re.test(loc.mappingFile);
}

/** FilterSamplesByName. */
function filterByName(
  ref: RefProfile,
  focus: RegExp | null,
  ignore: RegExp | null,
  hide: RegExp | null,
  show: RegExp | null,
): void {
  const focusOrIgnore = new Map<RefLocation, boolean>();
  const hidden = new Set<RefLocation>();
  for (const l of ref.locations) {
    if (ignore && matchesName(l, ignore)) focusOrIgnore.set(l, false);
    else if (!focus || matchesName(l, focus)) focusOrIgnore.set(l, true);
    if (hide && matchesName(l, hide)) {
      l.lines =
        l.mappingFile !== null && hide.test(l.mappingFile)
          ? []
          : l.lines.filter((ln) => !(ln.fn && matchesFn(hide, ln.fn)));
      if (l.lines.length === 0) hidden.add(l);
    }
    if (show) {
      l.lines =
        l.mappingFile !== null && show.test(l.mappingFile)
          ? l.lines
          : l.lines.filter((ln) => !ln.fn || matchesFn(show, ln.fn));
      if (l.lines.length === 0) hidden.add(l);
    }
  }
  ref.samples = ref.samples.filter((s) => {
    let f = false;
    for (const l of s.locs) {
      const v = focusOrIgnore.get(l);
      if (v === false) return false;
      if (v === true) f = true;
    }
    if (!f) return false;
    if (hidden.size > 0) {
      s.locs = s.locs.filter((l) => !hidden.has(l));
      if (s.locs.length === 0) return false;
    }
    return true;
  });
}

/** ShowFrom. */
function showFrom(ref: RefProfile, re: RegExp): void {
  const matched = new Set<RefLocation>();
  for (const l of ref.locations) {
    if (l.mappingFile !== null && re.test(l.mappingFile)) {
      matched.add(l);
      continue;
    }
    for (let i = l.lines.length - 1; i >= 0; i--) {
      const fn = l.lines[i].fn;
      if (fn && matchesFn(re, fn)) {
        matched.add(l);
        l.lines = l.lines.slice(0, i + 1);
        break;
      }
    }
  }
  ref.samples = ref.samples.filter((s) => {
    for (let i = s.locs.length - 1; i >= 0; i--) {
      if (matched.has(s.locs[i])) {
        s.locs = s.locs.slice(0, i + 1);
        return true;
      }
    }
    return false;
  });
}

/** PruneFrom. */
function pruneFrom(ref: RefProfile, re: RegExp): void {
  const beneath = new Set<RefLocation>();
  for (const l of ref.locations) {
    for (let i = 0; i < l.lines.length; i++) {
      const fn = l.lines[i].fn;
      if (fn && fn.name !== '' && re.test(simplifyFunctionName(fn.name))) {
        beneath.add(l);
        l.lines = l.lines.slice(i);
        break;
      }
    }
  }
  for (const s of ref.samples) {
    const i = s.locs.findIndex((l) => beneath.has(l));
    if (i >= 0) s.locs = s.locs.slice(i);
  }
}

/** A tag expression as compileTagFilter reads it, for string labels only (numeric ranges are tested separately). */
function tagMatcher(expr: string): (s: RefSample) => boolean {
  const eq = expr.indexOf('=');
  const key = eq >= 0 ? expr.slice(0, eq) : undefined;
  const res = (eq >= 0 ? expr.slice(eq + 1) : expr).split(',').map((r) => compileGoRegExp(r));
  if (key === undefined) {
    return (s) =>
      res.every((re) => [...s.strLabels].some(([k, vs]) => vs.some((v) => re.test(k + ':' + v))));
  }
  return (s) => {
    const vs = s.strLabels.get(key);
    return vs !== undefined && res.some((re) => vs.some((v) => re.test(v)));
  };
}

/** The samples `go tool pprof` keeps, with their edited stacks, for a filter. */
export function refFilter(
  original: RefProfile,
  filter: ProfileFilter,
  dropFrames?: RegExp,
): RefSample[] {
  const ref = cloneAll(original);
  const re = (s: string | undefined): RegExp | null => (s ? compileGoRegExp(s) : null);
  if (filter.pruneRuntime || dropFrames)
    prune(
      ref,
      (s) =>
        (filter.pruneRuntime === true && RUNTIME_FRAMES.test(s)) ||
        (dropFrames !== undefined && dropFrames.test(s)),
    );
  const anything =
    Object.values(filter).some(
      (v) => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0),
    ) || dropFrames !== undefined;
  if (anything)
    filterByName(ref, re(filter.focus), re(filter.ignore), re(filter.hide), re(filter.show));
  if (filter.showFrom) showFrom(ref, compileGoRegExp(filter.showFrom));
  const tf = (filter.tagFocus ?? []).map(tagMatcher);
  const ti = (filter.tagIgnore ?? []).map(tagMatcher);
  ref.samples = ref.samples.filter((s) => tf.every((m) => m(s)) && !ti.some((m) => m(s)));
  if (filter.pruneFrom) pruneFrom(ref, compileGoRegExp(filter.pruneFrom));
  return ref.samples;
}

/** A frame as our trees name it: function name and file, or (no function) the location's address and mapping as pprof's -traces -addresses names it. */
export interface RefNode {
  name: string;
  file: string;
  line: number;
  topName: string;
  /** The frame's Line has a Function (is not named by its address). */
  hasFn: boolean;
}

/** The frames of a sample, root first (inlined callers before their callees). */
export function refFrames(s: RefSample): RefNode[] {
  const out: RefNode[] = [];
  for (const loc of s.locs) {
    const anon = loc.mappingFile ? `[${loc.mappingFile.split('/').pop()}]` : '<unknown>';
    if (loc.lines.length === 0) {
      out.push({
        name: pprofAddressName(loc.address, loc.mappingFile ?? ''),
        file: '',
        line: 0,
        topName: anon,
        hasFn: false,
      });
      continue;
    }
    for (const ln of loc.lines) {
      out.push({
        name: ln.fn ? ln.fn.name : pprofAddressName(loc.address, loc.mappingFile ?? ''),
        file: ln.fn ? ln.fn.file : '',
        line: ln.line,
        topName: ln.fn && ln.fn.name !== '' ? ln.fn.name : anon,
        hasFn: ln.fn !== null,
      });
    }
  }
  return out.reverse();
}

/** pprof -top: flat to the leaf frame's name, cum once per sample per name; rows with both 0 dropped. */
export function refTop(
  samples: RefSample[],
  t: number,
): Map<string, { flat: number; cum: number }> {
  const rows = new Map<string, { flat: number; cum: number }>();
  const row = (n: string) => {
    let r = rows.get(n);
    if (!r) rows.set(n, (r = { flat: 0, cum: 0 }));
    return r;
  };
  for (const s of samples) {
    const v = s.values[t];
    if (v === 0) continue;
    const frames = refFrames(s);
    if (frames.length === 0) continue;
    for (const name of new Set(frames.map((f) => f.topName))) row(name).cum += v;
    row(frames[frames.length - 1].topName).flat += v;
  }
  for (const [k, r] of rows) if (r.flat === 0 && r.cum === 0) rows.delete(k);
  return rows;
}

/** A tree as nested plain data, children in (name, file) order; lines picked as buildCallTree does. */
export interface Nested {
  name: string;
  file: string;
  line: number;
  total: number;
  self: number;
  children: Nested[];
}

export function refTree(
  samples: RefSample[],
  t: number,
  inverted: boolean,
  keepEmpty: boolean,
): Nested {
  const paths: { frames: RefNode[]; v: number }[] = [];
  for (const s of samples) {
    const v = s.values[t];
    if (v === 0) continue;
    const frames = refFrames(s);
    if (frames.length === 0 && !keepEmpty) continue;
    if (inverted) frames.reverse();
    paths.push({ frames, v });
  }
  return treeFromPaths(paths);
}

/** The tree of root-first frame paths, each with its value (its last frame gets the self value). */
export function treeFromPaths(
  paths: { frames: Pick<RefNode, 'name' | 'file' | 'line'>[]; v: number }[],
): Nested {
  interface RNode {
    name: string;
    file: string;
    total: number;
    self: number;
    lines: Map<number, number>;
    children: Map<string, RNode>;
  }
  const mk = (name: string, file: string): RNode => ({
    name,
    file,
    total: 0,
    self: 0,
    lines: new Map(),
    children: new Map(),
  });
  const root = mk('', '');
  for (const { frames, v } of paths) {
    root.total += v;
    let node = root;
    for (const f of frames) {
      const key = f.name + '\0' + f.file;
      let c = node.children.get(key);
      if (!c) node.children.set(key, (c = mk(f.name, f.file)));
      c.total += v;
      const line = f.line > 0 && f.line <= 0x7fffffff ? f.line : 0;
      c.lines.set(line, (c.lines.get(line) ?? 0) + v);
      node = c;
    }
    node.self += v;
  }
  const out = (r: RNode): Nested => {
    let line = 0;
    let best = -Infinity;
    for (const [l, v] of r.lines) if (v > best || (v === best && l < line)) [line, best] = [l, v];
    const kids = [...r.children.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
    );
    return {
      name: r.name,
      file: r.file,
      line,
      total: r.total,
      self: r.self,
      children: kids.map(out),
    };
  };
  return out(root);
}

/** Per (file, line): flat (leaf frame on the line) and cum (once per sample per line). */
export function refLines(
  samples: RefSample[],
  t: number,
): Map<string, { flat: number; cum: number }> {
  const rows = new Map<string, { flat: number; cum: number }>();
  for (const s of samples) {
    const v = s.values[t];
    if (v === 0) continue;
    const frames = refFrames(s).filter((f) => f.file !== '' && f.hasFn);
    const all = refFrames(s);
    for (const key of new Set(frames.map((f) => `${f.file}:${f.line > 0 ? f.line : 0}`))) {
      if (!rows.has(key)) rows.set(key, { flat: 0, cum: 0 });
      rows.get(key)!.cum += v;
    }
    const leaf = all[all.length - 1];
    if (leaf && leaf.file !== '' && leaf.hasFn) {
      const key = `${leaf.file}:${leaf.line > 0 ? leaf.line : 0}`;
      if (!rows.has(key)) rows.set(key, { flat: 0, cum: 0 });
      rows.get(key)!.flat += v;
    }
  }
  for (const [k, r] of rows) if (r.flat === 0 && r.cum === 0) rows.delete(k);
  return rows;
}

/** The sandwich of the functions named `name` (and in `file`, when given), as sandwich.ts documents it. */
export function refSandwich(
  samples: RefSample[],
  t: number,
  name: string,
  file?: string,
): { callers: Nested; callees: Nested; flat: number; cum: number } {
  const isF = (f: RefNode) => f.hasFn && f.name === name && (file === undefined || f.file === file);
  const callers: { frames: RefNode[]; v: number }[] = [];
  const callees: { frames: RefNode[]; v: number }[] = [];
  let flat = 0;
  let cum = 0;
  for (const s of samples) {
    const v = s.values[t];
    if (v === 0) continue;
    const frames = refFrames(s);
    const first = frames.findIndex(isF);
    if (first < 0) continue;
    let last = frames.length - 1;
    while (!isF(frames[last])) last--;
    cum += v;
    if (last === frames.length - 1) flat += v;
    callees.push({ frames: frames.slice(first), v });
    callers.push({ frames: frames.slice(0, last + 1).reverse(), v });
  }
  return { callers: treeFromPaths(callers), callees: treeFromPaths(callees), flat, cum };
}

/** Callers and callees of one (file, line): functions next to a frame on it, once per sample per function. */
export function refLineCalls(
  samples: RefSample[],
  t: number,
  file: string,
  line: number,
): { callers: Map<string, number>; callees: Map<string, number>; flat: number; cum: number } {
  const callers = new Map<string, number>();
  const callees = new Map<string, number>();
  let flat = 0;
  let cum = 0;
  const on = (f: RefNode) => f.hasFn && f.file === file && (f.line > 0 ? f.line : 0) === line;
  for (const s of samples) {
    const v = s.values[t];
    if (v === 0) continue;
    const frames = refFrames(s);
    if (!frames.some(on)) continue;
    cum += v;
    if (on(frames[frames.length - 1])) flat += v;
    const cr = new Set<string>();
    const ce = new Set<string>();
    frames.forEach((f, i) => {
      if (!on(f)) return;
      if (i > 0) cr.add(frames[i - 1].name + '\0' + frames[i - 1].file);
      if (i + 1 < frames.length) ce.add(frames[i + 1].name + '\0' + frames[i + 1].file);
    });
    for (const k of cr) callers.set(k, (callers.get(k) ?? 0) + v);
    for (const k of ce) callees.set(k, (callees.get(k) ?? 0) + v);
  }
  for (const m of [callers, callees]) for (const [k, v] of m) if (v === 0) m.delete(k);
  return { callers, callees, flat, cum };
}
