// golens run against real programs without pprof: the files it writes open in go tool pprof /
// go tool trace and in golens goroutines; a program that exits by itself is profiled until it
// exits; a library and an instant exit get clear messages.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goEnv, goProgramsDir, goTool, run, cliPath } from '../../support/go';
import { treeDigest } from './support';

const out = mkdtempSync(join(tmpdir(), 'golens-cli-run-'));

function golensRun(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [cliPath, 'run', ...args], {
    cwd: goProgramsDir,
    env: { ...goEnv(), ...env },
    timeoutMs: 240_000,
  });
}

describe('golens run', () => {
  it('captures CPU, goroutines and the flight recorder over --seconds, then stops the program', async () => {
    const before = treeDigest(join(goProgramsDir, 'attach-cpu'));
    const cpu = join(out, 'cpu.pb.gz');
    const dump = join(out, 'goroutines.txt');
    const flight = join(out, 'flight.trace');
    const r = await golensRun([
      '--cpu-profile',
      cpu,
      '--goroutines',
      dump,
      '--flight-recorder',
      flight,
      '--seconds',
      '3',
      './attach-cpu',
      '--',
      '60',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 s are up: stopping the program');
    const top = await goTool('pprof', ['-top', cpu]);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toContain('main.burnHashes');
    const goroutines = await run(process.execPath, [cliPath, 'goroutines', dump, '--json']);
    expect(goroutines.code, goroutines.stderr).toBe(0);
    // One instant of the running program: its main goroutine, in burnHashes or (rarely, seen in
    // CI) between two calls of it.
    expect(readFileSync(dump, 'utf8')).toMatch(/\nmain\.main\(\)\n\t\S*attach-cpu\/main\.go:\d+/);
    const parsed = await goTool('trace', ['-d=parsed', flight]);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(treeDigest(join(goProgramsDir, 'attach-cpu'))).toEqual(before);
  });

  it('profiles a program that exits by itself until it exits, and passes its exit code and output', async () => {
    const cpu = join(out, 'until-exit.pb.gz');
    const dump = join(out, 'until-exit.txt');
    const r = await golensRun([
      '--cpu-profile',
      cpu,
      '--goroutines',
      dump,
      './attach-cpu',
      '--',
      '3',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^done \d 1\n$/);
    expect(r.stderr).toMatch(/the program exited with code 0 after \d/);
    const top = await goTool('pprof', ['-top', cpu]);
    expect(top.stdout).toContain('main.burnHashes');
    // The last dump before the exit, taken while main was still burning.
    expect(readFileSync(dump, 'utf8')).toContain('main.main()');
  });

  it("a panicking program's exit code comes through", async () => {
    const r = await golensRun(['--goroutines', join(out, 'panic.txt'), './attach-panic'], {
      PANIC_AFTER_MS: '1500',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('panic: runtime error: index out of range');
  });

  it('a library package is refused with a message', async () => {
    const r = await golensRun(['--cpu-profile', join(out, 'lib.pb.gz'), './attach-lib']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/golens: .*is package lib, not package main/);
    expect(existsSync(join(out, 'lib.pb.gz'))).toBe(false);
  });
});
