// Helpers for tests that build and run real Go programs from test/go/.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const repoRoot = resolve(__dirname, '../..');
export const goProgramsDir = join(repoRoot, 'test/go');
export const cliPath = join(repoRoot, 'dist/cli.js');

/** Environment for every go invocation in tests: never switch toolchains unless asked. */
export function goEnv(toolchain = 'local'): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: toolchain, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
}

/**
 * Builds `test/go/<program>` and returns the binary's path. Binaries are cached per toolchain
 * under the OS temp dir for the life of the machine; `go build` itself is incremental.
 */
export async function goBuild(
  program: string,
  toolchain = 'local',
  extraArgs: string[] = [],
): Promise<string> {
  const outDir = join(tmpdir(), 'golens-test-bin', toolchain);
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, program.replace(/[\\/]/g, '_'));
  await execFileP('go', ['build', ...extraArgs, '-o', out, './' + program], {
    cwd: goProgramsDir,
    env: goEnv(toolchain),
    maxBuffer: 64 << 20,
  });
  return out;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** The signal that ended the command (null when it exited); SIGKILL after `timeoutMs`. */
  signal: NodeJS.Signals | null;
}

/** Runs a command to completion without throwing on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      // No input: stdin is /dev/null. A pipe written to after the command exited without reading
      // it (inferno-collapse-perf given a file) failed the run with an uncaught EPIPE.
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    const timer = opts.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
      });
    });
    if (child.stdin) {
      // The command may exit before reading all of it: its exit code and output say what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

/** Runs the built `golens` CLI (dist/cli.js; vitest's global setup builds it). */
export function runCli(args: string[], timeoutMs = 120_000): Promise<RunResult> {
  return run(process.execPath, [cliPath, ...args], { timeoutMs });
}

/** Runs `go tool <tool> args…` with the machine's own Go. */
export function goTool(tool: string, args: string[], timeoutMs = 300_000): Promise<RunResult> {
  return run('go', ['tool', tool, ...args], { env: goEnv(), timeoutMs });
}

export interface GoServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a Go program that prints `listening on <host:port>` once ready (every test server in
 * test/go does), and resolves when it has. The program is killed by `stop()`.
 */
export function startGoServer(
  binary: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<GoServer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      const m = /listening on (\S+)/.exec(output);
      if (m && !settled) {
        settled = true;
        resolvePromise({
          url: `http://${m[1]}`,
          process: child,
          output: () => output,
          stop: () =>
            new Promise<void>((r) => {
              if (child.exitCode !== null || child.signalCode !== null) return r();
              child.once('exit', () => r());
              child.kill('SIGKILL');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`${binary} exited with ${code} before listening:\n${output}`));
      }
    });
    setTimeout(() => {
      if (!settled) {
        settled = true;
        child.kill('SIGKILL');
        reject(new Error(`${binary} did not print "listening on" within 30 s:\n${output}`));
      }
    }, 30_000);
  });
}

/** True when `path` exists. */
export const exists = existsSync;
