// The goroutine leak profile in its three forms, from Go 1.26 (GOEXPERIMENT=goroutineleakprofile)
// and Go 1.27 (test/fixtures/goroutines-leak/generate.sh runs test/go/leak-server): the readers
// mark every leaked goroutine, group them by leak site, keep labels and creation sites, agree
// with `go tool pprof` on the proto form, and `golens goroutines` reads them all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareSnapshots,
  countLeaked,
  frameAt,
  GoroutineFlag,
  leakSites,
  parseGoroutineDump,
  type GoroutineSnapshot,
} from '../../../src/core/goroutines';
import { gunzip } from '../../../src/node/inflate';
import { goTool, runCli } from '../../support/go';

const fixtures = join(__dirname, '../../fixtures/goroutines-leak');
const VERSIONS = ['go1.26.8', 'go1.27.4'];
const FORMS = {
  debug0: 'leak-debug0.pb.gz',
  debug1: 'leak-debug1.txt',
  debug2: 'leak-debug2.txt',
} as const;
const file = (v: string, form: keyof typeof FORMS) => join(fixtures, v, FORMS[form]);
const load = (v: string, form: keyof typeof FORMS): GoroutineSnapshot =>
  parseGoroutineDump(readFileSync(file(v, form)), { inflate: gunzip });

/** Leak sites as `main.go:LINE reason ×count`, comparable across forms. */
function siteSummary(s: GoroutineSnapshot): string[] {
  return leakSites(s).map((site) => {
    const f = frameAt(s, site.frame);
    return `${f.func} ${f.file.slice(f.file.lastIndexOf('/') + 1)}:${f.line} ${site.reason || '?'} ×${site.count}`;
  });
}

