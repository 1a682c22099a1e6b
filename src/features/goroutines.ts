// Goroutine dumps: "Capture Goroutine Dump", "Open Goroutine Dump…", "Paste Goroutine Dump from
// Clipboard", the Goroutines explorer in the Go Lens sidebar (with its toolbar) and the
// goroutine table.
import * as vscode from 'vscode';
import { ENDPOINTS } from '../core/collect/endpoints';
import { captureFromTarget } from '../commands/capture';
import { openSource } from '../editors/open-source';
import type { SourceLocation } from '../protocol/source';
import type { GoLensServices } from '../services';
import { GoroutineExplorer } from '../views/goroutines/explorer';
import { GoroutineTablePanel } from '../views/goroutines/table-panel';
import { registerLeaks } from './leaks';
import {
  COMMANDS,
  type ExplorerNode,
  type GoroutineNode,
  type GroupNode,
  type HeadlineNode,
  type MoreNode,
  type WarningsNode,
} from '../views/goroutines/tree-model';

async function pickDumpFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    // Start in the workspace, where dumps saved by tests and scripts usually are.
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    canSelectMany: false,
    openLabel: 'Open Goroutine Dump',
    title: 'Open a goroutine dump, panic or SIGQUIT output',
    filters: {
      'Goroutine dumps and logs': ['txt', 'log', 'dump', 'out', 'gz', 'pb'],
      'All files': ['*'],
    },
  });
  return picked?.[0];
}

function isNode<K extends ExplorerNode['kind']>(
  v: unknown,
  kind: K,
): v is Extract<ExplorerNode, { kind: K }> {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind;
}

let registeredExplorer: GoroutineExplorer | undefined;

/** The Goroutines explorer, for features that show snapshots in it (core dumps). */
export function goroutineExplorer(): GoroutineExplorer | undefined {
  return registeredExplorer;
}

export function registerGoroutines({ context, worker }: GoLensServices): void {
  const explorer = new GoroutineExplorer(context, worker);
  registeredExplorer = explorer;
  context.subscriptions.push(explorer);
  registerLeaks(context, explorer, worker);
  const afterLoad = async (ok: boolean) => {
    if (ok) await explorer.focus();
  };
  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  command('goLens.captureGoroutineDump', async () => {
    const captured = await captureFromTarget(context, ENDPOINTS['goroutine-dump']);
    if (captured) await afterLoad(await explorer.showCapture(captured));
  });
  command('goLens.openGoroutineDump', async (uri?: vscode.Uri) => {
    // From the Explorer's context menu the file comes as an argument.
    const file = uri instanceof vscode.Uri ? uri : await pickDumpFile();
    if (file) await afterLoad(await explorer.showFile(file));
  });
  command('goLens.pasteGoroutineDump', async () => {
    const text = await vscode.env.clipboard.readText();
    if (text.trim() === '') {
      void vscode.window.showInformationMessage(
        'Go Lens: the clipboard is empty. Copy a goroutine dump or a panic (from "panic:" or "goroutine 1 [" to the end), then paste again.',
      );
      return;
    }
    await afterLoad(await explorer.showText(text));
  });

  command('goLens.goroutines.refresh', () => explorer.refresh());
  command('goLens.goroutines.chooseDump', () => explorer.chooseDump());
  command('goLens.goroutines.startAutoRefresh', () => explorer.startAutoRefresh());
  command('goLens.goroutines.stopAutoRefresh', () => explorer.stopAutoRefresh());
  command('goLens.goroutines.filter', () => explorer.editFilter());
  command('goLens.goroutines.clearFilter', () => explorer.setOptions({ filter: '' }));
  command('goLens.goroutines.groupRelaxed', () => explorer.setOptions({ similarity: 'relaxed' }));
  command('goLens.goroutines.groupExact', () => explorer.setOptions({ similarity: 'exact' }));
  command('goLens.goroutines.showSystem', () => explorer.setOptions({ hideSystem: false }));
  command('goLens.goroutines.hideSystem', () => explorer.setOptions({ hideSystem: true }));
  command('goLens.goroutines.compare', () => explorer.startCompare());
  command('goLens.goroutines.stopCompare', () => explorer.stopCompare());
  command('goLens.goroutines.fromDebugSession', async () =>
    afterLoad(await explorer.showDebugSession()),
  );
  command('goLens.goroutines.explainDebugCap', () => explorer.explainDebugCap());
  command('goLens.goroutines.openTable', (node?: GroupNode) => {
    GoroutineTablePanel.show(
      context.extensionUri,
      explorer,
      isNode(node, 'group') ? node.group.signature : undefined,
    );
  });
  command('goLens.goroutines.copyStack', async (node?: GroupNode | GoroutineNode) => {
    if (!isNode(node, 'group') && !isNode(node, 'goroutine')) return;
    await vscode.env.clipboard.writeText(await explorer.model.stackText(node));
    void vscode.window.setStatusBarMessage('Go Lens: stack copied', 3000);
  });

  command(COMMANDS.openFrame, async (loc?: SourceLocation) => {
    if (!loc) return;
    // Open in the main editor group, or beside the goroutine table when it occupies that group.
    const table = GoroutineTablePanel.visibleColumn();
    await openSource(
      loc,
      table === vscode.ViewColumn.One ? vscode.ViewColumn.One : vscode.ViewColumn.Two,
    );
  });
  command(COMMANDS.showMore, async (node?: MoreNode) => {
    if (!isNode(node, 'more') || node.version !== explorer.model.version) return;
    const changed = await explorer.model.loadMore(node.parent);
    if (changed !== null) explorer.provider.refresh(changed);
  });
  command(COMMANDS.showWarnings, async (node?: WarningsNode) => {
    if (!isNode(node, 'warnings')) return;
    const s = node.summary;
    const detail = s.warnings
      .slice(0, 10)
      .map((w) => `line ${w.line}: ${w.message}`)
      .join('\n');
    const src = explorer.model.current?.source;
    const path = src?.kind === 'file' || src?.kind === 'target' ? src.path : undefined;
    const open = 'Open the Dump';
    const answer = await vscode.window.showWarningMessage(
      `${s.warningCount} part(s) of the dump could not be read${s.truncated ? '; it ends in the middle of a goroutine' : ''}.`,
      { modal: true, detail: s.warningCount > 10 ? `${detail}\n…` : detail },
      ...(path && !path.includes('://') ? [open] : []),
    );
    if (answer === open && path) {
      const line = Math.max(0, (s.warnings[0]?.line ?? 1) - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(path), {
        selection: new vscode.Range(line, 0, line, 0),
      });
    }
  });
  command(COMMANDS.showHeadline, async (node?: HeadlineNode) => {
    if (!isNode(node, 'headline')) return;
    await vscode.window.showErrorMessage(node.text, {
      modal: true,
      detail: node.detail.join('\n'),
    });
  });
}
