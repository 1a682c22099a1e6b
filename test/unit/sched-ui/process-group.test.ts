// Stopping a traced run stops the program and what it started: a real Go program that spawns
// a child which ignores SIGINT and SIGTERM, so only killing the whole process group ends it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../../src/run/process-group';
import { TracedProcess, type ExitInfo } from '../../../src/run/traced-process';
import { goEnv } from '../../support/go';

const execFileP = promisify(execFile);
const spawnerDir = join(__dirname, 'go/spawner');
let binary: string;

beforeAll(async () => {
  binary = join(mkdtempSync(join(tmpdir(), 'golens-spawner-')), 'spawner');
  await execFileP('go', ['build', '-o', binary, 'main.go'], {
    cwd: spawnerDir,
    env: { ...goEnv(), GOFLAGS: '' },
  });
}, 300_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(fn: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the spawner in a fresh directory; resolves with the run and its child's pid. */
async function startSpawner(extraEnv: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'golens-spawner-run-'));
  let stdout = '';
  let stderr = '';
  const exits: ExitInfo[] = [];
  const run = new TracedProcess(
    { file: binary, args: [], cwd, env: { ...process.env, ...extraEnv } },
    {
      stdout: (d) => (stdout += Buffer.from(d).toString()),
      stderr: (d) => (stderr += Buffer.from(d).toString()),
      exit: (info) => exits.push(info),
      spawnError: (err) => {
        throw err;
      },
    },
  );
  const childPid = await waitFor(
    () =>
      existsSync(join(cwd, 'child.pid')) && Number(readFileSync(join(cwd, 'child.pid'), 'utf8')),
    30_000,
    'child.pid',
  );
  await waitFor(() => stdout.includes('tick 1'), 30_000, 'the first tick');
  return { run, childPid, exits, out: () => stdout, err: () => stderr };
}

describe('TracedProcess', () => {
  it('stop() ends the program and the child that ignores SIGINT/SIGTERM (process group killed)', async () => {
    const { run, childPid, exits } = await startSpawner();
    const pid = run.pid!;
    expect(alive(pid)).toBe(true);
    expect(alive(childPid)).toBe(true);
    const info = await run.stop(500);
    expect(info.stopped).toBe(true);
    // The Go program exits on SIGINT by itself (signal, or code 2); the child only goes with the group kill.
    expect(info.signal === 'SIGINT' || info.code === 2).toBe(true);
    await waitFor(() => !alive(childPid), 5_000, 'the child to be gone');
    expect(alive(pid)).toBe(false);
    expect(groupAlive(pid)).toBe(false);
    expect(exits).toHaveLength(1);
  }, 60_000);

  it('kill() ends the whole group at once', async () => {
    const { run, childPid } = await startSpawner();
    const pid = run.pid!;
    run.kill();
    const info = await run.exited;
    expect(info.signal).toBe('SIGKILL');
    await waitFor(() => !alive(childPid), 5_000, 'the child to be gone');
    expect(groupAlive(pid)).toBe(false);
  }, 60_000);

  it('forwards stdin, delivers stdout and stderr, and sees GODEBUG output on stderr', async () => {
    const { run, out, err } = await startSpawner({ GODEBUG: 'schedtrace=100' });
    run.write('hello from the terminal\n');
    await waitFor(
      () => out().includes('spawner: got input "hello from the terminal"'),
      10_000,
      'the echo',
    );
    await waitFor(
      () => /SCHED \d+ms: gomaxprocs=/.test(err()) && err().includes('on stderr'),
      10_000,
      'SCHED lines and program stderr',
    );
    await run.stop(500);
  }, 60_000);

  it('reports a program that cannot be started', async () => {
    const errors: string[] = [];
    const run = new TracedProcess(
      { file: join(tmpdir(), 'golens-no-such-binary'), args: [], cwd: tmpdir(), env: process.env },
      {
        stdout: () => undefined,
        stderr: () => undefined,
        exit: () => undefined,
        spawnError: (e) => errors.push(e.code ?? e.message),
      },
    );
    const info = await run.exited;
    expect(errors).toEqual(['ENOENT']);
    expect(info.code).toBeNull();
  });
});
