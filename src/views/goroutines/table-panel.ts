// The goroutine table: the explorer's snapshot as one sortable, filterable row per goroutine or
// per group, in a webview panel. It follows the sidebar (same snapshot, grouping, runtime
// goroutines and comparison) and is re-sent whenever that changes or the tab is shown again
// (the page is discarded while hidden; its sort, filter and selection live in setState).
import * as vscode from 'vscode';
import {
  goroutinesValidators,
  type GoroutinesMethods,
  type GoroutinesPushes,
} from '../../protocol/goroutines';
import { RpcError } from '../../protocol/rpc';
import { openSource } from '../../editors/open-source';
import { webviewHtml, webviewOptions } from '../webview-html';
import { WebviewRpcHost } from '../webview-rpc';
import type { GoroutineExplorer } from './explorer';

export const GOROUTINE_TABLE_VIEW_TYPE = 'goLens.goroutineTable';

export class GoroutineTablePanel implements vscode.Disposable {
  private static instance: GoroutineTablePanel | undefined;
  private version = 0;
  /** A group to select once the next table is shown. */
  private pendingReveal: string | undefined;
  /** `viewKey()` of the table last sent. */
  private sentKey = '';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rpc: WebviewRpcHost<GoroutinesMethods, GoroutinesPushes>;

  /** Opens the table (or brings it forward); `reveal` selects a group by signature. */
  static show(
    extensionUri: vscode.Uri,
    explorer: GoroutineExplorer,
    reveal?: string,
  ): GoroutineTablePanel {
    const existing = GoroutineTablePanel.instance;
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (reveal) {
        existing.pendingReveal = reveal;
        existing.rpc.push('reveal', { signature: reveal });
      }
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GOROUTINE_TABLE_VIEW_TYPE,
      'Goroutines',
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'goroutines', 'Goroutines');
    const created = new GoroutineTablePanel(panel, explorer);
    created.pendingReveal = reveal;
    GoroutineTablePanel.instance = created;
    return created;
  }

  /** The table's column while it is visible: sidebar clicks open source beside it, not over it. */
  static visibleColumn(): vscode.ViewColumn | undefined {
    const p = GoroutineTablePanel.instance?.panel;
    return p?.visible ? p.viewColumn : undefined;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly explorer: GoroutineExplorer,
  ) {
    this.rpc = new WebviewRpcHost(panel.webview, goroutinesValidators, {
      ready: () => this.shown(() => this.sendTable()),
      detail: ({ version, row }) =>
        this.shown(async () => {
          if (version !== this.version || !this.explorer.model.current) return null;
          const goroutine = await this.explorer.model.detail(row);
          return version === this.version ? goroutine : null;
        }),
      openSource: ({ location }) =>
        this.shown(async () => {
          const r = await openSource(location, this.panel.viewColumn);
          return { ok: r.ok, message: r.ok ? vscode.workspace.asRelativePath(r.path) : r.message };
        }),
    });
    this.disposables.push(
      this.rpc,
      explorer.onDidChange(() => {
        // A hidden page is discarded; it asks again (ready) when shown. The sidebar's filter
        // does not change the table (it filters itself), so only a new view is sent.
        if (panel.visible && this.viewKey() !== this.sentKey) void this.sendTable();
      }),
    );
    panel.onDidDispose(() => this.dispose());
  }

  /** Runs a request; a failure says the goroutines could not be shown. */
  private async shown<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new RpcError(
        'failed',
        `Could not show the goroutines: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** What the table shows depends on: the snapshot, the baseline, grouping and runtime goroutines. */
  private viewKey(): string {
    const m = this.explorer.model;
    return JSON.stringify([
      m.current?.handle,
      m.baseline?.handle,
      m.options.similarity,
      m.options.hideSystem,
    ]);
  }

  private async sendTable(): Promise<void> {
    this.sentKey = this.viewKey();
    const model = this.explorer.model;
    if (!model.current) {
      this.panel.title = 'Goroutines';
      this.rpc.push('empty', {
        message:
          'No goroutine snapshot is loaded. Capture a goroutine dump, open or paste one, or show a paused Go debug session from the Goroutines view.',
      });
      return;
    }
    this.rpc.push('loading', { message: 'Reading goroutines…' });
    const version = ++this.version;
    const data = await model.table();
    if (!data || version !== this.version) return;
    const title = this.explorer.sourceTitle();
    this.panel.title = `Goroutines: ${title}`;
    const reveal = this.pendingReveal;
    this.pendingReveal = undefined;
    this.rpc.push('table', {
      version,
      source: {
        title,
        detail: this.explorer.optionsText(),
        comparing: model.baseline !== undefined,
      },
      data,
      ...(reveal ? { reveal } : {}),
    });
  }

  dispose(): void {
    if (GoroutineTablePanel.instance === this) GoroutineTablePanel.instance = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
