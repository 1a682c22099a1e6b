// The webview's side of the host channel (src/protocol/rpc.ts): `request` sends a method of the
// view's method map and returns a promise of its result, the reply matched by id; a failed
// request rejects with an RpcError whose `code` says why. `on` subscribes to the host's pushes.
// `connectToHost` (vscode-api.ts) makes the one client of a page; this file has no DOM, so tests run it.
import {
  isRpcHostMessage,
  RpcError,
  type MethodMap,
  type Params,
  type PushMap,
  type Result,
  type RpcRequest,
} from '../../src/protocol/rpc';

export { RpcError } from '../../src/protocol/rpc';

/** How messages go to the host and come back (the VS Code webview API; a fake in tests). */
export interface RpcTransport {
  post(message: RpcRequest): void;
  /** Subscribes to messages from the host; returns the unsubscribe function. */
  listen(handler: (message: unknown) => void): () => void;
}

export interface RequestOptions {
  /** Reject with code `timeout` when no answer came in this many ms (default: wait for it). */
  timeoutMs?: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: RpcError): void;
  timer?: ReturnType<typeof setTimeout>;
}

export class RpcClient<M extends MethodMap, P extends PushMap = Record<never, never>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(data: never) => void>>();
  private readonly unlisten: () => void;
  private disposed = false;

  constructor(private readonly transport: RpcTransport) {
    this.unlisten = transport.listen((m) => this.receive(m));
  }

  request<K extends keyof M & string>(
    method: K,
    params: Params<M, K>,
    options: RequestOptions = {},
  ): Promise<Result<M, K>> {
    if (this.disposed)
      return Promise.reject(new RpcError('disposed', `The view closed before ${method} was sent.`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve: resolve as (r: unknown) => void, reject };
      if (options.timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(
            new RpcError(
              'timeout',
              `Go Lens did not answer ${method} within ${options.timeoutMs} ms.`,
            ),
          );
        }, options.timeoutMs);
      }
      this.pending.set(id, p);
      this.transport.post({ rpc: 'request', id, method, params });
    });
  }

  /** Calls `handler` with every push named `event`; returns the unsubscribe function. */
  on<E extends keyof P & string>(event: E, handler: (data: P[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(handler as (data: never) => void);
    return () => set.delete(handler as (data: never) => void);
  }

  private receive(message: unknown): void {
    if (!isRpcHostMessage(message)) return;
    if (message.rpc === 'push') {
      for (const handler of this.listeners.get(message.event) ?? [])
        (handler as (data: unknown) => void)(message.data);
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) return; // Timed out, or not ours.
    this.pending.delete(message.id);
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (message.rpc === 'result') p.resolve(message.result);
    else p.reject(new RpcError(message.code, message.message));
  }

  /** Stops listening; requests still waiting reject with code `disposed`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unlisten();
    for (const p of this.pending.values()) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.reject(new RpcError('disposed', 'The view closed before the answer came.'));
    }
    this.pending.clear();
    this.listeners.clear();
  }
}
