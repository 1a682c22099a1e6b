// The host⇄webview channel end to end, without VS Code: the webview's RpcClient and the host's
// WebviewRpcHost joined by a fake webview. Replies are matched by id (answers that come back out
// of order reach the right caller), failures reject with a code, malformed requests are answered
// without running anything, and a timeout or disposal rejects what is still waiting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noParams, RpcError, type Validators } from '../../../src/protocol/rpc';
import { isIndex, isRecord } from '../../../src/protocol/validate';
import { WebviewRpcHost, type Handlers, workerQueries } from '../../../src/views/webview-rpc';
import { WorkerError, type ParseWorkerClient } from '../../../src/worker/client';
import { RpcClient, type RpcTransport } from '../../../webview/common/rpc';

interface TestMethods {
  double: { params: { n: number }; result: number };
  fail: { params: Record<string, never>; result: void };
  never: { params: Record<string, never>; result: void };
}
interface TestPushes {
  progress: { message: string };
}

const validators: Validators<TestMethods> = {
  double: (p) =>
    isRecord(p) && isIndex(p.n, 1000) && Object.keys(p).length === 1 ? { n: p.n } : undefined,
  fail: noParams,
  never: noParams,
};

/** A webview whose messages go through structured clone both ways, as VS Code's do. */
function connect(handlers: Handlers<TestMethods>) {
  const toHost = new Set<(m: unknown) => void>();
  const toView = new Set<(m: unknown) => void>();
  const seenByHost: unknown[] = [];
  const webview = {
    onDidReceiveMessage: (fn: (m: unknown) => void) => {
      toHost.add(fn);
      return { dispose: () => toHost.delete(fn) };
    },
    postMessage: async (m: unknown) => {
      const copy = structuredClone(m);
      queueMicrotask(() => toView.forEach((fn) => fn(copy)));
      return true;
    },
  };
  const transport: RpcTransport = {
    post: (m) => {
      const copy = structuredClone(m);
      seenByHost.push(copy);
      queueMicrotask(() => toHost.forEach((fn) => fn(copy)));
    },
    listen: (fn) => {
      toView.add(fn);
      return () => toView.delete(fn);
    },
  };
  const host = new WebviewRpcHost<TestMethods, TestPushes>(webview as never, validators, handlers);
  const client = new RpcClient<TestMethods, TestPushes>(transport);
  /** Sends a raw message as a webview could, bypassing the client. */
  const raw = (m: unknown) => toHost.forEach((fn) => fn(m));
  return { host, client, seenByHost, raw, toView };
}

afterEach(() => vi.useRealTimers());

