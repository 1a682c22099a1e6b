// One program run by Go Lens: Run… — the one process model (a pseudoterminal the user can type
// into, Stop, Restart, the process group killed when the terminal closes, the exit shown with
// its code or signal), plus what the launcher's options add: the run registered as a capture
// target while its endpoints listen, a panic or fatal error spotted as it is printed and shown
// in the Goroutines view, a core file offered to Open Core Dump, a perf recording opened in the
// profile viewer. Runs with the scheduler trace option go to the scheduler dashboard instead,
// which owns its process the same way (src/views/sched/dashboard.ts) and reports a crash through
// the same src/run/crash-report.ts.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CrashScanner } from './crash-scanner';
import { announceCrash, collectCrash, reportCrash, stamp } from './crash-report';
import {
  LaunchError,
  prepareLaunch,
  targetLabel,
  type LaunchOptions,
  type LaunchTarget,
  type PreparedRun,
} from './launch';
import { liveRuns, registerWhenAttached, type LiveRun } from './live-runs';
import { ProgramTerminal } from './program-terminal';
import { TracedProcess, type ExitInfo } from './traced-process';
import { formatMs } from '../core/format/units';

/** What a mode of the launcher (Profile Test) adds around each run of a session, Restart included. */
export interface RunHooks {
  /** Before each build. */
  beforeStart?(): void;
  /**
   * Once each run is over: `info` undefined when it never started (the build failed or was
   * cancelled — the session said so). The hook tells the user what the exit means, in place of
   * the session's own "exited with code N" error.
   */
  ended(info: ExitInfo | undefined, prepared: PreparedRun | undefined): Promise<void> | void;
}

export type RunState = 'building' | 'running' | 'exited' | 'failed';

