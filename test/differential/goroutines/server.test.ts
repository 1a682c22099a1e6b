// Differential test against Go itself, with the machine's Go: a quiescent program
// (test/go/dump-server: a zoo of parked goroutines plus net/http/pprof) is asked for
// goroutine?debug=2, ?debug=1 and ?debug=0. The number of goroutines per stack must agree between
//   - `go tool pprof -raw` on the debug=0 file (Go's own decoder: the oracle),
//   - our parse of the same debug=0 file,
//   - our parse of debug=1,
//   - our parse of debug=2.
//
// Normalisation (see normalisedStack in test/unit/goroutines/support.ts), needed because the
// formats differ by design, not by error:
//   - generic functions: debug=0/1 name the shape (`F[go.shape.int]`), debug=2 prints `F[...]`;
//   - runtime.goexit: dropped by debug=0, hidden by debug=2 at level "all";
//   - leading runtime.* / internal/runtime/* frames (runtime.gopark, chanrecv…): debug=1 hides
//     them, debug=0 keeps them, debug=2 hides the runtime.* ones;
//   - unexported runtime.* frames below user code (runtime.main under main.main): debug=2 hides
//     them everywhere, debug=0/1 keep them.
// Left out: the goroutines serving HTTP connections (net/http.(*conn).serve, its connReader's
// background read): one of them is the requester itself, whose stack differs per request, and
// how many linger from earlier connections depends on timing. A background reader created but
// not yet started is one of them too: debug=2 prints its start function
// (net/http.(*connReader).startBackgroundRead.gowrap2), debug=1 an empty record and debug=0 an
// empty sample (its only PC is runtime.goexit), so empty stacks are left out as well.
// Everything else is parked for good, so the three requests see the same goroutines.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzip } from '../../../src/node/inflate';
import { parseGoroutineDump } from '../../../src/core/goroutines';
import { goBuild, goTool, startGoServer, type GoServer } from '../../support/go';
import { countsByStack, normalisedStack } from '../../unit/goroutines/support';

const perConnection = (funcs: string[]) =>
  funcs.length === 0 ||
  funcs.some((f) => f.startsWith('net/http.(*conn).') || f.startsWith('net/http.(*connReader).'));

/** Samples of `go tool pprof -raw` as function sequences (leaf first) with counts. */
function parseRaw(raw: string): { funcs: string[]; count: number }[] {
  const lines = raw.split('\n');
  const samples: { count: number; locs: number[] }[] = [];
  const locFuncs = new Map<number, string[]>();
  let section = '';
  let current: string[] | undefined;
  for (const line of lines) {
    // pprof -raw writes "Samples:" but "Locations" and "Mappings" without a colon.
    if (/^(Samples|Locations|Mappings):?$/.test(line)) {
      section = line.replace(':', '');
      continue;
    }
    if (section === 'Samples') {
      const m = /^\s+(\d+): ([\d ]+?)\s*$/.exec(line);
      if (m) samples.push({ count: Number(m[1]), locs: m[2].split(' ').map(Number) });
    } else if (section === 'Locations') {
      const loc = /^\s+(\d+): 0x[0-9a-f]+ M=\d+ (\S+) \S+ s=\d+$/.exec(line);
      if (loc) {
        current = [loc[2]];
        locFuncs.set(Number(loc[1]), current);
        continue;
      }
      // Further Lines of the same location: the callers an inlined call was folded into.
      const inl = /^\s+(\S+) \S+:\d+:\d+ s=\d+$/.exec(line);
      if (inl && current) current.push(inl[1]);
    }
  }
  return samples.map((s) => ({
    count: s.count,
    funcs: s.locs.flatMap((id) => locFuncs.get(id) ?? [`?${id}`]),
  }));
}

function rawCounts(raw: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of parseRaw(raw)) {
    const funcs = normalisedStack(s.funcs);
    if (perConnection(funcs)) continue;
    const key = funcs.join(';');
    out[key] = (out[key] ?? 0) + s.count;
  }
  return out;
}

