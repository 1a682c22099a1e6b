// Execution traces: "Capture Execution Trace" (net/http/pprof /debug/pprof/trace), "Open
// Execution Trace…" (any file with the `go 1.NN trace` header), and the custom editor for
// `*.trace` and `trace.out`, all showing the scheduler timeline and goroutine analysis view.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ENDPOINTS } from '../core/collect/endpoints';
import { TraceError } from '../core/exectrace';
import { readHeader } from '../core/exectrace/header';
import { captureFromTarget } from '../commands/capture';
import type { GoLensServices } from '../services';
import { TRACE_VIEW_TYPE, TraceEditorProvider } from '../editors/trace-editor';
import { besideColumn } from './profiles';

/** The first 16 bytes of a file (the trace header), or fewer when it is shorter. */
async function headerBytes(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme !== 'file') return (await vscode.workspace.fs.readFile(uri)).subarray(0, 16);
  const f = await open(uri.fsPath, 'r');
  try {
    const buf = new Uint8Array(16);
    const { bytesRead } = await f.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/**
 * Opens a file in the trace view after checking its header: a file that is no trace at all
 * gets a message instead of a view; an old or unknown trace version opens, and the view says
 * what to do with it.
 */
async function openTrace(uri: vscode.Uri): Promise<void> {
  try {
    readHeader(await headerBytes(uri));
  } catch (err) {
    if (!(err instanceof TraceError) || err.code === 'not-a-trace') {
      const why = err instanceof Error ? err.message : String(err);
      void vscode.window.showErrorMessage(
        `Go Lens: ${vscode.workspace.asRelativePath(uri)} is ${why.startsWith('not a Go') ? why : `unreadable: ${why}`}`,
      );
      return;
    }
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_VIEW_TYPE, besideColumn());
}

export function registerTraces(services: GoLensServices): void {
  const { context } = services;
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(TRACE_VIEW_TYPE, new TraceEditorProvider(services), {
      // The timeline keeps its zoom, scroll, caches and selection while hidden; rebuilding them
      // from the worker on every tab switch would flash and re-fetch.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('goLens.captureExecutionTrace', async () => {
      const captured = await captureFromTarget(context, ENDPOINTS.trace);
      if (captured)
        await vscode.commands.executeCommand(
          'vscode.openWith',
          captured.uri,
          TRACE_VIEW_TYPE,
          besideColumn(),
        );
    }),
    vscode.commands.registerCommand('goLens.openExecutionTrace', async (arg?: vscode.Uri) => {
      // From the Explorer's context menu the file comes as an argument.
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          canSelectMany: false,
          openLabel: 'Open Execution Trace',
          title: 'Open a Go execution trace (runtime/trace, go test -trace, /debug/pprof/trace)',
          filters: { 'Go execution traces': ['trace', 'out'], 'All files': ['*'] },
        });
        uri = picked?.[0];
      }
      if (uri) await openTrace(uri);
    }),
  );
}
