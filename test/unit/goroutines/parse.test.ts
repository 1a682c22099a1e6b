// Table-driven tests of the traceback and debug=1 parsers on hand-written text: each case is one
// shape the runtime prints (from runtime/traceback.go, panic.go, signal_unix.go and
// runtime/pprof), or one way real-world text around or inside a dump goes wrong.
import { describe, expect, it } from 'vitest';
import {
  GoroutineDumpError,
  detectDumpFormat,
  goroutineAt,
  parseGoroutineDump,
  splitFuncName,
  type GoroutineSnapshot,
} from '../../../src/core/goroutines';

const T = '\t';

function only(s: GoroutineSnapshot) {
  expect(s.goroutines.count).toBe(1);
  return goroutineAt(s, 0);
}

describe('goroutine header line', () => {
  it.each([
    ['goroutine 1 [running]:', { id: 1, state: 'running', waitMinutes: 0, flags: [] }],
    [
      'goroutine 42 [chan receive, 12 minutes]:',
      { id: 42, state: 'chan receive', waitMinutes: 12, flags: [] },
    ],
    [
      'goroutine 7 [chan receive, 1 minutes, locked to thread]:',
      { id: 7, state: 'chan receive', waitMinutes: 1, flags: ['locked-to-thread'] },
    ],
    [
      'goroutine 8 [select (no cases)]:',
      { id: 8, state: 'select (no cases)', waitMinutes: 0, flags: [] },
    ],
    [
      'goroutine 9 [GC worker (idle)]:',
      { id: 9, state: 'GC worker (idle)', waitMinutes: 0, flags: [] },
    ],
    [
      'goroutine 10 [running (scan)]:',
      { id: 10, state: 'running', waitMinutes: 0, flags: ['scan'] },
    ],
    [
      'goroutine 11 [chan receive (leaked) (scan), 5 minutes]:',
      { id: 11, state: 'chan receive', waitMinutes: 5, flags: ['scan', 'leaked'] },
    ],
    [
      'goroutine 12 [chan receive (durable), synctest bubble 3]:',
      { id: 12, state: 'chan receive (durable)', waitMinutes: 0, flags: ['durable'] },
    ],
    [
      'goroutine 13 [syscall, 90 minutes, locked to thread]:',
      { id: 13, state: 'syscall', waitMinutes: 90, flags: ['locked-to-thread'] },
    ],
    [
      'goroutine 18446744073 [semacquire]:',
      { id: 18446744073, state: 'semacquire', waitMinutes: 0, flags: [] },
    ],
  ])('%s', (header, want) => {
    const g = only(
      parseGoroutineDump(
        `${header}\nmain.f()\n${T}/src/main.go:10 +0x1d\ncreated by main.main in goroutine 1\n${T}/src/main.go:3 +0x1\n`,
      ),
    );
    expect({ id: g.id, state: g.state, waitMinutes: g.waitMinutes, flags: g.flags }).toEqual(want);
  });

  it('reads gp=, m= and mp= (GOTRACEBACK=system, Go 1.22+)', () => {
    const s = parseGoroutineDump(
      `goroutine 5 gp=0xc000007dc0 m=3 mp=0xc000049008 [running]:\nmain.f()\n${T}/a.go:1 +0x1\n\n` +
        `goroutine 6 gp=0xc000007500 m=nil [chan receive]:\nmain.g()\n${T}/a.go:2 +0x1\n`,
    );
    expect(goroutineAt(s, 0).thread).toEqual({ gp: '0xc000007dc0', m: '3', mp: '0xc000049008' });
    expect(goroutineAt(s, 1).thread).toEqual({ gp: '0xc000007500', m: 'nil', mp: '' });
  });

  it('keeps unknown header items verbatim', () => {
    const g = only(
      parseGoroutineDump(
        `goroutine 3 [sleep, synctest bubble 4, some future item]:\nmain.f()\n${T}/a.go:1 +0x1\n`,
      ),
    );
    expect(g.state).toBe('sleep');
    expect(g.extraHeaderItems).toEqual(['synctest bubble 4', 'some future item']);
  });

  it('reads Go 1.26 labels (GODEBUG=tracebacklabels=1): inside the brackets, always quoted, escapes and ] in values', () => {
    const g = only(
      parseGoroutineDump(
        `goroutine 48 [chan receive labels:{"odd": "quote\\" bracket] comma, \\u00e9", "role": "labelled"}]:\nmain.f()\n${T}/a.go:1 +0x1\n`,
      ),
    );
    expect(g.state).toBe('chan receive');
    expect(g.labels).toEqual({ odd: 'quote" bracket] comma, é', role: 'labelled' });
  });

  it('reads Go 1.27 labels: after the brackets, quoted only when needed', () => {
    const g = only(
      parseGoroutineDump(
        `goroutine 48 [chan receive, 2 minutes] {odd: "quote\\" bracket] comma, \\u00e9", role: labelled, "a\\tb": x/y.z_1}:\nmain.f()\n${T}/a.go:1 +0x1\n`,
      ),
    );
    expect(g.state).toBe('chan receive');
    expect(g.waitMinutes).toBe(2);
    expect(g.labels).toEqual({
      odd: 'quote" bracket] comma, é',
      role: 'labelled',
      'a\tb': 'x/y.z_1',
    });
  });
});

