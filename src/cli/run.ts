// golens run [--cpu-profile FILE] [--goroutines FILE] [--flight-recorder FILE] [--seconds N] [--race]
//            PACKAGE [-- ARGS]
// Builds a package with Go Lens's overlay (src/run/overlay.ts: profiling endpoints on a loopback
// port, no code change), runs it with its output passed through, and captures while it runs:
//  * the CPU profile over its first N seconds, or until it exits. Go writes a CPU profile only
//    when profiling stops, and a program that exits never stops it; so the profile is taken in
//    back-to-back slices of SLICE_SECONDS and merged (`go tool pprof -proto`), and an exit loses
//    at most the slice in flight.
//  * the goroutine dump (debug=2) taken every SLICE_SECONDS, the last one kept: the one just
//    before it exited, or at N seconds.
//  * the flight recorder's window (Go 1.25+) at the end.
// With --seconds the program is stopped after N seconds (SIGINT, then SIGKILL); its exit code is
// golens run's, except that a program we stopped counts as success.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { attachChannel, attachUrls, buildAttached, type OutputSink } from '../run/attach';
import { LaunchError } from '../run/launch-error';
import { TracedProcess } from '../run/traced-process';
import { fetchBytes } from '../collect/http-fetch';
import { CliError, intFlag, parseArgs, type CliCommand } from './command';
import { formatMs } from '../core/format/units';

const USAGE =
  'usage: golens run [--cpu-profile FILE] [--goroutines FILE] [--flight-recorder FILE] [--seconds N] [--race] PACKAGE_DIR|FILE.go [-- ARGS]';

/** Length of one CPU profile slice: what an exit may lose, against ~2 ms of restart per slice. */
const SLICE_SECONDS = 0.5;

function say(text: string): void {
  process.stderr.write(`golens run: ${text}\n`);
}

const stderrSink: OutputSink = {
  write: (t) => process.stderr.write(t),
  notice: (t) => say(t.replace(/^\$ /, '')),
};

function goTool(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => {
    execFile('go', ['tool', ...args], { maxBuffer: 256 << 20 }, (err, _stdout, stderr) =>
      res({ code: err ? 1 : 0, stderr }),
    );
  });
}

