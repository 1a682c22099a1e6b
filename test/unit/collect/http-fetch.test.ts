// The capture transport against real servers: a Go program that dies mid-capture, a server
// that hangs, one that breaks off mid-answer, and cancellation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureError, fetchBytes } from '../../../src/collect/http-fetch';
import { repoRoot, run, startGoServer } from '../../support/go';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

describe('fetchBytes', () => {
  it('keeps what arrived when the connection breaks off mid-answer', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
      res.write(Buffer.alloc(300, 7));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const r = await fetchBytes(url, { timeoutMs: 5000 });
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
    expect(r.bytes.length).toBe(300);
    expect(r.error).toMatch(/closed|aborted|before the answer was complete/);
  });

  it('gives up on a server that accepts but never answers, and says so', async () => {
    const url = await listen(() => undefined);
    const t0 = Date.now();
    await expect(fetchBytes(url + '/debug/pprof/profile', { timeoutMs: 1500 })).rejects.toThrow(
      /sent no answer within 2s.*hung/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops at once when cancelled', async () => {
    const url = await listen(() => undefined);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await expect(
      fetchBytes(url, { timeoutMs: 60_000, signal: abort.signal }),
    ).rejects.toBeInstanceOf(CaptureError);
  });

  it('explains a refused connection', async () => {
    await expect(
      fetchBytes('http://127.0.0.1:1/debug/pprof/profile', { timeoutMs: 5000 }),
    ).rejects.toThrow(/Nothing is listening at 127\.0\.0\.1:1/);
  });

  it('reports a Go target that dies during a CPU capture', async () => {
    const bin = join(tmpdir(), 'golens-test-bin', 'demo-fetch');
    const built = await run('go', ['build', '-o', bin, '.'], {
      cwd: join(repoRoot, 'demo'),
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    });
    expect(built.code, built.stderr).toBe(0);
    const server = await startGoServer(bin, ['-addr', '127.0.0.1:0']);
    setTimeout(() => void server.stop(), 1000);
    await expect(
      fetchBytes(`${server.url}/debug/pprof/profile?seconds=5`, { timeoutMs: 20_000 }),
    ).rejects.toThrow(/closed the connection before answering. Did the program exit or crash\?/);
  });
});
