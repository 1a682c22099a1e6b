// The scheduler dashboard: one webview panel per live run or saved log. A live dashboard owns
// the run — its build, its process group, its terminal and the raw stderr log — and the run
// ends when the panel closes. A log dashboard is a read-only custom editor over a file parsed
// in the worker.
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { looksLikeTraceLine } from '../../core/schedtrace';
import {
  schedValidators,
  type DashboardInfo,
  type RunStatus,
  type SchedMethods,
  type SchedPushes,
  type ViewRequest,
} from '../../protocol/sched';
import { CrashScanner } from '../../run/crash-scanner';
import { announceCrash, collectCrash, reportCrash } from '../../run/crash-report';
import {
  LaunchError,
  prepareRun,
  readRunSettings,
  targetLabel,
  type LaunchTarget,
  type PreparedRun,
} from '../../run/launch';
import { liveRuns, registerWhenAttached } from '../../run/live-runs';
import { ProgramTerminal } from '../../run/program-terminal';
import { TracedProcess, type ExitInfo } from '../../run/traced-process';
import type { ParseWorkerClient } from '../../worker/client';
import { webviewHtml, webviewOptions } from '../webview-html';
import { WebviewRpcHost, type Handlers } from '../webview-rpc';
import { SchedLogSession, type LoadedSchedLog } from './log-session';
import { SchedSession } from './session';
import { formatCount, formatMs } from '../../core/format/units';

export const SCHED_DASHBOARD_VIEW_TYPE = 'goLens.schedDashboard';
export const SCHED_LOG_VIEW_TYPE = 'goLens.schedTraceViewer';

/** Intervals without a trace line after which a run is said not to be tracing (a non-Go binary, stderr redirected…) or to be frozen. */
const NO_TRACE_INTERVALS = 5;
/** …but never sooner than this: a Go program's first SCHED line comes one interval after start, and a loaded machine is slow. */
const NO_TRACE_MIN_MS = 4000;
/** Program stderr lines kept to show when the program fails. */
const LAST_STDERR_LINES = 12;

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

type Mode =
  { kind: 'live'; target: LaunchTarget; storageDir: string } | { kind: 'log'; uri: vscode.Uri };

export class SchedDashboard {
  private static readonly all = new Set<SchedDashboard>();
  private static activeDashboard: SchedDashboard | undefined;
  /** Told when the active dashboard or its run state changes (context keys for the commands). */
  static onDidChange: (() => void) | undefined;

