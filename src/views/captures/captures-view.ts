// The Captures view in the Go Lens sidebar: VS Code's side of ./tree-model. Reads the captures
// folder when shown and whenever a file in it changes; opens, compares, reveals and deletes.
import { rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { capturesRoot } from '../../collect/captures';
import { PROFILE_VIEW_TYPE } from '../../editors/profile-editor';
import {
  childNodes,
  describeNode,
  isProfileKind,
  scanCaptures,
  targetNodes,
  type CaptureEntry,
  type CaptureNode,
} from './tree-model';

export const CAPTURES_VIEW_ID = 'goLens.captures';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

/** Bursts of file events (a capture and its sidecar, a deleted folder) become one re-read. */
const REFRESH_DELAY_MS = 300;

export class CapturesView implements vscode.TreeDataProvider<CaptureNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CaptureNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<CaptureNode>;
  /** What the tree shows now (read at the last refresh). */
  entries: CaptureEntry[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly root: vscode.Uri;

  constructor(context: vscode.ExtensionContext) {
    this.root = capturesRoot(context);
    // The watcher needs the folder to exist; it is ours, and captures create it anyway.
    try {
      mkdirSync(this.root.fsPath, { recursive: true });
    } catch {
      // A read-only storage folder: the view stays empty and says how to capture.
    }
    this.treeView = vscode.window.createTreeView(CAPTURES_VIEW_ID, {
      treeDataProvider: this,
      canSelectMany: true,
      showCollapseAll: true,
    });
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(this.root, '**/*'),
    );
    const soon = () => this.refreshSoon();
    this.disposables.push(
      this.changed,
      this.treeView,
      watcher,
      watcher.onDidCreate(soon),
      watcher.onDidDelete(soon),
      watcher.onDidChange(soon),
      // Another window may have captured while the view was hidden.
      this.treeView.onDidChangeVisibility((e) => e.visible && this.refresh()),
    );
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire(undefined);
  }

  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  getTreeItem(node: CaptureNode): vscode.TreeItem {
    const d = describeNode(node);
    const item = new vscode.TreeItem(d.label, COLLAPSIBLE[d.collapsible]);
    item.id = d.id;
    item.description = d.description;
    item.tooltip = d.tooltip;
    item.iconPath = new vscode.ThemeIcon(d.icon);
    item.contextValue = d.contextValue;
    // Without it screen readers (and the tree's aria-label) read the multi-line tooltip instead.
    item.accessibilityInformation = {
      label: d.description ? `${d.label}, ${d.description}` : d.label,
    };
    if (node.type === 'capture') {
      item.resourceUri = vscode.Uri.file(node.entry.path);
      item.command = { command: 'goLens.captures.open', title: 'Open', arguments: [node] };
    }
    return item;
  }

  async getChildren(node?: CaptureNode): Promise<CaptureNode[]> {
    if (node) return childNodes(node);
    this.entries = await scanCaptures(this.root.fsPath);
    return targetNodes(this.entries);
  }

  /** The captures a command is about: the selection when it includes the clicked node, else that node. */
  selected(node: CaptureNode | undefined, all: CaptureNode[] | undefined): CaptureEntry[] {
    const nodes =
      all && all.length > 0 && (!node || all.includes(node))
        ? all
        : node
          ? [node]
          : [...this.treeView.selection];
    return nodes
      .filter((n): n is Extract<CaptureNode, { type: 'capture' }> => n.type === 'capture')
      .map((n) => n.entry);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Opens an execution trace in Go Lens's trace view when this build has one
 * (`goLens.openExecutionTrace`), else as a file.
 */
export async function openTraceFile(uri: vscode.Uri, column: vscode.ViewColumn): Promise<void> {
  if ((await vscode.commands.getCommands(true)).includes('goLens.openExecutionTrace'))
    await vscode.commands.executeCommand('goLens.openExecutionTrace', uri);
  else await vscode.commands.executeCommand('vscode.open', uri, column);
}

/** Opens a capture with its viewer: pprof kinds in the profile view, dumps in the goroutine explorer, traces in the trace view. */
export async function openCapture(
  entry: CaptureEntry,
  column: vscode.ViewColumn = vscode.ViewColumn.Active,
): Promise<void> {
  const uri = vscode.Uri.file(entry.path);
  if (isProfileKind(entry.kind))
    await vscode.commands.executeCommand('vscode.openWith', uri, PROFILE_VIEW_TYPE, column);
  else if (entry.kind === 'goroutine-dump')
    await vscode.commands.executeCommand('goLens.openGoroutineDump', uri);
  else await openTraceFile(uri, column);
}

/** Shows the capture file in the system's file manager, or says where it is when that cannot work (remote, web). */
export async function revealCapture(entry: CaptureEntry): Promise<void> {
  try {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.path));
  } catch {
    const copy = 'Copy Path';
    if (
      (await vscode.window.showInformationMessage(
        `Go Lens: the capture is at ${entry.path}`,
        copy,
      )) === copy
    )
      await vscode.env.clipboard.writeText(entry.path);
  }
}

/** Deletes captures and their sidecars after asking. Resolves to how many were deleted. */
export async function deleteCaptures(entries: CaptureEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const del = 'Delete';
  const names = entries.map((e) => `${e.meta?.targetLabel ?? e.slug}/${e.name}`);
  const answer = await vscode.window.showWarningMessage(
    entries.length === 1
      ? `Delete the capture ${basename(entries[0].path)}?`
      : `Delete ${entries.length} captures?`,
    {
      modal: true,
      detail: `${names.slice(0, 10).join('\n')}${names.length > 10 ? '\n…' : ''}\n\nThe files and their .json sidecars are deleted from disk.`,
    },
    del,
  );
  if (answer !== del) return 0;
  let deleted = 0;
  for (const e of entries) {
    try {
      await rm(e.path, { force: true });
      await rm(e.path + '.json', { force: true });
      deleted++;
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Go Lens: could not delete ${e.path}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return deleted;
}
