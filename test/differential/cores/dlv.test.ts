// golens core against Delve's own terminal client (`dlv core EXE CORE`, `goroutines -t`) on
// the same real cores: the same goroutine ids, the same wait states, the same top frames
// (seen through the runtime's traceback rule, which hides unexported runtime functions), and
// the goroutine Delve selects is the one Go Lens marks as crashed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenByTraceback } from '../../../src/core/goroutines/from-frames';
import { goBuild, runCli } from '../../support/go';
import {
  crashCore,
  delvePath,
  dlvGoroutines,
  dumpCore,
  startParked,
  type RunningProgram,
} from '../../support/cores';

interface CoreJson {
  totalGoroutines: number;
  goroutines: {
    id: number;
    state: string;
    frames: { func: string; file: string; line: number }[];
  }[];
  crashed: number | null;
}

async function ours(exe: string, core: string): Promise<CoreJson> {
  const r = await runCli(['core', exe, core, '--json', '--system', '--dlv', delvePath()], 600_000);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as CoreJson;
}

async function agree(exe: string, core: string, expectCrash: boolean): Promise<{ total: number }> {
  const mine = await ours(exe, core);
  const theirs = await dlvGoroutines(exe, core, mine.totalGoroutines);
  expect(mine.goroutines.map((g) => g.id).sort((a, b) => a - b)).toEqual(
    theirs.map((g) => g.id).sort((a, b) => a - b),
  );
  const byId = new Map(mine.goroutines.map((g) => [g.id, g]));
  let statesCompared = 0;
  let framesCompared = 0;
  for (const t of theirs) {
    const m = byId.get(t.id)!;
    if (t.state) {
      expect(`${t.id} ${m.state}`).toBe(`${t.id} ${t.state}`);
      statesCompared++;
    }
    const visible = t.frames
      .filter((f, i) => !hiddenByTraceback(f.func, f.file, i) && f.func !== 'runtime.goexit')
      .map((f) => ({ ...f, func: f.func === 'runtime.gopanic' ? 'panic' : f.func }));
    // `goroutines -t` prints 10 frames; a dying goroutine's 10 innermost are all the
    // runtime's signal and crash machinery, so nothing visible is left to compare.
    if (visible.length === 0 && t.frames.length >= 10) continue;
    const expected = visible.length > 0 ? visible : t.frames;
    const k = Math.min(3, expected.length, m.frames.length);
    expect(k).toBeGreaterThan(0);
    const brief = (f: { func: string; file: string; line: number }) =>
      `${f.func} ${f.file}:${f.line}`;
    expect(m.frames.slice(0, k).map(brief)).toEqual(expected.slice(0, k).map(brief));
    framesCompared += k;
  }
  expect(statesCompared).toBeGreaterThan(theirs.length / 2);
  expect(framesCompared).toBeGreaterThan(theirs.length);
  const selected = theirs.find((g) => g.current);
  if (expectCrash) expect(mine.crashed).toBe(selected?.id);
  else expect(mine.crashed).toBeNull();
  return { total: mine.totalGoroutines };
}

describe('golens core agrees with dlv core', () => {
  let exe: string;
  beforeAll(async () => {
    exe = await goBuild('core-crash');
  });

  it('on a nil-dereference crash core', async () => {
    await agree(exe, (await crashCore(exe, ['-mode', 'nil'])).core, true);
  });

  it('on a fatal error crash core', async () => {
    await agree(exe, (await crashCore(exe, ['-mode', 'fatal'])).core, true);
  });

  it('on a crash core of a Go 1.25 program (its own wait-reason numbering)', async () => {
    const old = await goBuild('core-crash', 'go1.25.14');
    await agree(old, (await crashCore(old, ['-mode', 'panic', '-n', '40'])).core, true);
  });

  describe('on cores Delve dumped of a running program', () => {
    const running: RunningProgram[] = [];
    afterAll(() => running.forEach((p) => p.stop()));

    it('a small one: the program keeps running, nothing is marked crashed', async () => {
      const p = await startParked(exe, ['-mode', 'wait', '-n', '200']);
      running.push(p);
      const { core, stoppedMs } = await dumpCore(p);
      expect(stoppedMs).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(p.alive()).toBe(true);
      await agree(exe, core, false);
    });

    it('one with more than 10,000 goroutines: no cap', async () => {
      const p = await startParked(exe, ['-mode', 'wait', '-n', '10500']);
      running.push(p);
      const { core } = await dumpCore(p);
      expect(p.alive()).toBe(true);
      const { total } = await agree(exe, core, false);
      expect(total).toBeGreaterThan(10500);
    }, 600_000);
  });
});