  private session: SchedSession | SchedLogSession | undefined;
  private info: DashboardInfo;
  private status: RunStatus;
  private lastView: ViewRequest | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rpc: WebviewRpcHost<SchedMethods, SchedPushes>;
  private disposed = false;
  // Live runs only.
  private terminal: ProgramTerminal | undefined;
  private run: TracedProcess | undefined;
  private prepared: PreparedRun | undefined;
  private building: AbortController | undefined;
  private log: { path: string; stream: WriteStream } | undefined;
  private traceWatch: ReturnType<typeof setInterval> | undefined;
  private lastStderr: string[] = [];
  /** Spots a panic or fatal error in the program's lines as they arrive (src/run/crash-report.ts does the rest). */
  private crashScanner = new CrashScanner();
  private spawnError: NodeJS.ErrnoException | undefined;
  private starting: Promise<void> | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly mode: Mode,
  ) {
    const title = mode.kind === 'live' ? targetLabel(mode.target) : basename(mode.uri.fsPath);
    this.info = {
      title,
      kind: mode.kind,
      source:
        mode.kind === 'log'
          ? mode.uri.scheme === 'file'
            ? mode.uri.fsPath
            : mode.uri.toString()
          : '',
    };
    this.status = {
      state: mode.kind === 'live' ? 'building' : 'loading',
      message: mode.kind === 'live' ? 'Starting…' : 'Reading the log…',
    };
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'sched', `Scheduler: ${title}`);
    this.rpc = new WebviewRpcHost(panel.webview, schedValidators, this.handlers());
    this.disposables.push(
      this.rpc,
      panel.onDidChangeViewState(() => {
        if (panel.active) SchedDashboard.activeDashboard = this;
        SchedDashboard.onDidChange?.();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    SchedDashboard.all.add(this);
    SchedDashboard.activeDashboard = this;
  }

  /** The dashboard the Stop/Restart/Save commands act on: the active one, else the newest. */
  static current(): SchedDashboard | undefined {
    if (SchedDashboard.activeDashboard && !SchedDashboard.activeDashboard.disposed)
      return SchedDashboard.activeDashboard;
    return [...SchedDashboard.all].pop();
  }

  /** Starts `target` with tracing, in a new dashboard beside the editor. */
  static startLive(
    extensionUri: vscode.Uri,
    target: LaunchTarget,
    storageDir: string,
  ): SchedDashboard {
    const panel = vscode.window.createWebviewPanel(
      SCHED_DASHBOARD_VIEW_TYPE,
      `Scheduler: ${targetLabel(target)}`,
      vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
      {
        enableFindWidget: false,
      },
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'golens.svg');
    const d = new SchedDashboard(panel, extensionUri, { kind: 'live', target, storageDir });
    d.starting = d.start();
    return d;
  }

  /** Shows a saved log (custom editor), parsed in the worker. */
  static showLog(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    uri: vscode.Uri,
    worker: ParseWorkerClient,
  ): SchedDashboard {
    const d = new SchedDashboard(panel, extensionUri, { kind: 'log', uri });
    void d.loadLog(worker, uri);
    return d;
  }

  get isRunning(): boolean {
    return this.status.state === 'running' || this.status.state === 'building';
  }

  get isLive(): boolean {
    return this.mode.kind === 'live';
  }

  private post(message: SchedPushes[keyof SchedPushes]): void {
    if (!this.disposed) this.rpc.push(message.type, message as never);
  }

  private setStatus(status: RunStatus): void {
    this.status = status;
    this.post({ type: 'status', status });
    SchedDashboard.onDidChange?.();
  }

  private newSession(): SchedSession {
    // A detail answers the page's selectTime request; only pushes go through post.
    return this.useSession(new SchedSession((m) => m.type !== 'detail' && this.post(m)));
  }

  private useSession<S extends SchedSession | SchedLogSession>(session: S): S {
    this.session?.dispose();
    this.session = session;
    if (this.lastView) session.setView(this.lastView);
    return session;
  }

  private handlers(): Handlers<SchedMethods> {
    return {
      ready: () => {
        // A new page (first show, or shown again after hiding): everything it needs, again.
        this.post({ type: 'init', info: this.info });
        this.post({ type: 'status', status: this.status });
        this.session?.refresh();
      },
      view: (view) => {
        this.lastView = view;
        this.session?.setView(view);
      },
      selectTime: ({ timeMs }) => (this.session ? this.session.detailAt(timeMs) : null),
      stop: () => void this.stop(),
      restart: () => void this.restart(),
      saveLog: () => void this.saveLog(),
      showTerminal: () => this.terminal?.show(false),
    };
  }

  // ---- saved logs ----

  private async loadLog(worker: ParseWorkerClient, uri: vscode.Uri): Promise<void> {
    try {
      const params =
        uri.scheme === 'file'
          ? { path: uri.fsPath }
          : { bytes: await vscode.workspace.fs.readFile(uri) };
      // The model stays in the worker (read from disk there); the dashboard asks it for each view.
      const load = async (onProgress?: (message: string) => void) => {
        const { handle, stats } = await worker.request('loadSchedTrace', params, { onProgress });
        return {
          loaded: { handle, generation: worker.generation } satisfies LoadedSchedLog,
          stats,
        };
      };
      const { loaded, stats } = await load((message) =>
        this.setStatus({ state: 'loading', message: `Reading the log: ${message}…` }),
      );
      if (this.disposed) {
        void worker.request('releaseSchedTrace', { handle: loaded.handle }).catch(() => undefined);
        return;
      }
      this.useSession(
        new SchedLogSession(
          (m) => m.type !== 'detail' && this.post(m),
          worker,
          loaded,
          async () => (await load()).loaded,
        ),
      );
      const parts = [
        `${formatCount(stats.snapshots)} SCHED lines`,
        `${formatCount(stats.gcCycles)} gc lines`,
      ];
      if (stats.detailSnapshots)
        parts.push(`${formatCount(stats.detailSnapshots)} with scheddetail`);
      if (stats.programLines) parts.push(`${formatCount(stats.programLines)} program lines`);
      this.setStatus({ state: 'loaded', message: parts.join(' · ') });
    } catch (err) {
      const e = err as Error;
      const problem =
        e.name === 'SchedTraceError'
          ? `${basename(uri.path)} has no GODEBUG trace lines (no SCHED, gc or scav line). Capture the program's stderr while it runs with GODEBUG=schedtrace=1000,gctrace=1 (add scheddetail=1 for the P, M and G tables), e.g. GODEBUG=schedtrace=1000,gctrace=1 ./prog 2> trace.log — or use Go Lens: Run with Scheduler Trace.`
          : `Could not read ${basename(uri.path)}: ${e.message}`;
      this.setStatus({ state: 'failed', message: 'No trace', problem });
    }
  }

  // ---- live runs ----

  private async start(): Promise<void> {
    if (this.mode.kind !== 'live') return;
    const { target, storageDir } = this.mode;
    if (!this.terminal || this.terminal.isClosed) {
      this.terminal = new ProgramTerminal(`Go Lens: ${targetLabel(target)}`);
      this.terminal.show(true);
    }
    const terminal = this.terminal;
    const settings = readRunSettings(target.folder?.uri);
    const session = this.newSession();
    this.lastStderr = [];
    this.crashScanner = new CrashScanner();
    this.spawnError = undefined;
    this.info = {
      ...this.info,
      source: '',
      intervalMs: settings.intervalMs,
      detail: settings.detail,
    };
    this.post({ type: 'init', info: this.info });
    this.setStatus({
      state: 'building',
      message:
        target.kind === 'configuration' && !target.configuration.program.endsWith('.go')
          ? 'Starting…'
          : 'Building…',
    });
    const abort = new AbortController();
    this.building = abort;
    let prepared: PreparedRun;
    try {
      prepared = await prepareRun(target, settings, terminal, abort.signal);
    } catch (err) {
      this.building = undefined;
      if (this.disposed) return;
      const e = err as Error;
      if (abort.signal.aborted) {
        terminal.notice('[build cancelled]');
        this.setStatus({ state: 'stopped', message: 'Stopped before it started.' });
        return;
      }
      const lastLines = err instanceof LaunchError ? err.lastLines : [];
      this.setStatus({
        state: 'failed',
        message: e.message,
        problem: e.message,
        lastStderr: lastLines,
      });
      terminal.notice(e.message);
      void vscode.window
        .showErrorMessage(
          `Go Lens: ${e.message}${lastLines.length ? ` ${lastLines.slice(-3).join(' ⏎ ')}` : ''}`,
          'Show Output',
        )
        .then((a) => a && terminal.show(false));
      return;
    }
    this.building = undefined;
    if (this.disposed || abort.signal.aborted) {
      prepared.cleanup();
      if (!this.disposed)
        this.setStatus({ state: 'stopped', message: 'Stopped before it started.' });
      return;
    }
    this.prepared = prepared;
    this.info = { ...this.info, source: prepared.display, godebug: prepared.godebug };
    this.post({ type: 'init', info: this.info });

    // Every byte of stderr, as it came, for "Save Log…" (trace and program lines interleaved).
    mkdirSync(storageDir, { recursive: true });
    const logPath = join(
      storageDir,
      `schedtrace-${stamp()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.log`,
    );
    const log = { path: logPath, stream: createWriteStream(logPath) };
    log.stream.on('error', () => undefined);
    this.log = log;

    terminal.notice(`$ ${prepared.display}`);
    const stdoutDecoder = new TextDecoder();
    // Other features (the race detector's collector) follow every run's output through liveRuns.
    const runId = liveRuns.newId();
    const run = new TracedProcess(prepared.spec, {
      stdout: (chunk) => {
        terminal.write(stdoutDecoder.decode(chunk, { stream: true }));
        liveRuns.output(runId, chunk, 'stdout');
      },
      stderr: (chunk) => {
        liveRuns.output(runId, chunk, 'stderr');
        log.stream.write(chunk);
        this.writeProgramLines(session.pushStderr(chunk));
      },
      spawnError: (err) => (this.spawnError = err),
      exit: (info) => {
        terminal.write(stdoutDecoder.decode());
        liveRuns.ended(runId);
        this.onExit(run, session, info);
      },
    });
    this.run = run;
    // With profiling endpoints (the launcher's default), the run is a capture target while it runs.
    void registerWhenAttached(runId, targetLabel(target), prepared, run).then(
      (live) => live && terminal.notice(`[Go Lens: profiling endpoints at ${live.target.baseUrl}]`),
    );
    terminal.attach({
      input: (line) => run.write(line),
      interrupt: () => run.interrupt(),
      endOfInput: () => run.closeStdin(),
      closed: () => void this.stop(),
    });
    if (run.pid !== undefined) {
      this.setStatus({ state: 'running', pid: run.pid, message: `Running, pid ${run.pid}` });
      this.watchTraceLines(run, session, basename(prepared.spec.file), settings.intervalMs);
    }
  }

  /**
   * Warns while a running program prints no trace line: none at all (not a Go program, stderr
   * redirected), or none any more. The runtime's monitor thread (sysmon) prints a SCHED line
   * every interval whatever the goroutines do, so a silence means the whole process is frozen:
   * stopped, starved of CPU, or deadlocked inside the runtime. The warning goes when lines resume.
   */
  private watchTraceLines(
    run: TracedProcess,
    session: SchedSession,
    file: string,
    intervalMs: number,
  ): void {
    const wait = Math.max(NO_TRACE_MIN_MS, NO_TRACE_INTERVALS * intervalMs);
    let seen = 0;
    let lastLineAt = Date.now();
    let warning: string | undefined;
    clearInterval(this.traceWatch);
    const timer = setInterval(
      () => {
        if (this.run !== run || !run.running) return clearInterval(timer);
        const lines = session.traceLines;
        if (lines !== seen) {
          seen = lines;
          lastLineAt = Date.now();
          if (warning !== undefined && this.status.problem === warning)
            this.setStatus({ ...this.status, problem: undefined });
          warning = undefined;
          return;
        }
        const quiet = Date.now() - lastLineAt;
        if (quiet < wait || warning !== undefined) return;
        warning =
          lines === 0
            ? `No GODEBUG trace line from ${file} after ${formatMs(quiet)} (${NO_TRACE_INTERVALS} intervals of ${intervalMs} ms). Is it a Go program? A Go program prints a SCHED line every interval on stderr; a program that is not Go, or one that closes or redirects its stderr, shows nothing here. Its output still goes to the terminal.`
            : `No trace line from ${file} for ${formatMs(quiet)}, though the Go runtime prints one every ${intervalMs} ms whatever the program does. The whole process is frozen: stopped (SIGSTOP, a debugger), starved of CPU, or deadlocked inside the runtime. Stop ends it; the charts resume if it comes back.`;
        this.setStatus({ ...this.status, problem: warning });
        void vscode.window.showWarningMessage(`Go Lens: ${warning}`);
      },
      Math.min(1000, Math.max(250, intervalMs)),
    );
    this.traceWatch = timer;
  }

  private writeProgramLines(lines: { text: string; noNewline?: boolean }[]): void {
    announceCrash(this.info.title, this.crashScanner.pushLines(lines));
    for (const l of lines) {
      this.terminal?.write(l.noNewline ? l.text : `${l.text}\n`);
      if (l.text.trim() !== '') {
        this.lastStderr.push(l.text);
        if (this.lastStderr.length > LAST_STDERR_LINES) this.lastStderr.shift();
      }
    }
  }

  private onExit(run: TracedProcess, session: SchedSession, info: ExitInfo): void {
    const rest = session.endStderr();
    // A program stopped while the runtime was printing leaves the head of a trace line without
    // its newline; the parser keeps it as output (nothing is dropped), shown here for what it is.
    const last = rest[rest.length - 1];
    const cut = last?.noNewline && looksLikeTraceLine(last.text) ? rest.pop() : undefined;
    this.writeProgramLines(rest);
    if (cut) this.terminal?.notice(`(runtime trace line cut off by the exit: ${cut.text.trim()})`);
    session.refresh();
    clearInterval(this.traceWatch);
    this.log?.stream.end();
    const prepared = this.prepared;
    const file = basename(prepared?.spec.file ?? this.info.title);
    const crash =
      prepared && this.mode.kind === 'live'
        ? collectCrash(this.mode.storageDir, prepared, run, this.crashScanner)
        : {};
    // The binary stays while its core is offered: Delve needs both.
    if (!crash.core) prepared?.cleanup();
    this.prepared = undefined;
    if (this.run === run) this.run = undefined;
    this.terminal?.attach(undefined);
    if (this.disposed) return;
    const how = info.signal ? `was ended by ${info.signal}` : `exited with code ${info.code}`;
    if (this.spawnError) {
      const e = this.spawnError;
      const problem = `Could not start the program: ${e.code ?? e.message}${e.path ? ` (${e.path})` : ''}. Check the program path and that it is executable.`;
      this.terminal?.notice(problem);
      this.setStatus({ state: 'failed', message: 'Could not start', problem });
      void vscode.window.showErrorMessage(`Go Lens: ${problem}`);
      return;
    }
    this.terminal?.notice(
      `[${info.stopped ? 'stopped: ' : ''}process ${how} after ${formatMs(info.durationMs)}]`,
    );
    if (prepared) void reportCrash(this.info.title, crash, prepared, info, this.terminal);
    if (info.stopped) {
      this.setStatus({
        state: 'stopped',
        message: `Stopped after ${formatMs(info.durationMs)} (${how})`,
      });
      return;
    }
    if (crash.crashFile) {
      this.setStatus({
        state: 'failed',
        message: `Crashed: ${crash.headline}`,
        problem: `${file} crashed after ${formatMs(info.durationMs)}: ${crash.headline}. Its goroutines are in the Goroutines view.`,
        lastStderr: this.lastStderr.slice(),
      });
      return;
    }
    const failed = info.signal !== null || (info.code ?? 0) !== 0;
    const noTrace = session.traceLines === 0;
    if (!failed && !noTrace) {
      this.setStatus({
        state: 'exited',
        message: `Exited with code 0 after ${formatMs(info.durationMs)}`,
      });
      return;
    }
    const problem = failed
      ? `${file} ${how} after ${formatMs(info.durationMs)}.${this.lastStderr.length ? ' Last lines of its stderr:' : ' It wrote nothing to stderr.'}`
      : `${file} exited after ${formatMs(info.durationMs)}, before the runtime printed a trace line (the first SCHED line comes one interval, ${this.info.intervalMs} ms, after start). Make it run longer, or lower goLens.schedTrace.intervalMs.`;
    this.setStatus({
      state: failed ? 'failed' : 'exited',
      message: `${failed ? 'Failed' : 'Exited'}: ${how}`,
      problem,
      lastStderr: failed ? this.lastStderr.slice() : undefined,
    });
    const detail =
      failed && this.lastStderr.length ? ` ${this.lastStderr.slice(-3).join(' ⏎ ')}` : '';
    void vscode.window
      .showErrorMessage(`Go Lens: ${problem}${detail}`, 'Show Output')
      .then((a) => a && this.terminal?.show(false));
  }

  /** Stops the run (or the build): SIGINT to its group, then SIGKILL. */
  async stop(): Promise<void> {
    this.building?.abort();
    const run = this.run;
    if (run) await run.stop();
    await this.starting?.catch(() => undefined);
  }

  /** Stops the run and starts the same target again, with the settings as they are now. */
  async restart(): Promise<void> {
    if (this.mode.kind !== 'live' || this.disposed) return;
    await this.stop();
    if (this.disposed) return;
    this.removeLog();
    this.terminal?.notice('──── restarting ────');
    this.starting = this.start();
    await this.starting;
  }

  /** Saves exactly the stderr bytes received (live), or a copy of the log (saved log). */
  async saveLog(): Promise<void> {
    const source =
      this.mode.kind === 'log'
        ? this.mode.uri
        : this.log
          ? vscode.Uri.file(this.log.path)
          : undefined;
    if (!source) {
      void vscode.window.showInformationMessage(
        'Go Lens: nothing to save yet — the program has not started.',
      );
      return;
    }
    if (this.log && this.mode.kind === 'live') {
      // Wait for every chunk written so far to reach the file.
      const stream = this.log.stream;
      if (!stream.closed && !stream.writableEnded)
        await new Promise<void>((r) => stream.write(new Uint8Array(0), () => r()));
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name =
      this.mode.kind === 'log'
        ? basename(this.mode.uri.path)
        : `${this.info.title.replace(/[^\w.-]+/g, '-')}-${stamp()}.schedtrace.log`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      title: 'Save the stderr log (trace and program lines as received)',
      filters: { 'Scheduler trace logs': ['log', 'schedtrace', 'txt'] },
    });
    if (!target) return;
    if (source.scheme === 'file' && target.scheme === 'file')
      await copyFile(source.fsPath, target.fsPath);
    else await vscode.workspace.fs.copy(source, target, { overwrite: true });
    void vscode.window.setStatusBarMessage(
      `Go Lens: saved ${vscode.workspace.asRelativePath(target)}`,
      5000,
    );
  }

  private removeLog(): void {
    const log = this.log;
    this.log = undefined;
    if (!log) return;
    log.stream.end(() => rmSync(log.path, { force: true }));
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    SchedDashboard.all.delete(this);
    if (SchedDashboard.activeDashboard === this) SchedDashboard.activeDashboard = undefined;
    for (const d of this.disposables) d.dispose();
    this.session?.dispose();
    clearInterval(this.traceWatch);
    // Closing the view ends the run and everything it started; the terminal stays so the
    // program's output can still be read.
    this.building?.abort();
    const run = this.run;
    if (run) void run.stop().then(() => this.removeLog());
    else this.removeLog();
    SchedDashboard.onDidChange?.();
  }

  /** The window is closing: kill every run at once. */
  static killAll(): void {
    for (const d of SchedDashboard.all) {
      d.building?.abort();
      d.run?.kill();
    }
  }
}
