// Every wrong input to golens core gets a message that names what is wrong and what to do:
// not a core, a core cut short, the core of another executable, a stripped binary, a core of
// a C program, a Go release this Delve cannot read, no Delve at all.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  openSync,
  closeSync,
  ftruncateSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainDelveOutput } from '../../../src/core/delve/errors';
import { goBuild, goEnv, goProgramsDir, runCli } from '../../support/go';
import { crashCore, delvePath } from '../../support/cores';

let exe: string;
let core: string;
const tmp = mkdtempSync(join(tmpdir(), 'golens-bad-core-'));

async function fails(args: string[]): Promise<string> {
  const r = await runCli(['core', ...args, '--dlv', delvePath()]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  return r.stderr;
}

beforeAll(async () => {
  exe = await goBuild('core-crash');
  core = (await crashCore(exe, ['-mode', 'nil'])).core;
});

describe('golens core: bad input', () => {
  it('a text file is not a core dump', async () => {
    const notCore = join(tmp, 'notes.txt');
    writeFileSync(notCore, 'goroutine 1 [running]:\nmain.main()\n');
    expect(await fails([exe, notCore])).toMatch(
      /notes\.txt is not a core dump \(not an ELF file\).*GOTRACEBACK=crash/,
    );
  });

  it('the executable picked as the core', async () => {
    expect(await fails([exe, exe])).toMatch(
      /is an executable or shared library, not a core dump\. Pick the core file/,
    );
  });

  it('a core cut short says how much is there and how to get a whole one', async () => {
    const cut = join(tmp, 'core.cut');
    copyFileSync(core, cut);
    const fd = openSync(cut, 'r+');
    ftruncateSync(fd, Math.floor(statSync(core).size / 2));
    closeSync(fd);
    expect(await fails([exe, cut])).toMatch(
      /core\.cut is cut short: [\d,]+ of [\d,]+ bytes \([\d.]+%\).*ulimit -c unlimited/,
    );
  });

  it('the core of another program', async () => {
    const other = await goBuild('dump-many');
    expect(await fails([other, core])).toMatch(
      /is a core of .*core-crash.*\(pid \d+\), not of .*dump-many \(their Go build IDs differ\)\. Pick the exact binary that crashed/,
    );
  });

  it('a stripped binary (-ldflags="-s -w")', async () => {
    const stripped = join(tmp, 'core-crash-stripped');
    execFileSync('go', ['build', '-ldflags=-s -w', '-o', stripped, './core-crash'], {
      cwd: goProgramsDir,
      env: goEnv(),
    });
    const strippedCore = (await crashCore(stripped, ['-mode', 'nil'])).core;
    expect(await fails([stripped, strippedCore])).toMatch(
      /has no debug information \(built with -ldflags="-s -w"\).*Rebuild it without -s -w/,
    );
  });

  it('the core of a C program', async () => {
    const cexe = join(tmp, 'crash-c');
    execFileSync('gcc', ['-g', '-o', cexe, join(goProgramsDir, 'core-c/crash.c')]);
    const ccore = (await crashCore(cexe, [])).core;
    expect(await fails([cexe, ccore])).toMatch(
      /crash-c is not a Go program \(it has no Go build info\).*Use gdb/,
    );
  });

  it('a Go release older than this Delve reads', async () => {
    const old = await goBuild('core-crash', 'go1.24.13');
    const oldCore = (await crashCore(old, ['-mode', 'nil'])).core;
    expect(await fails([old, oldCore])).toMatch(
      /built with Go 1\.24\.13, older than this Delve .* reads \(Go 1\.25 or newer\)\. Install a Delve of that Go's time/,
    );
  });

  it("a Go release newer than this Delve reads (Delve's own message, explained)", () => {
    const e = explainDelveOutput(
      'Version of Delve is too old for Go version go1.29.0 (maximum supported version 1.27, suppress this error with --check-go-version=false)',
      '/usr/bin/dlv',
    );
    expect(e?.problem).toBe('delve-too-old');
    expect(e?.message).toMatch(
      /built with Go 1\.29\.0, newer than this Delve \(\/usr\/bin\/dlv\) reads \(up to Go 1\.27\)\. Install a newer Delve: go install github\.com\/go-delve\/delve\/cmd\/dlv@latest/,
    );
  });

  it('no Delve', async () => {
    const r = await runCli(['core', exe, core, '--dlv', join(tmp, 'no-such-dlv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Delve \(.*no-such-dlv\) was not found\. Install it: go install github\.com\/go-delve\/delve\/cmd\/dlv@v1\.27\.2/,
    );
  });

  it('missing files', async () => {
    expect(await fails([exe, join(tmp, 'nope')])).toMatch(/nope: no such file/);
    expect(await fails([join(tmp, 'nope-exe'), core])).toMatch(/nope-exe: no such file/);
  });
});
