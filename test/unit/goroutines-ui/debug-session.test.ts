// The "Debug session" source against a real Delve: `dlv dap` launched and driven over TCP the
// way vscode-go drives it, the goroutines read with the extension's own reader
// (readDebugGoroutines) and grouped through the worker's handlers. The grouping must agree with
// a goroutine dump of the same quiescent program; a program with more than 1024 goroutines must
// be reported as capped, as Delve's DAP server cuts its list there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focusFrame } from '../../../src/core/goroutines/explorer';
import {
  qualifyFuncName,
  snapshotFromFrames,
  type DebuggerGoroutine,
} from '../../../src/core/goroutines/from-frames';
import type { GoroutineSnapshot } from '../../../src/core/goroutines/model';
import { parseGoroutineDump } from '../../../src/core/goroutines/parse';
import { stackFrames } from '../../../src/core/goroutines/view';
import {
  DELVE_MAX_GOROUTINES,
  parseThreadName,
  readDebugGoroutines,
} from '../../../src/views/goroutines/debug-goroutines';
import { GoroutineTreeModel } from '../../../src/views/goroutines/tree-model';
import { goBuild, goProgramsDir } from '../../support/go';
import { normaliseFunc } from '../goroutines/support';
import { findOrInstallDlv, startDlvDap, type DlvDap } from './dap-client';
import { inProcessBackend } from './support';

let dlv: string;
beforeAll(async () => {
  dlv = await findOrInstallDlv();
}, 300_000);

/**
 * Goroutines per stack, from the first frame outside the standard library to the outermost:
 * the part of a stack both a traceback and a debugger report the same way (at the top, a
 * debugger may show the assembly a goroutine in a system call sits in; the traceback shows
 * where it entered). Goroutines all in the standard library (HTTP serving) are left out: they
 * come and go with the requests the test itself makes.
 */
function userStacks(s: GoroutineSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (let r = 0; r < s.goroutines.count; r++) {
    const stack = s.goroutines.stack[r];
    const focus = focusFrame(s, stack);
    const frames = stackFrames(s, stack).map((f) => f.func);
    const at = focus >= 0 ? frames.indexOf(s.frames.func[focus]) : -1;
    if (at < 0 || !/^(main|golens\.test)/.test(s.frames.func[focus])) continue;
    const key = frames.slice(at).map(normaliseFunc).join(';');
    out[key] = (out[key] ?? 0) + s.goroutines.weight[r];
  }
  return out;
}

describe('parseThreadName', () => {
  it.each([
    ['* [Go 1] main.main (Thread 4242)', { current: true, id: 1, labels: [], func: 'main.main' }],
    [
      '[Go 17] golens.test/programs/dump-zoo.worker',
      { current: false, id: 17, labels: [], func: 'golens.test/programs/dump-zoo.worker' },
    ],
    [
      '[Go 18 role:web shard:1] main.handle',
      {
        current: false,
        id: 18,
        labels: [
          ['role', 'web'],
          ['shard', '1'],
        ],
        func: 'main.handle',
      },
    ],
    ['Dummy', { current: false, id: undefined, labels: [], func: '' }],
  ])('%s', (name, want) => {
    expect(parseThreadName(name)).toEqual(want);
  });
});

