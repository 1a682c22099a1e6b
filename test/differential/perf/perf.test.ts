// Real perf recordings of real Go programs (CPU in Go code, in syscalls, in cgo), read by Go Lens
// and by the field's own tools on the same files:
//  - our folded stacks equal inferno-collapse-perf's (minus its process-name root frame, and with
//    Go's `.abi0` symbol suffix dropped as pprof names those functions);
//  - per-function self shares equal `perf report --no-children --sort sym`'s (to its 0.01% print),
//    read from `perf script --no-inline` (perf report sorts by the symbol at the sample's address);
//  - the profile exported as .pb.gz gives `go tool pprof -top` the same table as `golens top`;
//  - perf.data opened directly (perf script run by us) reads the same as its text;
//  - Go functions are named as the Go runtime's own CPU profile names them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { encodeProfile } from '../../../src/core/pprof/encode';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { topTable } from '../../../src/core/pprof/top';
import { readPerfScript } from '../../../src/core/perf/perf-script';
import { gunzip } from '../../../src/node/inflate';
import { run, runCli } from '../../support/go';
import {
  buildPerfProgram,
  expectSelfSharesOfPerfReport,
  infernoAsOurs,
  infernoCollapsePerf,
  perfRecord,
  perfScript,
  sumFolded,
} from '../../support/perf';
import { parsePprofTop, pprof, rowLines } from '../pprof-top/profiles';

const work = mkdtempSync(join(tmpdir(), 'golens-perf-'));

interface Recording {
  name: string;
  data: string;
  script: string;
  text: string;
  /**
   * `perf script --no-inline`: each frame the symbol at its address, which is what perf report's
   * `sym` sorts by (with inline data, the innermost inlined function has the sample, as in pprof).
   */
  noInline: string;
}
const recordings: Recording[] = [];
let pprofProfile = '';

beforeAll(async () => {
  const programs: [string, boolean, string[]][] = [
    ['perf-cpu', false, ['1500ms']],
    ['perf-syscall', false, ['1500ms']],
    ['perf-cgo', true, ['1500ms']],
  ];
  const binaries = await Promise.all(programs.map(([p, cgo]) => buildPerfProgram(p, cgo)));
  for (let i = 0; i < programs.length; i++) {
    const [name, , args] = programs[i];
    const data = join(work, `${name}.data`);
    pprofProfile = name === 'perf-cpu' ? join(work, 'perf-cpu.pprof') : pprofProfile;
    await perfRecord(data, binaries[i], args, {
      env: name === 'perf-cpu' ? { CPU_PROFILE: pprofProfile } : {},
    });
    const text = await perfScript(data);
    const script = join(work, `${name}.perf`);
    writeFileSync(script, text);
    recordings.push({
      name,
      data,
      script,
      text,
      noInline: await perfScript(data, '', ['--no-inline']),
    });
  }
  // A dwarf-unwound recording too (perf's other callchain mode), and one with every field.
  const dwarf = join(work, 'perf-cgo-dwarf.data');
  await perfRecord(dwarf, binaries[2], ['1s'], { callGraph: 'dwarf,16384' });
  const dwarfText = await perfScript(dwarf);
  writeFileSync(join(work, 'perf-cgo-dwarf.perf'), dwarfText);
  recordings.push({
    name: 'perf-cgo-dwarf',
    data: dwarf,
    script: join(work, 'perf-cgo-dwarf.perf'),
    text: dwarfText,
    noInline: await perfScript(dwarf, '', ['--no-inline']),
  });
}, 600_000);

