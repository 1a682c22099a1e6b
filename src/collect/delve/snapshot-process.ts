// A core of a running Go process without ending it: `dlv attach PID` (headless), Delve's dump
// (RPC DumpStart, then DumpWait until done), and detach so the process goes on. Also the list
// of running Go processes to pick from (Linux /proc), Go binaries told by their build info.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { inspectExecutable } from './files';
import { startDelve } from './process';
import { formatBytes } from '../../core/format/units';

export interface GoProcess {
  pid: number;
  /** The executable's path (`/proc/PID/exe`); may end in ` (deleted)` after a rebuild. */
  executable: string;
  name: string;
  commandLine: string;
  goVersion: string;
}

/** Running processes whose executable is a Go program (has `.go.buildinfo`), newest first. */
export async function listGoProcesses(
  options: { excludePids?: readonly number[] } = {},
): Promise<GoProcess[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const verdict = new Map<string, Promise<string | undefined>>();
  const out: GoProcess[] = [];
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e) && !options.excludePids?.includes(Number(e)))
      .map(async (e) => {
        const pid = Number(e);
        try {
          const executable = await readlink(`/proc/${pid}/exe`);
          // One check per binary; read through /proc so a deleted (rebuilt) binary still reads.
          if (!verdict.has(executable)) {
            verdict.set(
              executable,
              inspectExecutable(`/proc/${pid}/exe`).then(
                (i) => (i.isGo ? i.goVersion || 'go' : undefined),
                () => undefined,
              ),
            );
          }
          const goVersion = await verdict.get(executable)!;
          if (goVersion === undefined) return;
          const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8'))
            .split('\0')
            .filter(Boolean)
            .join(' ');
          out.push({
            pid,
            executable,
            name: basename(executable.replace(/ \(deleted\)$/, '')),
            commandLine: cmd,
            goVersion,
          });
        } catch {
          // Gone, or not ours to read.
        }
      }),
  );
  return out.sort((a, b) => b.pid - a.pid);
}

export interface ProcessSnapshot {
  core: string;
  /** How long the process was stopped: from Delve's attach to its detach. */
  stoppedMs: number;
  bytes: number;
}

/**
 * Attaches Delve to `pid`, writes a core to `destination`, detaches. The process is stopped
 * while Delve is attached (the whole dump); it continues after the detach.
 */
export async function snapshotProcess(
  dlv: string,
  pid: number,
  destination: string,
  options: { progress?: (m: string, f?: number) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessSnapshot> {
  const progress = options.progress ?? (() => undefined);
  const attachStarted = Date.now();
  const delve = await startDelve(dlv, ['attach', String(pid)], { env: options.env });
  let detached = false;
  try {
    let state = (
      await delve.client.call<{ State: DumpState }>('DumpStart', { Destination: destination })
    ).State;
    while (!state.AllDone) {
      if (state.MemTotal > 0)
        progress(
          `writing the core: ${formatBytes(state.MemDone)} of ${formatBytes(state.MemTotal)}`,
          state.MemDone / state.MemTotal,
        );
      state = (await delve.client.call<{ State: DumpState }>('DumpWait', { Wait: 500 })).State;
    }
    await delve.client.call('Detach', { Kill: false });
    detached = true;
    const stoppedMs = Date.now() - attachStarted;
    if (state.Err) throw new Error(`Delve could not write the core: ${state.Err}`);
    return { core: destination, stoppedMs, bytes: state.MemTotal };
  } finally {
    if (!detached) {
      // Never leave the process stopped: detach (without killing) even after a failure.
      await delve.client.call('Detach', { Kill: false }).catch(() => undefined);
    }
    await delve.close();
  }
}

interface DumpState {
  Dumping: boolean;
  AllDone: boolean;
  ThreadsDone: number;
  ThreadsTotal: number;
  MemDone: number;
  MemTotal: number;
  Err: string;
}
