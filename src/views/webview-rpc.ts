// The host's side of the webview channel (src/protocol/rpc.ts): every message from the webview is
// validated with the view's validators before its handler runs; the handler's result (or its
// error, with a `code`) goes back with the request's id. Worker queries pass straight through:
// `workerQueries` makes the handlers of view methods that are worker methods minus the handle.
import type * as vscode from 'vscode';
import {
  parseRequest,
  requestId,
  RpcError,
  type MethodMap,
  type Params,
  type PushMap,
  type Result,
  type RpcHostMessage,
  type Validators,
} from '../protocol/rpc';
import { CancelledError, WorkerError, type ParseWorkerClient } from '../worker/client';
import type { WorkerMethod, WorkerMethods } from '../worker/protocol';

/** What answers each method of a view. */
export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (params: Params<M, K>) => Promise<Result<M, K>> | Result<M, K>;
};

/** The code a failure travels with: the worker parser's own code, `disposed` for a cancelled request. */
export function errorCode(err: unknown): string {
  if (err instanceof RpcError || err instanceof WorkerError) return err.code;
  if (err instanceof CancelledError) return 'disposed';
  return 'failed';
}

export class WebviewRpcHost<M extends MethodMap, P extends PushMap = Record<never, never>>
  implements vscode.Disposable
{
  private disposed = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly validators: Validators<M>,
    private readonly handlers: Handlers<M>,
  ) {
    this.subscription = webview.onDidReceiveMessage((raw) => void this.receive(raw));
  }

  /** Sends a one-way notification to the webview. */
  push<E extends keyof P & string>(event: E, data: P[E]): void {
    this.send({ rpc: 'push', event, data });
  }

  private send(message: RpcHostMessage): void {
    if (!this.disposed) void this.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const req = parseRequest(this.validators, raw);
    if (!req) {
      // Not our protocol: never acted on; answered when it has an id, so the view does not wait.
      const id = requestId(raw);
      if (id !== undefined)
        this.send({
          rpc: 'error',
          id,
          code: 'invalid-request',
          message: 'Go Lens ignored a malformed request from the view.',
        });
      return;
    }
    try {
      const handler = this.handlers[req.method] as (params: unknown) => unknown;
      const result = await handler(req.params);
      this.send({ rpc: 'result', id: req.id, result });
    } catch (err) {
      this.send({
        rpc: 'error',
        id: req.id,
        code: errorCode(err),
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}

/** A worker method's params as a view sends them: the host adds what it owns (the handle). */
type ViewParams<W extends WorkerMethod, Own extends string> = Omit<WorkerMethods[W]['params'], Own>;

/**
 * Handlers for view methods that are worker methods of the same name: each forwards the view's
 * params with the host's `own` ones (e.g. the trace's handle) added, and returns the worker's
 * answer as it is. Adding such a query is then its line in the view's method map and validators.
 */
export function workerQueries<W extends WorkerMethod, Own extends Record<string, unknown>>(
  worker: ParseWorkerClient,
  methods: readonly W[],
  own: () => Promise<Own>,
): {
  [K in W]: (params: ViewParams<K, keyof Own & string>) => Promise<WorkerMethods[K]['result']>;
} {
  const out = {} as Record<W, (params: object) => Promise<unknown>>;
  for (const method of methods) {
    out[method] = async (params) =>
      worker.request(method, { ...params, ...(await own()) } as WorkerMethods[W]['params']);
  }
  return out as never;
}
