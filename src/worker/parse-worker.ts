// The parse worker: runs the pure parsers of src/core on a worker thread so a big profile or
// trace never blocks the extension host's event loop.
import { parentPort } from 'node:worker_threads';
import { goroutineHandlers } from './goroutine-handlers';
import { profileHandlers } from './profile-handlers';
import { traceHandlers } from './trace-handlers';
import { coreHandlers } from './core-handlers';
import { raceHandlers } from './race-handlers';
import { schedHandlers } from './sched-handlers';
import type { WorkerMethod, WorkerMethods, WorkerReply, WorkerRequest } from './protocol';

type Handler<M extends WorkerMethod> = (
  params: WorkerMethods[M]['params'],
  progress: (message: string, fraction?: number) => void,
) => Promise<WorkerMethods[M]['result']> | WorkerMethods[M]['result'];

const handlers: { [M in WorkerMethod]: Handler<M> } = {
  ...goroutineHandlers,
  ...profileHandlers,
  ...traceHandlers,
  ...coreHandlers,
  ...raceHandlers,
  ...schedHandlers,
};

parentPort?.on('message', async (req: WorkerRequest) => {
  const post = (reply: WorkerReply) => parentPort?.postMessage(reply);
  try {
    const handler = handlers[req.method] as Handler<WorkerMethod>;
    if (!handler) throw new Error(`unknown worker method ${String(req.method)}`);
    const result = await handler(req.params, (message, fraction) =>
      post({ id: req.id, kind: 'progress', message, fraction }),
    );
    // Results are copied, not transferred: the core caches trees and tables per query, so a
    // transferred (detached) buffer would break the next request for the same view. Copying a
    // 100k-node tree is a few milliseconds of memcpy.
    post({ id: req.id, kind: 'result', result });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // The parser's own error code (TraceError's `cancelled`, …) lets the host tell failures apart without reading messages.
    const code = (e as { code?: unknown }).code;
    post({
      id: req.id,
      kind: 'error',
      name: e.name,
      message: e.message,
      ...(typeof code === 'string' ? { code } : {}),
    });
  }
});
