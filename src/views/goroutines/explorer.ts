// The goroutine explorer in the Go Lens sidebar: which snapshot is shown and where it came
// from (a capture, a file, the clipboard, a paused debug session), the options (grouping,
// runtime goroutines, filter, comparison), auto-refresh, and the messages the user sees.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { ENDPOINTS } from '../../core/collect/endpoints';
import { parseTarget, type Target } from '../../core/collect/target';
import type { ExplorerOptions } from '../../core/goroutines/explorer';
import type { ModuleDir } from '../../core/goroutines/from-frames';
import { captureFrom, type CaptureOutcome } from '../../commands/capture';
import { currentTarget, pickTarget } from '../../collect/target-picker';
import { liveRuns } from '../../run/live-runs';
import type { ParseWorkerClient } from '../../worker/client';
import type { LoadedGoroutines } from '../../worker/goroutine-protocol';
import { readDebugGoroutines } from './debug-goroutines';
import { pickDump } from './dump-picker';
import { GoroutineTreeProvider } from './tree-provider';
import {
  clockTime,
  DELVE_CAP_EXPLANATION,
  GoroutineTreeModel,
  type ExplorerNode,
  type HeldSnapshot,
  type SnapshotSource,
} from './tree-model';
import { formatCount } from '../../core/format/units';

export const GOROUTINES_VIEW_ID = 'goLens.goroutines';
const OPTIONS_KEY = 'goLens.goroutines.options';

/** Context keys the manifest's menus read. */
const KEYS = {
  loaded: 'goLens.goroutines.loaded',
  relaxed: 'goLens.goroutines.relaxed',
  showSystem: 'goLens.goroutines.showSystem',
  filtered: 'goLens.goroutines.filtered',
  comparing: 'goLens.goroutines.comparing',
  canCompare: 'goLens.goroutines.canCompare',
  autoRefresh: 'goLens.goroutines.autoRefresh',
  debugPaused: 'goLens.goroutines.debugPaused',
  hasLeaks: 'goLens.goroutines.hasLeaks',
  onlyLeaked: 'goLens.goroutines.onlyLeaked',
  severalDumps: 'goLens.goroutines.severalDumps',
} as const;

/** Reads one dump of a source (0-based; undefined: the default, the first crash). */
type DumpReader = (dump?: number) => Promise<LoadedGoroutines>;

function setContext(key: string, value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

/** `goLens.goroutines.autoRefreshSeconds`, at least 2 s: a dump of a big program takes a second to write. */
export function autoRefreshSeconds(): number {
  const s = vscode.workspace
    .getConfiguration('goLens')
    .get<number>('goroutines.autoRefreshSeconds', 10);
  return Number.isFinite(s) && s >= 2 ? Math.round(s) : 10;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The workspace's Go modules (path from go.mod, and its folder). Delve names functions by their
 * package's last path element only; with these the worker restores full names for workspace
 * code, so debug snapshots group and compare like dumps of the same program.
 */
async function workspaceGoModules(): Promise<ModuleDir[]> {
  const files = await vscode.workspace.findFiles(
    '**/go.mod',
    '{**/vendor/**,**/node_modules/**,**/testdata/**}',
    200,
  );
  const out: ModuleDir[] = [];
  for (const uri of files) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const m = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text);
    if (m && uri.scheme === 'file') out.push({ path: m[2], dir: dirname(uri.fsPath) });
  }
  return out;
}

