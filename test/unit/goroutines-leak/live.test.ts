// A live leak hunt against a real program (test/go/leak-server built with Go 1.26 and
// GOEXPERIMENT=goroutineleakprofile): the pprof index lists goroutineleak with its count, the
// debug=2 capture marks the leaks, the explorer's leaked-only view groups them, and after the
// program leaks two more the comparison says which leak grew. Without the experiment the index
// has no goroutineleak and the endpoint answers 404 "Unknown profile": the message we show
// names what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakProfileUnavailable, parsePprofIndex } from '../../../src/core/collect/pprof-index';
import { exploreSnapshot } from '../../../src/core/goroutines/explorer';
import { countLeaked, frameAt, leakSites, parseGoroutineDump } from '../../../src/core/goroutines';
import { GoroutineTreeModel, type GroupNode } from '../../../src/views/goroutines/tree-model';
import { startGoServer, type GoServer } from '../../support/go';
import { hold, inProcessBackend } from '../goroutines-ui/support';
import { buildLeakServer } from './support';

const text = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
};

const MUTEX_WAITERS = 2;
const hasMutexWaiters = (dump: string) =>
  leakSites(parseGoroutineDump(dump)).some((s) => s.reason === 'sync.Mutex.Lock');

/**
 * Each capture runs a leak-detecting GC. Whether that GC reports the goroutines blocked on the
 * forgotten mutex is the runtime's call: idle, it does from the second GC on; on a loaded machine
 * it was seen to miss them five GCs in a row. So ask a few times, and let the caller allow for
 * their absence rather than fail on the runtime's timing.
 */
async function leakDump(url: string): Promise<{ body: string; mutexWaiters: number }> {
  let body = '';
  for (let attempt = 0; attempt < 6; attempt++) {
    body = (await text(`${url}/debug/pprof/goroutineleak?debug=2`)).body;
    if (hasMutexWaiters(body)) return { body, mutexWaiters: MUTEX_WAITERS };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { body, mutexWaiters: 0 };
}

describe('Find Goroutine Leaks against a live Go 1.26 program built with GOEXPERIMENT=goroutineleakprofile', () => {
  let server: GoServer;
  beforeAll(async () => {
    // Go 1.26 prints pprof labels in tracebacks only when asked (Go 1.27 always does).
    server = await startGoServer(await buildLeakServer(true), [], { GODEBUG: 'tracebacklabels=1' });
  }, 180_000);
  afterAll(async () => server?.stop());

  it('the index lists goroutineleak among every profile, with counts', async () => {
    const index = await text(`${server.url}/debug/pprof/`);
    const profiles = parsePprofIndex(index.body)!;
    expect(profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'goroutine',
        'goroutineleak',
        'heap',
        'allocs',
        'mutex',
        'block',
        'threadcreate',
        'trace',
        'profile',
      ]),
    );
    expect(profiles.find((p) => p.name === 'goroutine')!.count).toBeGreaterThanOrEqual(17);
  });

  it('captures debug=2, groups the leaks by site, and the comparison finds the leak that grew', async () => {
    const first = await text(`${server.url}/debug/pprof/goroutineleak?debug=2`);
    expect(first.status).toBe(200);
    const before = parseGoroutineDump(first.body);
    // The mutex waiters show from the second leak-detecting GC on; the others from the first.
    expect(
      leakSites(before).map((s) => `${frameAt(before, s.frame).func} ${s.reason} ×${s.count}`),
    ).toEqual(
      expect.arrayContaining([
        'main.handleRequest.func1 chan send ×5',
        'main.receiveReply chan receive ×3',
        'main.waitForever.func1 sync.Cond.Wait ×2',
      ]),
    );
    for (let i = 0; i < 2; i++) expect((await text(`${server.url}/leak`)).status).toBe(200);
    const second = await leakDump(server.url);
    const after = parseGoroutineDump(second.body);
    const leakedAfter = 5 + 2 + 3 + 2 + second.mutexWaiters;
    expect(countLeaked(after)).toBe(leakedAfter);
    const send = leakSites(after)[0];
    expect(send.count).toBe(7);
    expect(send.labels).toEqual([
      { labels: { handler: '/orders' }, count: 5 },
      { labels: { handler: '/leak' }, count: 2 },
    ]);

    // The explorer's comparison, leaked-only: the send leak grew by 2, nothing else did.
    const view = exploreSnapshot(
      after,
      { similarity: 'exact', hideSystem: true, filter: '', onlyLeaked: true },
      before,
    );
    const grew = view.entries.filter(
      (e) => e.change && (e.change.kind === 'grew' || e.change.kind === 'new'),
    );
    expect(grew.map((e) => [e.change!.kind, e.change!.delta])).toContainEqual(['grew', 2]);
    expect(grew.find((e) => e.change!.kind === 'grew')!.signature).toContain(
      'main.handleRequest.func1',
    );
    expect(view.matchedGoroutines).toBe(leakedAfter);
  });

  it('the Goroutines tree shows the leaked-only view with its note, and all goroutines when asked', async () => {
    const { body: dump, mutexWaiters } = await leakDump(server.url);
    const backend = inProcessBackend();
    const model = new GoroutineTreeModel(backend);
    model.options = { similarity: 'exact', hideSystem: true, filter: '', onlyLeaked: true };
    model.setCurrent(await hold(backend, dump));
    const roots = await model.roots();
    const note = roots.find((n) => n.kind === 'note');
    expect(note && model.describe(note).label).toMatch(
      /^Leaked goroutines only: 1\d of \d+ \(show all\)$/,
    );
    const groups = roots.filter((n): n is GroupNode => n.kind === 'group');
    expect(model.describe(groups[0]).label).toMatch(/^\d+ × main\.handleRequest\.func1$/);
    expect(groups.every((g) => g.group.flags.includes('leaked'))).toBe(true);
    expect(model.message()).toMatch(
      new RegExp(`^1\\d leaked goroutines in ${mutexWaiters ? 4 : 3} groups$`),
    );
    model.setOptions({ onlyLeaked: false });
    const all = (await model.roots()).filter((n): n is GroupNode => n.kind === 'group');
    expect(all.some((g) => !g.group.flags.includes('leaked'))).toBe(true);
  });
});