describe('frames', () => {
  const dump = [
    'goroutine 20 gp=0xc00010a1c0 m=nil [sync.Mutex.Lock]:',
    'internal/sync.runtime_SemacquireMutex(0x0?, 0x25?, 0x0?)',
    `${T}/usr/local/go/src/runtime/sema.go:95 +0x25 fp=0xc000087f10 sp=0xc000087e60 pc=0x43624c`,
    'sync.(*Mutex).Lock(...)',
    `${T}/usr/local/go/src/sync/mutex.go:46`,
    'example.com/m/pkg.(*Server).handle(0xc0000a0000, {0x5a2b40, 0xc0000b2000}, ...)',
    `${T}/home/u/m/pkg/server.go:120 +0x1f4`,
    'example.com/m/pkg.Map[...]({0xc000012345?, 0x2, 0x2}, 0x0?)',
    `${T}/home/u/m/pkg/generic.go:7 +0x4a`,
    'main.main.func1.2()',
    `${T}C:/Users/dev/m/main.go:31 +0x29`,
    'panic({0x4ad660?, 0x4d3b58?})',
    `${T}/usr/local/go/src/runtime/panic.go:860 +0x13a`,
    'created by example.com/m/pkg.(*Server).Start in goroutine 1',
    `${T}/home/u/m/pkg/server.go:80 +0x9c`,
    '',
  ].join('\n');

  it('reads function, arguments, file, line, offset, pc, fp and sp', () => {
    const g = only(parseGoroutineDump(dump));
    expect(g.frames).toEqual([
      {
        func: 'internal/sync.runtime_SemacquireMutex',
        file: '/usr/local/go/src/runtime/sema.go',
        line: 95,
        offset: 0x25,
        pc: '0x43624c',
        inlined: false,
        args: '0x0?, 0x25?, 0x0?',
        fp: '0xc000087f10',
        sp: '0xc000087e60',
      },
      {
        func: 'sync.(*Mutex).Lock',
        file: '/usr/local/go/src/sync/mutex.go',
        line: 46,
        offset: -1,
        pc: '',
        inlined: true,
        args: '...',
      },
      {
        func: 'example.com/m/pkg.(*Server).handle',
        file: '/home/u/m/pkg/server.go',
        line: 120,
        offset: 0x1f4,
        pc: '',
        inlined: false,
        args: '0xc0000a0000, {0x5a2b40, 0xc0000b2000}, ...',
      },
      {
        func: 'example.com/m/pkg.Map[...]',
        file: '/home/u/m/pkg/generic.go',
        line: 7,
        offset: 0x4a,
        pc: '',
        inlined: false,
        args: '{0xc000012345?, 0x2, 0x2}, 0x0?',
      },
      {
        func: 'main.main.func1.2',
        file: 'C:/Users/dev/m/main.go',
        line: 31,
        offset: 0x29,
        pc: '',
        inlined: false,
        args: '',
      },
      {
        func: 'panic',
        file: '/usr/local/go/src/runtime/panic.go',
        line: 860,
        offset: 0x13a,
        pc: '',
        inlined: false,
        args: '{0x4ad660?, 0x4d3b58?}',
      },
    ]);
    expect(g.createdBy).toEqual({
      func: 'example.com/m/pkg.(*Server).Start',
      file: '/home/u/m/pkg/server.go',
      line: 80,
      offset: 0x9c,
      pc: '',
      inlined: false,
      goroutine: 1,
    });
  });

  it('interns frames and stacks shared by goroutines, keeping each goroutine its own arguments', () => {
    const block = (id: number, arg: string) =>
      `goroutine ${id} [chan receive]:\nmain.worker(${arg})\n${T}/a.go:5 +0x1\ncreated by main.main in goroutine 1\n${T}/a.go:9 +0x2\n`;
    const s = parseGoroutineDump([block(2, '0x1'), block(3, '0x2'), block(4, '0x1')].join('\n'));
    expect(s.goroutines.count).toBe(3);
    expect(s.stacks.count).toBe(1);
    expect(s.frames.count).toBe(2); // the worker frame and the created-by frame
    expect([0, 1, 2].map((r) => goroutineAt(s, r).frames[0].args)).toEqual(['0x1', '0x2', '0x1']);
    expect(s.args.filter((a) => a !== '')).toEqual(['0x1', '0x2']);
  });

  it('reads "created by" without "in goroutine" (goroutines created by the runtime, Go < 1.21 style)', () => {
    const g = only(
      parseGoroutineDump(
        `goroutine 2 [force gc (idle)]:\nruntime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n${T}/r/proc.go:402 +0xce\ncreated by runtime.init.6\n${T}/r/proc.go:310 +0x1a\n`,
      ),
    );
    expect(g.createdBy).toMatchObject({ func: 'runtime.init.6', line: 310, goroutine: null });
  });

  it.each([
    ['...20 frames elided...', 20],
    ['...additional frames elided...', -1],
  ])('records the elision line %s', (line, count) => {
    const frames = Array.from(
      { length: 4 },
      (_, i) => `main.recurse(0x${i})\n${T}/a.go:${10 + (i % 2)} +0x1`,
    );
    const g = only(
      parseGoroutineDump(
        `goroutine 1 [running]:\n${frames.slice(0, 2).join('\n')}\n${line}\n${frames.slice(2).join('\n')}\n`,
      ),
    );
    expect(g.frames).toHaveLength(4);
    expect(g.elided).toEqual({ count, at: 2 });
  });

  it('marks "goroutine running on other thread; stack unavailable" (with or without the tab)', () => {
    for (const line of [
      `${T}goroutine running on other thread; stack unavailable`,
      'goroutine running on other thread; stack unavailable',
    ]) {
      const g = only(
        parseGoroutineDump(
          `goroutine 37 [running]:\n${line}\ncreated by main.main in goroutine 1\n${T}/a.go:9 +0x2\n`,
        ),
      );
      expect(g.frames).toEqual([]);
      expect(g.flags).toEqual(['stack-unavailable']);
      expect(g.createdBy?.func).toBe('main.main');
    }
  });

  it('keeps cgo frames printed without a symbolizer', () => {
    const g = only(
      parseGoroutineDump(
        `goroutine 1 [syscall]:\nnon-Go function at pc=0x7f0012345678\nmain.main()\n${T}/a.go:3 +0x1\n`,
      ),
    );
    expect(g.frames.map((f) => f.func)).toEqual(['non-Go function', 'main.main']);
    expect(g.frames[0].pc).toBe('0x7f0012345678');
  });

  it('reads GODEBUG=tracebackancestors sections', () => {
    const g = only(
      parseGoroutineDump(
        [
          'goroutine 19 [running]:',
          'main.spawnC()',
          `${T}/a.go:28 +0x2b`,
          'created by main.spawnB in goroutine 18',
          `${T}/a.go:21 +0x1a`,
          '[originating from goroutine 18]:',
          'main.spawnB(...)',
          `${T}/a.go:22 +0x1a`,
          'created by main.spawnA',
          `${T}/a.go:15 +0x1a`,
          '[originating from goroutine 1]:',
          'main.main(...)',
          `${T}/a.go:10 +0x1a`,
          '...additional frames elided...',
          '',
        ].join('\n'),
      ),
    );
    expect(g.createdBy).toMatchObject({ func: 'main.spawnB', goroutine: 18 });
    expect(g.ancestors).toEqual([
      {
        id: 18,
        frames: [expect.objectContaining({ func: 'main.spawnB', line: 22, inlined: true })],
        createdBy: expect.objectContaining({ func: 'main.spawnA', line: 15 }),
      },
      {
        id: 1,
        frames: [expect.objectContaining({ func: 'main.main', line: 10 })],
        createdBy: null,
      },
    ]);
  });

  it('splits function names into package and name', () => {
    expect(splitFuncName('github.com/a/b.(*T).M')).toEqual({
      pkg: 'github.com/a/b',
      name: '(*T).M',
    });
    expect(splitFuncName('main.main.func1')).toEqual({ pkg: 'main', name: 'main.func1' });
    expect(splitFuncName('example.com/m/pkg.Map[...]')).toEqual({
      pkg: 'example.com/m/pkg',
      name: 'Map[...]',
    });
    // The runtime prints dots of an import path's last element as %2e.
    expect(splitFuncName('gopkg.in/yaml%2ev3.Unmarshal')).toEqual({
      pkg: 'gopkg.in/yaml%2ev3',
      name: 'Unmarshal',
    });
    expect(splitFuncName('panic')).toEqual({ pkg: '', name: 'panic' });
  });
});

