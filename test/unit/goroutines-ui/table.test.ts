// The goroutine table's data (built in the worker) and its filtering and sorting (in the
// webview), on a real dump; and the host's validation of what the webview sends.
import { describe, expect, it } from 'vitest';
import { NO_GROUP, type GoroutineTableData } from '../../../src/core/goroutines/explorer';
import { goroutinesValidators } from '../../../src/protocol/goroutines';
import { parseTypedMessage } from '../../support/rpc-request';

const parseGoroutinesWebviewMessage = (m: unknown) => parseTypedMessage(goroutinesValidators, m);
import { goroutineOrder, groupOrder, stackName } from '../../../webview/goroutines/table-model';
import { fixture, hold, inProcessBackend } from './support';

async function table(
  name: string,
  opts: { baseline?: string; hideSystem?: boolean } = {},
): Promise<GoroutineTableData> {
  const backend = inProcessBackend();
  const cur = await hold(backend, fixture(name));
  const base = opts.baseline ? await hold(backend, fixture(opts.baseline)) : undefined;
  return backend.request('goroutineTable', {
    handle: cur.handle,
    ...(base ? { baseline: base.handle } : {}),
    options: { similarity: 'exact', hideSystem: opts.hideSystem ?? true },
  });
}

describe('goroutineTable', () => {
  it('lists every visible goroutine with its group, as typed columns', async () => {
    const d = await table('sigquit.txt');
    expect(d.rowCount).toBe(34);
    expect(d.id).toBeInstanceOf(Float64Array);
    expect(d.group).toBeInstanceOf(Uint32Array);
    expect([...d.group].every((g) => g !== NO_GROUP && g < d.groups.length)).toBe(true);
    expect(d.groups.reduce((n, g) => n + g.count, 0)).toBe(34);
    const withSystem = await table('sigquit.txt', { hideSystem: false });
    expect(withSystem.rowCount).toBe(39);
  });

  it('carries the comparison per group', async () => {
    const d = await table('leak-3.txt', { baseline: 'leak-1.txt' });
    const byName = new Map(d.groups.map((g) => [stackName(d, g.stack), g]));
    expect(byName.get('main.handleRequest.func1')?.change).toEqual({
      kind: 'grew',
      before: 10,
      delta: 50,
    });
    expect(byName.get('main.cacheRefresher')?.change).toEqual({ kind: 'new', before: 0, delta: 1 });
  });
});

describe('table order', () => {
  it('sorts goroutines by any column; ties keep the explorer order', async () => {
    const d = await table('blocked-debug2.txt');
    const ids = (o: Uint32Array) => [...o].map((i) => d.id[i]);
    const byId = goroutineOrder(d, '', { key: 'id', dir: 1 });
    expect(ids(byId)).toEqual([...d.id].sort((a, b) => a - b));
    expect(ids(goroutineOrder(d, '', { key: 'id', dir: -1 }))).toEqual(ids(byId).reverse());
    const byTop = goroutineOrder(d, '', { key: 'top', dir: 1 });
    const names = [...byTop].map((i) => stackName(d, d.stack[i]));
    expect(names).toEqual([...names].sort());
    const bySize = goroutineOrder(d, '', { key: 'count', dir: -1 });
    expect(stackName(d, d.stack[bySize[0]])).toBe('dump-zoo.worker');
    expect(new Set([...bySize].slice(0, 8).map((i) => d.group[i])).size).toBe(1);
    const byState = goroutineOrder(d, '', { key: 'state', dir: 1 });
    const states = [...byState].map((i) => d.states[d.state[i]]);
    expect(states).toEqual([...states].sort());
  });

  it('filters goroutines by function, state, file:line and id, all words', async () => {
    const d = await table('blocked-debug2.txt');
    expect(goroutineOrder(d, 'worker', { key: 'group', dir: 1 })).toHaveLength(8);
    expect(goroutineOrder(d, 'chan receive', { key: 'group', dir: 1 }).length).toBeGreaterThan(8);
    expect(goroutineOrder(d, 'zoo.go:168', { key: 'group', dir: 1 })).toHaveLength(8);
    const someId = d.id[5];
    expect(
      [...goroutineOrder(d, `#${someId}`, { key: 'group', dir: 1 })].map((i) => d.id[i]),
    ).toEqual([someId]);
    expect(goroutineOrder(d, 'worker select', { key: 'group', dir: 1 })).toHaveLength(0);
  });

  it('sorts and filters groups', async () => {
    const d = await table('blocked-debug2.txt');
    const counts = [...groupOrder(d, '', { key: 'count', dir: -1 })].map((g) => d.groups[g].count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect([...groupOrder(d, '', { key: 'group', dir: 1 })]).toEqual(d.groups.map((_, i) => i));
    expect(
      [...groupOrder(d, 'stage', { key: 'group', dir: 1 })].map((g) => d.groups[g].count),
    ).toEqual([2, 2]);
    const byTop = [...groupOrder(d, '', { key: 'top', dir: 1 })].map((g) =>
      stackName(d, d.groups[g].stack),
    );
    expect(byTop).toEqual([...byTop].sort());
  });
});

describe('goroutine table requests', () => {
  it('accepts the protocol', () => {
    expect(parseGoroutinesWebviewMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseGoroutinesWebviewMessage({ type: 'detail', version: 3, row: 17 })).toEqual({
      type: 'detail',
      version: 3,
      row: 17,
    });
    const location = { func: 'main.worker', file: 'main.go', line: 12 };
    expect(parseGoroutinesWebviewMessage({ type: 'openSource', location })).toEqual({
      type: 'openSource',
      location,
    });
  });

  it.each([
    ['not an object', 'ready'],
    ['unknown type', { type: 'runCommand', command: 'rm' }],
    ['extra key', { type: 'ready', x: 1 }],
    ['negative row', { type: 'detail', version: 1, row: -1 }],
    ['fractional version', { type: 'detail', version: 1.5, row: 1 }],
    ['location without file', { type: 'openSource', location: { func: 'f', file: '', line: 1 } }],
    [
      'location with extra key',
      { type: 'openSource', location: { func: 'f', file: 'a.go', line: 1, cmd: 'x' } },
    ],
    ['NUL in file', { type: 'openSource', location: { func: 'f', file: 'a\0.go', line: 1 } }],
  ])('rejects %s', (_, raw) => {
    expect(parseGoroutinesWebviewMessage(raw)).toBeUndefined();
  });
});
