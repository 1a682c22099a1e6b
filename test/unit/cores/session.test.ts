// The pieces behind the Goroutines view for a core, on a real core: the worker's load (Delve
// kept running for the snapshot, ended when it is released), a frame's arguments and locals
// with the bounded load, the core's own notes, and the machine checks of Prepare for Core Dumps.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkCoreSetup,
  coreDestination,
  parseCoreLimit,
} from '../../../src/core/delve/core-setup';
import { formatVariable } from '../../../src/core/delve/snapshot';
import { waitReasonText } from '../../../src/core/delve/wait-reasons';
import { inspectCore, inspectExecutable } from '../../../src/collect/delve/files';
import { coreHandlers } from '../../../src/worker/core-handlers';
import { goroutineHandlers } from '../../../src/worker/goroutine-handlers';
import { frameVariablesText } from '../../../src/features/cores-text';
import { goBuild } from '../../support/go';
import { crashCore, delvePath, type CrashCore } from '../../support/cores';

let exe: string;
let crash: CrashCore;

beforeAll(async () => {
  exe = await goBuild('core-crash');
  crash = await crashCore(exe, ['-mode', 'nil']);
});

const noProgress = () => undefined;

/** Delve processes descending from this test process (Delve runs under a sh watchdog). */
function ourDelves(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r.length >= 4);
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (mine.has(Number(ppid)) && !mine.has(Number(pid))) {
        mine.add(Number(pid));
        grew = true;
      }
    }
  }
  const dlv = rows.filter(
    ([pid, , stat, comm]) => mine.has(Number(pid)) && comm === 'dlv' && !stat.startsWith('Z'),
  );
  // Delve may run a helper process of its own: count the Delves we started.
  return dlv.filter(([, ppid]) => !dlv.some(([pid]) => pid === ppid)).length;
}

describe('a core in the parse worker', () => {
  it("loads, answers a frame's variables, and ends Delve when released", async () => {
    const loaded = await coreHandlers.loadCoreDump(
      { dlv: delvePath(), executable: exe, core: crash.core },
      noProgress,
    );
    expect(loaded.summary.headline).toBe(
      'panic: runtime error: invalid memory address or nil pointer dereference',
    );
    expect(loaded.crashed).toBe(loaded.summary.currentGoroutine);
    const groups = await goroutineHandlers.goroutineGroups({
      handle: loaded.handle,
      options: { similarity: 'exact', hideSystem: true, filter: '' },
      offset: 0,
      limit: 10,
    });
    expect(groups.groups[0].flags).toContain('current');
    const handle = groups.groups[0].stack.find((f: { func: string }) => f.func === 'main.handle')!;
    const vars = await coreHandlers.coreFrameVariables(
      { handle: loaded.handle, goroutine: loaded.crashed!, ...handle },
      noProgress,
    );
    expect(vars.func).toBe('main.handle');
    expect(vars.args.find((a) => a.name === 'r')).toEqual({
      name: 'r',
      type: '*main.request',
      value: '*main.request {id: 7, body: *main.payload nil}',
    });
    const text = frameVariablesText(vars, loaded.crashed!, 'core');
    expect(text).toContain(`// goroutine ${loaded.crashed}, frame ${vars.frame}: main.handle`);
    expect(text).toContain('r *main.request = *main.request {id: 7, body: *main.payload nil}');
    // The caller's frame: its local `r` as built by main.
    const main = groups.groups[0].stack.find((f: { func: string }) => f.func === 'main.main')!;
    const mainVars = await coreHandlers.coreFrameVariables(
      { handle: loaded.handle, goroutine: loaded.crashed!, ...main },
      noProgress,
    );
    expect(mainVars.frame).toBeGreaterThan(vars.frame);

    expect(ourDelves()).toBe(1);
    goroutineHandlers.releaseGoroutines({ handle: loaded.handle });
    await new Promise((r) => setTimeout(r, 2500));
    expect(ourDelves()).toBe(0);
  });
});

