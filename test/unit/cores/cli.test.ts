// golens core on real cores: a Go program that crashes under GOTRACEBACK=crash (nil
// dereference, panic, fatal error), the core the kernel writes, read through Delve.
import { beforeAll, describe, expect, it } from 'vitest';
import { goBuild, runCli } from '../../support/go';
import { crashCore, delvePath, type CrashCore } from '../../support/cores';

interface CoreJson {
  format: string;
  totalGoroutines: number;
  goroutines: {
    id: number;
    state: string;
    frames: { func: string; file: string; line: number }[];
    flags: string[];
    labels: Record<string, string>;
  }[];
  groups: { ids: number[]; count: number; flags: string[]; stack: { func: string }[] }[];
  header: {
    kind: string;
    panics: { value: string }[];
    fatalError: string | null;
    currentGoroutine: number | null;
  };
  crashed: number | null;
  signal: { name: string; description: string; fields: Record<string, string> } | null;
  goVersion: string | null;
}

async function coreJson(exe: string, core: string): Promise<CoreJson> {
  const r = await runCli(['core', exe, core, '--json', '--dlv', delvePath()]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as CoreJson;
}

/** The id of the goroutine the runtime's own traceback printed first (the one it died on). */
function tracebackCrashed(stderr: string): number {
  return Number(/^goroutine (\d+) gp=/m.exec(stderr)![1]);
}

let exe: string;
const cores: Record<string, CrashCore> = {};

beforeAll(async () => {
  exe = await goBuild('core-crash');
  for (const mode of ['nil', 'panic', 'fatal']) cores[mode] = await crashCore(exe, ['-mode', mode]);
});

describe('golens core on a crash core', () => {
  it('nil dereference: the crashing goroutine leads, with the panic value and SIGSEGV at address 0', async () => {
    const j = await coreJson(exe, cores.nil.core);
    expect(j.crashed).toBe(tracebackCrashed(cores.nil.stderr));
    expect(j.signal).toMatchObject({
      name: 'SIGSEGV',
      description: 'segmentation violation',
      fields: { code: '0x1', addr: '0x0' },
    });
    expect(j.header.kind).toBe('panic');
    expect(j.header.panics[0].value).toBe(
      'runtime error: invalid memory address or nil pointer dereference',
    );
    expect(j.header.currentGoroutine).toBe(j.crashed);
    const first = j.groups[0];
    expect(first.flags).toContain('current');
    expect(first.ids).toEqual([j.crashed]);
    expect(first.stack.map((f) => f.func).slice(0, 3)).toEqual([
      'panic',
      'main.handle',
      'main.main',
    ]);
    // Every goroutine, with states and labels, like a dump: 10 readers, 10 lockers (labelled).
    expect(
      j.goroutines.filter(
        (g) => g.state === 'chan receive' && g.frames.some((f) => f.func === 'main.parkReader'),
      ),
    ).toHaveLength(10);
    const lockers = j.goroutines.filter((g) => g.frames.some((f) => f.func === 'main.parkLocker'));
    expect(lockers).toHaveLength(10);
    expect(
      lockers.every((g) => g.state === 'sync.Mutex.Lock' && /^[13]$/.test(g.labels.worker)),
    ).toBe(true);
    expect(j.goVersion).toMatch(/^go1\./);
  });

  it('panic: the value passed to panic', async () => {
    const j = await coreJson(exe, cores.panic.core);
    expect(j.crashed).toBe(tracebackCrashed(cores.panic.stderr));
    expect(j.header.panics[0].value).toBe('core-crash: the disk is full (attempt 3)');
    expect(j.signal?.name).toBe('SIGABRT');
    expect(j.groups[0].stack.map((f) => f.func).slice(0, 2)).toEqual(['panic', 'main.explode']);
  });

  it('fatal error: the message of the throw, and the SIGABRT that wrote the core', async () => {
    const j = await coreJson(exe, cores.fatal.core);
    expect(j.crashed).toBe(tracebackCrashed(cores.fatal.stderr));
    expect(j.header.kind).toBe('fatal');
    expect(j.header.fatalError).toBe('concurrent map writes');
    expect(j.signal).toMatchObject({ name: 'SIGABRT', description: 'abort' });
    expect(j.groups[0].flags).toContain('current');
    expect(j.groups[0].stack.some((f) => f.func === 'main.corrupt.func1')).toBe(true);
  });

  it('prints the crash and the groups as text, like golens goroutines', async () => {
    const r = await runCli(['core', exe, cores.nil.core, '--dlv', delvePath()]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^core of .*core-crash \(go1\.\d+\.\d+\): \d+ goroutines, \d+ groups of \d+/,
    );
    expect(r.stdout).toContain(
      'panic: runtime error: invalid memory address or nil pointer dereference',
    );
    expect(r.stdout).toContain('signal SIGSEGV: segmentation violation code=0x1 addr=0x0');
    expect(r.stdout).toMatch(
      /\n1 × \[running\]  !current[^\n]*\n    panic  [^\n]*\n    main\.handle  \S+core-crash\/main\.go:\d+/,
    );
    expect(r.stdout).toMatch(/10 × \[chan receive\]\n    main\.parkReader/);
  });
});
