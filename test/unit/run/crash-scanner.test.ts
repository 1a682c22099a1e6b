// Spotting a crash in a program's stderr as it arrives, on the real output of test/go programs
// fed in arbitrary chunks, and reading launch.json / goLens.runConfigurations entries.
import { describe, expect, it } from 'vitest';
import { CrashScanner } from '../../../src/run/crash-scanner';
import { findCore } from '../../../src/run/find-core';
import {
  fromLaunchJson,
  asRunConfiguration,
  splitCommandLine,
} from '../../../src/run/run-configurations';
import { goBuild, run } from '../../support/go';
import { parseGoroutineDump } from '../../../src/core/goroutines';
import { SchedSession } from '../../../src/views/sched/session';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function feed(text: string, chunk: number): { scanner: CrashScanner; headlines: string[] } {
  const scanner = new CrashScanner();
  const headlines: string[] = [];
  for (let i = 0; i < text.length; i += chunk) {
    const h = scanner.push(text.slice(i, i + chunk));
    if (h) headlines.push(h);
  }
  return { scanner, headlines };
}

describe('CrashScanner', () => {
  it('finds a real panic once, whatever the chunking, and keeps a dump the goroutine parser reads', async () => {
    const bin = await goBuild('attach-panic');
    const r = await run(bin, [], {
      env: { ...process.env, PANIC_AFTER_MS: '10', GOTRACEBACK: 'all' },
    });
    expect(r.code).toBe(2);
    // The program's own "panic: " line, with no goroutine header after it, is not the crash.
    const noise = 'log line before\npanic: a line of the program\n' + 'log\n'.repeat(60);
    for (const chunk of [1, 7, 4096]) {
      const { scanner, headlines } = feed(noise + r.stderr, chunk);
      expect(headlines).toEqual(['panic: runtime error: index out of range [3] with length 2']);
      const text = scanner.end()!;
      expect(text.startsWith('panic: runtime error')).toBe(true);
      const snap = parseGoroutineDump(new TextEncoder().encode(text));
      expect(snap.goroutines.count).toBeGreaterThanOrEqual(2);
    }
  });

  it('finds a fatal error (concurrent map writes) and nothing in clean output', async () => {
    const bin = await goBuild('dump-mapwrite');
    const r = await run(bin, [], { env: { ...process.env }, timeoutMs: 60_000 });
    const { scanner, headlines } = feed(r.stderr, 100);
    expect(headlines[0]).toMatch(/^fatal error: concurrent map (writes|read and map write)/);
    expect(scanner.end()).toContain('goroutine ');
    const clean = feed('hello\nworld\nno crash here: panic: later in a line\n', 5);
    expect(clean.headlines).toEqual([]);
    expect(clean.scanner.end()).toBeUndefined();
  });
});

describe('crash in a scheduler-trace run', () => {
  it('is found in the program lines the dashboard splits from GODEBUG output, with SCHED lines interleaved', async () => {
    const bin = await goBuild('attach-panic');
    const r = await run(bin, [], {
      env: {
        ...process.env,
        PANIC_AFTER_MS: '300',
        GOTRACEBACK: 'all',
        GODEBUG: 'schedtrace=20,gctrace=1',
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^SCHED /m);
    for (const chunk of [3, 4096]) {
      // The dashboard's path: stderr → SchedSession.pushStderr → program lines → CrashScanner.
      const session = new SchedSession(() => undefined);
      const scanner = new CrashScanner();
      const headlines: string[] = [];
      for (let i = 0; i < r.stderr.length; i += chunk) {
        const h = scanner.pushLines(session.pushStderr(r.stderr.slice(i, i + chunk)));
        if (h) headlines.push(h);
      }
      const h = scanner.pushLines(session.endStderr());
      if (h) headlines.push(h);
      session.dispose();
      expect(headlines).toEqual(['panic: runtime error: index out of range [3] with length 2']);
      const text = scanner.end()!;
      expect(text).not.toMatch(/^SCHED /m);
      const snap = parseGoroutineDump(new TextEncoder().encode(text));
      expect(snap.goroutines.count).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('run configurations', () => {
  it('reads vscode-go launch.json configurations', () => {
    expect(
      fromLaunchJson({
        type: 'go',
        request: 'launch',
        name: 'Batch',
        mode: 'auto',
        program: '${workspaceFolder}/cmd/batch',
        args: ['-n', '5'],
        env: { A: '1', B: 2 },
        buildFlags: '-tags=dev -ldflags "-s -w"',
      }),
    ).toEqual({
      name: 'Batch',
      program: '${workspaceFolder}/cmd/batch',
      args: ['-n', '5'],
      cwd: undefined,
      env: { A: '1' },
      buildFlags: ['-tags=dev', '-ldflags', '-s -w'],
      mode: undefined,
    });
    expect(
      fromLaunchJson({
        type: 'go',
        request: 'launch',
        name: 'T',
        mode: 'test',
        program: '${fileDirname}',
        args: '-test.run TestX',
      })?.mode,
    ).toBe('test');
    expect(
      fromLaunchJson({ type: 'go', request: 'attach', name: 'A', mode: 'local', processId: 1 }),
    ).toBeUndefined();
    expect(
      fromLaunchJson({
        type: 'go',
        request: 'launch',
        name: 'R',
        mode: 'replay',
        traceDirPath: 'x',
      }),
    ).toBeUndefined();
    expect(fromLaunchJson({ type: 'node', request: 'launch', program: 'x.js' })).toBeUndefined();
    expect(asRunConfiguration({ program: '/bin/true' })?.name).toBe('true');
    expect(splitCommandLine(`-tags 'a b' "c\\"d"`)).toEqual(['-tags', 'a b', 'c"d']);
  });

  it('finds the core a crashed run left (core or core.PID, not older ones)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-core-'));
    expect(findCore(dir, 42, Date.now())).toBeUndefined();
    writeFileSync(join(dir, 'core.42'), 'x');
    expect(findCore(dir, 42, Date.now() - 5000)).toBe(join(dir, 'core.42'));
    expect(findCore(dir, 43, Date.now() - 5000)).toBeUndefined();
    expect(findCore(dir, 42, Date.now() + 60_000)).toBeUndefined();
  });
});