describe('panic, fatal error and signal headers', () => {
  const g1 = `goroutine 1 [running]:\nmain.main()\n${T}/a.go:5 +0x1d\n`;

  it.each([
    ['a plain panic', 'panic: boom\n', [{ value: 'boom', recovered: false, repanicked: false }]],
    [
      'a runtime error',
      'panic: runtime error: index out of range [3] with length 2\n',
      [
        {
          value: 'runtime error: index out of range [3] with length 2',
          recovered: false,
          repanicked: false,
        },
      ],
    ],
    [
      'nested panics (TAB-prefixed)',
      'panic: first\n\tpanic: second\n',
      [
        { value: 'first', recovered: false, repanicked: false },
        { value: 'second', recovered: false, repanicked: false },
      ],
    ],
    [
      'a recovered panic then a new one',
      'panic: one [recovered]\n\tpanic: two\n',
      [
        { value: 'one', recovered: true, repanicked: false },
        { value: 'two', recovered: false, repanicked: false },
      ],
    ],
    [
      'Go 1.25 repanicked',
      'panic: same [recovered, repanicked]\n',
      [{ value: 'same', recovered: true, repanicked: true }],
    ],
    [
      'Go ≤1.23 multi-line value',
      'panic: line one\nline two\nline three\n',
      [{ value: 'line one\nline two\nline three', recovered: false, repanicked: false }],
    ],
    [
      'Go 1.24+ multi-line value (continuations indented)',
      'panic: line one\n\tline two\n\t\tindented\n',
      [{ value: 'line one\nline two\n\tindented', recovered: false, repanicked: false }],
    ],
    [
      'a multi-line value then a nested panic',
      'panic: a\n\tb\n\tpanic: c\n',
      [
        { value: 'a\nb', recovered: false, repanicked: false },
        { value: 'c', recovered: false, repanicked: false },
      ],
    ],
  ])('%s', (_name, header, panics) => {
    const s = parseGoroutineDump(`${header}\n${g1}`);
    expect(s.header?.kind).toBe('panic');
    expect(s.header?.panics).toEqual(panics);
    expect(s.header?.currentGoroutine).toBe(0);
    expect(goroutineAt(s, 0).flags).toContain('current');
  });

  it('reads the [signal …] line of a signal-originated panic', () => {
    const s = parseGoroutineDump(
      `panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1f20]\n\n${g1}`,
    );
    expect(s.header?.signal).toEqual({
      name: 'SIGSEGV',
      description: 'segmentation violation',
      fields: { code: '0x1', addr: '0x0', pc: '0x4a1f20' },
    });
  });

  it('reads SIGQUIT dumps and skips the register dump after them', () => {
    const s = parseGoroutineDump(
      `ready\nSIGQUIT: quit\nPC=0x408b6c m=0 sigcode=0\n\n${g1}\ngoroutine 2 [sleep]:\ntime.Sleep(0x1)\n${T}/t.go:1 +0x1\n\nrax    0x0\nrbx    0x9\nrflags 0x212\ncs     0x33\n`,
    );
    expect(s.header).toMatchObject({
      kind: 'signal',
      signal: {
        name: 'SIGQUIT',
        description: 'quit',
        fields: { PC: '0x408b6c', m: '0', sigcode: '0' },
      },
    });
    expect(s.goroutines.count).toBe(2);
    expect(s.warnings).toEqual([]);
  });

  it('reads fatal errors with runtime messages and the runtime stack section', () => {
    const s = parseGoroutineDump(
      [
        'runtime: goroutine stack exceeds 1048576-byte limit',
        'runtime: sp=0xc020160398 stack=[0xc020160000, 0xc040160000]',
        'fatal error: stack overflow',
        '',
        'runtime stack:',
        'runtime.throw({0x4c610e?, 0x200000008?})',
        `${T}/r/panic.go:1229 +0x48 fp=0x7ffdfe187eb8 sp=0x7ffdfe187e88 pc=0x479508`,
        'runtime.newstack()',
        `${T}/r/stack.go:1207 +0x5fd fp=0x7ffdfe187fe8 sp=0x7ffdfe187eb8 pc=0x46119d`,
        '',
        'goroutine 1 gp=0xc0000041e0 m=0 mp=0x5851c0 [running]:',
        'main.forever(0x2e7f?)',
        `${T}/a.go:38 +0x78 fp=0xc020160358 sp=0xc020160350 pc=0x49e538`,
        '',
      ].join('\n'),
    );
    const h = s.header!;
    expect(h.kind).toBe('fatal');
    expect(h.fatalError).toBe('stack overflow');
    expect(h.runtimeMessages).toEqual([
      'runtime: goroutine stack exceeds 1048576-byte limit',
      'runtime: sp=0xc020160398 stack=[0xc020160000, 0xc040160000]',
    ]);
    expect(h.runtimeStack).toBeGreaterThanOrEqual(0);
    expect(s.stacks.frameStart[h.runtimeStack + 1] - s.stacks.frameStart[h.runtimeStack]).toBe(2);
    expect(goroutineAt(s, 0).frames[0]).toMatchObject({
      func: 'main.forever',
      fp: '0xc020160358',
      pc: '0x49e538',
    });
  });

  it('reads a go test timeout inside a test log', () => {
    const log = [
      '=== RUN   TestQuick',
      '--- PASS: TestQuick (0.00s)',
      '=== RUN   TestHang',
      '    hang_test.go:11: about to wait forever',
      'panic: test timed out after 3s',
      '\trunning tests:',
      '\t\tTestHang (3s)',
      '\t\tTestOther (2s)',
      '',
      'goroutine 5 [running]:',
      'testing.(*M).startAlarm.func1()',
      `${T}/go/src/testing/testing.go:2802 +0x354`,
      'created by time.goFunc',
      `${T}/go/src/time/sleep.go:215 +0x2d`,
      'FAIL\texample.com/m\t3.006s',
      'FAIL',
    ].join('\n');
    const s = parseGoroutineDump(log);
    expect(s.header?.testTimeout).toEqual({
      after: '3s',
      running: [
        { name: 'TestHang', duration: '3s' },
        { name: 'TestOther', duration: '2s' },
      ],
    });
    expect(s.goroutines.count).toBe(1);
    expect(goroutineAt(s, 0).createdBy?.func).toBe('time.goFunc');
    expect(s.warnings).toEqual([]);
  });

  it('ignores program output before the dump, and a "panic:" in it that is not followed by goroutines', () => {
    const s = parseGoroutineDump(
      `starting\nlog: recovered from panic: not this one\npanic: old news\n\nmore output\n\nfatal error: all goroutines are asleep - deadlock!\n\n${g1}`,
    );
    expect(s.header).toMatchObject({
      kind: 'fatal',
      panics: [],
      fatalError: 'all goroutines are asleep - deadlock!',
    });
  });

  it('has no header for a live dump (goroutine?debug=2)', () => {
    expect(parseGoroutineDump(g1).header).toBeUndefined();
  });
});

