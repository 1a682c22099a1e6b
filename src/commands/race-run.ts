// "Run Tests with Race Detector" and "Run Program with Race Detector": build with -race
// (`go test -c -race` / `go build -race`), run the binary through today's runner pieces
// (TracedProcess in its own process group, output in a ProgramTerminal that forwards input and
// Ctrl+C), and feed its output to the race collector so races appear while it runs. Stop ends
// the whole process group; Restart builds and runs the same target again, replacing its races.
//
// -race needs cgo and a C compiler; both are checked before building, and a build that fails
// for that reason says so. In Restricted Mode nothing is built or run.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { mergeGorace } from '../core/races';
import { quoteArg, runGoCommand } from '../run/attach';
import { substitute } from '../run/launch';
import { LaunchError } from '../run/launch-error';
import { ProgramTerminal } from '../run/program-terminal';
import { TracedProcess, type ExitInfo } from '../run/traced-process';
import { goCommand } from '../toolchain/go-env';
import { checkRaceToolchain, INSTALL_CC } from '../toolchain/race-toolchain';
import type { RaceCollector } from '../views/races/store';
import { formatMs } from '../core/format/units';

export type RaceTarget =
  /** The package's tests (all, or the one named). */
  | { kind: 'tests'; dir: string; test?: string }
  /** A main package: the active file's, or one of `goLens.schedTrace.configurations` (Go sources only). */
  | {
      kind: 'program';
      dir: string;
      args?: string[];
      cwd?: string;
      env?: Record<string, string>;
      buildFlags?: string[];
      name?: string;
    };

/** A failure meant for the user: names what is wrong and what to do. */
export class RaceRunError extends Error {
  override name = 'RaceRunError';
}

function targetLabel(t: RaceTarget): string {
  const pkg = basename(t.dir);
  return t.kind === 'tests' ? (t.test ? `${t.test} (${pkg})` : `${pkg} tests`) : (t.name ?? pkg);
}

/** The run id a target's races are kept under: a rerun of the same target replaces them. */
export function raceRunId(t: RaceTarget): string {
  return `race-run:${t.kind}:${t.dir}:${t.kind === 'tests' ? (t.test ?? '') : (t.name ?? '')}`;
}

/**
 * Runs one build command through the launcher's build step, its output in the terminal, and
 * says what went wrong in race-detector terms: a missing cgo or C compiler is named as such.
 */
async function build(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  terminal: ProgramTerminal,
  signal: AbortSignal,
): Promise<void> {
  try {
    await runGoCommand(binary, args, cwd, env, terminal, signal);
  } catch (err) {
    const lines = err instanceof LaunchError ? err.lastLines : [];
    if (
      lines.some((l) =>
        /-race requires cgo|cgo: C compiler .* not found|exec: "?\w*(gcc|clang|cc)"?: executable file not found/.test(
          l,
        ),
      )
    ) {
      throw new RaceRunError(
        `The race detector needs cgo and a C compiler, and the build could not use one. ${INSTALL_CC}, make sure CGO_ENABLED=1, and run again.`,
      );
    }
    const last = lines.slice(-3).join(' | ');
    throw new RaceRunError(
      err instanceof LaunchError && lines.length
        ? `${err.message.replace(/\.$/, '')}: ${last}`
        : (err as Error).message,
    );
  }
}

interface ActiveRun {
  target: RaceTarget;
  process?: TracedProcess;
  abort: AbortController;
  done: Promise<void>;
}

export class RaceRunner implements vscode.Disposable {
  private terminal: ProgramTerminal | undefined;
  private active: ActiveRun | undefined;
  private last: RaceTarget | undefined;

