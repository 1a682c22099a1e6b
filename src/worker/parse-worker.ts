// The parse worker: runs the pure parsers of src/core on a worker thread so a big profile or
// trace never blocks the extension host's event loop.
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { SchedModel, SchedTraceError, SchedTraceStream } from '../core/schedtrace';
import { goroutineHandlers } from './goroutine-handlers';
import { profileHandlers } from './profile-handlers';
import { traceHandlers } from './trace-handlers';
import { coreHandlers } from './core-handlers';
import { raceHandlers } from './race-handlers';
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
  async loadSchedTrace(params, progress) {
    // Fed in 4 MiB pieces into the bounded model, so a log of GBs never sits whole in memory.
    const stream = new SchedTraceStream();
    const model = new SchedModel();
    const piece = 4 << 20;
    if (params.bytes) {
      for (let i = 0; i < params.bytes.length; i += piece) model.add(stream.push(params.bytes.subarray(i, i + piece)));
    } else {
      const file = await open(params.path ?? '', 'r');
      try {
        const size = (await file.stat()).size;
        const buf = new Uint8Array(piece);
        for (let at = 0; ; ) {
          const { bytesRead } = await file.read(buf, 0, piece, at);
          if (bytesRead === 0) break;
          model.add(stream.push(buf.subarray(0, bytesRead)));
          at += bytesRead;
          progress(`parsing ${Math.round((100 * at) / Math.max(1, size))}%`, at / Math.max(1, size));
        }
      } finally {
        await file.close();
      }
    }
    model.add(stream.end());
    if (stream.stats.traceLines === 0) {
      throw new SchedTraceError(
        'no GODEBUG trace lines found (no SCHED, gc or scav line); run the program with GODEBUG=schedtrace=1000,gctrace=1 and capture its stderr',
        'no-trace-lines',
      );
    }
    return { data: model.toData(), stats: { ...stream.stats } };
  },
};

parentPort?.on('message', async (req: WorkerRequest) => {
  const post = (reply: WorkerReply) => parentPort?.postMessage(reply);
  try {
    const handler = handlers[req.method] as Handler<WorkerMethod>;
    if (!handler) throw new Error(`unknown worker method ${String(req.method)}`);
    const result = await handler(req.params, (message, fraction) => post({ id: req.id, kind: 'progress', message, fraction }));
    // Results are copied, not transferred: the core caches trees and tables per query, so a
    // transferred (detached) buffer would break the next request for the same view. Copying a
    // 100k-node tree is a few milliseconds of memcpy.
    post({ id: req.id, kind: 'result', result });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // The parser's own error code (TraceError's `cancelled`, …) lets the host tell failures apart without reading messages.
    const code = (e as { code?: unknown }).code;
    post({ id: req.id, kind: 'error', name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) });
  }
});
