// What "Run with Scheduler Trace" runs, and getting it ready to run.
//
// Go packages are built first (`go build -o <tmp>/<name>`, or `go test -c` for tests) and the
// binary is run directly — not `go run` / `go test`:
//  * GODEBUG goes to the program only. Under `go run` the go command and the compiler would
//    run with schedtrace/gctrace set too, and their own SCHED and gc lines would land on the
//    same stderr as the program's, on their own time axes.
//  * Signals reach the program: Stop and Ctrl+C signal the program's process group, and no go
//    command sits in between (one that, once signalled, may leave its child running).
//  * A build failure is reported as one, before anything runs.
//
// Go sources are built "attached" (src/run/attach.ts): the overlay adds profiling endpoints on
// a loopback port, so every run is a capture target. The launcher's options (LaunchOptions)
// decide the rest: GODEBUG scheduler trace, -race, GOTRACEBACK=crash with core files, perf.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { mergeGorace } from '../core/races';
import { withSchedGodebug, type SchedTraceDebug } from '../core/schedtrace/godebug';
import { goCommand } from '../toolchain/go-env';
import {
  attachChannel,
  buildAttached,
  quoteArg,
  wrapForOptions,
  runGoCommand,
  type AttachChannel,
  type FlightRecorderSettings,
} from './attach';
import { LaunchError } from './launch-error';
import type { ProgramTerminal } from './program-terminal';
import type { ProcessSpec } from './traced-process';

export { LaunchError } from './launch-error';

/** One entry of `goLens.schedTrace.configurations`. */
export interface RunConfiguration {
  name: string;
  /** A binary, or a Go package directory / .go file to build first. */
  program: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Extra `go build` flags when `program` is Go source (e.g. ["-race"]). */
  buildFlags?: string[];
  /** `test`: build the package's tests (`go test -c`) and run them with `args` (launch.json mode "test"). */
  mode?: 'test';
}

/** What a run adds to the program (Go Lens: Run…), remembered per configuration. */
export interface LaunchOptions {
  /** Profiling endpoints from the overlay: the run becomes a capture target. */
  profiling: boolean;
  /** A runtime/trace.FlightRecorder (Go 1.25+) served by the overlay. */
  flightRecorder: boolean;
  /** GODEBUG=schedtrace,gctrace with the scheduler dashboard. */
  schedTrace: boolean;
  /** Build with -race. */
  race: boolean;
  /** GOTRACEBACK=crash and `ulimit -c unlimited`: a crash leaves a core file. */
  crash: boolean;
  /** Run under `perf record -g`. */
  perf: boolean;
}

export const DEFAULT_LAUNCH_OPTIONS: LaunchOptions = {
  profiling: true,
  flightRecorder: false,
  schedTrace: false,
  race: false,
  crash: false,
  perf: false,
};

export type LaunchTarget = (
  | { kind: 'package'; dir: string; folder?: vscode.WorkspaceFolder }
  | { kind: 'test'; dir: string; folder?: vscode.WorkspaceFolder }
  | { kind: 'configuration'; configuration: RunConfiguration; folder?: vscode.WorkspaceFolder }
) & {
  /** What the run adds; absent: Run with Scheduler Trace's (profiling and the scheduler trace). */
  options?: LaunchOptions;
  /** Test binary arguments (e.g. -test.run) for a `test` target. */
  testArgs?: string[];
};

/** Settings of a run, read when it starts (a restart reads them again). */
export interface SchedRunSettings extends SchedTraceDebug {
  env: Record<string, string>;
}

export function readRunSettings(scope?: vscode.Uri): SchedRunSettings {
  const c = vscode.workspace.getConfiguration('goLens.schedTrace', scope);
  const env = c.get<Record<string, unknown>>('env') ?? {};
  return {
    intervalMs: Math.max(1, Math.round(c.get<number>('intervalMs') ?? 1000)),
    detail: c.get<boolean>('detail') ?? false,
    gctrace: c.get<boolean>('gctrace') ?? true,
    scavtrace: c.get<boolean>('scavtrace') ?? false,
    env: Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
  };
}