describe('damaged and surrounded dumps', () => {
  const block = (id: number) =>
    `goroutine ${id} [chan receive]:\nmain.worker()\n${T}/a.go:5 +0x1\ncreated by main.main in goroutine 1\n${T}/a.go:9 +0x2\n`;

  it('reports garbage between goroutines with its line, and keeps both goroutines', () => {
    const s = parseGoroutineDump(
      `${block(2)}\nsomebody else's log line\nand another\n\n${block(3)}`,
    );
    expect(s.goroutines.count).toBe(2);
    expect(s.warnings).toEqual([
      {
        kind: 'garbage',
        line: 7,
        message: expect.stringContaining('2 line(s) between goroutines'),
      },
    ]);
  });

  it('skips a foreign line in the middle of a traceback, saying where', () => {
    const s = parseGoroutineDump(
      `goroutine 1 [running]:\nmain.a()\n${T}/a.go:1 +0x1\nINTERLEAVED OUTPUT\nmain.main()\n${T}/a.go:2 +0x1\n`,
    );
    expect(goroutineAt(s, 0).frames.map((f) => f.func)).toEqual(['main.a', 'main.main']);
    expect(s.warnings).toEqual([
      { kind: 'garbage', line: 4, message: expect.stringContaining('INTERLEAVED OUTPUT') },
    ]);
  });

  it('treats text right after the last frame (exit status, FAIL) as the end of the dump', () => {
    const s = parseGoroutineDump(`panic: x\n\n${block(1)}exit status 2\n`);
    expect(s.goroutines.count).toBe(1);
    expect(s.warnings).toEqual([]);
  });

  it('flags a goroutine cut off by the end of the input', () => {
    const s = parseGoroutineDump(`${block(2)}\ngoroutine 3 [select]:\nmain.f()\n${T}/a.go:1`);
    expect(s.goroutines.count).toBe(2);
    expect(goroutineAt(s, 1).flags).toContain('truncated');
    expect(s.warnings.map((w) => w.kind)).toEqual(['truncated']);
  });

  it.each([
    ['before its created-by line', `goroutine 3 [select]:\nmain.f()\n${T}/a.go:1 +0x1\n`, true],
    ['goroutine 1 before main.main', `goroutine 1 [running]:\nmain.f()\n${T}/a.go:1 +0x1\n`, true],
    [
      'goroutine 1, whole',
      `goroutine 1 [running]:\nmain.f()\n${T}/a.go:1 +0x1\nmain.main()\n${T}/a.go:9 +0x1\n`,
      false,
    ],
    ["an M's g0", `goroutine 0 [idle]:\nruntime.futex()\n${T}/r.go:1 +0x1\n`, false],
    // Level system (frames with fp/sp/pc) goes on to runtime.goexit after runtime.main.
    [
      'goroutine 1 at level system, before runtime.goexit',
      `goroutine 1 gp=0x1 m=0 mp=0x2 [running]:\nmain.main()\n${T}/a.go:9 +0x1 fp=0x3 sp=0x4 pc=0x5\nruntime.main()\n${T}/p.go:2 +0x1 fp=0x6 sp=0x7 pc=0x8\n`,
      true,
    ],
    [
      'goroutine 1 at level system, whole',
      `goroutine 1 gp=0x1 m=0 mp=0x2 [running]:\nruntime.main()\n${T}/p.go:2 +0x1 fp=0x6 sp=0x7 pc=0x8\nruntime.goexit({})\n${T}/asm.s:1 +0x1 fp=0x9 sp=0xa pc=0xb\n`,
      false,
    ],
  ])('flags a goroutine cut at a line boundary %s', (_name, text, truncated) => {
    expect(goroutineAt(parseGoroutineDump(text), 0).flags.includes('truncated')).toBe(truncated);
  });

  it.each(['...10815 frame', '...21 ', '...', '...additional fr'])(
    'flags a goroutine whose traceback ends in a cut elided-frames line "%s"',
    (cut) => {
      const s = parseGoroutineDump(`goroutine 7 [select]:\nmain.f()\n${T}/a.go:1 +0x1\n${cut}`);
      expect(goroutineAt(s, 0).flags).toContain('truncated');
    },
  );

  it('keeps a frame whose location line is missing, and warns', () => {
    const s = parseGoroutineDump(`goroutine 1 [running]:\nmain.a()\nmain.b()\n${T}/a.go:2 +0x1\n`);
    expect(goroutineAt(s, 0).frames.map((f) => [f.func, f.line])).toEqual([
      ['main.a', 0],
      ['main.b', 2],
    ]);
    expect(s.warnings[0].message).toMatch(/has no location line/);
  });

  it('skips a goroutine listed twice (another M of a GOTRACEBACK=crash dump) but keeps every goroutine 0', () => {
    const s = parseGoroutineDump(
      `SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\n${block(1)}\n-----\n\nSIGQUIT: quit\nPC=0x2 m=2 sigcode=0\n\n${block(1)}\ngoroutine 0 [idle]:\nruntime.futex()\n${T}/r.go:1 +0x1\n\ngoroutine 0 [idle]:\nruntime.futex()\n${T}/r.go:1 +0x1\n`,
    );
    expect(Array.from(s.goroutines.id)).toEqual([1, 0, 0]);
    expect(s.warnings.map((w) => w.kind)).toEqual(['duplicate']);
  });

  it('reads only the first of two dumps in one log, and says so', () => {
    const s = parseGoroutineDump(`panic: a\n\n${block(1)}\npanic: b\n\n${block(1)}`);
    expect(s.header?.panics[0].value).toBe('a');
    expect(s.goroutines.count).toBe(1);
    expect(s.warnings.map((w) => w.kind)).toEqual(['second-dump']);
  });

  it('reads CRLF line endings and a BOM', () => {
    const s = parseGoroutineDump(
      new TextEncoder().encode(`\uFEFFpanic: boom\r\n\r\n${block(1).replace(/\n/g, '\r\n')}`),
    );
    expect(s.header?.panics[0].value).toBe('boom');
    expect(goroutineAt(s, 0).frames[0]).toMatchObject({
      func: 'main.worker',
      file: '/a.go',
      line: 5,
    });
  });

  it('reads tabs that pasting turned into spaces', () => {
    const g = only(
      parseGoroutineDump(`goroutine 1 [running]:\nmain.main()\n        /a.go:5 +0x1d\n`),
    );
    expect(g.frames[0]).toMatchObject({ file: '/a.go', line: 5, offset: 0x1d });
  });
});

