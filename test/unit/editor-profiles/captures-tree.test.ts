// The Captures view's model from a real folder: capture files and their sidecars as
// captureFileName names them, plus the things a real folder also holds (foreign files, a broken
// sidecar, a capture without one), grouped target → kind → time; and the default base of a
// comparison.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureFileName,
  type CaptureKind,
  type CaptureMeta,
} from '../../../src/core/collect/capture-name';
import {
  baseCandidates,
  childNodes,
  defaultBase,
  describeNode,
  parseCaptureName,
  scanCaptures,
  targetNodes,
  type CaptureEntry,
  type CaptureNode,
} from '../../../src/views/captures/tree-model';

let root: string;

function save(
  slug: string,
  kind: CaptureKind,
  when: Date,
  opts: {
    meta?: Partial<CaptureMeta> | 'broken' | 'none';
    complete?: boolean;
    bytes?: number;
  } = {},
): string {
  const rel = captureFileName(slug, kind, when, opts.complete ?? true);
  const path = join(root, rel);
  mkdirSync(join(root, slug), { recursive: true });
  writeFileSync(path, new Uint8Array(opts.bytes ?? 100));
  if (opts.meta === 'broken') writeFileSync(path + '.json', '{ not json');
  else if (opts.meta !== 'none') {
    const meta: CaptureMeta = {
      kind,
      target: `http://${slug.replace('_', ':')}/debug/pprof`,
      targetLabel: slug.replace('_', ':'),
      url: `http://${slug.replace('_', ':')}/debug/pprof/${kind}`,
      startedAt: when.toISOString(),
      bytes: opts.bytes ?? 100,
      complete: opts.complete ?? true,
      ...opts.meta,
    };
    writeFileSync(path + '.json', JSON.stringify(meta));
  }
  return path;
}

const at = (h: number, m: number, s = 0) => new Date(2026, 10, 21, h, m, s);
const paths: Record<string, string> = {};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'golens-captures-'));
  paths.cpu1 = save('127.0.0.1_6060', 'cpu', at(10, 0), { meta: { seconds: 30 } });
  paths.cpu2 = save('127.0.0.1_6060', 'cpu', at(10, 5), { meta: { seconds: 30 } });
  paths.cpu3 = save('127.0.0.1_6060', 'cpu', at(10, 9), {
    complete: false,
    meta: { error: 'connection reset' },
  });
  paths.heap = save('127.0.0.1_6060', 'heap', at(10, 1));
  paths.mutex = save('127.0.0.1_6060', 'mutex', at(10, 2), { meta: 'broken' });
  paths.trace = save('127.0.0.1_6060', 'trace', at(10, 3), { bytes: 3 << 20 });
  paths.dump = save('127.0.0.1_6060', 'goroutine-dump', at(10, 4), { meta: 'none' });
  paths.otherCpu = save('api.internal_8080', 'cpu', at(9, 0), { meta: { targetLabel: 'api' } });
  paths.test = save('go-test_demo', 'cpu', at(11, 0), {
    meta: { targetLabel: 'go test demo', url: "go test -run '^$' -bench '^BenchmarkX$' ." },
  });
  // Not captures: a user's note, a sidecar without its file, a stray folder file.
  writeFileSync(join(root, '127.0.0.1_6060', 'notes.txt'), 'hi');
  writeFileSync(join(root, '127.0.0.1_6060', 'cpu-20261121-080000.pb.gz.json'), '{}');
  writeFileSync(join(root, 'README'), 'not a target folder');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const byPath = (entries: CaptureEntry[], p: string) => entries.find((e) => e.path === p)!;