describe('perf recordings of real Go programs', () => {
  it('golens folded equals inferno-collapse-perf on the same perf script text', async () => {
    for (const r of recordings) {
      const inferno = await run(infernoCollapsePerf(), [r.script]);
      expect(inferno.code, inferno.stderr).toBe(0);
      const theirs = infernoAsOurs(inferno.stdout);
      const ours = await runCli(['folded', r.script, '--sample-index', 'cpu']);
      expect(ours.code, ours.stderr).toBe(0);
      expect(sumFolded(ours.stdout.split('\n')), r.name).toEqual(theirs);
      expect(theirs.length).toBeGreaterThan(1);
    }
  });

  it('self shares per function equal perf report --no-children --sort sym', async () => {
    for (const r of recordings) await expectSelfSharesOfPerfReport(r.data, r.noInline, r.name);
  });

  it('the profile exported as .pb.gz gives go tool pprof -top the same table as golens top', async () => {
    for (const r of recordings) {
      const profile = readPerfScript(r.text).profile;
      const out = join(work, `${r.name}.pb.gz`);
      writeFileSync(out, gzipSync(encodeProfile(profile)));
      const theirs = await pprof([
        '-top',
        '-nodecount=1000000',
        '-nodefraction=0',
        '-edgefraction=0',
        '-symbolize=none',
        '-sample_index=1',
        '-unit=ns',
        out,
      ]);
      expect(theirs.code, theirs.stderr).toBe(0);
      const ours = await runCli(['top', r.script, '--sample-index', '1', '--json']);
      const ourRows = new Map(
        (JSON.parse(ours.stdout) as { func: string; flat: number; cum: number }[]).map((x) => [
          x.func,
          { flat: x.flat, cum: x.cum },
        ]),
      );
      expect(rowLines(parsePprofTop(theirs.stdout)), r.name).toEqual(rowLines(ourRows));
      // And the exported file reads back to the same profile.
      const back = decodeProfile(gunzip(gzipSync(encodeProfile(profile))), gunzip);
      expect(back.samples.count).toBe(profile.samples.count);
      expect(Array.from(back.samples.values)).toEqual(Array.from(profile.samples.values));
    }
  });

  it('perf.data opens directly (golens runs perf script) and reads as its text does', async () => {
    for (const r of recordings.slice(0, 2)) {
      const [fromData, fromText] = await Promise.all([
        runCli(['folded', r.data]),
        runCli(['folded', r.script]),
      ]);
      expect(fromData.code, fromData.stderr).toBe(0);
      expect(fromData.stdout).toBe(fromText.stdout);
    }
  });

  it('names Go functions as the runtime CPU profile of the same run does', async () => {
    // The two samplers see different instants: the functions with a real share are compared.
    const profile = readPerfScript(recordings[0].text).profile;
    const table = topTable(indexProfile(profile), { sampleType: 1 });
    const perfNames = new Set(
      table.rows
        .filter((row) => row.name.startsWith('main.') && row.cum >= 0.02 * table.total)
        .map((row) => row.name),
    );
    const pp = decodeProfile(
      await import('node:fs').then((fs) => fs.readFileSync(pprofProfile)),
      gunzip,
    );
    const pprofNames = new Set(pp.functions.name);
    expect(perfNames.size).toBeGreaterThanOrEqual(2);
    for (const n of perfNames) expect(pprofNames.has(n), n).toBe(true);
    expect(perfNames.has('main.(*hasher).mix')).toBe(true);
    // And no perf name carries what pprof never shows (an ABI suffix).
    expect(profile.functions.name.filter((n) => /\.abi0$|\.abiinternal$/.test(n))).toEqual([]);
  });

  it('compares with the runtime CPU profile of the same run (golens diff: same sample types)', async () => {
    const r = await runCli(['diff', pprofProfile, recordings[0].script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/main\.countPrimes/);
  });

  it('shows kernel frames under Go syscalls and C frames under cgo', () => {
    const sys = readPerfScript(recordings[1].text).profile;
    expect(sys.functions.filename.filter((f) => f === '[kernel.kallsyms]').length).toBeGreaterThan(
      3,
    );
    const cgo = readPerfScript(recordings[3].text).profile;
    const i = cgo.functions.name.indexOf('c_spin');
    expect(cgo.functions.filename[i]).toMatch(/^\[.*perf-cgo\]$/);
  });
});
