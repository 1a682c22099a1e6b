// Golden tests over the committed dumps of test/fixtures/goroutines (made by generate.sh from the
// programs in test/go/dump-* with every Go minor from 1.21 to 1.27). For every traceback fixture
// the goroutine headers, frame locations, `created by` lines and "stack unavailable" lines are
// counted straight from the text, independently of the parser, and the parse must account for
// each one; then each program's known facts (header, states, labels, elision) are checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gunzip } from '../../../src/node/inflate';
import {
  goroutineAt,
  isSystemGoroutine,
  parseGoroutineDump,
  stackFrames,
  type GoroutineSnapshot,
  type GoroutineView,
} from '../../../src/core/goroutines';
import { countsByStack } from './support';

const dir = join(__dirname, '../../fixtures/goroutines');
const versions = readdirSync(dir)
  .filter((d) => /^go1\.\d+\.\d+$/.test(d))
  .sort((a, b) => minor(a) - minor(b));

function minor(v: string): number {
  return Number(v.split('.')[1]);
}

function load(version: string, name: string): GoroutineSnapshot {
  return parseGoroutineDump(readFileSync(join(dir, version, name)), { inflate: gunzip });
}

function all(s: GoroutineSnapshot): GoroutineView[] {
  return Array.from({ length: s.goroutines.count }, (_, r) => goroutineAt(s, r));
}

/** The goroutines whose stack contains a frame of function `func` (matched by suffix). */
function withFrame(s: GoroutineSnapshot, func: string): GoroutineView[] {
  return all(s).filter((g) => g.frames.some((f) => f.func === func || f.func.endsWith('.' + func)));
}

