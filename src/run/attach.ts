// Building a Go program "attached": with the overlay of src/run/overlay.ts, so the running
// program serves profiles on a loopback port it reports through a file. Shared by the launcher
// in VS Code, `golens run` and the tests — no vscode here.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LaunchError } from './launch-error';
import {
  ATTACH_FILE_ENV,
  FLIGHT_RECORDER_ENV,
  FLIGHT_RECORDER_MIN_MINOR,
  FLIGHT_RECORDER_PATH,
  OVERLAY_FLIGHT_FILE,
  writeOverlay,
  type Overlay,
} from './overlay';

/** Where build output and our own notices go (a ProgramTerminal, or stderr for the CLI). */
export interface OutputSink {
  write(text: string): void;
  notice(text: string): void;
}

/** The oldest Go the overlay is built and tested with. */
export const MIN_GO_MINOR = 21;

export function quoteArg(arg: string): string {
  return /^[\w./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The go toolchain could not be started. */
export function goMissing(binary: string, err: NodeJS.ErrnoException): LaunchError {
  const where =
    binary === 'go' ? '`go` is not on the PATH' : `${binary} does not exist or cannot be run`;
  return new LaunchError(
    `Go Lens could not run the Go toolchain (${err.code ?? err.message}): ${where}. Install Go, or point the go.goroot setting (or go.alternateTools → go) at your Go installation, and try again.`,
  );
}

function goOutput(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { cwd, env, maxBuffer: 64 << 20, timeout: 120_000 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (e && typeof e.code === 'string') return reject(goMissing(binary, e));
        resolve({ stdout, stderr, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
      },
    );
  });
}

/** `go1.26.8` → 26; undefined for a development build or anything unexpected. */
export function goMinor(version: string): number | undefined {
  const m = /^go1\.(\d+)/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The version of the toolchain that builds in `cwd` (after GOTOOLCHAIN and go.mod's toolchain
 * line have chosen it). Rejects for a Go older than 1.21.
 */
export async function goVersionIn(
  binary: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ version: string; minor: number | undefined }> {
  const r = await goOutput(binary, ['env', 'GOVERSION'], cwd, env);
  const version = r.stdout.trim();
  if (r.code !== 0 || version === '') {
    // `go env GOVERSION` itself is Go 1.16+; older toolchains fail here.
    throw new LaunchError(
      `Go Lens could not read the Go version (go env GOVERSION failed: ${r.stderr.trim().split('\n').pop() ?? ''}). Go Lens runs programs with Go 1.${MIN_GO_MINOR} or newer: install it, or set go.goroot.`,
    );
  }
  const minor = goMinor(version);
  if (minor !== undefined && minor < MIN_GO_MINOR) {
    throw new LaunchError(
      `${version} is older than Go 1.${MIN_GO_MINOR}, the oldest Go Lens runs programs with. Install a newer Go (or set GOTOOLCHAIN=go1.${MIN_GO_MINOR}.13 or later in the run's env) and try again.`,
    );
  }
  return { version, minor };
}

export interface PackageInfo {
  name: string;
  dir: string;
  importPath: string;
}

/** `go list` of one package (a directory pattern such as `.`), with the run's build flags. */
export async function inspectPackage(
  binary: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  pattern: string,
  buildFlags: string[] = [],
): Promise<PackageInfo> {
  const r = await goOutput(
    binary,
    ['list', ...buildFlags, '-e', '-json=Name,Dir,ImportPath,Error,GoFiles', pattern],
    cwd,
    env,
  );
  let info: {
    Name?: string;
    Dir?: string;
    ImportPath?: string;
    Error?: { Err?: string };
    GoFiles?: string[];
  };
  try {
    info = JSON.parse(r.stdout);
  } catch {
    const lastLines = r.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-10);
    throw new LaunchError(
      `go list ${pattern} failed in ${cwd}: ${lastLines[lastLines.length - 1] ?? `exit code ${r.code}`}. Check that it is a Go package inside a module.`,
      lastLines,
    );
  }
  if (info.Error?.Err && !info.Name)
    throw new LaunchError(`Go Lens cannot build ${pattern} in ${cwd}: ${info.Error.Err}`, [
      info.Error.Err,
    ]);
  if (!info.Name || !info.Dir)
    throw new LaunchError(
      `${cwd} has no Go package to build (no non-test .go files). Open a file of the package to run.`,
    );
  return { name: info.Name, dir: info.Dir, importPath: info.ImportPath ?? info.Name };
}

/** `go env CGO_ENABLED` with the run's environment: the race detector needs cgo. */
async function cgoEnabled(binary: string, env: NodeJS.ProcessEnv, cwd: string): Promise<boolean> {
  const r = await goOutput(binary, ['env', 'CGO_ENABLED'], cwd, env);
  return r.stdout.trim() === '1';
}

/**
 * Runs a go command, its output to `sink`. Resolves on success; rejects with a LaunchError
 * carrying its exit code and last lines.
 */
export function runGoCommand(
  binary: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  sink: OutputSink,
  signal?: AbortSignal,
): Promise<void> {
  sink.notice(
    `$ ${[binary === 'go' ? 'go' : binary, ...args].map(quoteArg).join(' ')}   (in ${cwd})`,
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      signal,
    });
    let tail = '';
    const out = (d: Buffer) => {
      const text = d.toString('utf8');
      sink.write(text);
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
      const lastLines = tail
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-10);
      reject(
        new LaunchError(
          `${args[0] === 'test' ? 'go test -c' : 'go build'} failed (exit code ${code}).`,
          lastLines,
        ),
      );
    });
  });
}

