// `golens trace-analysis --json` against go tool trace's goroutine analysis (its HTTP UI): per
// start function, the goroutine count and execution time of the /goroutines page, and the sums
// over the group's goroutines of the /goroutine?name= page's columns:
//   schedulerWaitNs = "Sched wait time"
//   blockedNs       = every "Block time (<reason>)" column but "Block time (syscall)"
//   syscallNs       = "Syscall execution time" + "Block time (syscall)" (in a syscall, with or without a P)
// Go's tables print exact time.Duration values, and our sums are of integer ns, so they agree
// to the nanosecond.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot, runCli } from '../../support/go';
import { fixturesDir } from '../../unit/exectrace/support/helpers';
import { parseGoroutineGroups, parseGoroutineTable, serve } from './support/go-trace-http';

interface Group {
  function: string;
  count: number;
  executionNs: number;
  schedulerWaitNs: number;
  blockedNs: number;
  syscallNs: number;
}

// The oldest v2 format, the machine's Go, and a converted Go 1.21 (v1) trace.
const files = [
  join(fixturesDir, 'workload-go1.26.8.trace'),
  join(fixturesDir, 'workload-go1.22.12.trace'),
  join(repoRoot, 'test/fixtures/exectrace-legacy/workload-go1.21.13.trace'),
];

describe.each(files.map((f) => [f.slice(repoRoot.length + 1), f]))(
  'golens trace-analysis of %s agrees with go tool trace',
  (_name, file) => {
    let ours: { goroutines: number; groups: Group[] };
    let base = '';
    let server: ChildProcess | undefined;
    beforeAll(async () => {
      const r = await runCli(['trace-analysis', file, '--json']);
      expect(r.code, r.stderr).toBe(0);
      ours = JSON.parse(r.stdout);
      ({ base, server } = await serve(file));
    });
    afterAll(() => {
      server?.kill('SIGKILL');
    });

    async function page(path: string): Promise<string> {
      const r = await fetch(base + path);
      expect(r.status).toBe(200);
      return r.text();
    }

    test('groups, counts, and every column summed over each group', async () => {
      const theirGroups = parseGoroutineGroups(await page('/goroutines'));
      expect(theirGroups.size).toBeGreaterThan(5);
      expect(
        new Map(ours.groups.map((g) => [g.function, { count: g.count, exec: g.executionNs }])),
      ).toEqual(theirGroups);
      expect(ours.goroutines).toBe([...theirGroups.values()].reduce((s, g) => s + g.count, 0));
      let blocked = 0;
      let syscalls = 0;
      for (const g of ours.groups) {
        const html = await page('/goroutine?name=' + encodeURIComponent(g.function));
        const rows = parseGoroutineTable(html.split('<h3 id="ranges">')[0]);
        expect(rows.size).toBe(g.count);
        const want: Group = {
          function: g.function,
          count: rows.size,
          executionNs: 0,
          schedulerWaitNs: 0,
          blockedNs: 0,
          syscallNs: 0,
        };
        for (const cols of rows.values()) {
          for (const [k, v] of Object.entries(cols)) {
            if (k === 'Execution time') want.executionNs += v;
            else if (k === 'Sched wait time') want.schedulerWaitNs += v;
            else if (k === 'Syscall execution time' || k === 'Block time (syscall)')
              want.syscallNs += v;
            else if (k.startsWith('Block time (')) want.blockedNs += v;
          }
        }
        expect(g, g.function).toEqual(want);
        if (g.blockedNs > 0) blocked++;
        if (g.syscallNs > 0) syscalls++;
      }
      // Groups of every kind were compared.
      expect(blocked).toBeGreaterThan(5);
      expect(syscalls).toBeGreaterThan(0);
    });
  },
);
