// A live run: real racy Go programs built with -race (cgo, gcc) and run through the runner's
// TracedProcess; their output is fed to the streaming parser in the pieces it arrives in, as
// the race collector does, and the races come out while they run. Also what the run commands
// say when -race cannot work (no C compiler, cgo off), from the real go command.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { accessSite, RaceReportParser, RaceTally, type RaceSet } from '../../../src/core/races';
import { TracedProcess, type ExitInfo } from '../../../src/run/traced-process';
import { checkRaceToolchain } from '../../../src/toolchain/race-toolchain';
import { goProgramsDir } from '../../support/go';

const execFileP = promisify(execFile);
const raceEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '1' };

/** `go build -race` / `go test -c -race` of test/go/<pkg>. */
async function buildRace(args: string[], pkg: string, out: string): Promise<string> {
  await execFileP('go', [...args, '-race', '-o', out, pkg], { cwd: goProgramsDir, env: raceEnv });
  return out;
}

/** Runs `file` with stdout and stderr merged in one pipe (as the run commands do), parsing as output arrives. */
function runLive(
  file: string,
  args: string[],
): Promise<{ exit: ExitInfo; set: RaceSet; chunks: number; parser: RaceReportParser }> {
  const parser = new RaceReportParser();
  const tally = new RaceTally('live');
  const set = tally.set;
  let chunks = 0;
  const take = (events: ReturnType<RaceReportParser['push']>) => tally.take(events);
  const decoder = new TextDecoder();
  const feed = (chunk: Uint8Array) => {
    chunks++;
    take(parser.push(decoder.decode(chunk, { stream: true })));
  };
  return new Promise((resolve) => {
    new TracedProcess(
      {
        file: '/bin/sh',
        args: ['-c', 'exec "$0" "$@" 2>&1', file, ...args],
        cwd: goProgramsDir,
        env: { ...raceEnv, GORACE: 'atexit_sleep_ms=0' },
      },
      {
        stdout: feed,
        stderr: feed,
        spawnError: () => undefined,
        exit: (exit) => {
          take(parser.end());
          resolve({ exit, set, chunks, parser });
        },
      },
    );
  });
}

describe('a live run with the race detector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golens-race-live-'));

  it('a program: the race, its goroutines and the exit code 66', async () => {
    const bin = await buildRace(['build'], './race-nested', join(dir, 'nested'));
    const { exit, set, parser } = await runLive(bin, []);
    expect(exit.code).toBe(66);
    expect(set.size).toBe(1);
    const [race] = set.races();
    expect(
      race.report.accesses.map((a) => `${a.kind} ${accessSite(a)?.func}:${accessSite(a)?.line}`),
    ).toEqual(['write main.worker:32', 'write main.worker:32']);
    expect(race.report.goroutines.map((g) => g.createdAt[0].func)).toEqual([
      'main.spawner',
      'main.spawner',
    ]);
    expect(parser.runEnds).toEqual([expect.objectContaining({ found: 1 })]);
  }, 180_000);

  it('parallel tests: the race names both tests', async () => {
    const bin = await buildRace(['test', '-c'], './race-parallel', join(dir, 'parallel.test'));
    const { exit, set } = await runLive(bin, ['-test.v']);
    expect(exit.code).toBe(1);
    const [race] = set.races();
    expect([...race.tests].sort()).toEqual(['TestAlpha', 'TestBeta']);
  }, 180_000);
});

describe('what -race needs', () => {
  it('names a missing C compiler and what to install', async () => {
    const message = await checkRaceToolchain(
      'go',
      { ...raceEnv, CC: 'no-such-cc-golens' },
      goProgramsDir,
    );
    expect(message).toMatch(
      /needs cgo and a C compiler, and the C compiler "no-such-cc-golens" \(go env CC\) is not on the PATH\. Install gcc/,
    );
  });

  it('says cgo is off and how to turn it on', async () => {
    const message = await checkRaceToolchain('go', { ...raceEnv, CGO_ENABLED: '0' }, goProgramsDir);
    expect(message).toMatch(
      /needs cgo, and cgo is off here \(go env CGO_ENABLED is "0"\)\. Set CGO_ENABLED=1/,
    );
  });

  it('is satisfied here (gcc is installed)', async () => {
    expect(await checkRaceToolchain('go', raceEnv, goProgramsDir)).toBeUndefined();
  });
});