export interface AttachedBuildRequest {
  /** The go binary and its environment (GOFLAGS, GOTOOLCHAIN… of the run). */
  go: { binary: string; env: NodeJS.ProcessEnv };
  /** The package directory; for `files`, the directory holding them. */
  dir: string;
  /** Build these .go files (a `program` that is one file) instead of the package in `dir`. */
  files?: string[];
  /** `go test -c` the package instead of `go build`. */
  test?: boolean;
  buildFlags?: string[];
  /** Add the overlay (profiling endpoints; default true). */
  attach?: boolean;
  /** Build with -race. */
  race?: boolean;
  /** The binary to write. */
  output: string;
  sink: OutputSink;
  signal?: AbortSignal;
}

export interface AttachedBuild {
  binary: string;
  goVersion: string;
  /** Whether the toolchain has runtime/trace.FlightRecorder (Go 1.25+). */
  flightRecorderSupported: boolean;
  packageName: string;
  /** False when `go test -c` wrote nothing (a package without tests). */
  built: boolean;
  dispose(): void;
}

/**
 * Builds the program (or test binary) with the overlay. Checks first what would otherwise be a
 * confusing failure: Go older than 1.21, a package that is not main, -race without cgo.
 */
export async function buildAttached(req: AttachedBuildRequest): Promise<AttachedBuild> {
  const { binary, env } = req.go;
  const { version, minor } = await goVersionIn(binary, env, req.dir);
  const buildFlags = [...(req.buildFlags ?? [])];
  if (req.race && !buildFlags.includes('-race')) buildFlags.push('-race');
  if (buildFlags.includes('-race') && !(await cgoEnabled(binary, env, req.dir))) {
    throw new LaunchError(
      "The race detector needs cgo, and cgo is disabled for this build (CGO_ENABLED=0, or no C compiler found). Set CGO_ENABLED=1 in the run's env and install gcc (or clang), or run without the race detector.",
    );
  }
  const pkg = await inspectPackage(
    binary,
    env,
    req.dir,
    req.files ? req.files[0] : '.',
    buildFlags.filter((f) => f !== '-race'),
  );
  if (!req.test && pkg.name !== 'main') {
    throw new LaunchError(
      `${pkg.importPath} is package ${pkg.name}, not package main: it builds a library, not a program. Open a file of a package main (one with func main), run its tests instead, or point the configuration's program at a main package.`,
    );
  }
  let overlay: Overlay | undefined;
  if (req.attach !== false) overlay = writeOverlay(pkg.dir, pkg.name);
  const dispose = () => overlay?.dispose();
  try {
    const args = req.test ? ['test', '-c'] : ['build'];
    args.push(...buildFlags);
    if (overlay) args.push(`-overlay=${overlay.overlayJson}`);
    args.push('-o', req.output);
    // A file-list build compiles only the files named: ours are named too (the flight recorder's
    // only where the toolchain has it, as its build tag would decide).
    if (req.files)
      args.push(
        ...req.files,
        ...(overlay?.addedFiles.filter(
          (f) => basename(f) !== OVERLAY_FLIGHT_FILE || (minor ?? 99) >= FLIGHT_RECORDER_MIN_MINOR,
        ) ?? []),
      );
    else args.push('.');
    await runGoCommand(binary, args, req.dir, env, req.sink, req.signal);
  } catch (err) {
    dispose();
    throw err;
  }
  // The build has read the overlay; its files are not needed while the program runs.
  dispose();
  return {
    binary: req.output,
    goVersion: version,
    flightRecorderSupported: (minor ?? 99) >= FLIGHT_RECORDER_MIN_MINOR,
    packageName: pkg.name,
    built: existsSync(req.output),
    dispose: () => rmSync(req.output, { force: true }),
  };
}

