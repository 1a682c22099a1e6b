// Starting a program so that it and everything it starts can be stopped together.
//
// On Linux and macOS the program is spawned `detached`, which makes it the leader of a new
// session and process group (setsid); its children inherit the group unless they leave it on
// purpose (daemons). Signalling `-pid` reaches the whole group, so stopping a `go test` binary
// also stops the servers and helpers it spawned. On Windows there are no process groups to
// signal: `taskkill /T` walks the process tree instead (and `detached` would open a console
// window, so it is not used there).
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface GroupSpawnOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Spawns `file args` with piped stdio as the leader of its own process group (POSIX). */
export function spawnGroup(
  file: string,
  args: readonly string[],
  options: GroupSpawnOptions,
): ChildProcessWithoutNullStreams {
  return spawn(file, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}

/**
 * Sends `signal` to the process group led by `pid` (POSIX), or ends the process tree under
 * `pid` with taskkill (Windows: `/T` for the tree, `/F` unless the signal is SIGINT/SIGTERM,
 * which ask politely — console programs then get a close event). Resolves once the signal is
 * sent; never throws for a group that is already gone.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (process.platform === 'win32') {
    const force = signal !== 'SIGINT' && signal !== 'SIGTERM';
    return new Promise((resolve) => {
      execFile(
        'taskkill',
        ['/PID', String(pid), '/T', ...(force ? ['/F'] : [])],
        { windowsHide: true },
        () => resolve(),
      );
    });
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nobody left in the group.
  }
  return Promise.resolve();
}

/** True while any process of the group led by `pid` is alive (POSIX), or `pid` itself (Windows). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive all the same.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
