// A webview panel for unit tests of a view's host side (only there: the views themselves are
// proven in a real VS Code by test/e2e). The test plays the page: it reads what the host posted
// and sends the page's requests; closing the view fires the panel's dispose listeners.

/** A message the host posted to the page (src/protocol/rpc.ts). */
export interface PostedMessage {
  rpc: string;
  id?: number;
  event?: string;
  result?: unknown;
  data?: unknown;
}

export function fakeWebviewPanel() {
  const posted: PostedMessage[] = [];
  let receive: (m: unknown) => void = () => undefined;
  const disposeListeners: (() => void)[] = [];
  let nextId = 1;
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (u: unknown) => u,
    postMessage: (m: PostedMessage) => (posted.push(m), Promise.resolve(true)),
    onDidReceiveMessage: (l: (m: unknown) => void) => ((receive = l), { dispose() {} }),
  };
  const panel = {
    webview,
    viewColumn: 1,
    active: true,
    onDidDispose: (l: () => void) => (disposeListeners.push(l), { dispose() {} }),
    onDidChangeViewState: () => ({ dispose() {} }),
  };
  return {
    posted,
    panel,
    /** Sends a request as the page does; returns its id. */
    request(method: string, params: unknown = {}): number {
      const id = nextId++;
      receive({ rpc: 'request', id, method, params });
      return id;
    },
    /** The host's answer to request `id`, if it came. */
    answer: (id: number) => posted.find((m) => m.rpc === 'result' && m.id === id)?.result,
    close: () => disposeListeners.forEach((l) => l()),
  };
}
