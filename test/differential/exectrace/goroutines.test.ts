// Our goroutine analysis against go tool trace's own (its /goroutines and /goroutine pages,
// served by `go tool trace -http`): the same groups by start function, the same goroutines in
// each, and the same time in every state, to the nanosecond.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel, goroutineAnalysis, type GoroutineAnalysis } from '../../../src/core/exectrace';
import { fixturesDir } from '../../unit/exectrace/support/helpers';
import { parseGoroutineGroups, parseGoroutineTable, serve } from './support/go-trace-http';

// Traces with goroutines of every kind: blocked on channels, mutexes, the network, sleeping,
// in syscalls, in GC assists and sweeps; from the oldest and the machine's Go.
describe.each(['workload-go1.26.8.trace', 'workload-go1.22.12.trace'])(
  'goroutine analysis of %s agrees with go tool trace',
  (name) => {
    const file = join(fixturesDir, name);
    let ours: GoroutineAnalysis;
    let base = '';
    let server: ChildProcess | undefined;
    beforeAll(async () => {
      ours = goroutineAnalysis(buildModel(readFileSync(file)));
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

    test('groups: start functions, counts and total execution time', async () => {
      const html = await page('/goroutines');
      const theirs = parseGoroutineGroups(html);
      expect(theirs.size).toBeGreaterThan(5);
      const mine = new Map(ours.groups.map((g) => [g.name, { count: g.count, exec: g.execTime }]));
      expect(mine).toEqual(theirs);
    });

    test('every goroutine: total time and each state, ranges (GC assist, sweep, STW)', async () => {
      let compared = 0;
      let withRanges = 0;
      let withSyscalls = 0;
      let withBlocks = 0;
      for (const group of ours.groups) {
        const html = await page('/goroutine?name=' + encodeURIComponent(group.name));
        const [breakdown, ranges] = html.split('<h3 id="ranges">');
        const theirStates = parseGoroutineTable(breakdown);
        const theirRanges = parseGoroutineTable(ranges);
        expect(theirStates.size).toBe(group.count);
        for (const i of group.members) {
          const g = ours.goroutines[i];
          const want = theirStates.get(g.id)!;
          expect(want, `goroutine ${g.id}`).toBeDefined();
          const mine: Record<string, number> = {
            Total: g.totalTime,
            'Execution time': g.execTime,
            'Sched wait time': g.schedWaitTime,
            'Syscall execution time': g.syscallTime,
            'Block time (syscall)': g.syscallBlockTime,
            'Unknown time': g.unknownTime,
          };
          for (const [reason, v] of g.blockTimeByReason)
            mine[`Block time (${reason})`] = (mine[`Block time (${reason})`] ?? 0) + v;
          for (const k of Object.keys(want)) if (!(k in mine)) mine[k] = 0; // columns of other goroutines
          expect(mine, `goroutine ${g.id} (${group.name})`).toEqual(want);
          const wantRanges = theirRanges.get(g.id);
          if (wantRanges) {
            // Go shows each stop-the-world kind as a column; we report their sum.
            let stw = 0;
            const want2: Record<string, number> = {};
            for (const [k, v] of Object.entries(wantRanges)) {
              if (k.startsWith('stop-the-world')) stw += v;
              else want2[k] = v;
            }
            const ourRange: Record<string, number> = {
              Total: g.totalTime,
              'GC mark assist': g.gcAssistTime,
              'GC incremental sweep': g.gcSweepTime,
            };
            const got = Object.fromEntries(Object.keys(want2).map((k) => [k, ourRange[k]]));
            expect(got, `ranges of goroutine ${g.id}`).toEqual(want2);
            expect(g.stwTime, `stop-the-world time of goroutine ${g.id}`).toBe(stw);
            withRanges++;
          } else {
            expect(g.gcAssistTime + g.gcSweepTime + g.stwTime).toBe(0);
          }
          if (g.syscallTime > 0) withSyscalls++;
          if (g.blockTimeByReason.size > 0) withBlocks++;
          compared++;
        }
      }
      // The comparison covered goroutines of every kind.
      expect(compared).toBeGreaterThan(2000);
      expect(withRanges).toBeGreaterThan(3);
      expect(withSyscalls).toBeGreaterThan(1);
      expect(withBlocks).toBeGreaterThan(100);
    });
  },
);
