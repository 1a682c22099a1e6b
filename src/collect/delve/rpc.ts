// A client of Delve's JSON-RPC API v2 (`dlv … --headless --api-version=2`): JSON objects over
// one TCP connection, `{"method":"RPCServer.X","params":[{…}],"id":N}` out and
// `{"id":N,"result":{…},"error":null}` back (Go's net/rpc/jsonrpc codec; neither side frames
// messages, each is one JSON value — Delve's encoder ends every value with a newline).
//
// Requests are pipelined: Delve answers its synchronous methods in order on the connection's
// read loop, so keeping many requests in flight removes a round trip per goroutine stack
// (100k stacks read one at a time would cost 100k round trips).
import { connect, type Socket } from 'node:net';

/** Delve answered a request with an error (the message is Delve's). */
export class DelveRpcError extends Error {
  override name = 'DelveRpcError';
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class DelveRpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffered = '';
  private closedWith: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.onData(chunk));
    const fail = (err: Error) => {
      this.closedWith ??= err;
      for (const p of this.pending.values()) p.reject(this.closedWith);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the connection to Delve closed')));
  }

  /** Connects to `host:port` (what Delve printed after "API server listening at:"). */
  static connect(address: string, timeoutMs = 10_000): Promise<DelveRpcClient> {
    const colon = address.lastIndexOf(':');
    const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(address.slice(colon + 1));
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to Delve at ${address} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new DelveRpcClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Calls `RPCServer.<method>` with one argument object. */
  call<T>(method: string, params: object = {}): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(
        JSON.stringify({ method: `RPCServer.${method}`, params: [params], id }) + '\n',
      );
    });
  }

  /**
   * Calls `method` once per item with at most `window` requests in flight; results come back
   * in item order. `onResult` sees each one as it arrives (for progress).
   */
  async pipeline<I, T>(
    method: string,
    items: readonly I[],
    params: (item: I) => object,
    window = 64,
    onResult?: (done: number) => void,
  ): Promise<(T | DelveRpcError)[]> {
    const out: (T | DelveRpcError)[] = new Array(items.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        try {
          out[i] = await this.call<T>(method, params(items[i]));
        } catch (e) {
          if (!(e instanceof DelveRpcError)) throw e;
          out[i] = e;
        }
        onResult?.(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, items.length) }, worker));
    return out;
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let start = 0;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n', start)) {
      const line = this.buffered.slice(start, nl);
      start = nl + 1;
      if (line.trim() !== '') this.onMessage(line);
    }
    this.buffered = this.buffered.slice(start);
  }

  private onMessage(line: string): void {
    let msg: { id?: number; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.error !== null && msg.error !== undefined)
      p.reject(new DelveRpcError(p.method, String(msg.error)));
    else p.resolve(msg.result);
  }

  close(): void {
    this.closedWith ??= new Error('the connection to Delve was closed');
    this.socket.destroy();
  }
}
