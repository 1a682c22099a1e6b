// Symbolizing with the program's executable against `go tool pprof BINARY PROFILE`: a real Go
// program built with and without symbols (-ldflags=-s -w) writes profiles whose frames are bare
// addresses (the legacy debug=1 text); golens top --binary must name them as pprof does, and the
// frames must carry the source file and line (what jump-to-source needs).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { applySymbols, unsymbolizedAddresses } from '../../../src/core/pprof/symbolize';
import { addr2line } from '../../../src/node/addr2line';
import { gunzip } from '../../../src/node/inflate';
import { goEnv, goProgramsDir, run, runCli } from '../../support/go';
import { baseUnit, parsePprofTop, pprof, rowLines } from '../pprof-top/profiles';

const execFileP = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'golens-symbolize-'));
const builds = { stripped: ['-ldflags=-s -w'], full: [] as string[] };

beforeAll(async () => {
  for (const [name, flags] of Object.entries(builds)) {
    const bin = join(work, `kinds-${name}`);
    await execFileP('go', ['build', ...flags, '-o', bin, './pprof-kinds'], {
      cwd: goProgramsDir,
      env: goEnv(),
      maxBuffer: 64 << 20,
    });
    const out = join(work, name);
    mkdirSync(out);
    const r = await run(bin, ['-out', out, '-seconds', '0.5']);
    expect(r.code, r.stderr).toBe(0);
  }
}, 300_000);

describe.each(Object.keys(builds))('a binary built %s', (name) => {
  const bin = () => join(work, `kinds-${name}`);
  it.each(['heap', 'threadcreate', 'goroutine'])(
    '%s?debug=1 (addresses only) names its frames as go tool pprof BINARY does',
    async (kind) => {
      const file = join(work, name, `${kind}.debug1.txt`);
      const profile = decodeProfile(readFileSync(file), gunzip);
      for (let t = 0; t < profile.sampleTypes.length; t++) {
        const theirs = await pprof([
          '-top',
          '-nodefraction=0',
          '-nodecount=1000000',
          `-sample_index=${t}`,
          `-unit=${baseUnit(profile.sampleTypes[t].unit)}`,
          bin(),
          file,
        ]);
        expect(theirs.code, theirs.stderr).toBe(0);
        const ours = await runCli([
          'top',
          file,
          '--json',
          '--sample-index',
          String(t),
          '--binary',
          bin(),
        ]);
        expect(ours.code, ours.stderr).toBe(0);
        const mine = new Map<string, { flat: number; cum: number }>();
        for (const r of JSON.parse(ours.stdout) as { func: string; flat: number; cum: number }[])
          if (r.flat !== 0 || r.cum !== 0) mine.set(r.func, r);
        const rows = rowLines(mine);
        expect(rows).toEqual(rowLines(parsePprofTop(theirs.stdout)));
        if (kind === 'heap') expect(rows.some((r) => r.startsWith('main.allocate '))).toBe(true);
      }
    },
    120_000,
  );

  it('frames get the source file and line of the program', async () => {
    const profile = decodeProfile(readFileSync(join(work, name, 'heap.debug1.txt')), gunzip);
    const addresses = unsymbolizedAddresses(profile);
    const { profile: named, symbolized } = applySymbols(
      profile,
      await addr2line(bin(), addresses),
      bin(),
    );
    expect(symbolized).toBeGreaterThan(addresses.length / 2);
    const main = named.functions.name.findIndex((n) => n === 'main.allocate');
    expect(named.functions.filename[main]).toMatch(/pprof-kinds\/main\.go$/);
    const frame = Array.from(named.frames.function).indexOf(main);
    expect(named.frames.line[frame]).toBeGreaterThan(0);
  });
});

describe('a wrong or missing executable', () => {
  it('says no address is in another program', async () => {
    const other = join(work, 'other-bin');
    await execFileP('go', ['build', '-o', other, './dump-panic'], {
      cwd: goProgramsDir,
      env: goEnv(),
    });
    const r = await runCli(['top', join(work, 'stripped', 'heap.debug1.txt'), '--binary', other]);
    // A different program may share runtime addresses by chance, but not the profile's own.
    if (r.code === 0) expect(r.stderr).toMatch(/addresses are not in .*other-bin/);
    else
      expect(r.stderr).toMatch(
        /none of the \d+ addresses .* is in .*other-bin: is it the executable that wrote the profile/,
      );
  }, 120_000);

  it('says a file that is not an executable cannot be read as one, and a missing one is missing', async () => {
    const text = join(work, 'not-a-binary.txt');
    writeFileSync(text, 'hello\n');
    const r = await runCli(['folded', join(work, 'stripped', 'heap.debug1.txt'), '--binary', text]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not be read as an executable .*pick the program's executable/);
    const missing = await runCli([
      'folded',
      join(work, 'stripped', 'heap.debug1.txt'),
      '--binary',
      join(work, 'nope'),
    ]);
    expect(missing.stderr).toMatch(/cannot read the executable .*nope/);
  }, 120_000);
});