export class GoroutineExplorer implements vscode.Disposable {
  readonly model: GoroutineTreeModel;
  readonly provider: GoroutineTreeProvider;
  readonly view: vscode.TreeView<ExplorerNode>;
  /** The snapshot shown before the current one: what "compare with previous" compares against. */
  private previous: HeldSnapshot | undefined;
  private autoTimer: ReturnType<typeof setTimeout> | undefined;
  private autoTarget: Target | undefined;
  private refreshing = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the snapshot or the options change (the table follows the sidebar). */
  readonly onDidChange = this.changed.event;
  private readonly pausedSessions = new Set<string>();
  private readonly cappedWarned = new Set<string>();
  private debugRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The current snapshot's source holds several dumps: which, and how to read another. */
  private dumpChoice:
    | {
        handle: number;
        what: string;
        source: SnapshotSource;
        takenAt: Date;
        dumps: NonNullable<LoadedGoroutines['dumps']>;
        dump: number;
        read: DumpReader;
      }
    | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly worker: ParseWorkerClient,
  ) {
    this.model = new GoroutineTreeModel(worker, () => worker.generation);
    const saved = context.workspaceState.get<Partial<ExplorerOptions>>(OPTIONS_KEY) ?? {};
    this.model.options = {
      similarity: saved.similarity === 'relaxed' ? 'relaxed' : 'exact',
      hideSystem: saved.hideSystem !== false,
      filter: '',
    };
    this.provider = new GoroutineTreeProvider(
      this.model,
      (err) =>
        void vscode.window.showErrorMessage(
          `Go Lens: could not show the goroutines: ${errorText(err)}`,
        ),
      () => this.updateTitle(),
    );
    this.view = vscode.window.createTreeView(GOROUTINES_VIEW_ID, {
      treeDataProvider: this.provider,
      showCollapseAll: true,
    });
    this.disposables.push(this.view, this.provider, this.changed, this.watchDebugSessions());
    this.updateContext();
  }

  // ---- loading ----------------------------------------------------------------------------

  /** Shows a capture just saved by captureFrom. */
  async showCapture(outcome: CaptureOutcome): Promise<boolean> {
    const source: SnapshotSource = {
      kind: 'target',
      label: outcome.meta.targetLabel,
      baseUrl: outcome.meta.target,
      path: outcome.uri.fsPath,
    };
    return this.load(basename(outcome.uri.fsPath), source, new Date(outcome.meta.startedAt), () =>
      this.worker.request('loadGoroutineDump', { path: outcome.uri.fsPath }),
    );
  }

  /**
   * Shows a goroutine leak profile just captured, leaked goroutines only. The leaked-only
   * option is set before loading, so the first grouping the view asks for is the leak view.
   */
  async showLeakCapture(outcome: CaptureOutcome): Promise<boolean> {
    this.model.setOptions({ onlyLeaked: true });
    return this.showCapture(outcome);
  }

  /** Shows a dump file (any format Go writes). */
  async showFile(uri: vscode.Uri): Promise<boolean> {
    const name = basename(uri.path);
    const source: SnapshotSource = {
      kind: 'file',
      path: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
      name,
    };
    const read = async (dump?: number) =>
      uri.scheme === 'file'
        ? this.worker.request('loadGoroutineDump', { path: uri.fsPath, dump })
        : this.worker.request('loadGoroutineDump', {
            bytes: await vscode.workspace.fs.readFile(uri),
            dump,
          });
    return this.load(name, source, new Date(), read);
  }

  /** Shows a dump pasted as text (a panic copied from a terminal or a log). */
  async showText(text: string): Promise<boolean> {
    return this.load('the clipboard text', { kind: 'clipboard' }, new Date(), (dump?: number) =>
      this.worker.request('loadGoroutineDump', { text, dump }),
    );
  }

  /** Shows a snapshot another feature reads (a core dump through Delve); `read` runs again if the worker restarts. */
  async showSnapshot(
    what: string,
    source: SnapshotSource,
    takenAt: Date,
    read: () => Promise<LoadedGoroutines>,
  ): Promise<boolean> {
    return this.load(what, source, takenAt, read);
  }

  private async load(
    what: string,
    source: SnapshotSource,
    takenAt: Date,
    read: DumpReader,
    options: { quiet?: boolean; dump?: number } = {},
  ): Promise<boolean> {
    let loaded: LoadedGoroutines;
    try {
      loaded = await vscode.window.withProgress(
        { location: { viewId: GOROUTINES_VIEW_ID }, title: `Reading ${what}` },
        () => read(options.dump),
      );
      if (loaded.dumps && loaded.dumps.length > 1 && options.dump === undefined && !options.quiet) {
        // Several dumps: ask which (the crash is offered first and is what Escape keeps).
        const chosen = await pickDump(loaded.dumps, loaded.dump ?? 0, what);
        if (chosen !== undefined && chosen !== loaded.dump) {
          void this.worker
            .request('releaseGoroutines', { handle: loaded.handle })
            .catch(() => undefined);
          loaded = await read(chosen);
        }
      }
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const message =
        name === 'GoroutineDumpError'
          ? `Go Lens: ${what} is not a goroutine dump Go Lens can read: ${errorText(err)}`
          : `Go Lens could not read ${what}: ${errorText(err)}`;
      void vscode.window.showErrorMessage(message);
      return false;
    }
    const shownDump = loaded.dump;
    const snapshot: HeldSnapshot = {
      handle: loaded.handle,
      summary: loaded.summary,
      source,
      takenAt,
      reload: () => read(shownDump),
    };
    this.dumpChoice =
      loaded.dumps && loaded.dumps.length > 1
        ? {
            handle: loaded.handle,
            what,
            source,
            takenAt,
            dumps: loaded.dumps,
            dump: loaded.dump ?? 0,
            read,
          }
        : undefined;
    this.show(snapshot);
    const s = loaded.summary;
    if (s.truncated && !options.quiet) {
      void vscode.window.showWarningMessage(
        `Go Lens: ${what} ends in the middle of a goroutine (the dump was cut short). Showing the ${formatCount(s.totalGoroutines)} goroutines that parsed.`,
      );
    } else if (s.warningCount > 0 && !options.quiet) {
      void vscode.window.showWarningMessage(
        `Go Lens: ${s.warningCount} part(s) of ${what} could not be read and were skipped: ${s.warnings[0].message}`,
      );
    }
    return true;
  }

  private show(snapshot: HeldSnapshot): void {
    // The leaked-only view belongs to snapshots that have leaked goroutines (a goroutine leak
    // profile, however it was loaded), and is where such a snapshot opens.
    const leaked = (snapshot.summary.leakedGoroutines ?? 0) > 0;
    if (this.model.options.onlyLeaked !== leaked) this.model.setOptions({ onlyLeaked: leaked });
    const old = this.model.setCurrent(snapshot);
    if (old) {
      // Keep the current snapshot, the one before it, and the baseline being compared with.
      if (this.previous && this.previous !== this.model.baseline) this.release(this.previous);
      this.previous = old;
    }
    this.updateContext();
    this.provider.refresh();
    this.changed.fire();
  }

  private release(s: HeldSnapshot): void {
    void this.worker.request('releaseGoroutines', { handle: s.handle }).catch(() => undefined);
  }

  /** "Choose Dump…": shows another dump of the file or paste the current snapshot came from. */
  async chooseDump(): Promise<void> {
    const c = this.dumpChoice;
    if (!c || c.handle !== this.model.current?.handle) {
      void vscode.window.showInformationMessage(
        'Go Lens: the goroutines shown come from a file or paste with a single dump.',
      );
      return;
    }
    const chosen = await pickDump(c.dumps, c.dump, c.what);
    if (chosen === undefined || chosen === c.dump) return;
    await this.load(c.what, c.source, c.takenAt, c.read, { dump: chosen });
  }

  /** Brings the Goroutines view into sight. */
  async focus(): Promise<void> {
    await vscode.commands.executeCommand(`${GOROUTINES_VIEW_ID}.focus`);
  }

  // ---- refresh from a target or the debug session -----------------------------------------

  /**
   * Takes a new snapshot from where the current one came from: the debug session when it is a
   * debug snapshot and the session is alive, else the current target (asked for when none).
   */
  async refresh(): Promise<void> {
    const src = this.model.current?.source;
    if (src?.kind === 'core') {
      void vscode.window.showInformationMessage(
        'Go Lens: a core dump does not change. Snapshot the process again (Go Lens: Snapshot Process Core…) for a newer one.',
      );
      return;
    }
    if (src?.kind === 'debug') {
      const session =
        vscode.debug.activeDebugSession?.id === src.sessionId
          ? vscode.debug.activeDebugSession
          : undefined;
      if (session) {
        await this.showDebugSession(session);
        return;
      }
    }
    // A leak view refreshes by finding leaks again (another leak-detecting GC), so the
    // comparison with the previous snapshot says which leaks are new.
    const leakTarget = this.model.options.onlyLeaked ? this.snapshotTarget() : undefined;
    if (leakTarget) {
      await vscode.commands.executeCommand('goLens.findGoroutineLeaks', leakTarget);
      return;
    }
    const picked =
      liveRuns.latest()?.target ??
      this.snapshotTarget() ??
      currentTarget(this.context.workspaceState) ??
      (await pickTarget(this.context.workspaceState, 'Go Lens: Refresh Goroutines from…'));
    if (picked) await this.refreshFrom(picked, {});
  }

  /** The target the current snapshot was captured from, if it was. */
  private snapshotTarget(): Target | undefined {
    const src = this.model.current?.source;
    if (src?.kind !== 'target') return undefined;
    try {
      return parseTarget(src.baseUrl, src.label);
    } catch {
      return undefined;
    }
  }

  private async refreshFrom(target: Target, options: { quiet?: boolean }): Promise<boolean> {
    if (this.refreshing) return true;
    this.refreshing = true;
    try {
      const captured = await captureFrom(
        this.context,
        target,
        ENDPOINTS['goroutine-dump'],
        options,
      );
      if (!captured) return false;
      const source: SnapshotSource = {
        kind: 'target',
        label: captured.meta.targetLabel,
        baseUrl: captured.meta.target,
        path: captured.uri.fsPath,
      };
      return await this.load(
        basename(captured.uri.fsPath),
        source,
        new Date(captured.meta.startedAt),
        () => this.worker.request('loadGoroutineDump', { path: captured.uri.fsPath }),
        options,
      );
    } finally {
      this.refreshing = false;
    }
  }

  async startAutoRefresh(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Go Lens: auto-refresh is off in an untrusted workspace: every capture would ask for permission first. Use Refresh, or trust the workspace.',
      );
      return;
    }
    const target =
      liveRuns.latest()?.target ??
      this.snapshotTarget() ??
      currentTarget(this.context.workspaceState) ??
      (await pickTarget(this.context.workspaceState, 'Go Lens: Auto-Refresh Goroutines from…'));
    if (!target) return;
    this.autoTarget = target;
    this.updateContext();
    const seconds = autoRefreshSeconds();
    void vscode.window.setStatusBarMessage(
      `Go Lens: refreshing goroutines from ${target.label} every ${seconds} s`,
      4000,
    );
    const tick = async () => {
      if (this.autoTarget !== target) return;
      const ok = await this.refreshFrom(target, { quiet: true });
      if (this.autoTarget !== target) return;
      if (!ok) {
        // captureFrom has said why; a failing target must not be polled forever.
        this.stopAutoRefresh();
        void vscode.window.showWarningMessage(
          `Go Lens: stopped auto-refreshing goroutines: the capture from ${target.label} failed.`,
        );
        return;
      }
      this.autoTimer = setTimeout(() => void tick(), autoRefreshSeconds() * 1000);
    };
    await tick();
  }

  stopAutoRefresh(): void {
    this.autoTarget = undefined;
    if (this.autoTimer) clearTimeout(this.autoTimer);
    this.autoTimer = undefined;
    this.updateContext();
  }

  // ---- debug sessions --------------------------------------------------------------------------

  /** Reads the goroutines of a paused Go debug session (vscode-go with Delve's DAP server). */
  async showDebugSession(
    session: vscode.DebugSession | undefined = vscode.debug.activeDebugSession,
  ): Promise<boolean> {
    if (!session || session.type !== 'go') {
      void vscode.window.showInformationMessage(
        'Go Lens: start a Go debug session (vscode-go), pause it or stop at a breakpoint, then show its goroutines.',
      );
      return false;
    }
    const takenAt = new Date();
    let listing;
    try {
      listing = await vscode.window.withProgress(
        {
          location: { viewId: GOROUTINES_VIEW_ID },
          title: `Reading the goroutines of ${session.name}`,
        },
        () =>
          readDebugGoroutines((command, args) =>
            Promise.resolve(session.customRequest(command, args)),
          ),
      );
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Go Lens could not list the goroutines of "${session.name}": ${errorText(err)}`,
      );
      return false;
    }
    if (listing.goroutines.length === 0 || listing.failed === listing.listed) {
      const why = listing.firstError ? `: ${listing.firstError}` : '';
      void vscode.window.showWarningMessage(
        `Go Lens: the debugger gave no goroutine stacks for "${session.name}"${why}. Pause the program (or stop at a breakpoint) and try again.`,
      );
      return false;
    }
    const goroutines = listing.goroutines;
    const modules = await workspaceGoModules();
    const source: SnapshotSource = {
      kind: 'debug',
      sessionId: session.id,
      sessionName: session.name,
      listed: listing.listed,
      capped: listing.capped,
    };
    const ok = await this.load(`the goroutines of ${session.name}`, source, takenAt, () =>
      this.worker.request('loadDebuggerGoroutines', { goroutines, modules }),
    );
    if (ok && listing.capped && !this.cappedWarned.has(session.id)) {
      this.cappedWarned.add(session.id);
      void this.explainDebugCap();
    }
    return ok;
  }

  async explainDebugCap(): Promise<void> {
    const capture = 'Capture Goroutine Dump';
    const answer = await vscode.window.showWarningMessage(
      `Go Lens: Delve lists at most 1024 goroutines, so this debug snapshot may be missing some.`,
      { detail: DELVE_CAP_EXPLANATION.replace(/\*\*/g, '').replace(/`/g, '') },
      capture,
    );
    if (answer === capture) await vscode.commands.executeCommand('goLens.captureGoroutineDump');
  }

  /**
   * Tracks which Go sessions are paused (for the toolbar button) and re-reads the explorer's
   * debug snapshot each time its session stops again, so stepping keeps the view current.
   */
  private watchDebugSessions(): vscode.Disposable {
    const update = () => setContext(KEYS.debugPaused, this.pausedSessions.size > 0);
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('go', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string }) => {
          if (m.type !== 'event') return;
          if (m.event === 'stopped') {
            this.pausedSessions.add(session.id);
            update();
            const src = this.model.current?.source;
            if (src?.kind === 'debug' && src.sessionId === session.id) {
              if (this.debugRefreshTimer) clearTimeout(this.debugRefreshTimer);
              // The UI sends its own threads/stackTrace right after a stop; let those go first.
              this.debugRefreshTimer = setTimeout(() => void this.showDebugSession(session), 400);
            }
          } else if (m.event === 'continued' || m.event === 'terminated' || m.event === 'exited') {
            this.pausedSessions.delete(session.id);
            update();
          }
        },
        onExit: () => {
          this.pausedSessions.delete(session.id);
          update();
        },
      }),
    });
    const ended = vscode.debug.onDidTerminateDebugSession((s) => {
      this.pausedSessions.delete(s.id);
      update();
    });
    return vscode.Disposable.from(tracker, ended);
  }

  // ---- options -------------------------------------------------------------------------------

  setOptions(patch: Partial<ExplorerOptions>): void {
    this.model.setOptions(patch);
    void this.context.workspaceState.update(OPTIONS_KEY, {
      similarity: this.model.options.similarity,
      hideSystem: this.model.options.hideSystem,
    });
    this.updateContext();
    this.provider.refresh();
    this.changed.fire();
  }

  /** Filters as the user types (an input box), keeping the text when accepted, restoring it on Escape. */
  async editFilter(): Promise<void> {
    const before = this.model.options.filter;
    const box = vscode.window.createInputBox();
    box.title = 'Filter goroutines';
    box.prompt =
      'Words that must all appear in a function, file:line, state or label (key=value), or a goroutine id (#17). Empty shows all.';
    box.placeholder = 'e.g. handleRequest   chan send   worker=3';
    box.value = before;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let accepted = false;
    box.onDidChangeValue((v) => {
      if (timer) clearTimeout(timer);
      // One regroup per pause in typing, not per keystroke (a 100k view takes ~50 ms).
      timer = setTimeout(() => this.setOptions({ filter: v.trim() }), 250);
    });
    box.onDidAccept(() => {
      accepted = true;
      if (timer) clearTimeout(timer);
      this.setOptions({ filter: box.value.trim() });
      box.hide();
    });
    box.onDidHide(() => {
      if (timer) clearTimeout(timer);
      if (!accepted && this.model.options.filter !== before) this.setOptions({ filter: before });
      box.dispose();
    });
    box.show();
  }

  startCompare(): void {
    if (!this.previous || !this.model.current) {
      void vscode.window.showInformationMessage(
        'Go Lens: comparing needs two snapshots. Refresh (or capture, open, paste) once more, then compare: groups that grew or are new come first.',
      );
      return;
    }
    this.model.setBaseline(this.previous);
    this.updateContext();
    this.provider.refresh();
    this.changed.fire();
  }

  stopCompare(): void {
    const b = this.model.baseline;
    this.model.setBaseline(undefined);
    if (b && b !== this.previous && b !== this.model.current) this.release(b);
    this.updateContext();
    this.provider.refresh();
    this.changed.fire();
  }

  // ---- view title, message, badge ---------------------------------------------------------------

  /** A short name for where the current snapshot came from, with its time. */
  sourceTitle(): string {
    const cur = this.model.current;
    if (!cur) return '';
    const at = clockTime(cur.takenAt);
    const s = cur.source;
    switch (s.kind) {
      case 'target':
        return `${s.label} at ${at}`;
      case 'file':
        return s.name;
      case 'clipboard':
        return `pasted at ${at}`;
      case 'debug':
        return `debug session "${s.sessionName}" at ${at}`;
      case 'core':
        return `core ${s.name}`;
    }
  }

  /** Grouping, runtime goroutines and comparison, in words (the table's subtitle). */
  optionsText(): string {
    const o = this.model.options;
    const parts = [
      o.similarity === 'relaxed' ? 'grouped by function' : 'grouped by exact stack',
      o.hideSystem ? 'runtime goroutines hidden' : 'runtime goroutines shown',
    ];
    if (this.model.baseline) parts.push(`compared with ${clockTime(this.model.baseline.takenAt)}`);
    return parts.join(' · ');
  }

  private updateTitle(): void {
    const c = this.dumpChoice;
    const which =
      c && c.handle === this.model.current?.handle
        ? ` · dump ${c.dump + 1} of ${c.dumps.length}`
        : '';
    this.view.description = this.sourceTitle() + which;
    // The description is hidden while the view is alone in the Go Lens container (its title
    // merges into the container's), so the message line names the source too.
    const message = this.model.message();
    this.view.message = message ? `${this.sourceTitle()} · ${message}` : undefined;
    const grown = this.model.baseline ? this.model.grownGroups() : 0;
    this.view.badge =
      grown > 0
        ? {
            value: grown,
            tooltip: `${grown} goroutine group(s) grew or appeared since ${clockTime(this.model.baseline!.takenAt)}`,
          }
        : undefined;
  }

  private updateContext(): void {
    const o = this.model.options;
    setContext(KEYS.loaded, this.model.current !== undefined);
    setContext(KEYS.relaxed, o.similarity === 'relaxed');
    setContext(KEYS.showSystem, !o.hideSystem);
    setContext(KEYS.filtered, o.filter !== '');
    setContext(KEYS.comparing, this.model.baseline !== undefined);
    setContext(KEYS.canCompare, this.previous !== undefined);
    setContext(KEYS.autoRefresh, this.autoTarget !== undefined);
    setContext('goLens.goroutines.core', this.model.current?.source.kind === 'core');
    setContext(KEYS.hasLeaks, (this.model.current?.summary.leakedGoroutines ?? 0) > 0);
    setContext(KEYS.onlyLeaked, this.model.options.onlyLeaked === true);
    setContext(
      KEYS.severalDumps,
      this.dumpChoice !== undefined && this.dumpChoice.handle === this.model.current?.handle,
    );
    if (!this.model.current) {
      this.view.description = undefined;
      this.view.message = undefined;
      this.view.badge = undefined;
    }
  }

  dispose(): void {
    this.stopAutoRefresh();
    if (this.debugRefreshTimer) clearTimeout(this.debugRefreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