describe('goroutine?debug=1', () => {
  const text = [
    'goroutine profile: total 11',
    '8 @ 0x48476e 0x4181ce 0x417d12 0x5212e5 0x52101b 0x48b941',
    '#\t0x5212e4\tgolens.test/programs/dump-zoo.worker+0x44\t\t/w/zoo.go:154',
    '#\t0x52101a\tgolens.test/programs/dump-zoo.Start.func7+0x1a\t/w/zoo.go:53',
    '',
    '2 @ 0x48476e 0x4181ce 0x521b33 0x48b941',
    '# labels: {"odd":"quote\\" bracket] comma, é", "role":"labelled"}',
    '#\t0x521b32\tgolens.test/programs/dump-zoo.labelledWaiter+0x32\t/w/zoo.go:256',
    '',
    '1 @ 0x4a0001',
    '#\t0x4a0001',
    '',
  ].join('\n');

  it('reads records, counts, labels and frames', () => {
    const s = parseGoroutineDump(`log before\n${text}`);
    expect(s.format).toBe('debug1');
    expect(s.declaredTotal).toBe(11);
    expect(s.totalGoroutines).toBe(11);
    expect(s.warnings).toEqual([]);
    const r0 = goroutineAt(s, 0);
    expect(r0).toMatchObject({ id: -1, count: 8, state: '', labels: {} });
    expect(r0.frames).toEqual([
      {
        func: 'golens.test/programs/dump-zoo.worker',
        file: '/w/zoo.go',
        line: 154,
        offset: 0x44,
        pc: '0x5212e4',
        inlined: false,
      },
      {
        func: 'golens.test/programs/dump-zoo.Start.func7',
        file: '/w/zoo.go',
        line: 53,
        offset: 0x1a,
        pc: '0x52101a',
        inlined: false,
      },
    ]);
    expect(goroutineAt(s, 1).labels).toEqual({ odd: 'quote" bracket] comma, é', role: 'labelled' });
    expect(goroutineAt(s, 2).frames).toEqual([
      { func: '?', file: '', line: 0, offset: -1, pc: '0x4a0001', inlined: false },
    ]);
  });

  it('warns when the records do not add up to the total (truncated)', () => {
    const s = parseGoroutineDump(text.split('\n').slice(0, 5).join('\n'));
    expect(s.totalGoroutines).toBe(8);
    expect(s.warnings.map((w) => w.kind)).toContain('truncated');
  });
});

