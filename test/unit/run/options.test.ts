// The launcher's crash and perf options on real programs: GOTRACEBACK=crash through the shell
// that raises the core limit leaves a core the run finds; perf record (-e cpu-clock -g) writes
// a perf.data that `perf report` reads with the program's functions.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrapForOptions } from '../../../src/run/attach';
import { findCore } from '../../../src/run/find-core';
import { TracedProcess, type ExitInfo } from '../../../src/run/traced-process';
import { goBuild, run } from '../../support/go';

function runToEnd(spec: {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}): Promise<{ exit: ExitInfo; stderr: string; pid: number | undefined }> {
  let stderr = '';
  const p = new TracedProcess(spec, {
    stdout: () => undefined,
    stderr: (d) => (stderr += Buffer.from(d).toString()),
    exit: () => undefined,
    spawnError: () => undefined,
  });
  return p.exited.then((exit) => ({ exit, stderr, pid: p.pid }));
}

describe('launcher options', () => {
  it('core dump on crash: the panic aborts with a core in the working directory', async () => {
    const bin = await goBuild('attach-panic');
    const cwd = mkdtempSync(join(tmpdir(), 'golens-crash-'));
    const since = Date.now();
    const spec = wrapForOptions(
      { file: bin, args: [], cwd, env: { ...process.env, PANIC_AFTER_MS: '50' } },
      { crash: true },
    );
    expect(spec.file).toBe('/bin/sh');
    expect((spec.env as Record<string, string | undefined>).GOTRACEBACK).toBe('crash');
    const r = await runToEnd(spec);
    expect(r.exit.signal).toBe('SIGABRT');
    expect(r.stderr).toContain('panic: runtime error: index out of range');
    // GOTRACEBACK=crash prints runtime frames and every goroutine.
    expect(r.stderr).toMatch(/goroutine \d+ gp=/);
    const core = findCore(cwd, r.pid, since);
    expect(core, 'a core file in the working directory').toBeDefined();
  });

  it('perf record writes a recording perf report reads', async () => {
    const bin = await goBuild('attach-cpu');
    const cwd = mkdtempSync(join(tmpdir(), 'golens-perf-'));
    const data = join(cwd, 'perf.data');
    const spec = wrapForOptions(
      { file: bin, args: ['2'], cwd, env: { ...process.env } },
      { perf: true },
      data,
    );
    const r = await runToEnd(spec);
    expect(r.exit.code, r.stderr).toBe(0);
    expect(existsSync(data)).toBe(true);
    const report = await run(
      'perf',
      ['report', '-i', data, '--stdio', '--no-children', '--sort', 'symbol'],
      { timeoutMs: 120_000 },
    );
    expect(report.stdout).toContain('main.burnHashes');
  });
});
