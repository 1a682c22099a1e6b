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
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { withSchedGodebug, type SchedTraceDebug } from '../core/schedtrace/godebug';
import { goCommand } from '../toolchain/go-env';
import type { ProgramTerminal } from './program-terminal';
import type { ProcessSpec } from './traced-process';

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
}

export type LaunchTarget =
  | { kind: 'package'; dir: string; folder?: vscode.WorkspaceFolder }
  | { kind: 'test'; dir: string; folder?: vscode.WorkspaceFolder }
  | { kind: 'configuration'; configuration: RunConfiguration; folder?: vscode.WorkspaceFolder };

/** Settings of a run, read when it starts (a restart reads them again). */
export interface SchedRunSettings extends SchedTraceDebug {
  env: Record<string, string>;
}

/** A failure meant for the user: names what is wrong and what to do. */
export class LaunchError extends Error {
  override name = 'LaunchError';
  constructor(
    message: string,
    /** The last lines of output, when a build failed. */
    readonly lastLines: string[] = [],
  ) {
    super(message);
  }
}

export function readRunSettings(scope?: vscode.Uri): SchedRunSettings {
  const c = vscode.workspace.getConfiguration('goLens.schedTrace', scope);
  const env = c.get<Record<string, unknown>>('env') ?? {};
  return {
    intervalMs: Math.max(1, Math.round(c.get<number>('intervalMs') ?? 1000)),
    detail: c.get<boolean>('detail') ?? false,
    gctrace: c.get<boolean>('gctrace') ?? true,
    scavtrace: c.get<boolean>('scavtrace') ?? false,
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
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
  const goFile = editor && editor.document.uri.scheme === 'file' && editor.document.languageId === 'go' ? editor.document.uri : undefined;
  type Item = vscode.QuickPickItem & { target?: LaunchTarget; openSettings?: boolean };
  const items: Item[] = [];
  if (goFile) {
    const dir = dirname(goFile.fsPath);
    const folder = vscode.workspace.getWorkspaceFolder(goFile);
    const rel = folder ? vscode.workspace.asRelativePath(dir, false) : dir;
    const isTest = goFile.fsPath.endsWith('_test.go');
    const pkg: Item = { label: '$(play) Run this package', description: `go build, then run — ./${rel === dir ? basename(dir) : rel}`, target: { kind: 'package', dir, folder } };
    const tests: Item = { label: "$(beaker) Run this package's tests", description: `go test -c, then run -test.v — ./${rel === dir ? basename(dir) : rel}`, target: { kind: 'test', dir, folder } };
    items.push(...(isTest ? [tests, pkg] : [pkg, tests]));
  }
  for (const folder of vscode.workspace.workspaceFolders ?? [undefined]) {
    const configs = vscode.workspace.getConfiguration('goLens.schedTrace', folder?.uri).get<unknown[]>('configurations') ?? [];
    for (const c of configs) {
      const configuration = asConfiguration(c);
      if (!configuration) continue;
      items.push({
        label: `$(gear) ${configuration.name}`,
        description: [configuration.program, ...(configuration.args ?? [])].join(' '),
        detail: folder && (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder.name : undefined,
        target: { kind: 'configuration', configuration, folder },
      });
    }
  }
  items.push({ label: '$(settings-gear) Add a command line…', description: 'goLens.schedTrace.configurations', openSettings: true });
  if (items.length === 1 && !goFile) {
    void vscode.window.showInformationMessage('Go Lens: open a Go file of the package to run, or add a command line to goLens.schedTrace.configurations.');
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Run with Scheduler Trace', placeHolder: 'What to run with GODEBUG=schedtrace,gctrace' });
  if (picked?.openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'goLens.schedTrace.configurations', edit: true } });
    return undefined;
  }
  return picked?.target;
}