export function targetLabel(t: LaunchTarget): string {
  switch (t.kind) {
    case 'package':
      return basename(t.dir);
    case 'test':
      return `${basename(t.dir)} tests`;
    case 'configuration':
      return t.configuration.name;
  }
}

/** Asks what to run: the active Go file's package (main or its tests), or a configured entry. */
export async function pickTarget(): Promise<LaunchTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  const goFile =
    editor && editor.document.uri.scheme === 'file' && editor.document.languageId === 'go'
      ? editor.document.uri
      : undefined;
  type Item = vscode.QuickPickItem & { target?: LaunchTarget; openSettings?: boolean };
  const items: Item[] = [];
  if (goFile) {
    const dir = dirname(goFile.fsPath);
    const folder = vscode.workspace.getWorkspaceFolder(goFile);
    const rel = folder ? vscode.workspace.asRelativePath(dir, false) : dir;
    const isTest = goFile.fsPath.endsWith('_test.go');
    const pkg: Item = {
      label: '$(play) Run this package',
      description: `go build, then run — ./${rel === dir ? basename(dir) : rel}`,
      target: { kind: 'package', dir, folder },
    };
    const tests: Item = {
      label: "$(beaker) Run this package's tests",
      description: `go test -c, then run -test.v — ./${rel === dir ? basename(dir) : rel}`,
      target: { kind: 'test', dir, folder },
    };
    items.push(...(isTest ? [tests, pkg] : [pkg, tests]));
  }
  for (const folder of vscode.workspace.workspaceFolders ?? [undefined]) {
    const configs =
      vscode.workspace
        .getConfiguration('goLens.schedTrace', folder?.uri)
        .get<unknown[]>('configurations') ?? [];
    for (const c of configs) {
      const configuration = asConfiguration(c);
      if (!configuration) continue;
      items.push({
        label: `$(gear) ${configuration.name}`,
        description: [configuration.program, ...(configuration.args ?? [])].join(' '),
        detail:
          folder && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder.name : undefined,
        target: { kind: 'configuration', configuration, folder },
      });
    }
  }
  items.push({
    label: '$(settings-gear) Add a command line…',
    description: 'goLens.schedTrace.configurations',
    openSettings: true,
  });
  if (items.length === 1 && !goFile) {
    void vscode.window.showInformationMessage(
      'Go Lens: open a Go file of the package to run, or add a command line to goLens.schedTrace.configurations.',
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Run with Scheduler Trace',
    placeHolder: 'What to run with GODEBUG=schedtrace,gctrace',
  });
  if (picked?.openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
      revealSetting: { key: 'goLens.schedTrace.configurations', edit: true },
    });
    return undefined;
  }
  return picked?.target;
}

function asConfiguration(v: unknown): RunConfiguration | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.program !== 'string' || o.program === '') return undefined;
  const strings = (a: unknown) =>
    Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : undefined;
  const env =
    typeof o.env === 'object' && o.env !== null
      ? Object.fromEntries(
          Object.entries(o.env).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : undefined;
  return {
    name: typeof o.name === 'string' && o.name !== '' ? o.name : basename(o.program),
    program: o.program,
    args: strings(o.args),
    cwd: typeof o.cwd === 'string' ? o.cwd : undefined,
    env,
    buildFlags: strings(o.buildFlags),
  };
}

/** `${workspaceFolder}`, `${file}`, `${env:NAME}`… in configuration strings, as launch.json has them. */
export function substitute(
  text: string,
  folder: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const file = vscode.window.activeTextEditor?.document.uri;
  const filePath = file?.scheme === 'file' ? file.fsPath : '';
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name.startsWith('env:')) return env[name.slice(4)] ?? '';
    switch (name) {
      case 'workspaceFolder':
      case 'workspaceRoot':
        return folder ?? whole;
      case 'workspaceFolderBasename':
        return folder ? basename(folder) : whole;
      case 'file':
        return filePath || whole;
      case 'fileDirname':
        return filePath ? dirname(filePath) : whole;
      case 'userHome':
        return homedir();
      default:
        return whole;
    }
  });
}