  constructor(
    private readonly collector: RaceCollector,
    private readonly onRunningChanged: (running: boolean) => void,
  ) {}

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Builds and runs `target` with -race; a run in progress is stopped first. */
  async run(target: RaceTarget): Promise<ExitInfo | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        "Go Lens runs nothing in Restricted Mode: running with the race detector builds and runs this workspace's code. Trust the workspace to run it.",
      );
      return undefined;
    }
    await this.stop();
    this.last = target;
    if (!this.terminal || this.terminal.isClosed) {
      this.terminal?.dispose();
      this.terminal = new ProgramTerminal('Go Lens: Race Detector');
    }
    const terminal = this.terminal;
    // Each run starts on a clean screen: a terminal that was hidden during the last run keeps
    // its scroll position, and the new run's output would sit below the fold.
    terminal.write('\x1b[3J\x1b[2J\x1b[H');
    terminal.show(true);
    const abort = new AbortController();
    let finish!: () => void;
    const run: ActiveRun = { target, abort, done: new Promise((r) => (finish = r)) };
    this.active = run;
    this.onRunningChanged(true);
    try {
      return await this.execute(run, terminal);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      terminal.notice(message);
      if (!abort.signal.aborted) void vscode.window.showErrorMessage(`Go Lens: ${message}`);
      return undefined;
    } finally {
      if (this.active === run) this.active = undefined;
      finish();
      this.onRunningChanged(this.active !== undefined);
    }
  }

  private async execute(run: ActiveRun, terminal: ProgramTerminal): Promise<ExitInfo | undefined> {
    const { target, abort } = run;
    const go = goCommand();
    const settings = vscode.workspace.getConfiguration('goLens.race', vscode.Uri.file(target.dir));
    const missing = await checkRaceToolchain(go.binary, go.env, target.dir);
    if (missing) throw new RaceRunError(missing);
    const outDir = mkdtempSync(join(tmpdir(), 'golens-race-'));
    try {
      const exe = process.platform === 'win32' ? '.exe' : '';
      let file: string;
      let args: string[];
      if (target.kind === 'tests') {
        file = join(outDir, basename(target.dir) + '.test' + exe);
        await build(
          go.binary,
          ['test', '-c', '-race', '-o', file, '.'],
          target.dir,
          go.env,
          terminal,
          abort.signal,
        );
        if (!existsSync(file))
          throw new RaceRunError(
            `${basename(target.dir)} has no test files: go test -c built no test binary. Open a _test.go file of a package with tests.`,
          );
        args = ['-test.v', ...(target.test ? ['-test.run', `^${target.test}$`] : [])];
      } else {
        file = join(outDir, basename(target.dir) + exe);
        await build(
          go.binary,
          [
            'build',
            '-race',
            ...(target.buildFlags ?? []).filter((f) => f !== '-race'),
            '-o',
            file,
            '.',
          ],
          target.dir,
          go.env,
          terminal,
          abort.signal,
        );
        args = target.args ?? [];
      }
      if (abort.signal.aborted) return undefined;
      const configured = target.kind === 'program' ? (target.env ?? {}) : {};
      const gorace = mergeGorace(
        configured.GORACE ?? go.env.GORACE,
        settings.get<string>('gorace') ?? '',
      );
      const env: Record<string, string | undefined> = {
        ...go.env,
        ...configured,
        GORACE: gorace || undefined,
      };
      const cwd = target.kind === 'program' && target.cwd ? target.cwd : target.dir;
      const runId = raceRunId(target);
      this.collector.begin(runId, targetLabel(target));
      terminal.notice(
        `$ ${gorace ? `GORACE=${quoteArg(gorace)} ` : ''}${[file, ...args].map(quoteArg).join(' ')}`,
      );
      const decoders = { out: new TextDecoder('utf-8'), err: new TextDecoder('utf-8') };
      const show = (pipe: 'out' | 'err') => (chunk: Uint8Array) => {
        terminal.write(decoders[pipe].decode(chunk, { stream: true }));
        this.collector.feed(runId, chunk, pipe);
      };
      let resolveExit!: (info: ExitInfo) => void;
      const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
      // On POSIX the program's stderr goes into its stdout pipe (a shell that execs it with
      // 2>&1): the race reports (stderr) and the testing package's "race detected during
      // execution of test" (stdout) then arrive in the order they were written, which two
      // pipes do not keep.
      const spec =
        process.platform === 'win32'
          ? { file, args, cwd, env }
          : { file: '/bin/sh', args: ['-c', 'exec "$0" "$@" 2>&1', file, ...args], cwd, env };
      const proc = new TracedProcess(spec, {
        stdout: show('out'),
        stderr: show('err'),
        spawnError: (err) => terminal.notice(`could not start ${file}: ${err.message}`),
        exit: (info) => resolveExit(info),
      });
      run.process = proc;
      terminal.attach({
        input: (line) => proc.write(line),
        interrupt: () => proc.interrupt(),
        endOfInput: () => proc.closeStdin(),
        closed: () => void proc.stop(),
      });
      const info = await exited;
      terminal.attach(undefined);
      await this.collector.end(runId);
      const how = info.stopped
        ? 'stopped'
        : info.signal
          ? `ended by ${info.signal}`
          : info.code === 66
            ? 'exit code 66: the race detector found data races'
            : `exit code ${info.code}`;
      terminal.notice(`${targetLabel(target)}: ${how} (${formatMs(info.durationMs)})`);
      return info;
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }

  /** Stops the run in progress (its whole process group), or cancels its build. */
  async stop(): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.abort.abort();
    await run.process?.stop();
    await run.done;
  }

  /** Runs the last target again. */
  async restart(): Promise<void> {
    const target = this.active?.target ?? this.last;
    if (!target) {
      void vscode.window.showInformationMessage(
        'Go Lens: nothing was run with the race detector yet. Use "Run Tests with Race Detector" or "Run Program with Race Detector".',
      );
      return;
    }
    await this.run(target);
  }

  dispose(): void {
    this.active?.abort.abort();
    this.active?.process?.kill();
    this.terminal?.dispose();
  }
}

