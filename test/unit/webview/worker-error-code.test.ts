// The real parse worker (dist/parse-worker.js) sends its parser's error code with the error, so
// the host and the views tell failures apart by code (src/protocol/rpc.ts), never by message.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerError, ParseWorkerClient } from '../../../src/worker/client';
import { errorCode } from '../../../src/views/webview-rpc';
import { repoRoot } from '../../support/go';

const client = new ParseWorkerClient(join(repoRoot, 'dist'));
afterAll(() => client.dispose());
const text = (s: string) => new TextEncoder().encode(s);

describe('worker errors carry a code', () => {
  it('a file that is not a trace fails with TraceError code not-a-trace', async () => {
    const err = await client
      .request('loadTrace', { bytes: text('hello, not a trace\n'.repeat(10)), loadId: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err).toMatchObject({ name: 'TraceError', code: 'not-a-trace' });
    expect(errorCode(err)).toBe('not-a-trace');
  });

  it('a log without GODEBUG lines fails with SchedTraceError code no-trace-lines', async () => {
    const err = await client
      .request('loadSchedTrace', { bytes: text('just output\n') })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SchedTraceError', code: 'no-trace-lines' });
  });

  it('an error without a code is `failed`', async () => {
    const err = await client.request('noSuchMethod' as never, {} as never).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'Error',
      code: 'failed',
      message: 'unknown worker method noSuchMethod',
    });
  });
});