async function run(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const programArgs = dash >= 0 ? args.slice(dash + 1) : [];
  const parsed = parseArgs(
    own,
    ['cpu-profile', 'goroutines', 'flight-recorder', 'seconds'],
    ['race'],
  );
  if (parsed.positional.length !== 1) throw new CliError(USAGE);
  const seconds = intFlag(parsed, 'seconds');
  const cpuOut = parsed.flags.get('cpu-profile') as string | undefined;
  const dumpOut = parsed.flags.get('goroutines') as string | undefined;
  const flightOut = parsed.flags.get('flight-recorder') as string | undefined;
  const target = resolve(parsed.positional[0]);
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    throw new CliError(`${parsed.positional[0]}: no such package directory or file`);
  }
  if (!isDir && !target.endsWith('.go'))
    throw new CliError(`${parsed.positional[0]} is neither a package directory nor a .go file`);

  const work = mkdtempSync(join(tmpdir(), 'golens-run-'));
  try {
    const dir = isDir ? target : dirname(target);
    const build = await buildAttached({
      go: { binary: 'go', env: process.env },
      dir,
      files: isDir ? undefined : [basename(target)],
      race: parsed.flags.has('race'),
      output: join(work, basename(dir)),
      sink: stderrSink,
    });
    if (flightOut && !build.flightRecorderSupported)
      say(
        `${build.goVersion} has no flight recorder (Go 1.25 and later): ${flightOut} will not be written`,
      );
    const channel = attachChannel(
      flightOut && build.flightRecorderSupported ? { minAgeMs: 10_000, maxBytes: 0 } : undefined,
    );
    const proc = new TracedProcess(
      {
        file: build.binary,
        args: programArgs,
        cwd: process.cwd(),
        env: { ...process.env, ...channel.env },
      },
      {
        stdout: (d) => process.stdout.write(d),
        stderr: (d) => process.stderr.write(d),
        exit: () => undefined,
        spawnError: (e) => say(`could not start ${build.binary}: ${e.message}`),
      },
    );
    let exited = false;
    void proc.exited.then(() => (exited = true));
    const info = await channel.wait(proc.exited, 60_000);
    channel.dispose();
    const urls = info ? attachUrls(info) : undefined;
    if (!urls) {
      const exit = await Promise.race([
        proc.exited,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)),
      ]);
      if (info?.error) say(`the profiling endpoints could not listen: ${info.error}`);
      else if (exit)
        say(
          `the program exited at once (${exit.signal ?? `exit code ${exit.code}`}, after ${exit.durationMs} ms), before its profiling endpoints started: nothing was captured`,
        );
      else
        say('the program did not report its profiling endpoints within 60 s: nothing was captured');
      if (!exit) await proc.stop();
      return (await proc.exited).code ?? 1;
    }
    say(`profiling endpoints at ${urls.pprof}`);
    const started = Date.now();
    const deadline = seconds !== undefined ? started + seconds * 1000 : Infinity;
    const slices: string[] = [];
    let lastDump: Uint8Array | undefined;
    const cpuLoop = async () => {
      for (let i = 0; cpuOut && !exited && Date.now() < deadline; i++) {
        const sliceSeconds = Math.min(
          SLICE_SECONDS,
          Math.max(0.05, (deadline - Date.now()) / 1000),
        );
        const r = await fetchBytes(`${urls.pprof}/profile?seconds=${sliceSeconds}`, {
          timeoutMs: 30_000,
        }).catch(() => undefined);
        if (!r || !r.complete || r.status !== 200 || r.bytes.length === 0) break;
        const file = join(work, `cpu-${i}.pb.gz`);
        writeFileSync(file, r.bytes);
        slices.push(file);
      }
    };
    const dumpLoop = async () => {
      while (dumpOut && !exited && Date.now() < deadline) {
        const r = await fetchBytes(`${urls.pprof}/goroutine?debug=2`, { timeoutMs: 30_000 }).catch(
          () => undefined,
        );
        if (r && r.complete && r.status === 200 && r.bytes.length > 0) lastDump = r.bytes;
        await new Promise((res) =>
          setTimeout(res, Math.min(SLICE_SECONDS * 1000, Math.max(0, deadline - Date.now()))),
        );
      }
    };
    await Promise.all([cpuLoop(), dumpLoop()]);
    let flight: Uint8Array | undefined;
    if (flightOut && urls.flightRecorder && !exited) {
      const r = await fetchBytes(urls.flightRecorder, { timeoutMs: 30_000 }).catch(() => undefined);
      if (r && r.status === 200 && r.bytes.length > 0) flight = r.bytes;
    }
    const stoppedByUs = !exited;
    if (!exited) {
      say(`${seconds} s are up: stopping the program`);
      await proc.stop();
    }
    const exit = await proc.exited;
    build.dispose();

    let failed = false;
    if (cpuOut) {
      if (slices.length === 0) {
        say(`no CPU profile: the program exited within the first ${SLICE_SECONDS} s of profiling`);
        failed = true;
      } else if (slices.length === 1) {
        copyFileSync(slices[0], cpuOut);
      } else {
        const merged = await goTool(['pprof', '-proto', '-output', cpuOut, ...slices]);
        if (merged.code !== 0)
          throw new CliError(
            `merging the CPU profile slices failed: ${merged.stderr.trim().split('\n').pop()}`,
          );
      }
      if (slices.length > 0)
        say(`CPU profile (${formatMs(slices.length * SLICE_SECONDS * 1000)}) written to ${cpuOut}`);
    }
    if (dumpOut) {
      if (lastDump) {
        writeFileSync(dumpOut, lastDump);
        say(`goroutine dump written to ${dumpOut}`);
      } else {
        say('no goroutine dump: the program exited before one was taken');
        failed = true;
      }
    }
    if (flightOut && build.flightRecorderSupported) {
      if (flight) {
        writeFileSync(flightOut, flight);
        say(`flight recorder snapshot written to ${flightOut}`);
      } else {
        say(
          'no flight recorder snapshot: it is taken while the program runs, and the program had exited (use --seconds)',
        );
        failed = true;
      }
    }
    const code = stoppedByUs ? 0 : (exit.code ?? 1);
    if (!stoppedByUs)
      say(
        `the program ${exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`} after ${formatMs(exit.durationMs)}`,
      );
    return code !== 0 ? code : failed ? 1 : 0;
  } catch (err) {
    if (err instanceof LaunchError) {
      // A failed build's output has streamed to stderr already.
      throw new CliError(err.message);
    }
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const runCommand: CliCommand = {
  summary: 'build and run a package with profiling endpoints added, capturing while it runs',
  usage: USAGE,
  run,
};
