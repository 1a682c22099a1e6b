// The profile view: pprof files (.pprof, .pb.gz, .prof, and captures) open in it as a custom
// read-only editor, and "Compare Profiles" opens it on two profiles as a diff. One controller per
// open view: it owns the worker handles of its profiles and answers the webview's requests.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { MAX_VIEW_NODES } from '../core/flame/view-tree';
import { incomparability } from '../core/pprof/comparable';
import { parseFlameWebviewMessage, type FlameHostMessage, type FlameRequest, type ProfileSummary, type ViewQuery } from '../protocol/flame';
import { readCaptureMeta, saveCopyAs } from '../collect/captures';
import type { GoLensServices } from '../services';
import { webviewHtml, webviewOptions } from '../views/webview-html';
import type { LoadedProfile } from '../worker/profile-protocol';
import { openSource } from './open-source';
import { perfLinesNote, perfLoadTools } from '../features/perf-open';

export const PROFILE_VIEW_TYPE = 'goLens.profileViewer';

/**
 * What a view shows: one profile, or the change from `base` to `uri`. A profile that is not a
 * file (CPU samples of a trace range) comes with its own `loader`, which puts it in the worker;
 * its `uri` then only names it.
 */
export type ProfileSource = { uri: vscode.Uri; base?: vscode.Uri; loader?: () => Promise<LoadedProfile>; title?: string };

interface Loaded {
  profile: LoadedProfile;
  generation: number;
}

class ProfileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

function titleOf(source: ProfileSource): string {
  if (source.title) return source.title;
  return source.base ? `${basename(source.base.path)} → ${basename(source.uri.path)}` : basename(source.uri.path);
}

class ProfileViewController {
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly disposables: vscode.Disposable[] = [];
  private lastQuery: { query: ViewQuery; normalize: boolean } | undefined;

