// Real core dumps for tests: a Go program killed by its own crash under GOTRACEBACK=crash with
// `ulimit -c unlimited` (core_pattern must write a file into the working directory, as
// `core` or `core.<pid>`), and cores Delve's dump writes of a running program.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDelveOnDisk } from '../../src/collect/delve/find';
import { snapshotProcess } from '../../src/collect/delve/snapshot-process';
import { run } from './go';

/** The pinned Delve (scripts/install-e2e.sh installs it into GOPATH/bin). */
export function delvePath(): string {
  const dlv = findDelveOnDisk();
  if (!dlv)
    throw new Error(
      'dlv not found: run scripts/install-e2e.sh (go install github.com/go-delve/delve/cmd/dlv@v1.27.2)',
    );
  return dlv;
}

export interface CrashCore {
  core: string;
  /** The runtime's traceback (stderr). */
  stderr: string;
  pid: number;
}

/** Runs `binary args…` in a fresh directory with cores enabled and returns the core it wrote when it crashed. */
export async function crashCore(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CrashCore> {
  const dir = mkdtempSync(join(tmpdir(), 'golens-core-'));
  const r = await run('bash', ['-c', 'ulimit -c unlimited; exec "$0" "$@"', binary, ...args], {
    cwd: dir,
    env: { ...process.env, GOTRACEBACK: 'crash', ...env },
    timeoutMs: 120_000,
  });
  const core = readdirSync(dir).find((f) => f === 'core' || /^core\.\d+$/.test(f));
  if (!core) {
    let pattern = '?';
    try {
      pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    } catch {}
    throw new Error(
      `${binary} ${args.join(' ')} exited (${r.code}) without a core in ${dir}; /proc/sys/kernel/core_pattern is "${pattern}" (the tests need a plain file pattern such as "core")\n${r.stderr.slice(0, 2000)}`,
    );
  }
  const m = /ready pid=(\d+)|goroutine \d+ gp=/.exec(r.stderr);
  return { core: join(dir, core), stderr: r.stderr, pid: m?.[1] ? Number(m[1]) : 0 };
}

export interface RunningProgram {
  pid: number;
  child: ChildProcess;
  alive(): boolean;
  stop(): void;
}

/** Starts a program that prints `ready pid=N` once its goroutines are parked. */
export function startParked(binary: string, args: string[]): Promise<RunningProgram> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} did not print "ready" within 60 s:\n${out}`));
    }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready pid=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          pid: Number(m[1]),
          child,
          alive: () => child.exitCode === null && child.signalCode === null,
          stop: () => child.kill('SIGKILL'),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

/** Writes a core of a running program with Delve's dump; the program keeps running. */
export async function dumpCore(
  program: RunningProgram,
): Promise<{ core: string; stoppedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'golens-dump-'));
  const r = await snapshotProcess(delvePath(), program.pid, join(dir, `core.${program.pid}`));
  return { core: r.core, stoppedMs: r.stoppedMs };
}

/** One goroutine as `dlv core`'s terminal prints it for `goroutines -t`. */
export interface DlvGoroutine {
  id: number;
  current: boolean;
  /** The `[wait reason …]` text without the wait-since number, or '' when not printed. */
  state: string;
  userFunc: string;
  frames: { func: string; file: string; line: number }[];
}

/** Runs Delve's own terminal client on a core: `goroutines -t` from an --init script. */
export async function dlvGoroutines(
  executable: string,
  core: string,
  goroutineCount: number,
): Promise<DlvGoroutine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'golens-dlv-'));
  const script = join(dir, 'init');
  writeFileSync(script, 'goroutines -t\nexit\n');
  // In its working directory Delve's terminal prints paths as ./…: run it where no source is.
  const r = await run(
    delvePath(),
    ['core', executable, core, '--init', script, '--allow-non-terminal-interactive=true'],
    { cwd: dir, timeoutMs: 600_000 },
  );
  // eslint-disable-next-line no-control-regex
  const text = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  const out: DlvGoroutine[] = [];
  let cur: DlvGoroutine | undefined;
  let pendingFunc = '';
  for (const line of text.split('\n')) {
    const h =
      /^([* ]) Goroutine (\d+) - User: \S+ (\S+) \(0x[0-9a-f]+\)(?: \(thread \d+\))?(?: \[(.*?)(?: \d+)?\])?\s*$/.exec(
        line,
      );
    if (h) {
      cur = {
        id: Number(h[2]),
        current: h[1] === '*',
        state: h[4] ?? '',
        userFunc: h[3],
        frames: [],
      };
      out.push(cur);
      continue;
    }
    const f = /^\s+\d+\s+0x[0-9a-f]+ in (.+)$/.exec(line);
    if (f && cur) {
      pendingFunc = f[1].trim();
      continue;
    }
    const at = /^\s+at (.+):(\d+)$/.exec(line);
    if (at && cur && pendingFunc) {
      cur.frames.push({ func: pendingFunc, file: at[1], line: Number(at[2]) });
      pendingFunc = '';
    }
  }
  if (out.length < goroutineCount)
    throw new Error(
      `dlv printed ${out.length} goroutines, expected ${goroutineCount}:\n${text.slice(0, 3000)}\n${r.stderr.slice(0, 2000)}`,
    );
  return out;
}
