// pprof files (.pprof, .pb.gz, .prof, and captures) open in the flame graph view as a custom
// read-only editor. One controller per open view: it owns the worker handle of its profile
// and answers the webview's requests.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseFlameWebviewMessage, type FlameHostMessage, type ProfileSummary } from '../protocol/flame';
import { readCaptureMeta, saveCopyAs } from '../collect/captures';
import { openSource } from './open-source';
import { webviewHtml, webviewOptions } from '../views/webview-html';
import type { ParseWorkerClient } from '../worker/client';
import type { LoadedProfile } from '../worker/protocol';
import { MAX_VIEW_NODES } from '../core/flame/view-tree';

export const PROFILE_VIEW_TYPE = 'goLens.profileViewer';


class ProfileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

class ProfileViewController {
  private loaded: { profile: LoadedProfile; generation: number } | undefined;
  private loading: Promise<LoadedProfile> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly worker: ParseWorkerClient,
  ) {
    this.disposables.push(panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)));
    panel.onDidDispose(() => this.dispose());
  }

  private post(message: FlameHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private load(): Promise<LoadedProfile> {
    if (this.loaded && this.loaded.generation === this.worker.generation) return Promise.resolve(this.loaded.profile);
    this.loading ??= (async () => {
      try {
        const generation = this.worker.generation;
        const params = this.uri.scheme === 'file' ? { path: this.uri.fsPath } : { bytes: await vscode.workspace.fs.readFile(this.uri) };
        const profile = await this.worker.request('loadProfile', params, {
          onProgress: (message) => this.post({ type: 'loading', message: `${message}…` }),
        });
        this.loaded = { profile, generation };
        return profile;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async sendTree(sampleType: number): Promise<void> {
    const profile = await this.load();
    const { tree, prunedBelow } = await this.worker.request('callTree', {
      handle: profile.handle,
      sampleType,
      maxNodes: MAX_VIEW_NODES,
    });
    this.post({ type: 'tree', sampleType, tree, prunedBelow });
  }

  private async start(): Promise<void> {
    this.post({ type: 'loading', message: `Reading ${basename(this.uri.path)}…` });
    const profile = await this.load();
    const meta = await readCaptureMeta(this.uri);
    const warnings: string[] = [];
    if (meta && !meta.complete) warnings.push(`This capture is incomplete: ${meta.error ?? 'the transfer ended early'}. Only the ${meta.bytes} bytes that arrived were kept.`);
    const summary: ProfileSummary = {
      title: basename(this.uri.path),
      sampleTypes: profile.sampleTypes,
      defaultSampleType: profile.defaultSampleType,
      totals: profile.totals,
      sampleCount: profile.sampleCount,
      durationNanos: profile.durationNanos,
      timeNanos: profile.timeNanos,
      comments: profile.comments,
      warnings,
      canSaveAs: true,
    };
    this.post({ type: 'summary', summary });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseFlameWebviewMessage(raw);
    if (!msg) return; // Not our protocol: ignore rather than act on it.
    try {
      switch (msg.type) {
        case 'ready':
          await this.start();
          break;
        case 'setSampleType':
          await this.sendTree(msg.sampleType);
          break;
        case 'openSource': {
          const r = await openSource(msg.location, this.panel.viewColumn);
          this.post({ type: 'sourceResult', ok: r.ok, message: r.ok ? vscode.workspace.asRelativePath(r.path) : r.message });
          break;
        }
        case 'saveAs':
          await saveCopyAs(this.uri, basename(this.uri.path));
          break;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.post({ type: 'error', message: `Could not show ${basename(this.uri.path)}: ${message}` });
    }
  }

  dispose(): void {
    if (this.loaded && this.loaded.generation === this.worker.generation) void this.worker.request('release', { handle: this.loaded.profile.handle }).catch(() => undefined);
    this.loaded = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: ParseWorkerClient,
  ) {}

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri);
  }

  resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'flame', basename(document.uri.path));
    new ProfileViewController(document.uri, panel, this.worker);
  }
}
