// The goroutine explorer's TreeDataProvider: VS Code's side of ./tree-model, nothing more.
import * as vscode from 'vscode';
import type { ExplorerNode, GoroutineTreeModel, ItemDescription } from './tree-model';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export function toTreeItem(d: ItemDescription): vscode.TreeItem {
  const item = new vscode.TreeItem(d.label, COLLAPSIBLE[d.collapsible]);
  item.id = d.id;
  if (d.description) item.description = d.description;
  if (d.tooltip) {
    const tip = new vscode.MarkdownString(d.tooltip);
    tip.supportThemeIcons = false;
    item.tooltip = tip;
  }
  item.iconPath = new vscode.ThemeIcon(
    d.icon.id,
    d.icon.color ? new vscode.ThemeColor(d.icon.color) : undefined,
  );
  if (d.contextValue) item.contextValue = d.contextValue;
  if (d.command) item.command = d.command;
  item.accessibilityInformation = { label: d.accessibilityLabel };
  return item;
}

export class GoroutineTreeProvider implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: GoroutineTreeModel,
    private readonly onError: (err: unknown) => void,
    /** Called after the top level was (re)read: the view's message and badge depend on it. */
    private readonly onRoots: () => void = () => undefined,
  ) {}

  /** Re-reads `node`'s children, or the whole tree. */
  refresh(node?: ExplorerNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(this.model.describe(node));
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      if (node) return await this.model.children(node);
      const roots = await this.model.roots();
      this.onRoots();
      return roots;
    } catch (err) {
      this.onError(err);
      return [];
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind === 'goroutine' || node.kind === 'frame') return node.parent;
    if (node.kind === 'more') return node.parent;
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