/** The package directory of the active Go file, or undefined. */
export function activeGoPackage(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file' || doc.languageId !== 'go') return undefined;
  return dirname(doc.uri.fsPath);
}

/**
 * What "Run Program with Race Detector" runs: the active Go file's package, or a command line of
 * `goLens.schedTrace.configurations` whose program is Go source (a binary cannot be rebuilt
 * with -race). Asks only when there is a choice.
 */
export async function pickRaceProgram(): Promise<RaceTarget | undefined> {
  type Item = vscode.QuickPickItem & { target: RaceTarget };
  const items: Item[] = [];
  const dir = activeGoPackage();
  if (dir)
    items.push({
      label: '$(play) Run this package',
      description: `go build -race, then run — ${vscode.workspace.asRelativePath(dir)}`,
      target: { kind: 'program', dir },
    });
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const configs =
      vscode.workspace
        .getConfiguration('goLens.schedTrace', folder.uri)
        .get<unknown[]>('configurations') ?? [];
    for (const c of configs) {
      if (typeof c !== 'object' || c === null) continue;
      const o = c as Record<string, unknown>;
      if (typeof o.program !== 'string') continue;
      const strings = (a: unknown) =>
        Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : undefined;
      const sub = (t: string) => substitute(t, folder.uri.fsPath, process.env);
      const program = resolve(folder.uri.fsPath, sub(o.program));
      const pkgDir = program.endsWith('.go') ? dirname(program) : program;
      if (!existsSync(pkgDir) || !statSync(pkgDir).isDirectory()) continue;
      const env =
        typeof o.env === 'object' && o.env !== null
          ? Object.fromEntries(
              Object.entries(o.env)
                .filter((e): e is [string, string] => typeof e[1] === 'string')
                .map(([k, v]) => [k, sub(v)]),
            )
          : undefined;
      const name = typeof o.name === 'string' && o.name ? o.name : basename(pkgDir);
      items.push({
        label: `$(gear) ${name}`,
        description: [o.program, ...(strings(o.args) ?? [])].join(' '),
        target: {
          kind: 'program',
          dir: pkgDir,
          name,
          args: strings(o.args)?.map(sub),
          cwd: typeof o.cwd === 'string' ? resolve(folder.uri.fsPath, sub(o.cwd)) : undefined,
          env,
          buildFlags: strings(o.buildFlags),
        },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'Go Lens: open a Go file of the main package to run with the race detector, or add a command line to goLens.schedTrace.configurations.',
    );
    return undefined;
  }
  if (items.length === 1) return items[0].target;
  return (
    await vscode.window.showQuickPick(items, {
      title: 'Run Program with Race Detector',
      placeHolder: 'What to build with -race and run',
    })
  )?.target;
}