describe("the core's own notes", () => {
  it('name the process, its signal and its executable, and carry its Go build ID', async () => {
    const core = await inspectCore(crash.core);
    const info = await inspectExecutable(exe);
    expect(core.notes.fileName).toBe('core-crash');
    expect(core.notes.commandLine).toBe(`${exe} -mode nil`);
    expect(core.notes.signal.number).toBe(6); // GOTRACEBACK=crash ends with SIGABRT
    expect(core.executablePath).toBe(exe);
    expect(core.notes.threads).toBeGreaterThan(1);
    expect(info.goVersion).toMatch(/^go1\.\d+/);
    expect(core.goBuildId).toBe(info.goBuildId);
    expect(existsSync(core.executablePath)).toBe(true);
  });
});

describe('formatVariable (bounded, Go-like)', () => {
  const v = (o: object) => ({
    name: '',
    addr: 1,
    type: '',
    realType: '',
    kind: 0,
    value: '',
    len: 0,
    cap: 0,
    children: [],
    unreadable: '',
    ...o,
  });
  it('cuts strings, slices and maps where the load stopped, and says how much more there is', () => {
    expect(formatVariable(v({ kind: 24, type: 'string', value: 'abc', len: 1000 }))).toBe(
      '"abc"…+997 more',
    );
    expect(
      formatVariable(
        v({
          kind: 23,
          type: '[]int',
          len: 100,
          cap: 128,
          children: [v({ kind: 2, value: '1' }), v({ kind: 2, value: '2' })],
        }),
      ),
    ).toBe('[]int len: 100, cap: 128, [1,2,…+98 more]');
    expect(
      formatVariable(
        v({
          kind: 21,
          type: 'map[string]int',
          len: 5e6,
          children: [v({ kind: 24, value: 'k' }), v({ kind: 2, value: '1' })],
        }),
      ),
    ).toBe('map[string]int ["k": 1, …+4999999 more]');
    expect(formatVariable(v({ kind: 25, type: 'main.T', len: 3, children: [] }))).toBe(
      'main.T {…}',
    );
    expect(formatVariable(v({ kind: 2, unreadable: 'empty OP stack' }))).toBe(
      '(unreadable empty OP stack)',
    );
    expect(formatVariable(v({ kind: 24, value: 'x'.repeat(1000), len: 1000 }), 50)).toHaveLength(
      51,
    );
  });
});

describe('wait reasons by Go release', () => {
  it("follow each release's numbering", () => {
    expect(waitReasonText('go1.26.8', 19)).toBe('chan receive');
    expect(waitReasonText('go1.25.3', 14)).toBe('chan receive');
    expect(waitReasonText('go1.27.0', 22)).toBe('sync.Mutex.Lock');
    expect(waitReasonText('go1.24.1', 14)).toBe('wait reason 14');
  });
});

describe('Prepare for Core Dumps checks', () => {
  const base = {
    coreLimit: 'unlimited' as const,
    corePattern: 'core',
    coreUsesPid: false,
    gotraceback: 'crash',
  };
  it('passes a machine set up for cores', () => {
    expect(checkCoreSetup(base).every((c) => c.ok)).toBe(true);
  });
  it('names each missing piece and the fix', () => {
    const checks = checkCoreSetup({ ...base, coreLimit: 0, gotraceback: undefined });
    expect(checks.filter((c) => !c.ok).map((c) => c.title)).toEqual([
      'GOTRACEBACK is not set: Go programs write no core',
      'Core size limit (ulimit -c): 0 — no core is written',
    ]);
    expect(checks[1].detail).toContain('ulimit -c unlimited');
  });
  it('explains systemd-coredump and apport pipes', () => {
    const systemd = checkCoreSetup({
      ...base,
      corePattern: '|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h',
    });
    expect(systemd[2].detail).toContain('coredumpctl dump <program> -o core');
    const apport = checkCoreSetup({
      ...base,
      corePattern: '|/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -u%u -g%g -- %E',
    });
    expect(apport[2].ok).toBe(false);
    expect(apport[2].detail).toContain('apport-unpack');
    expect(coreDestination('/var/crash/core.%e.%p')).toEqual({ kind: 'dir', dir: '/var/crash' });
  });
  it('reads the core limit from /proc/self/limits', () => {
    expect(
      parseCoreLimit(
        'Max cpu time              unlimited            unlimited            seconds\nMax core file size        0                    unlimited            bytes\n',
      ),
    ).toBe(0);
    expect(
      parseCoreLimit('Max core file size        unlimited            unlimited            bytes\n'),
    ).toBe('unlimited');
  });
});
