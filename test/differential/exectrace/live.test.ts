// Traces written at test time by the machine's Go from test/go/trace-workload (every scenario,
// with and without the CPU profiler, with many short generations, with allocation/free
// experiment batches), compared with go tool trace -d=parsed byte for byte.
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { goBuild, run, runCli } from '../../support/go';
import { goParsed, scratchDir } from '../../unit/exectrace/support/helpers';

let binary = '';
beforeAll(async () => {
  binary = await goBuild('trace-workload');
});

const configs: { name: string; args: string[]; godebug?: string }[] = [
  { name: 'all scenarios', args: [] },
  {
    name: 'all scenarios, CPU profiler, 5 ms generations',
    args: ['-cpuprofile'],
    godebug: 'traceadvanceperiod=5000000',
  },
  {
    name: 'channels and iter.Pull with alloc/free experiment batches',
    args: ['-scenarios', 'chan,iterpull,many'],
    godebug: 'traceallocfree=1',
  },
];

describe.each(configs)('$name', ({ name, args, godebug }) => {
  test('trace-events equals go tool trace -d=parsed', async () => {
    const file = join(scratchDir('live'), name.replace(/[^a-z0-9]+/gi, '-') + '.trace');
    const r = await run(binary, ['-o', file, ...args], {
      env: { ...process.env, GODEBUG: godebug ?? '' },
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const [ours, go] = await Promise.all([runCli(['trace-events', file]), goParsed(file)]);
    expect(go.code).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout.split('\n').length).toBeGreaterThan(1000);
    expect(ours.stdout === go.stdout).toBe(true);
  });
});