/** Counts taken from the raw text with regexes of their own, not with the parser. */
function rawCounts(text: string) {
  const lines = text.split('\n');
  return {
    headers: lines.filter((l) =>
      /^goroutine \d+ (gp=0x[0-9a-f]+ m=(\d+|nil)( mp=0x[0-9a-f]+)? )?\[.*:$/.test(l),
    ).length,
    locations: lines.filter((l) =>
      /^\t\S.*:\d+( \+0x[0-9a-f]+)?( fp=0x[0-9a-f]+ sp=0x[0-9a-f]+)?( pc=0x[0-9a-f]+)?$/.test(l),
    ).length,
    createdBy: lines.filter((l) => l.startsWith('created by ')).length,
    unavailable: lines.filter(
      (l) => l.trim() === 'goroutine running on other thread; stack unavailable',
    ).length,
    elisions: lines.filter((l) => /^\.\.\.(\d+|additional) frames elided\.\.\.$/.test(l)).length,
  };
}

/** The same quantities from the parse. */
function parsedCounts(s: GoroutineSnapshot) {
  let locations = 0;
  let createdBy = 0;
  let unavailable = 0;
  let elisions = 0;
  for (const g of all(s)) {
    locations += g.frames.length;
    if (g.createdBy) createdBy++;
    if (g.flags.includes('stack-unavailable')) unavailable++;
    if (g.elided) elisions++;
    for (const a of g.ancestors) {
      locations += a.frames.length;
      if (a.createdBy) createdBy++;
    }
  }
  if (s.header && s.header.runtimeStack >= 0)
    locations += stackFrames(s, s.header.runtimeStack).length;
  // Ancestor sections end with "...additional frames elided..." when they hit their limit.
  return {
    headers: s.goroutines.count,
    locations: locations + createdBy,
    createdBy,
    unavailable,
    elisions,
  };
}

/**
 * The runtime's helper goroutines (force GC, sweeper, scavenger, finalizers) are system, and
 * every goroutine counted as system starts in package runtime (or is an M's g0, goroutine 0).
 */
function expectRuntimeGoroutinesFound(s: GoroutineSnapshot): void {
  const system = all(s).filter((g) => g.system);
  const funcs = system.flatMap((g) => g.frames.map((f) => f.func));
  expect(funcs).toEqual(
    expect.arrayContaining(['runtime.forcegchelper', 'runtime.bgsweep', 'runtime.bgscavenge']),
  );
  for (const g of system) {
    const start = g.frames.filter((f) => f.func !== 'runtime.goexit').at(-1)?.func;
    expect(
      g.id === 0 || (start?.startsWith('runtime.') ?? false),
      `goroutine ${g.id} starts in ${start}`,
    ).toBe(true);
  }
  // Everything else started in user code (or is runtime.main's goroutine 1).
  for (const g of all(s).filter((g) => !g.system)) {
    const start = g.frames.filter((f) => f.func !== 'runtime.goexit').at(-1)?.func ?? '';
    expect(
      !start.startsWith('runtime.') || start === 'runtime.main',
      `goroutine ${g.id} starts in ${start}`,
    ).toBe(true);
  }
}

describe.each(versions)('%s fixtures', (version) => {
  const files = readdirSync(join(dir, version))
    .filter((f) => f.endsWith('.txt'))
    .sort();

  it.each(files)(
    '%s: every goroutine, frame and created-by line is parsed, with no warnings',
    (name) => {
      const text = readFileSync(join(dir, version, name), 'utf8');
      const s = load(version, name);
      expect(s.warnings).toEqual([]);
      if (s.format === 'debug1') {
        const lines = text.split('\n');
        const records = lines.filter((l) => /^\d+ @( 0x[0-9a-f]+)+$/.test(l));
        expect(s.goroutines.count).toBe(records.length);
        expect(s.totalGoroutines).toBe(records.reduce((n, l) => n + Number(l.split(' ')[0]), 0));
        expect(s.totalGoroutines).toBe(Number(/^goroutine profile: total (\d+)$/m.exec(text)![1]));
        const frameLines = lines.filter((l) => /^#\t0x[0-9a-f]+\t/.test(l)).length;
        expect(all(s).reduce((n, g) => n + g.frames.length, 0)).toBe(frameLines);
        return;
      }
      expect(s.format).toBe('traceback');
      const raw = rawCounts(text);
      const parsed = parsedCounts(s);
      expect(parsed.headers).toBe(raw.headers);
      expect(parsed.locations).toBe(raw.locations);
      expect(parsed.createdBy).toBe(raw.createdBy);
      expect(parsed.unavailable).toBe(raw.unavailable);
      expect(parsed.elisions).toBe(
        raw.elisions - (text.match(/^\.\.\.additional frames elided\.\.\.$/gm)?.length ?? 0),
      );
      // Goroutines keep their arguments frame by frame.
      for (const g of all(s)) for (const f of g.frames) expect(typeof f.args).toBe('string');
    },
  );

  it('blocked-debug2: every zoo goroutine in its state, waits of a minute on the old ones', () => {
    const s = load(version, 'blocked-debug2.txt');
    expect(s.header).toBeUndefined();
    const expected: [string, string, number][] = [
      ['chanReceiver', 'chan receive', 1],
      ['chanSender', 'chan send', 1],
      ['nilChanReceiver', 'chan receive (nil chan)', 1],
      ['selecter', 'select', 1],
      ['selectNoCases', 'select (no cases)', 1],
      ['worker', 'chan receive', 8],
      ['stage', 'chan receive', 4],
      ['mutexWaiter', 'sync.Mutex.Lock', 1],
      ['rwMutexReader', 'sync.RWMutex.RLock', 1],
      // The wait reason for WaitGroup.Wait arrived in Go 1.24.
      ['waitGroupWaiter', minor(version) >= 24 ? 'sync.WaitGroup.Wait' : 'semacquire', 1],
      ['condWaiter', 'sync.Cond.Wait', 1],
      ['sleeper', 'sleep', 1],
      ['pipeReader', 'IO wait', 1],
      ['socketReader', 'IO wait', 1],
      ['syscallReader', 'syscall', 1],
      ['genericWait[...]', 'chan receive', 2],
      ['(*server).start.func1', 'chan receive', 1],
      ['lockedWaiter', 'chan receive', 1],
      ['labelledWaiter', 'chan receive', 1],
      ['recurse', 'chan receive', 1],
      ['freshWaiter', 'chan receive', 3],
    ];
    for (const [func, state, n] of expected) {
      const gs = withFrame(s, func);
      expect(
        gs.map((g) => g.state),
        func,
      ).toEqual(Array(n).fill(state));
      // The zoo waited 61 s after two GCs; the fresh goroutines were started after that.
      for (const g of gs) expect(g.waitMinutes, func).toBe(func === 'freshWaiter' ? 0 : 1);
    }
    expect(withFrame(s, 'lockedWaiter')[0].lockedToThread).toBe(true);
    expect(all(s).filter((g) => g.lockedToThread)).toHaveLength(1);
    const recurse = withFrame(s, 'recurse')[0];
    // 121 recurse frames + the go statement's wrapper before Go 1.22's gowrap naming; the
    // runtime prints 50 + 50 and elides the rest.
    expect(recurse.frames).toHaveLength(100);
    expect(recurse.elided?.at).toBe(50);
    expect(recurse.elided!.count).toBeGreaterThanOrEqual(21);
    expect(withFrame(s, 'writeGoroutineStacks')[0].state).toBe('running');
    for (const g of all(s)) expect(isSystemGoroutine(s, g.row)).toBe(false);
  });

  it('blocked-debug1 and blocked-debug0 (same instant) agree record by record, with labels', () => {
    const d1 = load(version, 'blocked-debug1.txt');
    const d0 = load(version, 'blocked-debug0.pb.gz');
    expect(d0.format).toBe('debug0');
    expect(d0.totalGoroutines).toBe(d1.totalGoroutines);
    // The requesting goroutine's stack differs between the two requests.
    const skip = (funcs: string[]) => funcs.includes('runtime/pprof.(*Profile).WriteTo');
    expect(countsByStack(d0, skip)).toEqual(countsByStack(d1, skip));
    for (const s of [d0, d1]) {
      const labelled = all(s).filter((g) => Object.keys(g.labels).length > 0);
      expect(labelled.map((g) => g.labels)).toEqual([
        { odd: 'quote" bracket] comma, é', role: 'labelled' },
      ]);
    }
  });

  it('blocked-debug2 agrees with blocked-debug1 (same process) per function sequence', () => {
    const d2 = load(version, 'blocked-debug2.txt');
    const d1 = load(version, 'blocked-debug1.txt');
    // Left out: the requester (its stack differs per format) and the 120-deep recursion, which
    // debug=2 elides in the middle and debug=1 cuts at the profiler's depth limit.
    const skip = (funcs: string[]) =>
      funcs.some((f) => f === 'runtime/pprof.(*Profile).WriteTo' || f.endsWith('.recurse'));
    expect(countsByStack(d2, skip)).toEqual(countsByStack(d1, skip));
  });

  it('panic-goroutine: the panic value and the panicking goroutine', () => {
    const s = load(version, 'panic-goroutine.txt');
    expect(s.header).toMatchObject({
      kind: 'panic',
      panics: [{ value: 'worker 7: i/o timeout', recovered: false, repanicked: false }],
    });
    const g = goroutineAt(s, s.header!.currentGoroutine);
    expect(g).toMatchObject({ state: 'running', flags: ['current'] });
    expect(g.frames[0].func).toBe('main.failInGoroutine');
    expect(g.createdBy).toMatchObject({ func: 'main.main', goroutine: 1 });
  });

  it.each([
    ['panic-nilmap.txt', 'assignment to entry in nil map', 'main.writeNilMap'],
    ['panic-generic.txt', 'runtime error: index out of range [0] with length 0', 'main.first[...]'],
  ])('%s', (name, value, top) => {
    const s = load(version, name);
    expect(s.header?.panics).toEqual([{ value, recovered: false, repanicked: false }]);
    expect(goroutineAt(s, 0).frames[0].func).toBe(top);
  });

  it('panic-nilptr: the signal line', () => {
    const s = load(version, 'panic-nilptr.txt');
    expect(s.header?.panics[0].value).toBe(
      'runtime error: invalid memory address or nil pointer dereference',
    );
    expect(s.header?.signal).toMatchObject({
      name: 'SIGSEGV',
      description: 'segmentation violation',
      fields: { addr: '0x0', code: '0x1' },
    });
    expect(s.header?.signal?.fields.pc).toMatch(/^0x[0-9a-f]+$/);
  });

  it('panic-nested, panic-recovered, panic-repanic: the panic chain', () => {
    expect(load(version, 'panic-nested.txt').header?.panics).toEqual([
      { value: 'first', recovered: false, repanicked: false },
      { value: 'second (from a deferred call)', recovered: false, repanicked: false },
    ]);
    expect(load(version, 'panic-recovered.txt').header?.panics).toEqual([
      { value: 'recovered one', recovered: true, repanicked: false },
      { value: 'raised while handling it', recovered: false, repanicked: false },
    ]);
    // Go 1.25 prints a re-panic of the same value once, marked [recovered, repanicked].
    expect(load(version, 'panic-repanic.txt').header?.panics).toEqual(
      minor(version) >= 25
        ? [{ value: 'the same value twice', recovered: true, repanicked: true }]
        : [
            { value: 'the same value twice', recovered: true, repanicked: false },
            { value: 'the same value twice', recovered: false, repanicked: false },
          ],
    );
  });

  it('panic-multiline and panic-custom: the value as printed', () => {
    // Go 1.24 started indenting continuation lines; the value reads the same either way.
    expect(load(version, 'panic-multiline.txt').header?.panics[0].value).toBe(
      'first line\nsecond line\nthird line',
    );
    expect(load(version, 'panic-custom.txt').header?.panics[0].value).toMatch(
      /^\(main\.point\) 0x[0-9a-f]+$/,
    );
  });

  it('deadlock: the fatal error and every goroutine blocked', () => {
    const s = load(version, 'deadlock.txt');
    expect(s.header).toMatchObject({
      kind: 'fatal',
      fatalError: 'all goroutines are asleep - deadlock!',
      panics: [],
    });
    expect(
      all(s)
        .map((g) => [g.id === 1 ? 'main' : g.frames.at(-1)?.func, g.state])
        .sort(),
    ).toEqual([
      ['main', 'chan receive'],
      ['main.lockTwice', 'sync.Mutex.Lock'],
      ['main.waitForever', 'chan receive'],
    ]);
  });

  it('mapwrite: the fatal error, on a writer goroutine', () => {
    const s = load(version, 'mapwrite.txt');
    expect(s.header).toMatchObject({ kind: 'fatal', fatalError: 'concurrent map writes' });
    const current = goroutineAt(s, s.header!.currentGoroutine);
    expect(current.frames.some((f) => f.func === 'main.writer')).toBe(true);
    expect(all(s).filter((g) => g.createdBy?.func === 'main.main')).toHaveLength(4);
  });

  it('recursion-deep: 100 frames printed, the rest elided', () => {
    const s = load(version, 'recursion-deep.txt');
    const g = goroutineAt(s, 0);
    expect(s.header?.panics[0].value).toBe('bottom reached');
    expect(g.frames).toHaveLength(100);
    // down(300) … down(0) and main.main: 302 frames, the innermost and outermost 50 printed.
    expect(g.elided).toEqual({ count: 202, at: 50 });
    expect(g.frames.at(-1)?.func).toBe('main.main');
  });

  it('recursion-overflow: runtime messages and the runtime stack before the goroutines', () => {
    const s = load(version, 'recursion-overflow.txt');
    const h = s.header!;
    expect(h).toMatchObject({ kind: 'fatal', fatalError: 'stack overflow' });
    expect(h.runtimeMessages[0]).toBe('runtime: goroutine stack exceeds 1048576-byte limit');
    expect(stackFrames(s, h.runtimeStack).map((f) => f.func)).toContain('runtime.newstack');
    const g = goroutineAt(s, h.currentGoroutine);
    expect(g.frames[0].func).toBe('main.forever');
    expect(g.elided!.count).toBeGreaterThan(1000);
    // A runtime throw prints fp/sp/pc for the goroutine it happened on.
    expect(g.frames[0].fp).toMatch(/^0x[0-9a-f]+$/);
  });

  it('ancestors: the chain of creators (GODEBUG=tracebackancestors=3)', () => {
    const s = load(version, 'ancestors.txt');
    const g = goroutineAt(s, s.header!.currentGoroutine);
    expect(g.frames.map((f) => f.func)).toEqual(['main.spawnC']);
    expect(
      g.ancestors.map((a) => [a.frames.map((f) => f.func), a.createdBy?.func ?? null]),
    ).toEqual([
      [['main.spawnB'], 'main.spawnA'],
      [['main.spawnA'], 'main.main'],
      [['main.main'], null],
    ]);
    expect(g.ancestors[0].id).toBe(g.createdBy!.goroutine);
    expect(g.ancestors[2].id).toBe(1);
  });

  it('timeout: the go test timeout inside the test log', () => {
    const s = load(version, 'timeout.txt');
    expect(s.header?.testTimeout).toEqual({
      after: '3s',
      running: [{ name: 'TestHang', duration: '3s' }],
    });
    expect(withFrame(s, 'TestHang').map((g) => g.state)).toEqual(['chan receive']);
    expect(withFrame(s, 'TestHang.func1').map((g) => g.state)).toEqual(['sync.Mutex.Lock']);
    expect(goroutineAt(s, s.header!.currentGoroutine).frames[0].func).toBe(
      'testing.(*M).startAlarm.func1',
    );
  });

  it('sigquit: the signal header, all goroutines including the runtime ones', () => {
    const s = load(version, 'sigquit.txt');
    expect(s.header).toMatchObject({
      kind: 'signal',
      signal: { name: 'SIGQUIT', description: 'quit' },
    });
    expect(Object.keys(s.header!.signal!.fields).sort()).toEqual(['PC', 'm', 'sigcode']);
    expectRuntimeGoroutinesFound(s);
    expect(withFrame(s, 'sleeper')[0].system).toBe(false);
    expect(withFrame(s, 'main.main')[0].system).toBe(false);
  });

  it.each(['system', 'crash'])(
    'blocked-panic-%s: fp/sp/pc on frames, gp/m on headers (Go 1.22+), runtime goroutines identified',
    (level) => {
      const s = load(version, `blocked-panic-${level}.txt`);
      expect(s.header?.panics[0].value).toBe('job 42: worker failed: flush');
      const gs = all(s);
      // Inlined frames print no addresses; every other frame does at this level.
      for (const g of gs)
        for (const f of g.frames)
          if (!f.inlined) expect(f.fp, `${g.id} ${f.func}`).toMatch(/^0x[0-9a-f]+$/);
      if (minor(version) >= 22) for (const g of gs) expect(g.thread?.gp).toMatch(/^0x[0-9a-f]+$/);
      // Level system shows runtime.goexit at the bottom of every goroutine but g0 and main's.
      expect(gs.filter((g) => g.frames.at(-1)?.func === 'runtime.goexit').length).toBeGreaterThan(
        gs.length / 2,
      );
      expectRuntimeGoroutinesFound(s);
      // runtime.main is goroutine 1: user code, not system.
      expect(gs.find((g) => g.id === 1)?.system).toBe(false);
    },
  );

  it('blocked-panic-all: no runtime frames or goroutines at level all', () => {
    const s = load(version, 'blocked-panic-all.txt');
    expect(all(s).every((g) => !g.system)).toBe(true);
    expect(withFrame(s, 'panicker')[0].flags).toContain('current');
  });

  if (minor(version) >= 26) {
    it('labels-debug2: pprof labels in the goroutine header (GODEBUG=tracebacklabels=1)', () => {
      const s = load(version, 'labels-debug2.txt');
      expect(withFrame(s, 'labelledWaiter').map((g) => g.labels)).toEqual([
        { odd: 'quote" bracket] comma, é', role: 'labelled' },
      ]);
      expect(all(s).filter((g) => Object.keys(g.labels).length > 0)).toHaveLength(1);
    });
  }
});

it('covers every Go minor release from 1.21 to 1.27', () => {
  expect(versions.map(minor)).toEqual([21, 22, 23, 24, 25, 26, 27]);
});
