// The Captures view's model, without VS Code: every file in the captures folder
// (`<slug>/<kind>-<YYYYMMDD-HHMMSS>[-partial].<ext>` with a `.json` CaptureMeta beside it, see
// src/core/collect/capture-name.ts), grouped target → kind → time, what each tree item says,
// and which capture a new one is compared with by default. The folder is the only state, so the
// view survives restarts and shows files other windows saved.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureKind, CaptureMeta } from '../../core/collect/capture-name';
import { formatBytes, formatMs } from '../../core/format/units';

/** Kinds that open in the profile view (pprof protobuf); the rest are traces and text dumps. */
export const PROFILE_KINDS: readonly CaptureKind[] = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'mutex',
  'block',
  'threadcreate',
  'custom',
];

export function isProfileKind(kind: string): boolean {
  return (PROFILE_KINDS as readonly string[]).includes(kind);
}

const KIND_ORDER: readonly CaptureKind[] = [...PROFILE_KINDS, 'trace', 'goroutine-dump'];

const KIND_TITLES: Record<CaptureKind, string> = {
  cpu: 'CPU profiles',
  heap: 'Heap profiles',
  allocs: 'Allocations profiles',
  goroutine: 'Goroutine profiles',
  mutex: 'Mutex profiles',
  block: 'Block profiles',
  threadcreate: 'Thread creation profiles',
  trace: 'Execution traces',
  'goroutine-dump': 'Goroutine dumps',
  custom: 'Other profiles',
};

export function kindTitle(kind: string): string {
  return KIND_TITLES[kind as CaptureKind] ?? `${kind} captures`;
}

/** One saved capture. */
export interface CaptureEntry {
  /** Absolute path of the capture file. */
  path: string;
  /** File name inside its target folder. */
  name: string;
  /** The target folder's name (the target's slug, or `go-test_<package>` for profiled tests). */
  slug: string;
  kind: CaptureKind;
  /** `YYYYMMDD-HHMMSS` from the name (local time): sorts as time does. */
  stamp: string;
  /** When it was taken: the sidecar's `startedAt`, else the name's local time. */
  time: Date;
  partial: boolean;
  bytes: number;
  meta?: CaptureMeta;
}

// The extensions captureFileName gives (not `.json`: that is a sidecar).
const NAME = /^([a-z-]+)-(\d{8}-\d{6})(-partial)?\.(pb\.gz|trace|txt)$/;

/** Kind, time stamp and completeness from a capture's file name; undefined for any other file. */
export function parseCaptureName(
  name: string,
): { kind: CaptureKind; stamp: string; partial: boolean } | undefined {
  const m = NAME.exec(name);
  if (!m || !(m[1] in KIND_TITLES)) return undefined;
  return { kind: m[1] as CaptureKind, stamp: m[2], partial: m[3] !== undefined };
}

/** The local time a `YYYYMMDD-HHMMSS` stamp names. */
export function stampTime(stamp: string): Date {
  const n = (a: number, b: number) => Number(stamp.slice(a, b));
  return new Date(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15));
}