describe('goroutine dumps of one quiescent program agree across formats and with go tool pprof', () => {
  let server: GoServer;
  const tmp = mkdtempSync(join(tmpdir(), 'golens-goroutines-diff-'));
  const got: { debug2?: string; debug1?: string; debug0?: Uint8Array } = {};

  async function fetchProfile(query: string): Promise<Uint8Array> {
    const res = await fetch(`${server.url}/debug/pprof/goroutine?${query}`);
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }

  beforeAll(async () => {
    server = await startGoServer(await goBuild('dump-server'));
    // "listening" comes after the zoo has parked; the three labelled shard workers start just
    // before it. Wait until two debug=1 totals 200 ms apart agree (quiescent), then take the three.
    let previous = '';
    for (let i = 0; i < 50; i++) {
      const text = new TextDecoder().decode(await fetchProfile('debug=1'));
      const total = JSON.stringify(countsByStack(parseGoroutineDump(text), perConnection));
      if (total === previous) break;
      previous = total;
      await new Promise((r) => setTimeout(r, 200));
    }
    got.debug2 = new TextDecoder().decode(await fetchProfile('debug=2'));
    got.debug1 = new TextDecoder().decode(await fetchProfile('debug=1'));
    got.debug0 = await fetchProfile('debug=0');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('our debug=0 parse agrees with go tool pprof -raw on the same file', async () => {
    const file = join(tmp, 'goroutine.pb.gz');
    writeFileSync(file, got.debug0!);
    const raw = await goTool('pprof', ['-raw', file]);
    expect(raw.code, raw.stderr).toBe(0);
    const oracle = rawCounts(raw.stdout);
    const ours = countsByStack(parseGoroutineDump(got.debug0!, { inflate: gunzip }), perConnection);
    expect(ours).toEqual(oracle);
    // Not vacuous: the 30 zoo goroutines, 3 shard workers (split by label, summed back) and the
    // accept loop of goroutine 1 are all there.
    expect(Object.values(oracle).reduce((a, b) => a + b, 0)).toBe(34);
    expect(Object.entries(oracle).find(([k]) => k.endsWith('dump-zoo.worker'))?.[1]).toBe(8);
    expect(Object.entries(oracle).find(([k]) => k.startsWith('main.shardWorker'))?.[1]).toBe(3);
  });

  it('debug=1 and debug=2 agree with debug=0, stack by stack', async () => {
    const d0 = countsByStack(parseGoroutineDump(got.debug0!, { inflate: gunzip }), perConnection);
    const d1 = parseGoroutineDump(got.debug1!);
    const d2 = parseGoroutineDump(got.debug2!);
    expect(d1.warnings).toEqual([]);
    expect(d2.warnings).toEqual([]);
    expect(countsByStack(d1, perConnection)).toEqual(d0);
    expect(countsByStack(d2, perConnection)).toEqual(d0);
  });

  it('labels agree between debug=1 and debug=0', async () => {
    const labelled = (s: ReturnType<typeof parseGoroutineDump>) => {
      const out: Record<string, number> = {};
      for (let r = 0; r < s.goroutines.count; r++) {
        const l = s.goroutines.labels[r];
        if (l >= 0)
          out[JSON.stringify(s.labelSets[l])] =
            (out[JSON.stringify(s.labelSets[l])] ?? 0) + s.goroutines.weight[r];
      }
      return out;
    };
    const d0 = labelled(parseGoroutineDump(got.debug0!, { inflate: gunzip }));
    expect(labelled(parseGoroutineDump(got.debug1!))).toEqual(d0);
    expect(d0).toEqual({
      '{"odd":"quote\\" bracket] comma, é","role":"labelled"}': 1,
      '{"shard":"0"}': 2,
      '{"shard":"1"}': 1,
    });
  });
});
