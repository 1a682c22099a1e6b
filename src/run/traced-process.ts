// One run of a program under GODEBUG tracing: stdio piped, its own process group, stop that
// asks first (SIGINT, as Ctrl+C would) and then kills the whole group. No vscode here, so the
// unit tests drive it against real Go programs.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { signalGroup, spawnGroup } from './process-group';

/** What to start: a binary (never `go run`: see src/run/launch.ts), its arguments, directory and environment. */
export interface ProcessSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface ExitInfo {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the user (or the view closing) stopped it. */
  stopped: boolean;
  durationMs: number;
}

export interface TracedProcessHandlers {
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  /** Called once, after the output streams are drained (or a short wait for them). */
  exit(info: ExitInfo): void;
  /** The program could not be started (not found, not executable…). `exit` still follows. */
  spawnError(err: NodeJS.ErrnoException): void;
}

/**
 * After the program exits, how long its output pipes may stay open before we stop waiting: a
 * grandchild that left the group (a daemon) can hold them open for ever.
 */
const DRAIN_MS = 2000;

/** How long a stopped program gets to exit after SIGINT before its group is killed. */
export const STOP_GRACE_MS = 2000;

export class TracedProcess {
  readonly pid: number | undefined;
  readonly startedAt = Date.now();
  /** Resolves when the program has exited and its output was delivered. */
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcessWithoutNullStreams;
  private stopping = false;
  private done = false;
  private killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    spec: ProcessSpec,
    private readonly handlers: TracedProcessHandlers,
  ) {
    this.child = spawnGroup(spec.file, spec.args, { cwd: spec.cwd, env: spec.env });
    this.pid = this.child.pid;
    let resolveExit!: (info: ExitInfo) => void;
    this.exited = new Promise((r) => (resolveExit = r));
    this.child.stdout.on('data', (d: Buffer) => handlers.stdout(d));
    this.child.stderr.on('data', (d: Buffer) => handlers.stderr(d));
    // Writing to a program that has closed stdin or exited must not crash the host.
    this.child.stdin.on('error', () => undefined);
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = () => {
      if (this.done) return;
      this.done = true;
      clearTimeout(this.killTimer);
      const info: ExitInfo = {
        code: exitInfo?.code ?? null,
        signal: exitInfo?.signal ?? null,
        stopped: this.stopping,
        durationMs: Date.now() - this.startedAt,
      };
      handlers.exit(info);
      resolveExit(info);
    };
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      handlers.spawnError(err);
      if (this.pid === undefined) finish();
    });
    this.child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      // The program is gone; whatever it started in its group goes with it, so nothing it left
      // behind outlives the run (and the group id cannot be reused while we still hold it).
      if (this.pid !== undefined) void signalGroup(this.pid, 'SIGKILL');
      const drain = setTimeout(() => {
        this.child.stdout.destroy();
        this.child.stderr.destroy();
        finish();
      }, DRAIN_MS);
      this.child.once('close', () => {
        clearTimeout(drain);
        finish();
      });
    });
  }

  get running(): boolean {
    return !this.done && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Writes to the program's stdin. */
  write(data: string | Uint8Array): void {
    if (this.running && this.child.stdin.writable) this.child.stdin.write(data);
  }

  /** Closes the program's stdin (Ctrl+D in the terminal). */
  closeStdin(): void {
    this.child.stdin.end();
  }

  /** Ctrl+C: SIGINT to the whole group, as a terminal would send it to the foreground job. */
  interrupt(): void {
    if (this.pid !== undefined && this.running) void signalGroup(this.pid, 'SIGINT');
  }

  /**
   * Stops the program and everything in its group: SIGINT first, SIGKILL to the group after
   * `graceMs` if it has not exited. Resolves when it has exited.
   */
  stop(graceMs = STOP_GRACE_MS): Promise<ExitInfo> {
    if (this.done) return this.exited;
    this.stopping = true;
    if (this.pid === undefined) return this.exited;
    void signalGroup(this.pid, 'SIGINT');
    clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => void signalGroup(this.pid!, 'SIGKILL'), graceMs);
    return this.exited;
  }

  /** Kills the group at once (the view was closed, the window is going away). */
  kill(): void {
    if (this.done || this.pid === undefined) return;
    this.stopping = true;
    void signalGroup(this.pid, 'SIGKILL');
  }
}