describe('qualifyFuncName', () => {
  const modules = [
    { path: 'example.com/app', dir: '/home/me/app' },
    { path: 'example.com/app/tools', dir: '/home/me/app/tools' },
  ];
  it.each([
    ['pprof.Do', '/usr/local/go/src/runtime/pprof/runtime.go', 'runtime/pprof.Do'],
    ['poll.(*FD).Read', '/usr/local/go/src/internal/poll/fd_unix.go', 'internal/poll.(*FD).Read'],
    ['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 'runtime.gopark'],
    ['main.main', '/home/me/app/cmd/server/main.go', 'main.main'],
    [
      'store.(*DB).Get',
      '/home/me/app/internal/store/db.go',
      'example.com/app/internal/store.(*DB).Get',
    ],
    ['gen.Run', '/home/me/app/tools/gen/run.go', 'example.com/app/tools/gen.Run'],
    ['app.Start', '/home/me/app/app.go', 'example.com/app.Start'],
    [
      'mux.(*Router).ServeHTTP',
      '/home/me/go/pkg/mod/github.com/!gorilla/mux@v1.8.1/mux.go',
      'github.com/Gorilla/mux.(*Router).ServeHTTP',
    ],
    [
      'errgroup.(*Group).Go.func1',
      '/home/me/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/errgroup.go',
      'golang.org/x/sync/errgroup.(*Group).Go.func1',
    ],
    ['other.F', '/somewhere/else/x.go', 'other.F'],
    ['ws.Serve', '', 'ws.Serve'],
  ])('%s in %s', (func, file, want) => {
    expect(qualifyFuncName(func, file, modules)).toBe(want);
  });
});

describe('snapshotFromFrames', () => {
  it('drops the runtime frames a traceback hides, keeps runtime goroutines whole, marks what it knows', () => {
    const goroutines: DebuggerGoroutine[] = [
      {
        id: 7,
        current: false,
        labels: [],
        truncated: false,
        frames: [
          { func: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: 435 },
          { func: 'runtime.chanrecv', file: '/go/src/runtime/chan.go', line: 664 },
          { func: 'main.worker[go.shape.int]', file: '/src/main.go', line: 12 },
          { func: 'main.main.gowrap1', file: '/src/main.go', line: 30 },
          { func: 'runtime.goexit', file: '/go/src/runtime/asm_amd64.s', line: 1700 },
        ],
      },
      {
        id: 2,
        current: true,
        labels: [['role', 'gc']],
        truncated: true,
        frames: [
          { func: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: 435 },
          { func: 'runtime.forcegchelper', file: '/go/src/runtime/proc.go', line: 348 },
          { func: 'runtime.goexit', file: '/go/src/runtime/asm_amd64.s', line: 1700 },
        ],
      },
      {
        id: 9,
        current: false,
        labels: [],
        truncated: false,
        frames: [],
        unreadable: 'Unreadable goroutine: bad g',
      },
    ];
    const s = snapshotFromFrames(goroutines);
    expect(s.goroutines.count).toBe(3);
    expect(stackFrames(s, s.goroutines.stack[0]).map((f) => `${f.func} ${f.line}`)).toEqual([
      'main.worker[...] 12',
    ]);
    expect(stackFrames(s, s.goroutines.stack[1]).map((f) => f.func)).toEqual([
      'runtime.gopark',
      'runtime.forcegchelper',
      'runtime.goexit',
    ]);
    expect([...s.goroutines.id]).toEqual([7, 2, 9]);
    expect([...s.goroutines.flags]).toEqual([0, 32 | 64, 4]);
    expect(s.labelSets[s.goroutines.labels[1]]).toEqual({ role: 'gc' });
  });
});

describe('a paused dlv dap session', () => {
  let session: DlvDap | undefined;
  afterAll(async () => {
    await session?.stop();
  });

  it('groups the goroutines of a paused program like a dump of it', async () => {
    const bin = await goBuild('dump-server');
    session = await startDlvDap(dlv);
    const { client } = session;
    await client.request('initialize', {
      adapterID: 'go',
      clientID: 'golens-test',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    await client.request('launch', { mode: 'exec', program: bin, outputMode: 'remote' });
    await client.waitForEvent((e) => e.event === 'initialized');
    await client.request('configurationDone');
    const listening = await client.waitForEvent(
      (e) => e.event === 'output' && /listening on \S+/.test(String(e.body?.output)),
    );
    const addr = /listening on (\S+)/.exec(String(listening.body?.output))![1];

    // The program is quiescent: a dump taken now shows what the debugger sees once paused.
    const dump = parseGoroutineDump(
      await (
        await fetch(`http://${addr}/debug/pprof/goroutine?debug=2`, {
          headers: { Connection: 'close' },
        })
      ).text(),
    );

    await client.request('pause', { threadId: 1 });
    await client.waitForEvent((e) => e.event === 'stopped');
    const listing = await readDebugGoroutines(client.request, { concurrency: 4 });
    expect(listing.capped).toBe(false);
    expect(listing.failed).toBe(0);
    expect(listing.listed).toBe(listing.goroutines.length);

    // The workspace module lets the builder restore the package paths Delve shortens.
    const modules = [{ path: 'golens.test/programs', dir: goProgramsDir }];
    const fromDebugger = snapshotFromFrames(listing.goroutines, { modules });
    const want = userStacks(dump);
    expect(Object.keys(want).length).toBeGreaterThan(20);
    expect(userStacks(fromDebugger)).toEqual(want);

    // The same data through the worker's handlers and the tree: the biggest group first.
    const backend = inProcessBackend();
    const loaded = await backend.request('loadDebuggerGoroutines', {
      goroutines: listing.goroutines,
      modules,
    });
    const model = new GoroutineTreeModel(backend);
    model.setCurrent({
      handle: loaded.handle,
      summary: loaded.summary,
      source: {
        kind: 'debug',
        sessionId: '1',
        sessionName: 'dump-server',
        listed: listing.listed,
        capped: false,
      },
      takenAt: new Date(),
      reload: () =>
        backend.request('loadDebuggerGoroutines', { goroutines: listing.goroutines, modules }),
    });
    const items = (await model.roots()).map((n) => model.describe(n));
    // The goroutine the pause landed on (if any) comes first, marked; then the biggest group.
    const stoppedOn = items.filter((i) => i.icon.id === 'debug-stackframe');
    expect(stoppedOn.length).toBeLessThanOrEqual(1);
    expect(items.slice(0, stoppedOn.length)).toEqual(stoppedOn);
    expect(items[stoppedOn.length]).toMatchObject({
      label: '8 × dump-zoo.worker',
      description: 'zoo.go:168',
    });
  }, 300_000);

  it("reports a list cut at Delve's 1024 goroutines as capped", async () => {
    await session?.stop();
    session = undefined;
    // dump-many parks -n goroutines, then dumps them; stop it just before the dump.
    const bin = await goBuild('dump-many');
    const source = join(goProgramsDir, 'dump-many/main.go');
    const line =
      readFileSync(source, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('buf := make(')) + 1;
    session = await startDlvDap(dlv);
    const { client } = session;
    await client.request('initialize', {
      adapterID: 'go',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    await client.request('launch', {
      mode: 'exec',
      program: bin,
      args: ['-n', '1100'],
      outputMode: 'remote',
    });
    await client.waitForEvent((e) => e.event === 'initialized');
    const bp = (await client.request('setBreakpoints', {
      source: { path: source },
      breakpoints: [{ line }],
    })) as { breakpoints: { verified: boolean }[] };
    expect(bp.breakpoints[0].verified).toBe(true);
    await client.request('configurationDone');
    await client.waitForEvent((e) => e.event === 'stopped', 120_000);

    const listing = await readDebugGoroutines(client.request, { concurrency: 8, levels: 20 });
    expect(listing.listed).toBeGreaterThanOrEqual(DELVE_MAX_GOROUTINES);
    expect(listing.listed).toBeLessThanOrEqual(DELVE_MAX_GOROUTINES + 1);
    expect(listing.capped).toBe(true);
    expect(listing.failed).toBe(0);
    // Delve says so itself, on the debug console.
    expect(
      client.events.some(
        (e) =>
          e.event === 'output' &&
          /Too many goroutines, only loaded 1024/.test(String(e.body?.output)),
      ),
    ).toBe(true);
    // The goroutine the program stopped on is among them, marked as current.
    expect(listing.goroutines.filter((g) => g.current)).toHaveLength(1);
  }, 300_000);
});