  constructor(
    private readonly source: ProfileSource,
    private readonly panel: vscode.WebviewPanel,
    private readonly services: GoLensServices,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.active) void this.publishActive();
      }),
    );
    panel.onDidDispose(() => this.dispose());
  }

  private get worker() {
    return this.services.worker;
  }

  private post(message: FlameHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** Loads (once per worker life) the profile at `uri`. */
  private load(uri: vscode.Uri): Promise<Loaded> {
    const key = uri.toString();
    const have = this.loaded.get(key);
    if (have && have.generation === this.worker.generation) return Promise.resolve(have);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const generation = this.worker.generation;
          const loader = this.source.loader && uri === this.source.uri ? this.source.loader : undefined;
          const params = uri.scheme === 'file' ? { path: uri.fsPath, ...(await perfLoadTools(uri.fsPath)) } : { bytes: loader ? new Uint8Array() : await vscode.workspace.fs.readFile(uri) };
          const profile = loader
            ? await loader()
            : await this.worker.request('loadProfile', params, {
                onProgress: (message) => this.post({ type: 'loading', message: `${basename(uri.path)}: ${message}…` }),
              });
          const l = { profile, generation };
          this.loaded.set(key, l);
          return l;
        } finally {
          this.loading.delete(key);
        }
      })();
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async start(): Promise<void> {
    this.post({ type: 'loading', message: `Reading ${titleOf(this.source)}…` });
    const [current, base] = await Promise.all([this.load(this.source.uri), this.source.base ? this.load(this.source.base) : undefined]);
    const p = current.profile;
    const warnings: string[] = [];
    for (const uri of this.source.loader ? [] : [this.source.uri, this.source.base]) {
      const meta = uri && (await readCaptureMeta(uri));
      if (meta && !meta.complete) warnings.push(`${basename(uri.path)} is an incomplete capture: ${meta.error ?? 'the transfer ended early'}. Only the ${meta.bytes} bytes that arrived were kept.`);
    }
    warnings.push(...(p.warnings ?? []));
    if (p.format === 'perf-script' && p.hasLines) warnings.push(perfLinesNote);
    if (!p.hasLines) warnings.push('This profile has no line numbers: frames open at the top of their function, and the editor shows no line costs.');
    if (base && incomparability(base.profile, p) !== undefined) {
      this.post({ type: 'error', message: `These profiles cannot be compared: ${basename(this.source.base!.path)} is a ${base.profile.kind} profile and ${basename(this.source.uri.path)} a ${p.kind} profile. Pick two profiles of the same kind.` });
      return;
    }
    const summary: ProfileSummary = {
      title: titleOf(this.source),
      kind: p.kind,
      sampleTypes: p.sampleTypes,
      defaultSampleType: p.defaultSampleType,
      totals: p.totals,
      sampleCount: p.sampleCount,
      durationNanos: p.durationNanos,
      timeNanos: p.timeNanos,
      comments: p.comments,
      labels: p.labels,
      warnings,
      canSaveAs: !this.source.base && !this.source.loader,
      diffBase: this.source.base ? basename(this.source.base.path) : undefined,
    };
    if (p.sampleCount === 0) warnings.push(emptyProfileAdvice(p.kind));
    this.post({ type: 'summary', summary });
  }

  private async answer(req: FlameRequest): Promise<void> {
    const current = await this.load(this.source.uri);
    const handle = current.profile.handle;
    const base = this.source.base && 'normalize' in req ? { handle: (await this.load(this.source.base)).profile.handle, normalize: req.normalize } : undefined;
    try {
      switch (req.type) {
        case 'tree': {
          const r = await this.worker.request('profileTree', { handle, query: req.query, inverted: req.inverted, maxNodes: MAX_VIEW_NODES, base, focusPath: req.focusPath });
          this.post({ type: 'tree', requestId: req.requestId, inverted: req.inverted, tree: r.tree, prunedBelow: r.prunedBelow, focusPath: r.focusPath, diff: r.diff });
          break;
        }
        case 'top': {
          const table = await this.worker.request('profileTop', { handle, query: req.query, base });
          this.post({ type: 'top', requestId: req.requestId, table });
          break;
        }
        case 'sandwich': {
          const sandwich = await this.worker.request('profileSandwich', { handle, query: req.query, fn: req.fn, maxNodes: MAX_VIEW_NODES / 2 });
          this.post({ type: 'sandwich', requestId: req.requestId, fn: req.fn, sandwich });
          break;
        }
      }
    } catch (err) {
      this.post({ type: 'error', requestId: req.requestId, message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Tells the editor annotations what this view shows. */
  private async publishActive(): Promise<void> {
    if (!this.lastQuery) return;
    const current = await this.load(this.source.uri);
    const base = this.source.base ? await this.load(this.source.base) : undefined;
    this.services.activeProfiles.set({
      uri: this.source.uri,
      title: titleOf(this.source),
      profile: current.profile,
      generation: current.generation,
      query: this.lastQuery.query,
      base: base && this.source.base ? { uri: this.source.base, profile: base.profile, handle: base.profile.handle, normalize: this.lastQuery.normalize } : undefined,
    });
  }

  private async saveText(defaultName: string, filters: Record<string, string[]>, write: (target: vscode.Uri) => Thenable<void>): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined, filters });
    if (!target) return;
    await write(target);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseFlameWebviewMessage(raw);
    if (!msg) return; // Not our protocol: ignore rather than act on it.
    const stem = basename(this.source.uri.path).replace(/\.(pb\.gz|pprof|prof|gz)$/, '');
    try {
      switch (msg.type) {
        case 'ready':
          await this.start();
          break;
        case 'tree':
        case 'top':
        case 'sandwich':
          await this.answer(msg);
          break;
        case 'activeQuery':
          this.lastQuery = { query: msg.query, normalize: msg.normalize };
          if (this.panel.active) await this.publishActive();
          break;
        case 'openSource': {
          const r = await openSource(msg.location, this.panel.viewColumn);
          this.post({ type: 'sourceResult', ok: r.ok, message: r.ok ? vscode.workspace.asRelativePath(r.path) : r.message });
          break;
        }
        case 'saveAs':
          if (!this.source.base && !this.source.loader) await saveCopyAs(this.source.uri, basename(this.source.uri.path));
          break;
        case 'export':
          if (msg.format === 'folded') {
            const current = await this.load(this.source.uri);
            const base = this.source.base ? { handle: (await this.load(this.source.base)).profile.handle, normalize: msg.normalize } : undefined;
            const lines = await this.worker.request('profileFolded', { handle: current.profile.handle, query: msg.query, base });
            await this.saveText(`${stem}.folded`, { 'Folded stacks': ['folded', 'txt'] }, (t) => vscode.workspace.fs.writeFile(t, new TextEncoder().encode(lines.join('\n') + '\n')));
          } else if (msg.format === 'pprof') {
            const current = await this.load(this.source.uri);
            const bytes = await this.worker.request('profilePprof', { handle: current.profile.handle });
            await this.saveText(`${stem}.pb.gz`, { 'pprof profile': ['gz'] }, (t) => vscode.workspace.fs.writeFile(t, bytes));
          } else if (msg.format === 'svg') {
            await this.saveText(`${stem}.svg`, { SVG: ['svg'] }, (t) => vscode.workspace.fs.writeFile(t, new TextEncoder().encode(msg.svg)));
          } else {
            const bytes = Buffer.from(msg.dataUrl.slice(msg.dataUrl.indexOf(',') + 1), 'base64');
            await this.saveText(`${stem}.png`, { PNG: ['png'] }, (t) => vscode.workspace.fs.writeFile(t, bytes));
          }
          break;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.post({ type: 'error', message: `Could not show ${titleOf(this.source)}: ${message}` });
    }
  }

  dispose(): void {
    for (const l of this.loaded.values()) {
      if (l.generation === this.worker.generation) void this.worker.request('release', { handle: l.profile.handle }).catch(() => undefined);
    }
    this.loaded.clear();
    this.services.activeProfiles.clear(this.source.uri);
    for (const d of this.disposables) d.dispose();
  }
}

/** Why a profile can be empty, by kind, and what to do about it. */
export function emptyProfileAdvice(kind: string): string {
  switch (kind) {
    case 'mutex':
      return 'This mutex profile has no samples. Mutex profiling is off unless the program calls runtime.SetMutexProfileFraction(n) with n > 0 (e.g. 5); or no lock was contended.';
    case 'block':
      return 'This block profile has no samples. Block profiling is off unless the program calls runtime.SetBlockProfileRate(rate) with rate > 0 (e.g. 10000 ns); or nothing blocked.';
    case 'cpu':
      return 'This CPU profile has no samples: the program used no measurable CPU while it was profiled. Capture while it is busy (send it load), or for longer.';
    default:
      return `This ${kind} profile has no samples.`;
  }
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(private readonly services: GoLensServices) {}

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri);
  }

  resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): void {
    showProfileIn(panel, { uri: document.uri }, this.services);
  }
}

