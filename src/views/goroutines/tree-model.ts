// The goroutine explorer's tree, without VS Code: which nodes exist (group → goroutines →
// frames, in pages), what each one says, and how it asks the parse worker for them. The
// TreeDataProvider (./tree-provider) only turns ItemDescriptions into TreeItems, so this file
// is what the unit tests drive.
//
// Nothing here holds the snapshot: nodes are fetched a page at a time from the worker, so a
// dump of 100k goroutines in one group costs 200 tree items until the user asks for more.
import {
  labelText,
  shortFuncName,
  type DumpSummary,
  type ExplorerOptions,
  type FrameRef,
  type GoroutineSummary,
  type GoroutineTableData,
  type GroupSummary,
} from '../../core/goroutines/explorer';
import type { FrameView, GoroutineView } from '../../core/goroutines/view';
import type { SourceLocation } from '../../protocol/source';
import {
  STALE_GOROUTINE_HANDLE,
  type GoroutineGroupPage,
  type GoroutineWorkerMethods,
  type LoadedGoroutines,
} from '../../worker/goroutine-protocol';

/** The worker requests the tree needs (ParseWorkerClient fits; tests pass an in-process one). */
export interface ExplorerBackend {
  request<M extends keyof GoroutineWorkerMethods>(
    method: M,
    params: GoroutineWorkerMethods[M]['params'],
  ): Promise<GoroutineWorkerMethods[M]['result']>;
}

/** Where a snapshot came from. */
export type SnapshotSource =
  | { kind: 'target'; label: string; baseUrl: string; path: string }
  | { kind: 'file'; path: string; name: string }
  | { kind: 'clipboard' }
  | { kind: 'debug'; sessionId: string; sessionName: string; listed: number; capped: boolean }
  | { kind: 'core'; executable: string; core: string; name: string };

/** A snapshot the explorer holds (its data lives in the worker under `handle`). */
export interface HeldSnapshot {
  handle: number;
  summary: DumpSummary;
  source: SnapshotSource;
  takenAt: Date;
  /** Loads the same snapshot again (after the worker restarted and lost it). */
  reload(): Promise<LoadedGoroutines>;
}

export type ExplorerNode =
  | HeadlineNode
  | WarningsNode
  | NoteNode
  | GroupNode
  | GoroutineNode
  | FrameNode
  | MoreNode
  | EmptyNode;

/** The crash the dump records: `panic: …`, `fatal error: …`. */
export interface HeadlineNode {
  kind: 'headline';
  text: string;
  detail: string[];
}

/** Parser warnings (a truncated dump, skipped text). */
export interface WarningsNode {
  kind: 'warnings';
  summary: DumpSummary;
}

/** Something to know about the source, e.g. that the debugger's list is capped. */
export interface NoteNode {
  kind: 'note';
  id: string;
  text: string;
  tooltip: string;
  /** Command the row runs (shows the full explanation). */
  command?: { command: string; arguments: unknown[] };
}

export interface GroupNode {
  kind: 'group';
  group: GroupSummary;
  /** The snapshot version the node belongs to: stale nodes are never expanded against a newer one. */
  version: number;
  /** Goroutine rows fetched so far (pages of `pageSize`). */
  loaded: GoroutineNode[];
}

export interface GoroutineNode {
  kind: 'goroutine';
  parent: GroupNode;
  goroutine: GoroutineSummary;
}

export interface FrameNode {
  kind: 'frame';
  parent: GoroutineNode;
  frame: FrameView;
  /** Position in the stack, innermost 0; -1 for the `created by` frame. */
  index: number;
  goroutineId: number;
}

/** "Show N more": the next page of a group's goroutines, or of the groups. */
export interface MoreNode {
  kind: 'more';
  parent: GroupNode | undefined;
  remaining: number;
  version: number;
}

/** Nothing matches the filter. */
export interface EmptyNode {
  kind: 'empty';
  text: string;
}

/** A codicon id and an optional theme colour id. */
export interface IconRef {
  id: string;
  color?: string;
}

/** What a node shows: a TreeItem without VS Code types. */
export interface ItemDescription {
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: IconRef;
  collapsible: 'none' | 'collapsed' | 'expanded';
  contextValue?: string;
  command?: { command: string; title: string; arguments: unknown[] };
  /** Screen-reader text: the whole row in words. */
  accessibilityLabel: string;
}