describe('a Go 1.26 program built without the experiment', () => {
  let server: GoServer;
  beforeAll(async () => {
    server = await startGoServer(await buildLeakServer(false));
  }, 180_000);
  afterAll(async () => server?.stop());

  it('has no goroutineleak in its index, answers 404 "Unknown profile", and the message names Go 1.27 and the GOEXPERIMENT', async () => {
    const index = parsePprofIndex((await text(`${server.url}/debug/pprof/`)).body)!;
    expect(index.map((p) => p.name)).not.toContain('goroutineleak');
    const r = await text(`${server.url}/debug/pprof/goroutineleak?debug=2`);
    expect(r.status).toBe(404);
    expect(r.body).toContain('Unknown profile');
    const message = leakProfileUnavailable(`${server.url}/debug/pprof`);
    expect(message).toContain('Go 1.27');
    expect(message).toContain('GOEXPERIMENT=goroutineleakprofile');
  });
});

describe('parsePprofIndex on other pages', () => {
  it('returns undefined for a page that is not a pprof index', () => {
    expect(parsePprofIndex('<html><body><h1>Welcome</h1></body></html>')).toBeUndefined();
    expect(parsePprofIndex('')).toBeUndefined();
  });
  it('reads custom profile names with slashes and escapes', () => {
    const html =
      "<tr><td>3</td><td><a href='mycompany.com%2Fopen-files?debug=1'>mycompany.com/open-files</a></td></tr>\n<tr><td>0</td><td><a href='a&amp;b?debug=1'>a&amp;b</a></td></tr>";
    expect(parsePprofIndex(html)).toEqual([
      { name: 'mycompany.com/open-files', count: 3, path: 'mycompany.com/open-files' },
      { name: 'a&b', count: 0, path: 'a&b' },
    ]);
  });
});
