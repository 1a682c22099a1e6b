// Validates a webview message written in the old `{ type, …params }` shape as the request the
// channel carries (src/protocol/rpc.ts), so protocol tables read as the messages a view sends.
import { parseRequest, type MethodMap, type Validators } from '../../src/protocol/rpc';

/** The validated `{ type, …params }`, or undefined when the host would not act on it. */
export function parseTypedMessage<M extends MethodMap>(
  validators: Validators<M>,
  m: unknown,
): ({ type: string } & object) | undefined {
  if (typeof m !== 'object' || m === null || !('type' in m)) return undefined;
  const { type, ...params } = m as { type: string };
  const r = parseRequest(validators, { rpc: 'request', id: 1, method: type, params });
  return r && { type: r.method, ...(r.params as object) };
}
