// `perf record -p` as "Record CPU Profile with perf" runs it, on real Go processes: stopped after
// a while (SIGINT, perf writes what it has), and a process that exits while it is recorded (what
// was recorded is kept). The recording then reads like any other.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedSamples } from '../../../src/core/perf/record-errors';
import { startPerfRecord } from '../../../src/node/perf-record';
import { readProfileFile } from '../../../src/node/profile-file';
import { listProcesses } from '../../../src/node/processes';
import { buildPerfProgram } from '../../support/perf';

const work = mkdtempSync(join(tmpdir(), 'golens-perf-record-'));

describe('perf record of a running Go process', () => {
  it('is listed as a Go process, records until stopped, and reads as a CPU profile', async () => {
    const bin = await buildPerfProgram('perf-syscall');
    const child = spawn(bin, ['30s'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const listed = (await listProcesses()).find((p) => p.pid === child.pid);
      expect(listed?.isGo).toBe(true);
      expect(listed?.name).toBe('perf-syscall');
      const output = join(work, 'stopped.data');
      const rec = startPerfRecord({
        perf: 'perf',
        pid: child.pid!,
        frequency: 499,
        callGraph: 'fp',
        output,
      });
      // perf takes a moment to attach (seconds on a busy machine).
      await new Promise((r) => setTimeout(r, 5000));
      rec.stop();
      const result = await rec.done;
      expect(result.endedByItself).toBe(false);
      expect(recordedSamples(result.stderr)).toBeGreaterThan(0);
      const r = await readProfileFile(output, { perf: 'perf' });
      expect(r.profile.sampleTypes.map((t) => t.type)).toEqual(['samples', 'cpu']);
      expect(r.profile.functions.name).toContain('main.readZero');
      expect(r.profile.functions.filename).toContain('[kernel.kallsyms]');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('keeps what was recorded when the process exits while recorded', async () => {
    const bin = await buildPerfProgram('perf-cpu');
    const child = spawn(bin, ['6s'], { stdio: 'ignore' });
    const output = join(work, 'exited.data');
    const rec = startPerfRecord({
      perf: 'perf',
      pid: child.pid!,
      frequency: 499,
      callGraph: 'fp',
      output,
    });
    const timer = setTimeout(() => rec.stop(), 60_000);
    const result = await rec.done;
    clearTimeout(timer);
    expect(result.endedByItself).toBe(true);
    // A busy machine gives the program little CPU: some samples, not a rate.
    expect(recordedSamples(result.stderr), result.stderr).toBeGreaterThan(0);
    const r = await readProfileFile(output, { perf: 'perf' });
    expect(r.profile.functions.name).toContain('main.countPrimes');
  });
});