describe('webview rpc', () => {
  it('matches replies to requests by id, whatever order they come back in', async () => {
    const gates: (() => void)[] = [];
    const { client, seenByHost } = connect({
      double: ({ n }) => new Promise((resolve) => gates.push(() => resolve(2 * n))),
      fail: () => undefined,
      never: () => new Promise(() => undefined),
    });
    const a = client.request('double', { n: 1 });
    const b = client.request('double', { n: 20 });
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    gates[1](); // the second answer first
    gates[0]();
    expect(await Promise.all([a, b])).toEqual([2, 40]);
    const ids = seenByHost.map((m) => (m as { id: number }).id);
    expect(new Set(ids).size).toBe(2);
  });

  it('rejects with the code the handler failed with, and `failed` for a plain error', async () => {
    const { client } = connect({
      double: () => {
        throw new WorkerError('TraceError', 'not an execution trace', 'not-a-trace');
      },
      fail: () => {
        throw new Error('disk full');
      },
      never: () => {
        throw new RpcError('incomparable', 'pick two profiles of one kind');
      },
    });
    await expect(client.request('double', { n: 1 })).rejects.toMatchObject({
      name: 'RpcError',
      code: 'not-a-trace',
      message: 'not an execution trace',
    });
    await expect(client.request('fail', {})).rejects.toMatchObject({
      code: 'failed',
      message: 'disk full',
    });
    await expect(client.request('never', {})).rejects.toBeInstanceOf(RpcError);
    await expect(client.request('never', {})).rejects.toMatchObject({ code: 'incomparable' });
  });

  it('answers a malformed request with invalid-request and never runs its handler', async () => {
    const double = vi.fn(({ n }: { n: number }) => 2 * n);
    const { client, raw, toView } = connect({
      double,
      fail: () => undefined,
      never: () => undefined,
    });
    await expect(client.request('double', { n: 5000 } as never)).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect(client.request('double', { n: 2, extra: true } as never)).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect(client.request('toString' as never, {} as never)).rejects.toMatchObject({
      code: 'invalid-request',
    });
    // Not a request at all (no id): nothing to answer, nothing run.
    const replies: unknown[] = [];
    toView.add((m) => replies.push(m));
    raw({ type: 'double', n: 2 });
    raw({ rpc: 'request', method: 'double', params: { n: 2 } });
    await new Promise((r) => setTimeout(r, 10));
    expect(replies).toEqual([]);
    expect(double).not.toHaveBeenCalled();
  });

  it('delivers pushes to their subscribers only, until they unsubscribe', async () => {
    const { host, client } = connect({
      double: ({ n }) => n,
      fail: () => undefined,
      never: () => undefined,
    });
    const seen: string[] = [];
    const off = client.on('progress', ({ message }) => seen.push(message));
    host.push('progress', { message: 'parsing 10%' });
    await vi.waitFor(() => expect(seen).toEqual(['parsing 10%']));
    off();
    host.push('progress', { message: 'parsing 20%' });
    await client.request('double', { n: 1 }); // after the push in order
    expect(seen).toEqual(['parsing 10%']);
  });

  it('times out a request when asked to, and ignores its late answer', async () => {
    let release = () => {};
    const { client } = connect({
      double: ({ n }) => (n === 3 ? new Promise((r) => (release = () => r(2 * n))) : 2 * n),
      fail: () => undefined,
      never: () => undefined,
    });
    await expect(client.request('double', { n: 3 }, { timeoutMs: 20 })).rejects.toMatchObject({
      code: 'timeout',
    });
    release(); // its answer (6) comes now, to nobody
    expect(await client.request('double', { n: 4 }, { timeoutMs: 5000 })).toBe(8);
  });

  it('rejects what is waiting with `disposed` when the client is disposed, and later requests too', async () => {
    const { client } = connect({
      double: () => 1,
      fail: () => undefined,
      never: () => new Promise(() => undefined),
    });
    const waiting = client.request('never', {});
    client.dispose();
    await expect(waiting).rejects.toMatchObject({ code: 'disposed' });
    await expect(client.request('double', { n: 1 })).rejects.toMatchObject({ code: 'disposed' });
  });

  it('sends nothing once the host side is disposed', async () => {
    const { host, client } = connect({
      double: ({ n }) => n,
      fail: () => undefined,
      never: () => undefined,
    });
    const seen: string[] = [];
    client.on('progress', ({ message }) => seen.push(message));
    host.dispose();
    host.push('progress', { message: 'late' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([]);
  });

  it('forwards worker queries with the host’s own params added, and the answer as it is', async () => {
    const calls: unknown[] = [];
    const worker = {
      request: async (method: string, params: unknown) => (
        calls.push([method, params]),
        { method }
      ),
    } as unknown as ParseWorkerClient;
    const q = workerQueries(worker, ['traceOverview', 'traceAnalysis'], async () => ({
      handle: 42,
    }));
    expect(await q.traceOverview({ buckets: 800 })).toEqual({ method: 'traceOverview' });
    await q.traceAnalysis({});
    expect(calls).toEqual([
      ['traceOverview', { buckets: 800, handle: 42 }],
      ['traceAnalysis', { handle: 42 }],
    ]);
  });
});