export class RunSession {
  readonly label: string;
  state: RunState = 'building';
  private terminal: ProgramTerminal | undefined;
  private run: TracedProcess | undefined;
  private prepared: PreparedRun | undefined;
  private building: AbortController | undefined;
  private live: LiveRun | undefined;
  private starting: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly storageDir: string,
    readonly target: LaunchTarget,
    readonly options: LaunchOptions,
    private readonly onChange: (s: RunSession) => void,
    private readonly hooks?: RunHooks,
  ) {
    this.label = targetLabel(target);
  }

  get running(): boolean {
    return this.state === 'building' || this.state === 'running';
  }

  get pid(): number | undefined {
    return this.run?.pid;
  }

  /** The capture target while the run's endpoints listen. */
  get liveRun(): LiveRun | undefined {
    return this.live;
  }

  start(): Promise<void> {
    this.starting = this.doStart();
    return this.starting;
  }

  private setState(s: RunState): void {
    this.state = s;
    this.onChange(this);
  }

  private async doStart(): Promise<void> {
    if (!this.terminal || this.terminal.isClosed) {
      this.terminal = new ProgramTerminal(`Go Lens: ${this.label}`);
      this.terminal.show(true);
    }
    const terminal = this.terminal;
    this.hooks?.beforeStart?.();
    this.setState('building');
    const abort = new AbortController();
    this.building = abort;
    let prepared: PreparedRun;
    try {
      prepared = await prepareLaunch(this.target, this.options, undefined, terminal, abort.signal);
    } catch (err) {
      this.building = undefined;
      if (this.disposed) return;
      if (abort.signal.aborted) {
        terminal.notice('[build cancelled]');
        this.setState('exited');
        await this.hooks?.ended(undefined, undefined);
        return;
      }
      const e = err as Error;
      const lastLines = err instanceof LaunchError ? err.lastLines : [];
      terminal.notice(e.message);
      this.setState('failed');
      void vscode.window
        .showErrorMessage(
          `Go Lens: ${e.message}${lastLines.length ? ` Last lines: ${lastLines.slice(-3).join(' ⏎ ')}` : ''}`,
          'Show Output',
        )
        .then((a) => a && terminal.show(false));
      await this.hooks?.ended(undefined, undefined);
      return;
    }
    this.building = undefined;
    if (this.disposed || abort.signal.aborted) {
      prepared.cleanup();
      if (!this.disposed) this.setState('exited');
      await this.hooks?.ended(undefined, undefined);
      return;
    }
    this.prepared = prepared;
    if (this.target.kind === 'configuration' && !prepared.attach && this.options.profiling) {
      terminal.notice(
        `(${this.target.configuration.program} is a prebuilt binary: Go Lens adds its profiling endpoints when it builds the program from source)`,
      );
    }
    if (prepared.flightRecorderUnsupported)
      terminal.notice(
        `(no flight recorder: ${prepared.goVersion} is older than Go 1.25, where runtime/trace.FlightRecorder appeared)`,
      );
    terminal.notice(`$ ${prepared.display}`);

    const id = liveRuns.newId();
    let reported = false;
    const scanner = new CrashScanner();
    const outDecoder = new TextDecoder();
    const errDecoder = new TextDecoder();
    const run = new TracedProcess(prepared.spec, {
      stdout: (chunk) => {
        terminal.write(outDecoder.decode(chunk, { stream: true }));
        liveRuns.output(id, chunk, 'stdout');
      },
      stderr: (chunk) => {
        const text = errDecoder.decode(chunk, { stream: true });
        terminal.write(text);
        liveRuns.output(id, chunk, 'stderr');
        announceCrash(this.label, scanner.push(text));
      },
      spawnError: (err) => {
        const problem = `Could not start ${prepared.spec.file}: ${err.code ?? err.message}. ${prepared.options?.perf ? 'Is perf installed (apt-get install linux-perf)?' : 'Check the program path and that it is executable.'}`;
        terminal.notice(problem);
        void vscode.window.showErrorMessage(`Go Lens: ${problem}`);
      },
      exit: (info) => {
        terminal.write(outDecoder.decode() + errDecoder.decode());
        liveRuns.ended(id);
        void this.onExit(run, prepared, scanner, info, reported);
      },
    });
    this.run = run;
    liveRuns.started({ id, label: this.label, race: this.options.race === true });
    terminal.attach({
      input: (line) => run.write(line),
      interrupt: () => run.interrupt(),
      endOfInput: () => run.closeStdin(),
      closed: () => void this.stop(),
    });
    if (run.pid === undefined) return;
    this.setState('running');
    const live = await registerWhenAttached(id, this.label, prepared, run);
    if (!live || this.run !== run) return;
    reported = true;
    this.live = live;
    this.onChange(this);
    terminal.notice(
      `[Go Lens: pid ${live.pid ?? '?'}, profiling endpoints at ${live.target.baseUrl}${live.target.flightRecorder ? `, flight recorder at ${live.target.flightRecorder}` : ''} — Capture CPU Profile, Goroutine Dump and Execution Trace pick this run]`,
    );
  }

  private async onExit(
    run: TracedProcess,
    prepared: PreparedRun,
    scanner: CrashScanner,
    info: ExitInfo,
    reported: boolean,
  ): Promise<void> {
    const terminal = this.terminal;
    if (this.run === run) this.run = undefined;
    this.live = undefined;
    terminal?.attach(undefined);
    const how = info.signal ? `was ended by ${info.signal}` : `exited with code ${info.code}`;
    terminal?.notice(
      `[${info.stopped ? 'stopped: ' : ''}process ${how} after ${formatMs(info.durationMs)}]`,
    );
    const failed = !info.stopped && (info.signal !== null || (info.code ?? 0) !== 0);
    const crash = collectCrash(this.storageDir, prepared, run, scanner);
    const perf =
      prepared.perfData && existsSync(prepared.perfData)
        ? this.keep(prepared.perfData, `perf-${stamp()}.data`)
        : undefined;
    // The binary stays while its core is offered: Delve needs both.
    if (!crash.core) prepared.cleanup();
    if (this.prepared === prepared) this.prepared = undefined;
    if (this.disposed) return;
    this.setState(failed ? 'failed' : 'exited');

    if (prepared.attach && !reported && !info.stopped && !crash.crashFile) {
      void vscode.window.showWarningMessage(
        `Go Lens: ${this.label} ${how} after ${formatMs(info.durationMs)}, before anything could be captured from it. To profile a short program, run it with golens run --cpu-profile, or make it run longer (e.g. give it more input).`,
      );
    }
    if (this.hooks) await this.hooks.ended(info, prepared);
    else if (failed && !crash.crashFile) {
      void vscode.window
        .showErrorMessage(
          `Go Lens: ${this.label} ${how} after ${formatMs(info.durationMs)}.`,
          'Show Output',
        )
        .then((a) => a && terminal?.show(false));
    }
    await reportCrash(this.label, crash, prepared, info, terminal);
    if (perf) {
      terminal?.notice(`[perf recording: ${perf}]`);
      await vscode.commands.executeCommand(
        'vscode.openWith',
        vscode.Uri.file(perf),
        'goLens.profileViewer',
      );
    }
  }

  /** Copies a file the run produced out of its temporary directory. */
  private keep(path: string, name: string): string {
    mkdirSync(this.storageDir, { recursive: true });
    const dest = join(this.storageDir, name);
    copyFileSync(path, dest);
    return dest;
  }

  /** Stops the run (or its build): SIGINT to its group, then SIGKILL. */
  async stop(): Promise<void> {
    this.building?.abort();
    const run = this.run;
    if (run) await run.stop();
    await this.starting?.catch(() => undefined);
  }

  async restart(): Promise<void> {
    await this.stop();
    if (this.disposed) return;
    this.terminal?.notice('──── restarting ────');
    await this.start();
  }

  /** The window is closing: kill at once. */
  kill(): void {
    this.disposed = true;
    this.building?.abort();
    this.run?.kill();
  }

  showTerminal(): void {
    this.terminal?.show(false);
  }
}

export { findCore } from './find-core';