/** What the overlay reports once the program's endpoints listen. */
export interface AttachInfo {
  /** `127.0.0.1:PORT` */
  addr?: string;
  pid?: number;
  go?: string;
  flightRecorder?: boolean;
  flightRecorderError?: string;
  /** The listener could not be opened. */
  error?: string;
}

/** The base URL of the pprof endpoints, and the flight recorder's snapshot URL when it runs. */
export function attachUrls(
  info: AttachInfo,
): { pprof: string; flightRecorder?: string } | undefined {
  if (!info.addr) return undefined;
  return {
    pprof: `http://${info.addr}/debug/pprof`,
    flightRecorder: info.flightRecorder ? `http://${info.addr}${FLIGHT_RECORDER_PATH}` : undefined,
  };
}

/** Flight recorder settings: its window's minimum age and maximum size (0: the runtime's default). */
export interface FlightRecorderSettings {
  minAgeMs: number;
  maxBytes: number;
}

/** A directory for one run's report file; `env` goes into the program's environment. */
export interface AttachChannel {
  file: string;
  env: Record<string, string>;
  /** Resolves with the report, or undefined when `stop` resolves first (the program exited). */
  wait(stop: Promise<unknown>, timeoutMs?: number): Promise<AttachInfo | undefined>;
  dispose(): void;
}

export function attachChannel(flightRecorder?: FlightRecorderSettings): AttachChannel {
  const dir = mkdtempSync(join(tmpdir(), 'golens-attach-'));
  const file = join(dir, 'attach.json');
  const env: Record<string, string> = { [ATTACH_FILE_ENV]: file };
  if (flightRecorder)
    env[FLIGHT_RECORDER_ENV] =
      `${Math.max(0, Math.round(flightRecorder.minAgeMs))},${Math.max(0, Math.round(flightRecorder.maxBytes))}`;
  const read = (): AttachInfo | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as AttachInfo;
    } catch {
      return undefined;
    }
  };
  return {
    file,
    env,
    wait: (stop, timeoutMs = 60_000) =>
      new Promise((resolve) => {
        let done = false;
        const finish = (v: AttachInfo | undefined) => {
          if (done) return;
          done = true;
          clearInterval(poll);
          clearTimeout(timer);
          resolve(v);
        };
        // The file appears once, renamed into place: polling every 25 ms costs nothing and
        // works where fs.watch does not (network file systems, some containers).
        const poll = setInterval(() => {
          const info = read();
          if (info) finish(info);
        }, 25);
        const timer = setTimeout(() => finish(read()), timeoutMs);
        void stop.then(() => finish(read()));
      }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A process to start: the program, or what wraps it. */
export interface WrappableSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * Wraps the program's command line for the launcher's options: under `perf record` (to
 * `perfData`), and for cores through a shell that raises the core size limit (a resource limit
 * of the process, inherited across exec) before exec'ing it, with GOTRACEBACK=crash so a fatal
 * error aborts with a core.
 */
export function wrapForOptions<T extends WrappableSpec>(
  spec: T,
  options: { perf?: boolean; crash?: boolean },
  perfData?: string,
): T {
  let out: T = { ...spec, env: { ...spec.env } };
  if (options.crash) out.env.GOTRACEBACK = 'crash';
  if (options.perf && perfData)
    out = {
      ...out,
      file: 'perf',
      args: ['record', '-e', 'cpu-clock', '-g', '-o', perfData, '--', out.file, ...out.args],
    };
  if (options.crash && process.platform !== 'win32') {
    out = {
      ...out,
      file: '/bin/sh',
      args: ['-c', 'ulimit -c unlimited 2>/dev/null; exec "$0" "$@"', out.file, ...out.args],
    };
  }
  return out;
}