function asConfiguration(v: unknown): RunConfiguration | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.program !== 'string' || o.program === '') return undefined;
  const strings = (a: unknown) => (Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : undefined);
  const env = typeof o.env === 'object' && o.env !== null ? Object.fromEntries(Object.entries(o.env).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
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
export function substitute(text: string, folder: string | undefined, env: NodeJS.ProcessEnv): string {
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
}

function quote(arg: string): string {
  return /^[\w./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The go toolchain could not be started. */
function goMissing(binary: string, err: NodeJS.ErrnoException): LaunchError {
  const where = binary === 'go' ? '`go` is not on the PATH of VS Code' : `${binary} does not exist or cannot be run`;
  return new LaunchError(
    `Go Lens could not run the Go toolchain (${err.code ?? err.message}): ${where}. Install Go, or point the go.goroot setting (or go.alternateTools → go) at your Go installation, and try again.`,
  );
}

/**
 * Runs a build step, its output in the terminal. Resolves on success; rejects with a LaunchError
 * carrying its exit code and last lines.
 */
function build(binary: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, terminal: ProgramTerminal, signal: AbortSignal): Promise<void> {
  terminal.notice(`$ ${[binary === 'go' ? 'go' : binary, ...args].map(quote).join(' ')}   (in ${cwd})`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, signal });
    let tail = '';
    const out = (d: Buffer) => {
      const text = d.toString('utf8');
      terminal.write(text);
      tail = (tail + text).slice(-8192);
    };
    child.stdout.on('data', out);
    child.stderr.on('data', out);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') reject(new LaunchError('The build was cancelled.'));
      else reject(goMissing(binary, err));
    });
    child.on('close', (code) => {
      if (code === 0) return resolvePromise();
      if (code === null) return; // killed: the 'error' event (abort) has rejected already
      const lastLines = tail.split('\n').filter((l) => l.trim() !== '').slice(-10);
      reject(new LaunchError(`${args[0] === 'test' ? 'go test -c' : 'go build'} failed (exit code ${code}).`, lastLines));
    });
  });
}

/** Builds (for Go sources) and resolves the process to start, with our GODEBUG merged in. */
export async function prepareRun(target: LaunchTarget, settings: SchedRunSettings, terminal: ProgramTerminal, signal: AbortSignal): Promise<PreparedRun> {
  const go = goCommand();
  const folder = target.folder?.uri.fsPath;
  const configEnv = target.kind === 'configuration' ? target.configuration.env ?? {} : {};
  const baseEnv: NodeJS.ProcessEnv = { ...go.env };
  for (const [k, v] of Object.entries({ ...settings.env, ...configEnv })) baseEnv[k] = substitute(v, folder, go.env);
  const outDir = mkdtempSync(join(tmpdir(), 'golens-run-'));
  const cleanup = () => rmSync(outDir, { recursive: true, force: true });
  const exe = process.platform === 'win32' ? '.exe' : '';
  try {
    let file: string;
    let args: string[] = [];
    let cwd: string;
    // The build runs without our GODEBUG (see the top of this file); the user's own is kept.
    if (target.kind === 'package') {
      file = join(outDir, basename(target.dir) + exe);
      cwd = target.dir;
      await build(go.binary, ['build', '-o', file, '.'], target.dir, baseEnv, terminal, signal);
    } else if (target.kind === 'test') {
      file = join(outDir, basename(target.dir) + '.test' + exe);
      cwd = target.dir;
      args = ['-test.v'];
      await build(go.binary, ['test', '-c', '-o', file, '.'], target.dir, baseEnv, terminal, signal);
      // `go test -c` succeeds without writing anything for a package without tests.
      if (!existsSync(file)) throw new LaunchError(`${basename(target.dir)} has no test files: go test -c built no test binary. Open a Go file of a package with _test.go files, or run the package itself.`);
    } else {
      const c = target.configuration;
      const base = folder ?? (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd());
      const program = resolve(base, substitute(c.program, folder, baseEnv));
      // Default working directory: the package for Go sources (as `go run` from there), the workspace folder for binaries.
      cwd = c.cwd ? resolve(base, substitute(c.cwd, folder, baseEnv)) : isDirectory(program) ? program : program.endsWith('.go') ? dirname(program) : base;
      args = (c.args ?? []).map((a) => substitute(a, folder, baseEnv));
      if (isDirectory(program) || program.endsWith('.go')) {
        const pkgDir = isDirectory(program) ? program : dirname(program);
        file = join(outDir, basename(pkgDir) + exe);
        await build(go.binary, ['build', ...(c.buildFlags ?? []), '-o', file, isDirectory(program) ? '.' : program], pkgDir, baseEnv, terminal, signal);
      } else {
        file = isAbsolute(program) ? program : resolve(base, program);
      }
    }
    const env = withSchedGodebug(baseEnv, settings, process.platform === 'win32');
    const display = `GODEBUG=${env.GODEBUG} ${[file, ...args].map(quote).join(' ')}`;
    return { spec: { file, args, cwd, env }, display, godebug: env.GODEBUG ?? '', cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
