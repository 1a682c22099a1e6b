// A stand-in for the `vscode` module in unit tests of a view's host side
// (`vi.mock('vscode', async () => (await import('…/fake-vscode')).fakeVscode())`): the little of
// the API an editor calls while its view opens. The real API is exercised by test/e2e.

/** A file URI as the host code reads it. */
export function fileUri(path: string) {
  return { scheme: 'file', fsPath: path, path, toString: () => path };
}

/** The module; `trusted: false` is Restricted Mode. Files are 64 MiB (a trace that fits memory). */
export function fakeVscode({ trusted = true } = {}) {
  return {
    Uri: {
      file: fileUri,
      joinPath: (base: { path: string }, ...p: string[]) => fileUri([base.path, ...p].join('/')),
    },
    workspace: {
      isTrusted: trusted,
      fs: { stat: () => Promise.resolve({ size: 64 << 20 }) },
      getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
      asRelativePath: (p: string) => p,
    },
    window: {},
  };
}