/** Puts the profile view for `source` into a webview panel. */
export function showProfileIn(panel: vscode.WebviewPanel, source: ProfileSource, services: GoLensServices): void {
  const extensionUri = services.context.extensionUri;
  panel.webview.options = webviewOptions(extensionUri);
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'flame', titleOf(source));
  new ProfileViewController(source, panel, services);
}

/** Opens the diff view of two profiles beside the editor. */
export function openProfileDiff(base: vscode.Uri, current: vscode.Uri, services: GoLensServices, column: vscode.ViewColumn): void {
  const source = { uri: current, base };
  const panel = vscode.window.createWebviewPanel('goLens.profileDiff', titleOf(source), column, { retainContextWhenHidden: false });
  showProfileIn(panel, source, services);
}

/**
 * Opens a profile that is not a file (e.g. the CPU samples of a trace range) in the profile view
 * beside the editor. `load` must leave the profile in the parse worker (a worker method that
 * builds and indexes it) and return what `loadProfile` returns.
 */
export function openLoadedProfile(title: string, load: () => Promise<LoadedProfile>, services: GoLensServices, column: vscode.ViewColumn): void {
  const source: ProfileSource = { uri: vscode.Uri.from({ scheme: 'golens', path: '/' + title }), loader: load, title };
  const panel = vscode.window.createWebviewPanel('goLens.profileFromData', title, column, { retainContextWhenHidden: false });
  showProfileIn(panel, source, services);
}
