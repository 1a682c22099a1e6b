// Our goroutine analysis against go tool trace's own (its /goroutines and /goroutine pages,
// served by `go tool trace -http`): the same groups by start function, the same goroutines in
// each, and the same time in every state, to the nanosecond.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel, goroutineAnalysis, type GoroutineAnalysis } from '../../../src/core/exectrace';
import { goEnv } from '../../support/go';
import { fixturesDir } from '../../unit/exectrace/support/helpers';

/** Exact ns of a Go time.Duration string ("1.5ms", "2m3.000000001s", "0s"). */
function parseDuration(s: string): number {
  s = s.trim();
  if (s === '0s') return 0;
  const units: Record<string, number> = { h: 3.6e12, m: 6e10, s: 1e9, ms: 1e6, 'µs': 1e3, us: 1e3, ns: 1 };
  let total = 0;
  const re = /(\d+)(?:\.(\d+))?(h|ms|m|s|µs|us|ns)/g;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const unit = units[m[3]];
    const frac = m[2] ?? '';
    total += Number(m[1]) * unit + (frac ? (Number(frac) * unit) / 10 ** frac.length : 0);
    consumed += m[0].length;
  }
  if (consumed !== s.length) throw new Error(`bad duration ${s}`);
  return Math.round(total);
}

const decodeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Starts `go tool trace -http` on a file; returns its base URL and the server process. */
async function serve(file: string): Promise<{ base: string; server: ChildProcess }> {
  // The tool binary itself (not `go tool trace`, which would leave it running as a child).
  const tool = execFileSync('go', ['tool', '-n', 'trace'], { env: goEnv() }).toString().trim();
  const server = spawn(tool, ['-http=127.0.0.1:0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`go tool trace did not start:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`go tool trace exited with ${code}:\n${out}`)));
  });
  return { base, server };
}

// Traces with goroutines of every kind: blocked on channels, mutexes, the network, sleeping,
// in syscalls, in GC assists and sweeps; from the oldest and the machine's Go.
describe.each(['workload-go1.26.8.trace', 'workload-go1.22.12.trace'])('goroutine analysis of %s agrees with go tool trace', (name) => {
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
    const rows = [...html.matchAll(/<tr>\s*<td><code><a href="[^"]*">([^<]*)<\/a><\/code><\/td>\s*<td>(\d+)<\/td>\s*<td>([^<]*)<\/td>/g)];
    expect(rows.length).toBeGreaterThan(5);
    const theirs = new Map(rows.map((m) => [decodeHtml(m[1]) === '(Inactive, no stack trace sampled)' ? '' : decodeHtml(m[1]), { count: Number(m[2]), exec: parseDuration(m[3]) }]));
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
      const parseTable = (section: string) => {
        const table = section.slice(section.indexOf('<table class="details">'));
        const headers = [...table.slice(0, table.indexOf('</tr>')).matchAll(/<th[^>]*>\s*([^<]*)<\/th>/g)].map((m) => decodeHtml(m[1].trim()));
        const rows = new Map<number, Record<string, number>>();
        for (const m of table.matchAll(/<a href="\/trace\?goid=(\d+)">\d+<\/a>\s*<\/td>([\s\S]*?)<\/tr>/g)) {
          const cells = [...m[2].replace(/<div class="stacked-bar-graph">[\s\S]*?<\/div>/, '').matchAll(/<td>\s*([^<]*?)\s*<\/td>/g)].map((c) => c[1]).filter((c) => c !== '');
          const values: Record<string, number> = {};
          headers.slice(1).filter((h) => h !== '').forEach((h, i) => (values[h] = parseDuration(cells[i])));
          rows.set(Number(m[1]), values);
        }
        return rows;
      };
      const theirStates = parseTable(breakdown);
      const theirRanges = parseTable(ranges);
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
        for (const [reason, v] of g.blockTimeByReason) mine[`Block time (${reason})`] = (mine[`Block time (${reason})`] ?? 0) + v;
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
          const ourRange: Record<string, number> = { Total: g.totalTime, 'GC mark assist': g.gcAssistTime, 'GC incremental sweep': g.gcSweepTime };
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
});