describe.each(VERSIONS)('goroutine leak profile of %s', (v) => {
  it('debug=2: every goroutine, the leaked ones marked and grouped by leak site with creation sites and wait reasons', () => {
    const s = load(v, 'debug2');
    expect(s.format).toBe('traceback');
    expect(countLeaked(s)).toBe(12);
    expect(siteSummary(s)).toEqual([
      'main.handleRequest.func1 main.go:116 chan send ×5',
      'main.receiveReply main.go:130 chan receive ×3',
      'main.lockForever.func1 main.go:139 sync.Mutex.Lock ×2',
      'main.waitForever.func1 main.go:151 sync.Cond.Wait ×2',
    ]);
    const [send] = leakSites(s);
    expect(
      send.createdAt.map(
        (c) => `${frameAt(s, c.frame).func}:${frameAt(s, c.frame).line} ×${c.count}`,
      ),
    ).toEqual(['main.handleRequest:115 ×5']);
    // The pool workers are blocked too, on a channel a global holds: not leaked.
    const pool = [...Array(s.goroutines.count).keys()].filter(
      (r) =>
        frameAt(s, s.stacks.frameIndex[s.stacks.frameStart[s.goroutines.stack[r]]]).func ===
        'main.poolWorker',
    );
    expect(pool).toHaveLength(4);
    for (const r of pool) expect(s.goroutines.flags[r] & GoroutineFlag.Leaked).toBe(0);
  });

  it('debug=1 ("goroutineleak profile: total N"): only leaked goroutines, with labels; mutex and cond named from their frames', () => {
    const s = load(v, 'debug1');
    expect(s.format).toBe('debug1');
    expect(s.warnings).toEqual([]);
    expect(s.declaredTotal).toBe(12);
    expect(countLeaked(s)).toBe(s.totalGoroutines);
    // debug=1 hides runtime.chansend/chanrecv, so channel operations are not named.
    expect(siteSummary(s)).toEqual([
      'main.handleRequest.func1 main.go:116 ? ×5',
      'main.receiveReply main.go:130 ? ×3',
      'main.lockForever.func1 main.go:139 sync.Mutex.Lock ×2',
      'main.waitForever.func1 main.go:151 sync.Cond.Wait ×2',
    ]);
    const search = leakSites(s)[1];
    expect(search.labels).toEqual([
      { labels: { handler: '/search', shard: '0' }, count: 2 },
      { labels: { handler: '/search', shard: '1' }, count: 1 },
    ]);
  });

  it('debug=0 (pprof proto, sample type goroutineleak): the same sites, and the counts go tool pprof reads', async () => {
    const s = load(v, 'debug0');
    expect(s.format).toBe('debug0');
    expect(countLeaked(s)).toBe(s.totalGoroutines);
    // Written first, by the process's first leak-detecting GC, which misses the mutex waiters.
    expect(siteSummary(s)).toEqual([
      'main.handleRequest.func1 main.go:116 chan send ×5',
      'main.receiveReply main.go:130 chan receive ×3',
      'main.waitForever.func1 main.go:151 sync.Cond.Wait ×2',
    ]);
    expect(leakSites(s)[0].labels).toEqual([{ labels: { handler: '/orders' }, count: 5 }]);
    const traces = await goTool('pprof', ['-traces', file(v, 'debug0')]);
    expect(traces.code, traces.stderr).toBe(0);
    expect(traces.stdout).toMatch(/^Type: goroutineleak$/m);
    // Each sample of -traces: a count, then the leaf-first functions. The leaf user function's
    // total must match the site's count.
    const byUserLeaf: Record<string, number> = {};
    for (const block of traces.stdout.split(/^-+\+-+$/m).slice(1)) {
      const m = /^\s+(\d+)\s+(\S+)/m.exec(block.replace(/^\s+\w+:\s+\S+$/gm, ''));
      if (!m) continue;
      const funcs = [...block.matchAll(/^\s+(?:\d+\s+)?(main\.\S+)/gm)].map((x) => x[1]);
      byUserLeaf[funcs[0]] = (byUserLeaf[funcs[0]] ?? 0) + Number(m[1]);
    }
    const ours: Record<string, number> = {};
    for (const site of leakSites(s)) ours[frameAt(s, site.frame).func] = site.count;
    expect(ours).toEqual(byUserLeaf);
  });

  it('golens goroutines reads all three forms; --leaked groups only the leaked goroutines', async () => {
    for (const form of ['debug0', 'debug1', 'debug2'] as const) {
      const r = await runCli(['goroutines', file(v, form), '--leaked']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\d+ leaked goroutines at \d sites:$/m);
      expect(r.stdout).toMatch(/main\.go:116 {2}5 goroutines leaked here/);
    }
    const text = await runCli(['goroutines', file(v, 'debug2'), '--leaked']);
    expect(text.stdout).toContain(
      '5 goroutines leaked here: chan send, created at main.handleRequest (main.go:115)',
    );
    expect(text.stdout.split('\n')[0]).toBe('traceback dump: 17 goroutines, 4 groups of 12');
    const json = JSON.parse((await runCli(['goroutines', file(v, 'debug2'), '--json'])).stdout);
    expect(json.leaked).toBe(12);
    expect(json.leakSites[0]).toMatchObject({
      count: 5,
      reason: 'chan send',
      frame: { func: 'main.handleRequest.func1', line: 116 },
      createdAt: [{ func: 'main.handleRequest', line: 115, count: 5 }],
      labels: [{ labels: {}, count: 5 }],
    });
  });
});

describe('leak snapshots in the comparison (the live test compares two captures)', () => {
  it('without onlyLeaked, a debug=2 leak dump groups every goroutine as before', () => {
    const s = load('go1.26.8', 'debug2');
    expect(compareSnapshots(s, s).totalAfter).toBeGreaterThan(
      compareSnapshots(s, s, { onlyLeaked: true }).totalAfter,
    );
  });
});

describe('a leak profile cut short', () => {
  it('keeps the records that arrived, marked leaked, and says the input is truncated', () => {
    const text = readFileSync(file('go1.27.4', 'debug1'), 'utf8');
    const cut = text.slice(0, text.indexOf('main.lockForever'));
    const s = parseGoroutineDump(cut);
    expect(s.format).toBe('debug1');
    expect(countLeaked(s)).toBe(s.totalGoroutines);
    expect(s.totalGoroutines).toBeGreaterThanOrEqual(8);
    expect(s.warnings.map((w) => w.kind)).toContain('truncated');
    expect(s.warnings.map((w) => w.message).join('\n')).toMatch(/total 12/);
  });
});