/** A target made ready: the process to start, and what to say about it. */
export interface PreparedRun {
  spec: ProcessSpec;
  /** The command line, for the terminal and the dashboard. */
  display: string;
  godebug: string;
  /** Removes the built binary. */
  cleanup(): void;
  /** The program itself (under perf or a shell, `spec.file` is not). */
  executable?: string;
  /** Where the overlay reports its endpoints (profiling on and Go sources built). */
  attach?: AttachChannel;
  /** The toolchain's version, when Go sources were built. */
  goVersion?: string;
  /** The flight recorder was asked for but the toolchain is older than Go 1.25. */
  flightRecorderUnsupported?: boolean;
  /** The perf.data file being recorded. */
  perfData?: string;
  /** The options the run was prepared with. */
  options?: LaunchOptions;
}

const quote = quoteArg;

/**
 * Runs a build step, its output in the terminal. Resolves on success; rejects with a LaunchError
 * carrying its exit code and last lines.
 */
export function build(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  terminal: ProgramTerminal,
  signal: AbortSignal,
): Promise<void> {
  return runGoCommand(binary, args, cwd, env, terminal, signal);
}

/** The flight recorder's window from goLens.run.flightRecorder.* settings. */
export function readFlightRecorderSettings(scope?: vscode.Uri): FlightRecorderSettings {
  const c = vscode.workspace.getConfiguration('goLens.run.flightRecorder', scope);
  const minAge = c.get<number>('minAgeSeconds') ?? 10;
  const maxBytes = c.get<number>('maxBytes') ?? 0;
  return {
    minAgeMs: Number.isFinite(minAge) && minAge > 0 ? minAge * 1000 : 0,
    maxBytes: Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : 0,
  };
}

/** The perf binary when installed (the option is offered only then). */
export function perfAvailable(): boolean {
  return ['/usr/bin/perf', '/usr/local/bin/perf', '/usr/sbin/perf'].some((p) => existsSync(p));
}

/** Builds (for Go sources) and resolves the process to start, with our GODEBUG merged in. */
export async function prepareRun(
  target: LaunchTarget,
  settings: SchedRunSettings,
  terminal: ProgramTerminal,
  signal: AbortSignal,
): Promise<PreparedRun> {
  return prepareLaunch(
    target,
    target.options ?? { ...DEFAULT_LAUNCH_OPTIONS, schedTrace: true },
    settings,
    terminal,
    signal,
  );
}

/**
 * Builds (for Go sources, attached when `options.profiling`) and resolves the process to start:
 * the program, or a shell raising the core size limit, or perf recording it. `sched` is the
 * GODEBUG trace to merge in when `options.schedTrace`.
 */
