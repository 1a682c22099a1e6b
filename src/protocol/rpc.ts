// The one channel between the extension host and every webview, the shape the parse worker's
// channel has (src/worker/protocol.ts): the webview sends requests named by a method of its
// view's method map and gets a promise back; the host answers each with a result or a typed error
// carrying a `code`, matched by id. The host may also push one-way notifications (progress, a
// new snapshot) that the webview subscribes to by name.
//
// A view's protocol is then two maps in its own file (src/protocol/<view>.ts): methods
// (`{ params; result }` per request) and pushes (data per notification), plus one validator per
// method, because the host treats every webview message as untrusted input (see validate.ts).
// The webview side is webview/common/rpc.ts, the host side src/views/webview-rpc.ts.
import { isIndex, isRecord, isShortString } from './validate';

/** Requests a view may send: an interface of `method: { params; result }` entries. */
export type MethodMap = object;
/** Notifications the host may push: an interface of `name: data` entries. */
export type PushMap = object;
/** What method `K` of method map `M` sends. */
export type Params<M, K extends keyof M> = M[K] extends { params: infer P } ? P : never;
/** What method `K` of method map `M` answers. */
export type Result<M, K extends keyof M> = M[K] extends { result: infer R } ? R : never;

/**
 * Why a request failed. The host's own codes are listed; a worker error passes its parser's code
 * through (`TraceError`'s `not-a-trace`, `cancelled`, …), so views never match message text.
 */
export type RpcErrorCode =
  /** The request did not match the protocol (the host did not act on it). */
  | 'invalid-request'
  /** The request was understood but failed; the message says why, for the user. */
  | 'failed'
  /** The view or the channel went away before the answer came. */
  | 'disposed'
  /** No answer within the time the caller allowed. */
  | 'timeout'
  | (string & {});

/** A failed request: `code` says which kind of failure, `message` is meant for the user. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: RpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Webview → host. */
export interface RpcRequest {
  rpc: 'request';
  id: number;
  method: string;
  params: unknown;
}

/** Host → webview: the answer to request `id`, or a notification. */
export type RpcHostMessage =
  | { rpc: 'result'; id: number; result: unknown }
  | { rpc: 'error'; id: number; code: RpcErrorCode; message: string }
  | { rpc: 'push'; event: string; data: unknown };

/** Checks a method's params from a webview: the params as the host will use them, or undefined. */
export type Validators<M extends MethodMap> = {
  [K in keyof M]: (params: unknown) => Params<M, K> | undefined;
};

/** Params of a method that takes none. */
export type NoParams = Record<string, never>;

/** Validator of a method without params: an empty object. */
export function noParams(v: unknown): NoParams | undefined {
  return isRecord(v) && Object.keys(v).length === 0 ? {} : undefined;
}

/**
 * The envelope of a webview message: its id, or `undefined` when it is not a request at all (then
 * nothing can be answered and the host ignores it).
 */
export function requestId(raw: unknown): number | undefined {
  return isRecord(raw) && raw.rpc === 'request' && isIndex(raw.id) ? raw.id : undefined;
}

/**
 * A request from a webview, validated: the method (one of `validators`' own keys) and its
 * params as the validator returned them; undefined when anything does not match.
 */
export function parseRequest<M extends MethodMap>(
  validators: Validators<M>,
  raw: unknown,
): { id: number; method: keyof M & string; params: Params<M, keyof M> } | undefined {
  const id = requestId(raw);
  if (id === undefined || !isRecord(raw)) return undefined;
  const keys = Object.keys(raw);
  if (keys.some((k) => k !== 'rpc' && k !== 'id' && k !== 'method' && k !== 'params'))
    return undefined;
  const method = raw.method;
  if (!isShortString(method, 100) || !Object.prototype.hasOwnProperty.call(validators, method))
    return undefined;
  const params = validators[method as keyof M](raw.params === undefined ? {} : raw.params);
  return params === undefined ? undefined : { id, method: method as keyof M & string, params };
}

/** The host's reply messages, from a webview's point of view: checked before use. */
export function isRpcHostMessage(v: unknown): v is RpcHostMessage {
  if (!isRecord(v)) return false;
  if (v.rpc === 'result') return isIndex(v.id);
  if (v.rpc === 'error')
    return isIndex(v.id) && typeof v.code === 'string' && typeof v.message === 'string';
  return v.rpc === 'push' && typeof v.event === 'string';
}
