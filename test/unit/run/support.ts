// Building and running test/go programs through the launcher's core (buildAttached + the
// attach channel + TracedProcess), as Go Lens: Run… and golens run do.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attachChannel,
  attachUrls,
  buildAttached,
  type AttachInfo,
  type FlightRecorderSettings,
  type OutputSink,
} from '../../../src/run/attach';
import { TracedProcess, type ExitInfo } from '../../../src/run/traced-process';
import { goEnv, goProgramsDir } from '../../support/go';

export const quietSink: OutputSink & { text: string } = {
  text: '',
  write(t) {
    this.text += t;
  },
  notice(t) {
    this.text += t + '\n';
  },
};

/** Every file under a directory with its SHA-256: the user's tree before and after a run. */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

export interface AttachedRun {
  run: TracedProcess;
  info: AttachInfo | undefined;
  pprof: string;
  flightRecorder?: string;
  stdout(): string;
  stderr(): string;
  exits: ExitInfo[];
  stop(): Promise<void>;
}

export async function startAttached(
  program: string,
  options: {
    args?: string[];
    env?: Record<string, string>;
    test?: boolean;
    flightRecorder?: FlightRecorderSettings;
    race?: boolean;
  } = {},
): Promise<AttachedRun> {
  const dir = join(goProgramsDir, program);
  const out = join(
    mkdtempSync(join(tmpdir(), 'golens-attach-test-')),
    program + (options.test ? '.test' : ''),
  );
  const build = await buildAttached({
    go: { binary: 'go', env: goEnv() },
    dir,
    test: options.test,
    race: options.race,
    output: out,
    sink: quietSink,
  });
  const channel = attachChannel(options.flightRecorder);
  let stdout = '';
  let stderr = '';
  const exits: ExitInfo[] = [];
  const run = new TracedProcess(
    {
      file: build.binary,
      args: options.args ?? [],
      cwd: dir,
      env: { ...process.env, ...options.env, ...channel.env },
    },
    {
      stdout: (d) => (stdout += Buffer.from(d).toString()),
      stderr: (d) => (stderr += Buffer.from(d).toString()),
      exit: (i) => exits.push(i),
      spawnError: (e) => {
        throw e;
      },
    },
  );
  const info = await channel.wait(run.exited, 30_000);
  channel.dispose();
  const urls = info ? attachUrls(info) : undefined;
  return {
    run,
    info,
    pprof: urls?.pprof ?? '',
    flightRecorder: urls?.flightRecorder,
    stdout: () => stdout,
    stderr: () => stderr,
    exits,
    stop: async () => {
      await run.stop(500);
      build.dispose();
    },
  };
}

export async function get(url: string): Promise<{ status: number; bytes: Buffer; type: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    bytes: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type') ?? '',
  };
}
