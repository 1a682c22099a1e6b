// Go's function table read from the binary (src/core/perf/go-pclntab.ts), against Go's own tools
// on a real binary: at every pc of the functions, the innermost file:line is `go tool addr2line`'s
// and the outermost function its function; a stripped binary reads the same; bad binaries are
// refused with a reason.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoTableError, goPrintName, readGoFunctionTable } from '../../../src/core/perf/go-pclntab';
import { goBuild, goEnv, goProgramsDir, goTool, run } from '../../support/go';

describe("Go's function table", () => {
  it('gives every pc the line go tool addr2line gives, inlined calls expanded to their call sites', async () => {
    const bin = await goBuild('perf-inline');
    const stripped = join(mkdtempSync(join(tmpdir(), 'golens-pclntab-')), 'perf-inline-stripped');
    const built = await run('go', ['build', '-ldflags=-s -w', '-o', stripped, './perf-inline'], {
      cwd: goProgramsDir,
      env: goEnv(),
    });
    expect(built.code, built.stderr).toBe(0);
    const table = readGoFunctionTable(readFileSync(bin));
    const strippedTable = readGoFunctionTable(readFileSync(stripped));
    const nm = await goTool('nm', ['-size', '-sort', 'address', bin]);
    const pcs: number[] = [];
    for (const name of ['main.countBits', 'main.main', 'runtime.main']) {
      const m = new RegExp(
        `^\\s*([0-9a-f]+)\\s+(\\d+)\\s+T ${name.replace(/[.()*]/g, '\\$&')}$`,
        'm',
      ).exec(nm.stdout);
      expect(m, name).not.toBeNull();
      const start = parseInt(m![1], 16);
      expect(table.entry(name)).toBe(start);
      for (let pc = start; pc < start + Number(m![2]); pc++) pcs.push(pc);
    }
    const a2l = await run('go', ['tool', 'addr2line', bin], {
      env: goEnv(),
      input: pcs.map((pc) => '0x' + pc.toString(16)).join('\n') + '\n',
    });
    expect(a2l.code, a2l.stderr).toBe(0);
    const lines = a2l.stdout.split('\n');
    let inlined = 0;
    for (let i = 0; i < pcs.length; i++) {
      const frames = table.frames(pcs[i]);
      expect(frames.length, `pc 0x${pcs[i].toString(16)}`).toBeGreaterThan(0);
      expect(frames[frames.length - 1].name, `function at 0x${pcs[i].toString(16)}`).toBe(
        lines[2 * i],
      );
      expect(`${frames[0].file}:${frames[0].line}`, `line at 0x${pcs[i].toString(16)}`).toBe(
        lines[2 * i + 1],
      );
      if (frames.length > 1) {
        inlined++;
        // Each caller's position is inside the caller's own body (its line after its start line).
        for (const f of frames) expect(f.line).toBeGreaterThanOrEqual(f.startLine);
      }
      expect(strippedTable.frames(pcs[i])).toEqual(frames);
    }
    expect(inlined).toBeGreaterThan(0);
    const names = new Set(pcs.flatMap((pc) => table.frames(pc).map((f) => f.name)));
    expect([...names]).toEqual(
      expect.arrayContaining(['main.fmix', 'main.scramble', 'main.popcount']),
    );
    // perf's ELF names of assembly functions carry the ABI; the table's do not.
    expect(table.entry('runtime.goexit.abi0')).toBe(table.entry('runtime.goexit'));
  }, 300_000);

  it('names generic instantiations as the runtime prints them', () => {
    expect(goPrintName('main.Map[go.shape.int,go.shape.string]')).toBe('main.Map[...]');
    expect(goPrintName('main.(*List[go.shape.int]).Push')).toBe('main.(*List[...]).Push');
    expect(goPrintName('main.main.func1')).toBe('main.main.func1');
  });

  it('refuses what it cannot read, saying why', async () => {
    const reason = (bytes: Uint8Array): string => {
      try {
        readGoFunctionTable(bytes);
        return 'read';
      } catch (e) {
        expect(e).toBeInstanceOf(GoTableError);
        return (e as Error).message;
      }
    };
    expect(reason(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toMatch(/not an ELF binary/);
    expect(reason(readFileSync('/bin/sh'))).toMatch(/no Go function table/);
    const bin = readFileSync(await goBuild('perf-inline'));
    expect(reason(bin.subarray(0, 4096))).toMatch(/cut off/);
    expect(reason(bin.subarray(0, Math.floor(bin.length * 0.9)))).toMatch(/cut off/);
    // A damaged table (bytes of its function records overwritten): refused or read, never a crash or a hang.
    const damaged = new Uint8Array(bin);
    for (let i = 0; i < damaged.length; i += 97) damaged[i] ^= 0xa5;
    expect(typeof reason(damaged)).toBe('string');
    if (reason(damaged) === 'read') {
      const t = readGoFunctionTable(damaged);
      for (let pc = 0x401000; pc < 0x401000 + 0x10000; pc += 61) {
        try {
          t.frames(pc);
        } catch (e) {
          // The reader's caller (resolveGoFrames) keeps perf's names when frames throws.
          expect(e).toBeInstanceOf(Error);
        }
      }
    }
  });
});
