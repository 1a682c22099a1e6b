// The extension host's side of the parse worker: one lazily started worker thread, requests
// matched to replies by id, progress forwarded, cancellation by terminating the thread.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMethod, WorkerMethods, WorkerReply } from './protocol';

/**
 * An error raised inside the worker, with the parser's own error name (e.g. `ProfileError`) and
 * code (e.g. TraceError's `cancelled`; `failed` when the error had none).
 */
export class WorkerError extends Error {
  constructor(
    name: string,
    message: string,
    readonly code = 'failed',
  ) {
    super(message);
    this.name = name;
  }
}

/** Thrown when a request is cancelled; the worker thread is restarted. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

interface Pending {
  worker: Worker;
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (message: string, fraction?: number) => void;
}

export interface RequestOptions {
  onProgress?: (message: string, fraction?: number) => void;
  /** Aborting stops the request at once by terminating the worker (losing its loaded data). */
  signal?: AbortSignal;
  transfer?: ArrayBuffer[];
}

export class ParseWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Bumped whenever the worker restarts, so handles from an older worker are known stale. */
  generation = 0;

  constructor(private readonly distDir: string) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(this.distDir, 'parse-worker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: 8192 },
    });
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      if (reply.kind === 'progress') return p.onProgress?.(reply.message, reply.fraction);
      this.pending.delete(reply.id);
      if (reply.kind === 'result') p.resolve(reply.result);
      else p.reject(new WorkerError(reply.name, reply.message, reply.code));
    });
    const fail = (err: Error) => {
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(err);
      }
      if (this.worker === worker) {
        this.worker = undefined;
        this.generation++;
      }
    };
    worker.on('error', (err) =>
      fail(
        new WorkerError(
          'WorkerCrash',
          `The Go Lens parser stopped: ${err.message}`,
          'worker-crash',
        ),
      ),
    );
    worker.on('exit', (code) =>
      fail(
        new WorkerError(
          'WorkerCrash',
          `The Go Lens parser exited (code ${code}); it may have run out of memory.`,
          'worker-crash',
        ),
      ),
    );
    this.worker = worker;
    return worker;
  }

  request<M extends WorkerMethod>(
    method: M,
    params: WorkerMethods[M]['params'],
    options: RequestOptions = {},
  ): Promise<WorkerMethods[M]['result']> {
    if (options.signal?.aborted) return Promise.reject(new CancelledError('cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        worker,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
      });
      options.signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          reject(new CancelledError('cancelled'));
          this.restart();
        },
        { once: true },
      );
      worker.postMessage({ id, method, params }, options.transfer ?? []);
    });
  }

  /** Stops the worker; the next request starts a fresh one. */
  restart(): void {
    const w = this.worker;
    this.worker = undefined;
    this.generation++;
    void w?.terminate();
  }

  dispose(): void {
    this.restart();
    for (const p of this.pending.values()) p.reject(new CancelledError('disposed'));
    this.pending.clear();
  }
}