function parseMeta(text: string): CaptureMeta | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && typeof (v as CaptureMeta).kind === 'string'
      ? (v as CaptureMeta)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every capture under `root` (one folder level per target). A missing root is an empty list;
 * files that are not captures (sidecars, a user's notes) are skipped; an unreadable sidecar
 * leaves `meta` undefined rather than hiding the capture.
 */
export async function scanCaptures(root: string): Promise<CaptureEntry[]> {
  let dirs: string[];
  try {
    dirs = (await readdir(root, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  const out: CaptureEntry[] = [];
  await Promise.all(
    dirs.map(async (slug) => {
      let names: string[];
      try {
        names = await readdir(join(root, slug));
      } catch {
        return;
      }
      const present = new Set(names);
      await Promise.all(
        names.map(async (name) => {
          const parsed = parseCaptureName(name);
          if (!parsed) return;
          const path = join(root, slug, name);
          let bytes = 0;
          try {
            const st = await stat(path);
            if (!st.isFile()) return;
            bytes = st.size;
          } catch {
            return; // deleted while we looked
          }
          const meta = present.has(name + '.json')
            ? parseMeta(await readFile(path + '.json', 'utf8').catch(() => ''))
            : undefined;
          const fromMeta = meta?.startedAt ? new Date(meta.startedAt) : undefined;
          const time =
            fromMeta && !Number.isNaN(fromMeta.getTime()) ? fromMeta : stampTime(parsed.stamp);
          out.push({
            path,
            name,
            slug,
            kind: parsed.kind,
            stamp: parsed.stamp,
            time,
            partial: parsed.partial,
            bytes,
            meta,
          });
        }),
      );
    }),
  );
  return sortEntries(out);
}

/** Target, then kind (in KIND_ORDER), then newest first. */
export function sortEntries(entries: CaptureEntry[]): CaptureEntry[] {
  return entries.sort(
    (a, b) =>
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      b.time.getTime() - a.time.getTime() ||
      (a.name < b.name ? 1 : a.name > b.name ? -1 : 0),
  );
}

export type CaptureNode =
  | { type: 'target'; slug: string; label: string; entries: CaptureEntry[] }
  | { type: 'kind'; slug: string; kind: CaptureKind; entries: CaptureEntry[] }
  | { type: 'capture'; entry: CaptureEntry };

/** The top level: one node per target folder, labelled with the target's name from a sidecar. */
export function targetNodes(entries: CaptureEntry[]): CaptureNode[] {
  const bySlug = new Map<string, CaptureEntry[]>();
  for (const e of entries) {
    let list = bySlug.get(e.slug);
    if (!list) bySlug.set(e.slug, (list = []));
    list.push(e);
  }
  return [...bySlug].map(([slug, list]) => ({
    type: 'target',
    slug,
    label: list.find((e) => e.meta?.targetLabel)?.meta?.targetLabel ?? slug,
    entries: list,
  }));
}

export function childNodes(node: CaptureNode): CaptureNode[] {
  if (node.type === 'capture') return [];
  if (node.type === 'kind') return node.entries.map((entry) => ({ type: 'capture', entry }));
  const byKind = new Map<CaptureKind, CaptureEntry[]>();
  for (const e of node.entries) {
    let list = byKind.get(e.kind);
    if (!list) byKind.set(e.kind, (list = []));
    list.push(e);
  }
  return [...byKind].map(([kind, list]) => ({
    type: 'kind',
    slug: node.slug,
    kind,
    entries: list,
  }));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-21 23:15:00` in local time. */
export function timeLabel(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const ICONS: Record<CaptureKind, string> = {
  cpu: 'flame',
  heap: 'database',
  allocs: 'symbol-array',
  goroutine: 'list-tree',
  mutex: 'lock',
  block: 'debug-pause',
  threadcreate: 'server-process',
  trace: 'pulse',
  'goroutine-dump': 'output',
  custom: 'graph',
};

/** What a tree item shows. `contextValue` drives the context menu (package.json `viewItem`). */
export interface CaptureItem {
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  icon: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  contextValue: string;
}

export function describeNode(node: CaptureNode): CaptureItem {
  switch (node.type) {
    case 'target': {
      const url = node.entries.find((e) => e.meta?.target)?.meta?.target;
      return {
        id: `target:${node.slug}`,
        label: node.label,
        description: `${node.entries.length} capture${node.entries.length === 1 ? '' : 's'}`,
        tooltip: url ? `${node.label}\n${url}` : node.label,
        icon: node.slug.startsWith('go-test_') ? 'beaker' : 'server',
        collapsible: 'expanded',
        contextValue: 'captureTarget',
      };
    }
    case 'kind':
      return {
        id: `kind:${node.slug}/${node.kind}`,
        label: kindTitle(node.kind),
        description: String(node.entries.length),
        tooltip: `${node.entries.length} ${kindTitle(node.kind).toLowerCase()}, newest first`,
        icon: ICONS[node.kind],
        collapsible: 'expanded',
        contextValue: 'captureKind',
      };
    case 'capture': {
      const e = node.entry;
      const parts = [formatBytes(e.bytes)];
      if (e.meta?.seconds) parts.unshift(formatMs(e.meta.seconds * 1000));
      if (e.partial || e.meta?.complete === false) parts.push('incomplete');
      const tip = [
        e.name,
        e.meta?.url,
        e.meta?.error ? `incomplete: ${e.meta.error}` : undefined,
        e.path,
      ].filter((x) => x);
      return {
        id: `capture:${e.slug}/${e.name}`,
        label: timeLabel(e.time),
        description: parts.join(' · '),
        tooltip: tip.join('\n'),
        icon: ICONS[e.kind],
        collapsible: 'none',
        // "captureProfile" items can be compared; the others only opened, revealed and deleted.
        contextValue: isProfileKind(e.kind) ? 'captureProfile' : 'capture',
      };
    }
  }
}

/**
 * The capture a new one is compared with by default: the newest capture of the same kind and
 * target taken before it (by time, then by name). Undefined when it is the first of its kind.
 */
export function defaultBase(
  entries: readonly CaptureEntry[],
  current: CaptureEntry,
): CaptureEntry | undefined {
  let best: CaptureEntry | undefined;
  const before = (a: CaptureEntry, b: CaptureEntry) =>
    a.time.getTime() < b.time.getTime() ||
    (a.time.getTime() === b.time.getTime() && a.name < b.name);
  for (const e of entries) {
    if (e.path === current.path || e.slug !== current.slug || e.kind !== current.kind) continue;
    if (!before(e, current)) continue;
    if (!best || before(best, e)) best = e;
  }
  return best;
}

/** The entry for a file path, if it is a capture in the list. */
export function entryOf(entries: readonly CaptureEntry[], path: string): CaptureEntry | undefined {
  return entries.find((e) => e.path === path);
}

/**
 * Captures a file could be compared with, best first: the default base, then other captures of
 * the same kind (same target first, newest first). `current` may be a file outside the folder
 * (then kind and target are unknown and every profile capture is offered, newest first).
 */
export function baseCandidates(
  entries: readonly CaptureEntry[],
  currentPath: string,
): CaptureEntry[] {
  const current = entryOf(entries, currentPath);
  const others = entries.filter((e) => e.path !== currentPath && isProfileKind(e.kind));
  if (!current) return [...others].sort((a, b) => b.time.getTime() - a.time.getTime());
  const first = defaultBase(entries, current);
  const rank = (e: CaptureEntry) =>
    e === first
      ? 0
      : e.kind === current.kind && e.slug === current.slug
        ? 1
        : e.kind === current.kind
          ? 2
          : 3;
  return others
    .filter((e) => e.kind === current.kind)
    .sort((a, b) => rank(a) - rank(b) || b.time.getTime() - a.time.getTime());
}