describe('format detection and rejection', () => {
  it.each([
    ['goroutine 1 [running]:\nmain.main()\n', 'traceback'],
    ['goroutine 1 gp=0xc000002380 m=0 mp=0x57d3e0 [running]:\n', 'traceback'],
    ['goroutine profile: total 3\n3 @ 0x1\n#\t0x1\tmain.f+0x1\t/a.go:1\n', 'debug1'],
    ['some text\n', undefined],
  ])('detects %j as %s', (text, format) => {
    expect(detectDumpFormat(text)).toBe(format);
  });

  it('detects gzip and protobuf bytes as debug0', () => {
    expect(detectDumpFormat(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('debug0');
    expect(detectDumpFormat(new Uint8Array([0x0a, 0x02, 0x08, 0x01]))).toBe('debug0');
  });

  it.each([
    ['', /input is empty/],
    ['<!DOCTYPE html>\n<html><body>pprof index</body></html>', /HTML page/],
    ['heap profile: 1: 2 [3: 4] @ heap/1048576\n', /different legacy profile/],
    ['panic: boom\n\nexit status 2\n', /no goroutine tracebacks.*GOTRACEBACK=none/],
    ['{"goroutines": []}', /JSON/],
    ['hello\nworld\n', /no goroutine dump was found/],
  ])('rejects %j with a typed error saying what it is', (text, message) => {
    expect(() => parseGoroutineDump(text)).toThrow(GoroutineDumpError);
    expect(() => parseGoroutineDump(text)).toThrow(message);
  });

  it('rejects gzip data when no decompressor is given', () => {
    expect(() => parseGoroutineDump(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]))).toThrow(/gzip/);
  });
});
