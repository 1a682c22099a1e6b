// perf cannot read Go's line tables (its srcline for Go code is ??:0); Go Lens asks the binary
// (go tool nm + addr2line). The lines it gives perf's frames must be the lines the Go runtime's own
// CPU profile gives the same functions.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { readProfileFile } from '../../../src/node/profile-file';
import { gunzip } from '../../../src/node/inflate';
import { goEnv, goProgramsDir } from '../../support/go';
import { buildPerfProgram, perfRecord } from '../../support/perf';

function linesOf(p: Profile, fn: string): Set<string> {
  const out = new Set<string>();
  for (let f = 0; f < p.frames.count; f++) {
    const i = p.frames.function[f];
    if (i >= 0 && p.functions.name[i] === fn && p.frames.line[f] > 0)
      out.add(`${p.functions.filename[i]}:${p.frames.line[f]}`);
  }
  return out;
}

describe('file:line of perf frames in Go binaries', () => {
  it("gives Go frames the lines of the binary's line table, as pprof has them", async () => {
    const work = mkdtempSync(join(tmpdir(), 'golens-perf-lines-'));
    const bin = await buildPerfProgram('perf-cpu');
    const data = join(work, 'perf.data');
    const pprofPath = join(work, 'cpu.pprof');
    await perfRecord(data, bin, ['1500ms'], { env: { CPU_PROFILE: pprofPath } });
    const r = await readProfileFile(data, { perf: 'perf', go: { binary: 'go', env: goEnv() } });
    const pp = decodeProfile(readFileSync(pprofPath), gunzip);
    const source = readFileSync(join(goProgramsDir, 'perf-cpu/main.go'), 'utf8').split('\n');
    /** The lines of a function's body in the source: from its `func` line to the first `}` at column 0. */
    const range = (decl: string): [number, number] => {
      const start = source.findIndex((l) => l.startsWith(decl)) + 1;
      const end = source.findIndex((l, i) => i >= start && l === '}') + 1;
      return [start, end];
    };
    const decls: Record<string, string> = {
      'main.countPrimes': 'func countPrimes(',
      'main.(*hasher).mix': 'func (h *hasher) mix(',
      'main.main': 'func main(',
    };
    let shared = 0;
    for (const [fn, decl] of Object.entries(decls)) {
      const ours = linesOf(r.profile, fn);
      expect(ours.size, fn).toBeGreaterThan(0);
      const [start, end] = range(decl);
      for (const l of ours) {
        const m = /test\/go\/perf-cpu\/main\.go:(\d+)$/.exec(l);
        expect(m, `${fn}: ${l}`).not.toBeNull();
        // mix's lines include rotate's (inlined into it): the line table gives the inlined code's line.
        const line = Number(m![1]);
        const inRotate =
          fn === 'main.(*hasher).mix' && source[line - 1]?.startsWith('func rotate(');
        expect(
          (line >= start && line <= end) || inRotate,
          `${fn}: line ${line} outside ${start}–${end}`,
        ).toBe(true);
      }
      const theirs = linesOf(pp, fn);
      shared += [...ours].filter((l) => theirs.has(l)).length;
    }
    // The two samplers saw different instants, but the hot lines are the same lines.
    expect(shared).toBeGreaterThan(0);
    // Kernel and native frames get no source file.
    expect(r.profile.functions.filename.some((f) => f.endsWith('.go'))).toBe(true);
  });
});