export async function prepareLaunch(
  target: LaunchTarget,
  options: LaunchOptions,
  sched: SchedRunSettings | undefined,
  terminal: ProgramTerminal,
  signal: AbortSignal,
): Promise<PreparedRun> {
  const go = goCommand();
  const folder = target.folder?.uri.fsPath;
  const configEnv = target.kind === 'configuration' ? (target.configuration.env ?? {}) : {};
  const baseEnv: NodeJS.ProcessEnv = { ...go.env };
  for (const [k, v] of Object.entries({ ...(options.schedTrace ? sched?.env : {}), ...configEnv }))
    baseEnv[k] = substitute(v, folder, go.env);
  const outDir = mkdtempSync(join(tmpdir(), 'golens-run-'));
  let attach: AttachChannel | undefined;
  const cleanup = () => {
    rmSync(outDir, { recursive: true, force: true });
    attach?.dispose();
  };
  const exe = process.platform === 'win32' ? '.exe' : '';
  let goVersion: string | undefined;
  let flightRecorderSupported = false;
  // The build runs without our GODEBUG (see the top of this file); the user's own is kept.
  const attached = async (
    dir: string,
    output: string,
    extra: { test?: boolean; files?: string[]; buildFlags?: string[] },
  ) => {
    const b = await buildAttached({
      go: { binary: go.binary, env: baseEnv },
      dir,
      output,
      test: extra.test,
      files: extra.files,
      buildFlags: extra.buildFlags,
      attach: options.profiling,
      race: options.race,
      sink: terminal,
      signal,
    });
    goVersion = b.goVersion;
    flightRecorderSupported = b.flightRecorderSupported;
    return b;
  };
  try {
    let file: string;
    let args: string[] = [];
    let cwd: string;
    let built = true;
    if (target.kind === 'package') {
      file = join(outDir, basename(target.dir) + exe);
      cwd = target.dir;
      await attached(target.dir, file, {});
    } else if (
      target.kind === 'test' ||
      (target.kind === 'configuration' && target.configuration.mode === 'test')
    ) {
      const dir =
        target.kind === 'test' ? target.dir : resolveProgram(target.configuration, folder, baseEnv);
      file = join(outDir, basename(dir) + '.test' + exe);
      cwd = dir;
      args =
        target.kind === 'test'
          ? ['-test.v', ...(target.testArgs ?? [])]
          : (target.configuration.args ?? []).map((a) => substitute(a, folder, baseEnv));
      const b = await attached(dir, file, {
        test: true,
        buildFlags: target.kind === 'configuration' ? target.configuration.buildFlags : undefined,
      });
      // `go test -c` succeeds without writing anything for a package without tests.
      if (!b.built)
        throw new LaunchError(
          `${basename(dir)} has no test files: go test -c built no test binary. Open a Go file of a package with _test.go files, or run the package itself.`,
        );
    } else {
      const c = target.configuration;
      const base = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
      const program = resolveProgram(c, folder, baseEnv);
      // Default working directory: the package for Go sources (as `go run` from there), the workspace folder for binaries.
      cwd = c.cwd
        ? resolve(base, substitute(c.cwd, folder, baseEnv))
        : isDirectory(program)
          ? program
          : program.endsWith('.go')
            ? dirname(program)
            : base;
      args = (c.args ?? []).map((a) => substitute(a, folder, baseEnv));
      if (isDirectory(program) || program.endsWith('.go')) {
        const pkgDir = isDirectory(program) ? program : dirname(program);
        file = join(outDir, basename(pkgDir) + exe);
        await attached(pkgDir, file, {
          files: isDirectory(program) ? undefined : [basename(program)],
          buildFlags: c.buildFlags,
        });
      } else {
        // A prebuilt binary (launch.json mode "exec"): nothing can be added to it.
        file = isAbsolute(program) ? program : resolve(base, program);
        built = false;
      }
    }
    const env: NodeJS.ProcessEnv =
      options.schedTrace && sched
        ? withSchedGodebug(baseEnv, sched, process.platform === 'win32')
        : { ...baseEnv };
    if (options.profiling && built) {
      attach = attachChannel(
        options.flightRecorder && flightRecorderSupported
          ? readFlightRecorderSettings(target.folder?.uri)
          : undefined,
      );
      Object.assign(env, attach.env);
    }
    if (options.race) {
      // goLens.race.gorace (history_size, halt_on_error…) on top of any GORACE already set.
      const gorace = mergeGorace(
        env.GORACE,
        vscode.workspace
          .getConfiguration('goLens.race', target.folder?.uri)
          .get<string>('gorace') ?? '',
      );
      if (gorace) env.GORACE = gorace;
    }
    const executable = file;
    const perfData = options.perf ? join(outDir, 'perf.data') : undefined;
    const spec: ProcessSpec = wrapForOptions({ file, args, cwd, env }, options, perfData);
    const godebug = options.schedTrace ? (env.GODEBUG ?? '') : '';
    const prefix = [
      godebug ? `GODEBUG=${godebug}` : '',
      options.race && env.GORACE ? `GORACE=${quoteArg(env.GORACE)}` : '',
      options.crash ? 'GOTRACEBACK=crash' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const display = `${prefix ? prefix + ' ' : ''}${(options.perf ? ['perf', 'record', '-g', '--', executable, ...args] : [executable, ...args]).map(quote).join(' ')}`;
    return {
      spec,
      display,
      godebug,
      cleanup,
      executable,
      attach,
      goVersion,
      flightRecorderUnsupported: options.flightRecorder && built && !flightRecorderSupported,
      perfData,
      options,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

function resolveProgram(
  c: RunConfiguration,
  folder: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const base = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return resolve(base, substitute(c.program, folder, env));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