describe('captures folder → tree', () => {
  it('parses only capture names', () => {
    expect(parseCaptureName('cpu-20261121-100000.pb.gz')).toEqual({
      kind: 'cpu',
      stamp: '20261121-100000',
      partial: false,
    });
    expect(parseCaptureName('goroutine-dump-20261121-100000-partial.txt')).toEqual({
      kind: 'goroutine-dump',
      stamp: '20261121-100000',
      partial: true,
    });
    expect(parseCaptureName('cpu-20261121-100000.pb.gz.json')).toBeUndefined();
    expect(parseCaptureName('notes.txt')).toBeUndefined();
    expect(parseCaptureName('bogus-20261121-100000.pb.gz')).toBeUndefined();
  });

  it('reads every capture with its sidecar, and tolerates broken or missing sidecars', async () => {
    const entries = await scanCaptures(root);
    expect(entries).toHaveLength(9);
    expect(byPath(entries, paths.mutex).meta).toBeUndefined();
    expect(byPath(entries, paths.mutex).time).toEqual(at(10, 2)); // from the name
    expect(byPath(entries, paths.dump).meta).toBeUndefined();
    expect(byPath(entries, paths.cpu3).partial).toBe(true);
    expect(byPath(entries, paths.trace).bytes).toBe(3 << 20);
    expect(await scanCaptures(join(root, 'missing'))).toEqual([]);
  });

  it('groups target → kind → time, newest first, labelled from the sidecars', async () => {
    const entries = await scanCaptures(root);
    const targets = targetNodes(entries);
    const describe_ = (n: CaptureNode) => describeNode(n);
    expect(
      targets.map((t) => [describe_(t).label, describe_(t).description, describe_(t).icon]),
    ).toEqual([
      ['127.0.0.1:6060', '7 captures', 'server'],
      ['api', '1 capture', 'server'],
      ['go test demo', '1 capture', 'beaker'],
    ]);
    const kinds = childNodes(targets[0]);
    expect(kinds.map((k) => [describe_(k).label, describe_(k).description])).toEqual([
      ['CPU profiles', '3'],
      ['Heap profiles', '1'],
      ['Mutex profiles', '1'],
      ['Execution traces', '1'],
      ['Goroutine dumps', '1'],
    ]);
    const cpus = childNodes(kinds[0]).map(describe_);
    expect(cpus.map((c) => [c.label, c.description, c.contextValue])).toEqual([
      ['2026-11-21 10:09:00', '100B · incomplete', 'captureProfile'],
      ['2026-11-21 10:05:00', '30s · 100B', 'captureProfile'],
      ['2026-11-21 10:00:00', '30s · 100B', 'captureProfile'],
    ]);
    expect(cpus[0].tooltip).toContain('incomplete: connection reset');
    const trace = describe_(childNodes(kinds[3])[0]);
    expect([trace.description, trace.contextValue, trace.icon]).toEqual([
      '3MB',
      'capture',
      'pulse',
    ]);
    const testCapture = describe_(childNodes(childNodes(targets[2])[0])[0]);
    expect(testCapture.tooltip).toContain("go test -run '^$'");
  });
});

describe('default base of a comparison', () => {
  it('is the previous capture of the same kind and target', async () => {
    const entries = await scanCaptures(root);
    expect(defaultBase(entries, byPath(entries, paths.cpu2))?.path).toBe(paths.cpu1);
    expect(defaultBase(entries, byPath(entries, paths.cpu3))?.path).toBe(paths.cpu2);
    // The first CPU profile of its target has none (the other target's older one does not count).
    expect(defaultBase(entries, byPath(entries, paths.cpu1))).toBeUndefined();
    expect(defaultBase(entries, byPath(entries, paths.heap))).toBeUndefined();
  });

  it('offers the default first, then same-target, then other targets of the same kind', async () => {
    const entries = await scanCaptures(root);
    expect(baseCandidates(entries, paths.cpu2).map((e) => e.path)).toEqual([
      paths.cpu1,
      paths.cpu3,
      paths.test,
      paths.otherCpu,
    ]);
    // A file outside the folder: every profile capture, newest first (no trace, no dump).
    const outside = baseCandidates(entries, '/elsewhere/x.pprof');
    expect(outside[0].path).toBe(paths.test);
    expect(outside.some((e) => e.path === paths.trace || e.path === paths.dump)).toBe(false);
  });
});
