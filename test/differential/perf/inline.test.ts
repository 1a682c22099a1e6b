// Inlined Go frames in perf recordings. perf cannot expand Go's inlining (its DWARF reader gives
// Go code `??:0`), so Go Lens reads the binary's own function table (src/core/perf/go-pclntab.ts).
// A real Go program whose hot code is inlined two deep is recorded with perf while the Go runtime
// writes its own CPU profile of the same run; the stacks of Go frames, frame by frame with
// file:line, must be those `go tool pprof -traces -lines` prints for that profile.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src/core/pprof/model';
import { readPerfScript } from '../../../src/core/perf/perf-script';
import { readProfileFile } from '../../../src/node/profile-file';
import { goEnv, goTool } from '../../support/go';
import { buildPerfProgram, perfRecord, perfScript } from '../../support/perf';

const work = mkdtempSync(join(tmpdir(), 'golens-perf-inline-'));
const data = join(work, 'perf.data');
const pprofPath = join(work, 'cpu.pprof');
let ours: Profile;
let theirs: Map<string, number>;
let inlinedByPprof: Set<string>;

/** Weighted stacks `name file:line|…` (leaf first) of the program's own code: leaf in main, up to main.main. */
type Stacks = Map<string, number>;

function add(stacks: Stacks, frames: string[], value: number): void {
  if (frames.length === 0 || !frames[0].startsWith('main.')) return;
  const top = frames.findIndex((f) => f.startsWith('main.main '));
  if (top < 0) return;
  const key = frames.slice(0, top + 1).join('|');
  stacks.set(key, (stacks.get(key) ?? 0) + value);
}

function ourStacks(p: Profile): Stacks {
  const samplesType = p.sampleTypes.findIndex((t) => t.type === 'samples');
  const out: Stacks = new Map();
  const s = p.samples;
  for (let i = 0; i < s.count; i++) {
    const frames: string[] = [];
    for (let k = s.stackStart[i]; k < s.stackStart[i + 1]; k++) {
      const l = s.stackLocations[k];
      for (
        let f = p.locations.firstFrame[l];
        f < p.locations.firstFrame[l] + p.locations.frameCount[l];
        f++
      ) {
        const fn = p.frames.function[f];
        frames.push(`${p.functions.name[fn]} ${p.functions.filename[fn]}:${p.frames.line[f]}`);
      }
    }
    add(out, frames, s.values[i * p.sampleTypes.length + samplesType]);
  }
  return out;
}

const UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000 };

/** The stacks of `go tool pprof -traces -lines` (each block: value, then `name file:line [(inline)]` per frame, leaf first). */
function pprofStacks(text: string): { stacks: Stacks; inlined: Set<string> } {
  const stacks: Stacks = new Map();
  const inlined = new Set<string>();
  for (const block of text.split(/^-+\+-+$/m).slice(1)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const m = /^\s*([\d.]+)(ns|us|µs|ms|s)\s+(.*)$/.exec(lines[0] ?? '');
    if (!m) continue;
    const frames = [m[3], ...lines.slice(1)].map((l) => {
      const t = l.trim();
      const inline = t.endsWith(' (inline)');
      const f = inline ? t.slice(0, -9) : t;
      if (inline) inlined.add(f.slice(0, f.indexOf(' ')));
      return f;
    });
    add(stacks, frames, Number(m[1]) * UNIT[m[2]]);
  }
  return { stacks, inlined };
}

function shares(stacks: Stacks): Map<string, number> {
  const total = [...stacks.values()].reduce((a, b) => a + b, 0);
  return new Map([...stacks].map(([k, v]) => [k, v / total]));
}

beforeAll(async () => {
  const bin = await buildPerfProgram('perf-inline');
  // 3 s: a loaded machine still gives both samplers a few hundred samples of the hot code.
  await perfRecord(data, bin, ['3s'], { env: { CPU_PROFILE: pprofPath } });
  ours = (await readProfileFile(data, { perf: 'perf', go: { binary: 'go', env: goEnv() } }))
    .profile;
  const traces = await goTool('pprof', ['-traces', '-lines', pprofPath]);
  expect(traces.code, traces.stderr).toBe(0);
  const t = pprofStacks(traces.stdout);
  theirs = t.stacks;
  inlinedByPprof = t.inlined;
}, 300_000);

describe('inlined Go frames in a perf recording', () => {
  it('has the inlined functions pprof shows, as frames of the location they were inlined into', () => {
    expect([...inlinedByPprof].sort()).toEqual(
      expect.arrayContaining(['main.fmix', 'main.popcount', 'main.scramble']),
    );
    for (const name of inlinedByPprof) {
      if (!name.startsWith('main.')) continue;
      const fn = ours.functions.name.indexOf(name);
      expect(fn, name).toBeGreaterThanOrEqual(0);
      // Some location has it as an inner (inlined) frame, not its outermost one.
      let inner = false;
      for (let l = 0; l < ours.locations.count && !inner; l++) {
        const first = ours.locations.firstFrame[l];
        for (let f = first; f < first + ours.locations.frameCount[l] - 1; f++)
          if (ours.functions.name[ours.frames.function[f]] === name) inner = true;
      }
      expect(inner, `${name} is an inlined frame`).toBe(true);
    }
  });

  it("gives the program's stacks frame by frame with file:line as go tool pprof -traces -lines does", () => {
    const a = shares(ourStacks(ours));
    const b = shares(theirs);
    expect(a.size).toBeGreaterThan(0);
    expect(b.size).toBeGreaterThan(0);
    // The two samplers saw different instants: every stack either holds ≥ 8% of is in the other.
    for (const [stack, share] of b)
      if (share >= 0.08)
        expect(
          a.has(stack),
          `pprof's ${stack} (${(100 * share).toFixed(0)}%) is missing from perf's`,
        ).toBe(true);
    for (const [stack, share] of a)
      if (share >= 0.08)
        expect(
          b.has(stack),
          `perf's ${stack} (${(100 * share).toFixed(0)}%) is missing from pprof's`,
        ).toBe(true);
    // The nesting pprof shows: fmix inlined into scramble inlined into countBits.
    const src = readFileSync(join(__dirname, '../../go/perf-inline/main.go'), 'utf8').split('\n');
    const callLine = src.findIndex((l) => l.includes('total += popcount(scramble(')) + 1;
    expect(
      [...a.keys()].some(
        (k) =>
          /^main\.fmix \S+main\.go:\d+\|main\.scramble \S+main\.go:\d+\|main\.countBits \S+main\.go:(\d+)\|/.exec(
            k,
          )?.[1] === String(callLine),
      ),
    ).toBe(true);
  });

  it('is what perf script alone cannot give (its text names only the outer function)', async () => {
    const text = await perfScript(data);
    const p = readPerfScript(text).profile;
    expect(p.functions.name).toContain('main.countBits');
    expect(p.functions.name).not.toContain('main.popcount');
  });
});
