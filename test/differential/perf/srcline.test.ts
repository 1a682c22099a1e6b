// Inlined frames in a real perf recording, printed both ways perf prints them. A cgo program
// churns glibc's malloc, whose internals glibc inlines (tcache_get, tcache_put, _int_free), so
// its callchains hold inlined frames in every run. The same perf.data is read from `perf script`
// (`… tcache_get+0x16a (inlined)`) and from `perf script -F +srcline` (no dso on the frame line,
// `  malloc.c:3190 (inlined)` on the next): both must give the same stacks, location by location
// (a location is one address: its inlined frames, then the frame they are inlined into), the
// plain text must fold as inferno-collapse-perf folds it, the srcline text must read without a
// skipped line (perf's `[kernel.kallsyms][ffffffff8224d141]` is its srcline where it has none),
// and without inline data each symbol's self share must be perf report's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import type { Profile } from '../../../src/core/pprof/model';
import { frameKindOfFile } from '../../../src/core/perf/frame-names';
import { readPerfScript } from '../../../src/core/perf/perf-script';
import { run } from '../../support/go';
import {
  buildPerfProgram,
  expectSelfSharesOfPerfReport,
  infernoAsOurs,
  infernoCollapsePerf,
  perfRecord,
  perfScript,
  sumFolded,
} from '../../support/perf';

const work = mkdtempSync(join(tmpdir(), 'golens-perf-srcline-'));
const data = join(work, 'perf.data');
let plainText = '';
let srclineText = '';

beforeAll(async () => {
  const bin = await buildPerfProgram('perf-cgo-inline', true);
  // No asynchronous preemption: sysmon's preemption signal, caught while the thread is in C, gives
  // a callchain that dwarf unwinding follows through the signal frame into anonymous memory
  // (`[unknown] (//anon)`), and perf 6.1's `perf script -F +srcline` then dies of SIGPIPE midway
  // through its output (its addr2line child cannot read //anon and exits). A CI run met it.
  await perfRecord(data, bin, ['1s'], {
    callGraph: 'dwarf,16384',
    env: { GODEBUG: 'asyncpreemptoff=1' },
  });
  plainText = await perfScript(data);
  srclineText = await perfScript(data, 'comm,tid,time,period,event,ip,sym,dso,srcline');
  writeFileSync(join(work, 'plain.perf'), plainText);
}, 300_000);

/**
 * The profile's stacks of the CPU sample type as `loc | loc | …` (leaf first), each location its
 * frames innermost first, with the summed value of each stack.
 */
function locationStacks(p: Profile): Map<string, number> {
  const cpu = p.sampleTypes.findIndex((t) => t.type === 'cpu');
  const out = new Map<string, number>();
  const s = p.samples;
  for (let i = 0; i < s.count; i++) {
    const locs: string[] = [];
    for (let k = s.stackStart[i]; k < s.stackStart[i + 1]; k++) {
      const loc = s.stackLocations[k];
      const frames: string[] = [];
      for (let f = 0; f < p.locations.frameCount[loc]; f++)
        frames.push(p.functions.name[p.frames.function[p.locations.firstFrame[loc] + f]]);
      locs.push(frames.join(','));
    }
    const key = locs.join(' | ');
    out.set(key, (out.get(key) ?? 0) + s.values[i * p.sampleTypes.length + cpu]);
  }
  return out;
}

/** The inlined frames of the profile: `name file:line` of every frame but a location's last. */
function inlinedFrames(p: Profile): string[] {
  const out: string[] = [];
  for (let loc = 0; loc < p.locations.count; loc++)
    for (let f = 0; f < p.locations.frameCount[loc] - 1; f++) {
      const frame = p.locations.firstFrame[loc] + f;
      const fn = p.frames.function[frame];
      out.push(`${p.functions.name[fn]} ${p.functions.filename[fn]}:${p.frames.line[frame]}`);
    }
  return out;
}

describe('perf recordings with inlined frames, with and without srcline', () => {
  it('reads the same stacks, location by location, from both texts', () => {
    const plain = readPerfScript(plainText);
    const withLines = readPerfScript(srclineText);
    expect(plain.warnings).toEqual([]);
    expect(withLines.warnings).toEqual([]);
    expect(withLines.stats.unrecognisedLines).toBe(0);
    expect(withLines.stats.samples).toBe(plain.stats.samples);
    expect([...locationStacks(withLines.profile)].sort()).toEqual(
      [...locationStacks(plain.profile)].sort(),
    );
    // glibc's inlined malloc internals are there, each inside the frame at its address.
    const inlined = inlinedFrames(withLines.profile);
    expect(inlined.length).toBeGreaterThan(0);
    expect(inlined.some((f) => /^(tcache_get|tcache_put|_int_free|_int_malloc)\b/.test(f))).toBe(
      true,
    );
    // With srcline, they have glibc's source files and lines (where perf found them: an inlined
    // frame whose srcline is `??:0` keeps the object's name, `[unknown]` here), and are coloured
    // as native code.
    const withSource = inlined.filter((f) => !f.endsWith(']:0'));
    expect(withSource.length).toBeGreaterThan(inlined.length / 2);
    for (const f of withSource) {
      const m = /^(\S+) (\S+\.[chS]):(\d+)$/.exec(f);
      expect(m, f).not.toBeNull();
      expect(Number(m![3]), f).toBeGreaterThan(0);
      expect(frameKindOfFile(m![2]), f).toBe('native');
    }
  });

  it('folds the plain text as inferno-collapse-perf does', async () => {
    const inferno = await run(infernoCollapsePerf(), [join(work, 'plain.perf')]);
    expect(inferno.code, inferno.stderr).toBe(0);
    const read = readPerfScript(plainText);
    const cpu = read.profile.sampleTypes.findIndex((t) => t.type === 'cpu');
    expect(sumFolded(foldedStacks(read.profile, cpu))).toEqual(infernoAsOurs(inferno.stdout));
  });

  it('gives each symbol the self share perf report gives it, from the text without inline data', async () => {
    await expectSelfSharesOfPerfReport(data, await perfScript(data, '', ['--no-inline']), 'churn');
  });
});
