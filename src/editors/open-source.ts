// Opening the source line behind a flame frame, trace event or goroutine frame.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import {
  sharedSuffixLength,
  sourceCandidates,
  type WorkspaceModule,
} from '../core/source/candidates';
import type { SourceLocation } from '../protocol/source';
import { goEnv } from '../toolchain/go-env';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

let modulesCache: Promise<WorkspaceModule[]> | undefined;

/** Every go.mod in the workspace (outside vendor/ and node_modules/), with its module path. */
function workspaceModules(): Promise<WorkspaceModule[]> {
  modulesCache ??= (async () => {
    const files = await vscode.workspace.findFiles(
      '**/go.mod',
      '{**/vendor/**,**/node_modules/**,**/testdata/**}',
      500,
    );
    const modules: WorkspaceModule[] = [];
    for (const uri of files) {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const m = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text);
      if (m) modules.push({ path: m[2], dir: vscode.Uri.joinPath(uri, '..').fsPath });
    }
    return modules;
  })();
  return modulesCache;
}

/** Drops cached go.mod knowledge when a go.mod changes. */
export function watchModules(context: vscode.ExtensionContext): void {
  const watcher = vscode.workspace.createFileSystemWatcher('**/go.mod');
  const reset = () => (modulesCache = undefined);
  watcher.onDidChange(reset);
  watcher.onDidCreate(reset);
  watcher.onDidDelete(reset);
  context.subscriptions.push(watcher);
}

export type ResolveResult = { ok: true; path: string } | { ok: false; message: string };

/** Finds the file on disk for a recorded source location, or explains where it looked. */
export async function resolveSource(loc: SourceLocation): Promise<ResolveResult> {
  const env = await goEnv();
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const candidates = sourceCandidates(loc.file, {
    modules: await workspaceModules(),
    workspaceFolders: folders,
    goroot: env.GOROOT,
    gomodcache: env.GOMODCACHE,
  });
  for (const c of candidates) if (await isFile(c.path)) return { ok: true, path: c.path };

  // Last resort: a file in the workspace whose path ends like the recorded one (built elsewhere).
  if (folders.length > 0) {
    const name = basename(loc.file.replace(/\\/g, '/'));
    const found = await vscode.workspace.findFiles(`**/${name}`, '**/node_modules/**', 200);
    let best: { path: string; score: number } | undefined;
    for (const uri of found) {
      const score = sharedSuffixLength(uri.fsPath, loc.file);
      if (score >= 2 && (!best || score > best.score)) best = { path: uri.fsPath, score };
    }
    if (best) return { ok: true, path: best.path };
  }
  const tried = candidates.map((c) => `${c.path} (${c.reason})`);
  const where = tried.length > 0 ? ` Looked for: ${tried.join('; ')}.` : '';
  const hint = env.GOROOT
    ? ''
    : ' The go command was not found, so GOROOT and GOMODCACHE were not searched.';
  return {
    ok: false,
    message: `Go Lens could not find the source of ${loc.func}: ${loc.file}.${where}${hint}`,
  };
}

/**
 * Opens the location in an editor column other than `besideOf` (the view the click came from)
 * and puts the cursor on the line. Only files that exist on disk are opened.
 */
export async function openSource(
  loc: SourceLocation,
  besideOf: vscode.ViewColumn | undefined,
): Promise<ResolveResult> {
  const resolved = await resolveSource(loc);
  if (!resolved.ok) {
    void vscode.window.showWarningMessage(resolved.message);
    return resolved;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(resolved.path));
  const line = Math.max(0, Math.min(loc.line - 1, doc.lineCount - 1));
  const range = new vscode.Range(line, 0, line, 0);
  const column =
    besideOf === undefined || besideOf === vscode.ViewColumn.One
      ? vscode.ViewColumn.Beside
      : vscode.ViewColumn.One;
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: column,
    selection: range,
    preserveFocus: false,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (loc.line > doc.lineCount) {
    void vscode.window.showWarningMessage(
      `${basename(resolved.path)} has ${doc.lineCount} lines but the profile names line ${loc.line}: the file changed since the capture.`,
    );
  }
  return resolved;
}
