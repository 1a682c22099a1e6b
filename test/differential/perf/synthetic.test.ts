// perf script texts made up from the shapes real recordings print, read by Go Lens and by
// inferno-collapse-perf: the folded stacks must be equal. Live recordings (perf.test.ts) meet the
// rarer shapes only by chance: a dwarf-unwound cgo thread once printed libc's arena_get2 twice at
// one address, first under an inlined frame and then alone, and our reader gave the second line
// the first one's inlined frame. Here every such shape comes in every run: one address under
// different inlined frames or none, inlined lines at the root, lines repeated, kernel frames,
// `[unknown]` symbols, offsets or none, srcline lines, Go symbols with their ABI suffix, headers
// with and without pid, CPU and period, for clock and other events; and the text read in pieces
// of any size, as a file is streamed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldedStacks } from '../../../src/core/flame/folded-tree';
import { PerfScriptReader, readPerfScript } from '../../../src/core/perf/perf-script';
import { run } from '../../support/go';
import { infernoAsOurs, infernoCollapsePerf, sumFolded } from '../../support/perf';
import { rng } from '../../support/random';

interface Site {
  address: string;
  symbol: string;
  dso: string;
}

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';
const APP = '/tmp/app/server';
const KERNEL = '[kernel.kallsyms]';

/** Code addresses with what perf names there; several share an address, as inlining makes them. */
const sites: Site[] = [
  { address: '955ad', symbol: 'alloc_new_heap', dso: LIBC },
  { address: '95b31', symbol: 'arena_get2', dso: LIBC },
  { address: '95b31', symbol: '_int_new_arena', dso: LIBC },
  { address: '982ab', symbol: 'tcache_init', dso: LIBC },
  { address: '98fde', symbol: '__GI___libc_free', dso: LIBC },
  { address: '891f4', symbol: 'start_thread', dso: LIBC },
  { address: '1098eb', symbol: 'clone3', dso: LIBC },
  { address: 'a18c3', symbol: 'c_spin', dso: APP },
  { address: 'a18f7', symbol: '_cgo_b9f9bbe09bda_Cfunc_c_work', dso: APP },
  { address: '80e63', symbol: 'runtime.asmcgocall.abi0', dso: APP },
  { address: '4a1230', symbol: 'main.(*hasher).mix', dso: APP },
  { address: '4a1300', symbol: 'main.countPrimes', dso: APP },
  { address: '4a1300', symbol: 'main.isPrime', dso: APP },
  { address: '4a1400', symbol: 'main.main', dso: APP },
  { address: '43c0a1', symbol: 'runtime.main', dso: APP },
  { address: '470001', symbol: 'runtime.goexit.abi0', dso: APP },
  { address: 'ffffffff8224d141', symbol: 'do_syscall_64', dso: KERNEL },
  { address: 'ffffffff81000130', symbol: 'entry_SYSCALL_64_after_hwframe', dso: KERNEL },
  { address: 'ffffffff81650d14', symbol: '__kmalloc_cache_noprof', dso: KERNEL },
  { address: '7f0012', symbol: '[unknown]', dso: '/usr/lib/libxul.so' },
  { address: '0', symbol: '[unknown]', dso: '[unknown]' },
];

/**
 * Sample `s`'s header line in one of the forms `perf script` prints (by `-F` and perf version),
 * the same form for a whole text (inferno keeps only the first event it meets).
 */
function header(seed: number, s: number, random: () => number): string {
  const tid = 11 + (s % 3);
  const time = (1 + s / 1000).toFixed(6);
  const period = 1000 + Math.floor(random() * 500_000);
  switch (seed % 5) {
    case 0:
      return `app 10/${tid} ${time}: 1001001 cpu-clock: `;
    case 1:
      return `app ${tid} [00${s % 4}] ${time}: 1001001 cpu-clock:u: `;
    case 2:
      return `worker thread 10/${tid} [000] ${time}: ${period} cycles:u: `;
    case 3:
      return `app 10/${tid} ${time}: cpu-clock: `;
    default:
      return `vote   ${tid}    ${time}:     ${period} cycles:uppp: `;
  }
}

/** A perf script text of `samples` samples, leaf first, from the seed. */
function makeText(seed: number, samples: number): string {
  const random = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const out: string[] = [];
  for (let s = 0; s < samples; s++) {
    out.push(header(seed, s, random));
    const depth = 1 + Math.floor(random() * 10);
    let previous: string | undefined;
    for (let d = 0; d < depth; d++) {
      let line: string;
      if (previous !== undefined && random() < 0.15) {
        line = previous; // the same line again, as dwarf unwinding prints it at times
      } else {
        const site = pick(sites);
        const offset =
          site.symbol === '[unknown]' || random() < 0.1
            ? ''
            : `+0x${Math.floor(random() * 4096).toString(16)}`;
        // Only debug info names inlined frames: never the kernel's here, nor an unknown symbol.
        const inlinable = site.dso !== KERNEL && site.symbol !== '[unknown]';
        const dso = inlinable && random() < 0.3 ? 'inlined' : site.dso;
        line = `\t${site.address.padStart(16)} ${site.symbol}${offset} (${dso})`;
      }
      out.push(line);
      previous = line;
      if (random() < 0.05) out.push(random() < 0.5 ? '  ??:0' : `  /src/app/main.go:${d + 1}`);
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}

describe('perf script shapes, against inferno-collapse-perf', () => {
  const work = mkdtempSync(join(tmpdir(), 'golens-perf-shapes-'));

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: the same folded stacks', async (seed) => {
    const text = makeText(seed, 400);
    const path = join(work, `shapes-${seed}.perf`);
    writeFileSync(path, text);
    const inferno = await run(infernoCollapsePerf(), [path]);
    expect(inferno.code, inferno.stderr).toBe(0);
    const theirs = infernoAsOurs(inferno.stdout);
    const read = readPerfScript(text);
    // A clock event's period is CPU time; any other event's (or a count of samples) is its one type.
    const cpu = Math.max(
      0,
      read.profile.sampleTypes.findIndex((t) => t.type === 'cpu'),
    );
    expect(sumFolded(foldedStacks(read.profile, cpu))).toEqual(theirs);
    expect(theirs.length).toBeGreaterThan(100);

    // Streamed in pieces of any size, as a file is read, the text reads the same.
    const bytes = new TextEncoder().encode(text);
    const random = rng(seed + 100);
    const streamed = new PerfScriptReader();
    for (let at = 0; at < bytes.length;) {
      const next = Math.min(bytes.length, at + 1 + Math.floor(random() * 300));
      streamed.push(bytes.subarray(at, next));
      at = next;
    }
    expect(sumFolded(foldedStacks(streamed.end().profile, cpu))).toEqual(theirs);
  });
});