/** Tree rows fetched per page. 200 rows render instantly; 100k would freeze the tree for seconds. */
export const PAGE_SIZE = 200;

export const COMMANDS = {
  openFrame: 'goLens.goroutines.openFrame',
  showMore: 'goLens.goroutines.showMore',
  showWarnings: 'goLens.goroutines.showWarnings',
  showHeadline: 'goLens.goroutines.showHeadline',
} as const;

/** 10:41:03 (24-hour, local time): compact and unambiguous in a tree row. */
export function clockTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** 53-bit string hash (cyrb53): short, stable tree ids from long stack signatures. */
export function hashId(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function where(f: FrameRef | FrameView): string {
  return f.file ? `${baseName(f.file)}${f.line > 0 ? `:${f.line}` : ''}` : '';
}

/** Reused: `toLocaleString` builds a formatter per call, and a tree page formats hundreds. */
const NUMBER = new Intl.NumberFormat('en-US');
const num = (n: number) => NUMBER.format(n);

function plural(n: number, one: string, many = one + 's'): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** `1 min`, `3–12 min`, '' when nobody waited a minute (the runtime prints nothing below that). */
export function waitText(w: { min: number; max: number }): string {
  if (w.max === 0) return '';
  return w.min === w.max ? `${w.min} min` : `${w.min}–${w.max} min`;
}

/** `chan receive`, `chan receive (6), select (2)`. */
export function statesText(states: { state: string; count: number }[]): string {
  const known = states.filter((s) => s.state !== '');
  if (known.length === 0) return '';
  if (known.length === 1) return known[0].state;
  const shown = known.slice(0, 3).map((s) => `${s.state} (${s.count})`);
  return known.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** The compare badge: `+120 since 10:41:03`, `new since …`, `−3 since …`, `gone since …`. */
export function changeText(group: GroupSummary, since: string): string {
  const c = group.change;
  if (!c) return '';
  switch (c.kind) {
    case 'new':
      return `new (+${c.delta}) since ${since}`;
    case 'grew':
      return `+${c.delta} since ${since}`;
    case 'shrank':
      return `−${-c.delta} since ${since}`;
    case 'vanished':
      return `gone (was ${c.before}) since ${since}`;
    case 'unchanged':
      return `unchanged since ${since}`;
  }
}

function groupIcon(g: GroupSummary, debug: boolean): IconRef {
  switch (g.change?.kind) {
    case 'new':
      return { id: 'diff-added', color: 'charts.red' };
    case 'grew':
      return { id: 'arrow-circle-up', color: 'charts.red' };
    case 'shrank':
      return { id: 'arrow-circle-down', color: 'charts.green' };
    case 'vanished':
      return { id: 'circle-slash', color: 'disabledForeground' };
  }
  const f = g.flags;
  // In a crash dump "current" is where it crashed; in a debug session, where it stopped.
  if (f.includes('current'))
    return debug
      ? { id: 'debug-stackframe', color: 'debugIcon.pauseForeground' }
      : { id: 'error', color: 'errorForeground' };
  if (f.includes('leaked')) return { id: 'warning', color: 'list.warningForeground' };
  if (f.includes('running')) return { id: 'play', color: 'charts.green' };
  if (f.includes('runnable')) return { id: 'debug-start' };
  if (f.includes('syscall')) return { id: 'server-process' };
  if (f.includes('long-wait')) return { id: 'watch', color: 'charts.orange' };
  if (f.includes('locked-to-thread')) return { id: 'lock' };
  if (g.system) return { id: 'gear' };
  return { id: 'debug-pause' };
}

function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function codeBlock(lines: string[]): string {
  const fence = lines.some((l) => l.includes('```')) ? '~~~~' : '```';
  return `${fence}text\n${lines.join('\n')}\n${fence}`;
}

const FLAG_WORDS: Record<string, string> = {
  current: 'the goroutine the crash happened on (in a debug session: the one it stopped on)',
  running: 'running',
  runnable: 'runnable (waiting for a CPU)',
  syscall: 'in a system call',
  'long-wait': 'waiting 10 minutes or more',
  'locked-to-thread': 'locked to its OS thread',
  'stack-unavailable': 'stack unavailable',
  leaked: 'leaked (the runtime found it unreachable)',
  truncated: 'traceback cut short',
};

/**
 * The explorer's tree: holds the current snapshot (and the baseline it is compared with), the
 * options, and the group nodes of the current view. `version` changes whenever what the tree
 * shows changes as a whole (new snapshot, options); the provider then refreshes everything.
 */
export class GoroutineTreeModel {
  current: HeldSnapshot | undefined;
  baseline: HeldSnapshot | undefined;
  options: ExplorerOptions = { similarity: 'exact', hideSystem: true, filter: '' };
  version = 0;
  /** Totals of the current view (set by the first `roots()` of a version). */
  page: GoroutineGroupPage | undefined;
  private groups: GroupNode[] = [];
  private rootMore: MoreNode | undefined;
  private rootsFor = -1;
  private generation: number;

  constructor(
    private readonly backend: ExplorerBackend,
    /** The worker's restart counter: when it changes, held snapshots are loaded again. */
    private readonly workerGeneration: () => number = () => 0,
    readonly pageSize = PAGE_SIZE,
  ) {
    this.generation = workerGeneration();
  }

  /** Shows `snapshot`; the previous current one is returned (the caller decides whether to keep it). */
  setCurrent(snapshot: HeldSnapshot | undefined): HeldSnapshot | undefined {
    const old = this.current;
    this.current = snapshot;
    this.invalidate();
    return old;
  }

  setBaseline(snapshot: HeldSnapshot | undefined): void {
    this.baseline = snapshot;
    this.invalidate();
  }

  setOptions(patch: Partial<ExplorerOptions>): void {
    this.options = { ...this.options, ...patch };
    this.invalidate();
  }

  invalidate(): void {
    this.version++;
    this.groups = [];
    this.rootMore = undefined;
    this.page = undefined;
    this.rootsFor = -1;
  }

  /** Reloads held snapshots when the worker restarted since they were loaded. */
  private async fresh(): Promise<void> {
    const gen = this.workerGeneration();
    if (gen === this.generation) return;
    this.generation = gen;
    for (const s of [this.current, this.baseline]) {
      if (!s) continue;
      const again = await s.reload();
      s.handle = again.handle;
      s.summary = again.summary;
    }
  }

  private async request<M extends keyof GoroutineWorkerMethods>(
    method: M,
    params: () => GoroutineWorkerMethods[M]['params'],
  ): Promise<GoroutineWorkerMethods[M]['result']> {
    await this.fresh();
    try {
      return await this.backend.request(method, params());
    } catch (e) {
      if (!(e instanceof Error) || e.name !== STALE_GOROUTINE_HANDLE) throw e;
      // The worker lost the snapshot (restarted between the check and the request): once more.
      this.generation = -1;
      await this.fresh();
      return this.backend.request(method, params());
    }
  }

  private viewKey() {
    return {
      handle: this.current!.handle,
      ...(this.baseline ? { baseline: this.baseline.handle } : {}),
      options: this.options,
    };
  }

  /** Top-level nodes: the crash headline, warnings and notes, then the first page of groups. */
  async roots(): Promise<ExplorerNode[]> {
    const current = this.current;
    if (!current) return [];
    const version = this.version;
    if (this.rootsFor !== version) {
      const page = await this.request('goroutineGroups', () => ({
        ...this.viewKey(),
        offset: 0,
        limit: this.pageSize,
      }));
      if (version !== this.version) return this.roots();
      this.page = page;
      this.groups = page.groups.map((group) => ({ kind: 'group', group, version, loaded: [] }));
      this.rootMore =
        page.groupCount > this.groups.length
          ? {
              kind: 'more',
              parent: undefined,
              remaining: page.groupCount - this.groups.length,
              version,
            }
          : undefined;
      this.rootsFor = version;
    }
    const out: ExplorerNode[] = [];
    const s = current.summary;
    if (s.headline) out.push({ kind: 'headline', text: s.headline, detail: s.headerDetail });
    if (s.warningCount > 0) out.push({ kind: 'warnings', summary: s });
    if (current.source.kind === 'debug' && current.source.capped) {
      out.push({
        kind: 'note',
        id: 'note:capped',
        text: `Delve listed only ${num(current.source.listed)} goroutines: there may be more`,
        tooltip: DELVE_CAP_EXPLANATION,
        command: { command: 'goLens.goroutines.explainDebugCap', arguments: [] },
      });
    }
    if (this.options.onlyLeaked) {
      const leaked = s.leakedGoroutines ?? 0;
      out.push({
        kind: 'note',
        id: 'note:leaked',
        text: `Leaked goroutines only: ${num(leaked)} of ${num(s.totalGoroutines)} (show all)`,
        tooltip:
          'The runtime marked these goroutines leaked: they are blocked on a channel, mutex or cond that no running goroutine can reach, so nothing can ever wake them. Click to show every goroutine of the snapshot.',
        command: { command: 'goLens.goroutines.showAllGoroutines', arguments: [] },
      });
    }
    if (this.groups.length === 0) {
      out.push({
        kind: 'empty',
        text: this.options.filter
          ? `No goroutine matches "${this.options.filter}"`
          : this.options.onlyLeaked
            ? 'No leaked goroutines: the GC found every blocked goroutine reachable'
            : this.options.hideSystem
              ? 'Only runtime goroutines (hidden)'
              : 'No goroutines',
      });
    }
    for (const g of this.groups) out.push(g);
    if (this.rootMore) out.push(this.rootMore);
    return out;
  }

  async children(node: ExplorerNode): Promise<ExplorerNode[]> {
    switch (node.kind) {
      case 'group': {
        if (node.version !== this.version) return [];
        if (node.loaded.length === 0 && node.group.rowCount > 0) await this.loadMore(node);
        const out: ExplorerNode[] = [...node.loaded];
        const remaining = node.group.rowCount - node.loaded.length;
        if (remaining > 0)
          out.push({ kind: 'more', parent: node, remaining, version: node.version });
        return out;
      }
      case 'goroutine': {
        if (node.parent.version !== this.version) return [];
        const g = await this.request('goroutineDetail', () => ({
          handle: this.current!.handle,
          row: node.goroutine.row,
        }));
        const out: ExplorerNode[] = g.frames.map((frame, index) => ({
          kind: 'frame',
          parent: node,
          frame,
          index,
          goroutineId: g.id,
        }));
        if (g.createdBy)
          out.push({
            kind: 'frame',
            parent: node,
            frame: g.createdBy,
            index: -1,
            goroutineId: g.id,
          });
        return out;
      }
      default:
        return [];
    }
  }

  /**
   * Fetches the next page of a group's goroutines (or, for `undefined`, of the groups). Returns
   * the node whose children changed (undefined = the root), or null when nothing was loaded.
   */
  async loadMore(parent: GroupNode | undefined): Promise<GroupNode | undefined | null> {
    const version = this.version;
    if (!parent) {
      if (this.rootsFor !== version) return null;
      const page = await this.request('goroutineGroups', () => ({
        ...this.viewKey(),
        offset: this.groups.length,
        limit: this.pageSize,
      }));
      if (version !== this.version) return null;
      for (const group of page.groups)
        this.groups.push({ kind: 'group', group, version, loaded: [] });
      const remaining = page.groupCount - this.groups.length;
      this.rootMore =
        remaining > 0 ? { kind: 'more', parent: undefined, remaining, version } : undefined;
      return undefined;
    }
    if (parent.version !== version) return null;
    const rows = await this.request('goroutinePage', () => ({
      ...this.viewKey(),
      group: parent.group.index,
      offset: parent.loaded.length,
      limit: this.pageSize,
    }));
    if (version !== this.version) return null;
    for (const goroutine of rows) parent.loaded.push({ kind: 'goroutine', parent, goroutine });
    return parent;
  }

  /** The line above the tree: counts, grouping, filter, comparison. */
  message(): string {
    const cur = this.current;
    const page = this.page;
    if (!cur || !page) return '';
    const parts: string[] = [];
    const visible =
      (this.options.onlyLeaked ? (cur.summary.leakedGoroutines ?? 0) : page.totalGoroutines) -
      page.hiddenSystem;
    if (this.options.filter) {
      parts.push(plural(visible, 'goroutine'));
      if (page.hiddenSystem > 0) parts.push(`${page.hiddenSystem} runtime hidden`);
      parts.push(
        `filter "${this.options.filter}": ${num(page.matchedGoroutines)} in ${plural(page.groupCount, 'group')}`,
      );
    } else {
      parts.push(
        `${plural(visible, this.options.onlyLeaked ? 'leaked goroutine' : 'goroutine')} in ${plural(page.groupCount, 'group')}`,
      );
      if (page.hiddenSystem > 0) parts.push(`${page.hiddenSystem} runtime hidden`);
    }
    if (this.baseline && page.comparison) {
      const d = page.comparison.totalAfter - page.comparison.totalBefore;
      parts.push(`${d >= 0 ? '+' : '−'}${Math.abs(d)} since ${clockTime(this.baseline.takenAt)}`);
    }
    if (this.options.similarity === 'relaxed') parts.push('grouped by function');
    return parts.join(' · ');
  }

  /** Groups that grew or appeared since the baseline (the view's badge). */
  grownGroups(): number {
    return this.groups.filter(
      (g) => g.group.change && (g.group.change.kind === 'grew' || g.group.change.kind === 'new'),
    ).length;
  }

  describe(node: ExplorerNode): ItemDescription {
    switch (node.kind) {
      case 'headline':
        return {
          id: 'headline',
          label: node.text,
          tooltip: codeBlock(node.detail),
          icon: { id: 'error', color: 'errorForeground' },
          collapsible: 'none',
          command: {
            command: COMMANDS.showHeadline,
            title: 'Show crash details',
            arguments: [node],
          },
          accessibilityLabel: node.text,
        };
      case 'warnings': {
        const s = node.summary;
        const label = s.truncated
          ? `Truncated dump: showing the ${plural(s.totalGoroutines, 'goroutine')} that parsed`
          : `${plural(s.warningCount, 'parser warning')}: some text was skipped`;
        return {
          id: 'warnings',
          label,
          tooltip: s.warnings.map((w) => `- line ${w.line}: ${md(w.message)}`).join('\n'),
          icon: { id: 'warning', color: 'list.warningForeground' },
          collapsible: 'none',
          command: { command: COMMANDS.showWarnings, title: 'Show warnings', arguments: [node] },
          accessibilityLabel: label,
        };
      }
      case 'note':
        return {
          id: node.id,
          label: node.text,
          tooltip: node.tooltip,
          icon: { id: 'info' },
          collapsible: 'none',
          ...(node.command ? { command: { ...node.command, title: node.text } } : {}),
          accessibilityLabel: node.text,
        };
      case 'empty':
        return {
          id: 'empty',
          label: node.text,
          icon: { id: this.options.filter ? 'filter' : 'info' },
          collapsible: 'none',
          accessibilityLabel: node.text,
        };
      case 'more': {
        const n = Math.min(this.pageSize, node.remaining);
        const what = node.parent ? 'goroutine' : 'group';
        const label = `Show ${plural(n, 'more ' + what, 'more ' + what + 's')} (${num(node.remaining)} not shown)`;
        return {
          id: node.parent ? `more:${hashId(node.parent.group.signature)}` : 'more:groups',
          label,
          icon: { id: 'ellipsis' },
          collapsible: 'none',
          command: { command: COMMANDS.showMore, title: 'Show more', arguments: [node] },
          accessibilityLabel: label,
        };
      }
      case 'group':
        return this.describeGroup(node);
      case 'goroutine':
        return this.describeGoroutine(node);
      case 'frame':
        return this.describeFrame(node);
    }
  }

  private describeGroup(node: GroupNode): ItemDescription {
    const g = node.group;
    const name = g.focus ? shortFuncName(g.focus.func) : '(no frames)';
    const count =
      this.options.filter && g.matched !== g.count
        ? `${num(g.matched)} of ${num(g.count)}`
        : num(g.count);
    const vanished = g.change?.kind === 'vanished';
    const label = vanished ? name : `${count} × ${name}`;
    const since = this.baseline ? clockTime(this.baseline.takenAt) : '';
    const parts = [
      changeText(g, since),
      statesText(g.states),
      waitText(g.waitMinutes),
      g.focus ? where(g.focus) : '',
    ];
    if (g.labels.length === 1) parts.push(labelText(g.labels[0].labels));
    else if (g.labels.length > 1) parts.push(`${g.labels.length} label sets`);
    const description = parts.filter((p) => p !== '').join(' · ');

    const lines = g.stack.map((f) => `${f.func}\n    ${f.file}${f.line ? `:${f.line}` : ''}`);
    if (g.createdBy)
      lines.push(`created by ${g.createdBy.func}\n    ${g.createdBy.file}:${g.createdBy.line}`);
    const head = vanished
      ? `**Gone**: ${g.change!.before} goroutines had this stack at ${since}`
      : `**${plural(g.count, 'goroutine')}**${g.matched !== g.count ? ` (${g.matched} match the filter)` : ''}`;
    const facts = [
      head,
      g.change && !vanished ? md(changeText(g, since)) : '',
      g.states.length > 0 && statesText(g.states)
        ? `State: ${md(g.states.map((s) => `${s.state} (${s.count})`).join(', '))}`
        : '',
      waitText(g.waitMinutes) ? `Waiting: ${waitText(g.waitMinutes)}` : '',
      g.labels.length > 0
        ? `Labels: ${md(g.labels.map((l) => `${labelText(l.labels)} (${l.count})`).join('; '))}`
        : '',
      g.flags.length > 0 ? `Stands out: ${g.flags.map((f) => FLAG_WORDS[f] ?? f).join(', ')}` : '',
      g.system ? 'A runtime goroutine' : '',
    ].filter((x) => x !== '');
    return {
      id: `group:${hashId(g.signature)}`,
      label,
      description,
      tooltip: `${facts.join('\n\n')}\n\n${codeBlock(lines)}`,
      icon: groupIcon(g, this.current?.source.kind === 'debug'),
      collapsible: g.rowCount > 0 ? 'collapsed' : 'none',
      contextValue: vanished ? 'goroutineGroupVanished' : 'goroutineGroup',
      accessibilityLabel: `${vanished ? 'vanished group' : plural(g.count, 'goroutine')} in ${name}${description ? ', ' + description : ''}`,
    };
  }

  private describeGoroutine(node: GoroutineNode): ItemDescription {
    const g = node.goroutine;
    const label = g.id >= 0 ? `goroutine ${g.id}` : `${plural(g.count, 'goroutine')} (one record)`;
    const debug = this.current?.source.kind === 'debug';
    const parts = [
      g.state,
      g.waitMinutes > 0 ? `${g.waitMinutes} min` : '',
      labelText(g.labels),
      g.flags.includes('locked-to-thread') ? 'locked to thread' : '',
      g.flags.includes('current') ? (debug ? 'stopped here' : 'crashed here') : '',
    ];
    const description = parts.filter((p) => p !== '').join(' · ');
    const facts = [
      `**${label}**${g.state ? ` — ${md(g.state)}` : ''}${g.waitMinutes > 0 ? `, ${g.waitMinutes} minutes` : ''}`,
      g.parentId >= 0 ? `Created by goroutine ${g.parentId}` : '',
      Object.keys(g.labels).length > 0 ? `Labels: ${md(labelText(g.labels))}` : '',
      g.flags.length > 0 ? `Flags: ${g.flags.join(', ')}` : '',
      g.top ? `Top frame: \`${g.top.func}\` at ${md(where(g.top))}` : '',
    ].filter((x) => x !== '');
    return {
      id: `${node.parent.version}:${hashId(node.parent.group.signature)}:${g.row}`,
      label,
      description,
      tooltip: facts.join('\n\n'),
      icon: g.flags.includes('current')
        ? debug
          ? { id: 'debug-stackframe', color: 'debugIcon.pauseForeground' }
          : { id: 'error', color: 'errorForeground' }
        : g.state === 'running'
          ? { id: 'play' }
          : { id: 'debug-stackframe-dot' },
      collapsible: g.frameCount > 0 ? 'collapsed' : 'none',
      contextValue: 'goroutine',
      accessibilityLabel: `${label}${description ? ', ' + description : ''}`,
    };
  }

  private describeFrame(node: FrameNode): ItemDescription {
    const f = node.frame;
    const createdBy = node.index < 0;
    const name = shortFuncName(f.func);
    const label = createdBy ? `created by ${name}` : name;
    const location: SourceLocation | undefined = f.file
      ? { func: f.func, file: f.file, line: f.line }
      : undefined;
    const tooltip = [
      `\`${f.func}${f.args !== undefined ? `(${f.args})` : ''}\``,
      f.file ? md(`${f.file}${f.line ? `:${f.line}` : ''}`) : 'No source file recorded',
      f.inlined ? 'Inlined call' : '',
    ]
      .filter((x) => x !== '')
      .join('\n\n');
    return {
      id: `${node.parent.parent.version}:${hashId(node.parent.parent.group.signature)}:${node.parent.goroutine.row}:${node.index}`,
      label,
      description: where(f),
      tooltip,
      icon: createdBy
        ? { id: 'debug-step-out' }
        : node.index === 0
          ? { id: 'debug-stackframe' }
          : { id: 'symbol-method' },
      collapsible: 'none',
      contextValue: 'goroutineFrame',
      ...(location
        ? { command: { command: COMMANDS.openFrame, title: 'Open Source', arguments: [location] } }
        : {}),
      accessibilityLabel: `${label} ${where(f)}`.trim(),
    };
  }

  /** Every visible goroutine of the current view as columns, for the table webview. */
  async table(): Promise<GoroutineTableData | undefined> {
    if (!this.current) return undefined;
    return this.request('goroutineTable', () => ({
      handle: this.current!.handle,
      ...(this.baseline ? { baseline: this.baseline.handle } : {}),
      options: { similarity: this.options.similarity, hideSystem: this.options.hideSystem },
    }));
  }

  /** One goroutine of the current snapshot, frames with arguments. */
  async detail(row: number): Promise<GoroutineView> {
    return this.request('goroutineDetail', () => ({ handle: this.current!.handle, row }));
  }

  /** The stack of a group or goroutine as text (for "Copy Stack"). */
  async stackText(node: GroupNode | GoroutineNode): Promise<string> {
    if (node.kind === 'goroutine') {
      const g = await this.request('goroutineDetail', () => ({
        handle: this.current!.handle,
        row: node.goroutine.row,
      }));
      const lines = [
        `goroutine ${g.id} [${g.state}${g.waitMinutes ? `, ${g.waitMinutes} minutes` : ''}]:`,
      ];
      for (const f of g.frames) lines.push(`${f.func}(${f.args ?? ''})`, `\t${f.file}:${f.line}`);
      if (g.createdBy)
        lines.push(
          `created by ${g.createdBy.func}${g.createdBy.goroutine !== null ? ` in goroutine ${g.createdBy.goroutine}` : ''}`,
          `\t${g.createdBy.file}:${g.createdBy.line}`,
        );
      return lines.join('\n') + '\n';
    }
    const g = node.group;
    const lines = [`${g.count} goroutines [${g.states.map((s) => s.state).join(', ')}]:`];
    for (const f of g.stack) lines.push(f.func, `\t${f.file}:${f.line}`);
    if (g.createdBy)
      lines.push(`created by ${g.createdBy.func}`, `\t${g.createdBy.file}:${g.createdBy.line}`);
    return lines.join('\n') + '\n';
  }
}

/**
 * Why a debug session's list may be incomplete, checked against Delve's DAP server
 * (service/dap/server.go, v1.27): `onThreadsRequest` loads at most `maxGoroutines` = 1024
 * goroutines, a constant, then applies `goroutineFilters` / `hideSystemGoroutines` to those.
 */
export const DELVE_CAP_EXPLANATION =
  "Delve's debug adapter answers the debugger's thread list with at most 1024 goroutines (plus the one the program stopped on). " +
  'The limit is fixed inside Delve: no launch.json or go.delveConfig setting raises it (golang/vscode-go#2041), and `goroutineFilters` / `hideSystemGoroutines` only filter within those 1024. ' +
  'To see every goroutine, capture a goroutine dump instead: run **Go Lens: Capture Goroutine Dump** against the program (it must import net/http/pprof), ' +
  'or have the program write one with `pprof.Lookup("goroutine").WriteTo(w, 2)` or on SIGQUIT, and open it with **Go Lens: Open Goroutine Dump…**.';
