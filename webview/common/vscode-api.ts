// The webview side of the host connection: typed posting, a message subscription, and state
// that survives the tab being hidden (VS Code keeps `setState` data while it discards the page).
import type { MethodMap, PushMap } from '../../src/protocol/rpc';
import { RpcClient } from './rpc';

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;

function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

/** Sends a message to the extension host. */
export function post<Message>(message: Message): void {
  vscodeApi().postMessage(message);
}

/** Subscribes to messages from the extension host; returns the unsubscribe function. */
export function onHostMessage<Message>(handler: (message: Message) => void): () => void {
  const listener = (e: MessageEvent) => handler(e.data as Message);
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

/** The state saved for this view, merged over defaults. */
export function loadState<State extends object>(defaults: State): State {
  return { ...defaults, ...vscodeApi<Partial<State>>().getState() };
}

/** Saves the view's state (kept by VS Code across hide/show and reloads of the tab). */
export function saveState<State extends object>(state: State): void {
  vscodeApi<State>().setState(state);
}

/** The typed request channel (rpc.ts) to the extension host of this webview. */
export function connectToHost<
  M extends MethodMap,
  P extends PushMap = Record<never, never>,
>(): RpcClient<M, P> {
  return new RpcClient<M, P>({ post: (m) => post(m), listen: (h) => onHostMessage(h) });
}
