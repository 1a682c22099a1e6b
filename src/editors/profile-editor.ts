// The profile view: pprof files (.pprof, .pb.gz, .prof, and captures) open in it as a custom
// read-only editor, and "Compare Profiles" opens it on two profiles as a diff. One controller per
// open view: it owns the worker handles of its profiles and answers the webview's requests.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ReadonlyDocument } from './readonly-document';
import { MAX_VIEW_NODES } from '../core/flame/view-tree';
import { incomparability } from '../core/pprof/comparable';
import {
  flameValidators,
  type FirstTree,
  type FlameMethods,
  type FlamePushes,
  type ProfileSummary,
  type TreeAnswer,
  type TreeParams,
  type ViewQuery,
} from '../protocol/flame';
import { RpcError } from '../protocol/rpc';
import { readCaptureMeta, saveCopyAs } from '../collect/captures';
import type { GoLensServices } from '../services';
import { webviewHtml, webviewOptions } from '../views/webview-html';
import { WebviewRpcHost, type Handlers } from '../views/webview-rpc';
import type { LoadedProfile } from '../worker/profile-protocol';
import { CancelledError } from '../worker/client';
import { openSource } from './open-source';
import { perfLinesNote, perfLoadTools } from '../features/perf-open';

export const PROFILE_VIEW_TYPE = 'goLens.profileViewer';

/**
 * What a view shows: one profile, or the change from `base` to `uri`. A profile that is not a
 * file (CPU samples of a trace range) comes with its own `loader`, which puts it in the worker;
 * its `uri` then only names it.
 */
export type ProfileSource = {
  uri: vscode.Uri;
  base?: vscode.Uri;
  loader?: () => Promise<LoadedProfile>;
  title?: string;
};

interface Loaded {
  profile: LoadedProfile;
  generation: number;
}

function titleOf(source: ProfileSource): string {
  if (source.title) return source.title;
  return source.base
    ? `${basename(source.base.path)} → ${basename(source.uri.path)}`
    : basename(source.uri.path);
}

class ProfileViewController {
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private readonly disposables: vscode.Disposable[] = [];
  private lastQuery: { query: ViewQuery; normalize: boolean } | undefined;
  private readonly rpc: WebviewRpcHost<FlameMethods, FlamePushes>;
  /**
   * The first load, started when the view opens rather than when its page says it is ready:
   * the parse overlaps the webview's start (seconds on a first open, while VS Code starts Go Lens).
   */
  private opening: Promise<[Loaded, Loaded | undefined]> | undefined;
  private disposed = false;

  constructor(
    private readonly source: ProfileSource,
    private readonly panel: vscode.WebviewPanel,
    private readonly services: GoLensServices,
  ) {
    this.rpc = new WebviewRpcHost(panel.webview, flameValidators, this.handlers());
    this.disposables.push(
      this.rpc,
      panel.onDidChangeViewState(() => {
        if (panel.active) void this.publishActive();
      }),
    );
    panel.onDidDispose(() => this.dispose());
    this.opening = this.loadBoth();
    // Its failure is the page's to show, when the page asks (start).
    this.opening.catch(() => undefined);
  }

  /** The profile, and the base it is compared with (a diff view). */
  private loadBoth(): Promise<[Loaded, Loaded | undefined]> {
    return Promise.all([
      this.load(this.source.uri),
      this.source.base ? this.load(this.source.base) : undefined,
    ]);
  }

  private get worker() {
    return this.services.worker;
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
          const loader =
            this.source.loader && uri === this.source.uri ? this.source.loader : undefined;
          const params =
            uri.scheme === 'file'
              ? { path: uri.fsPath, ...(await perfLoadTools(uri.fsPath)) }
              : { bytes: loader ? new Uint8Array() : await vscode.workspace.fs.readFile(uri) };
          const profile = loader
            ? await loader()
            : await this.worker.request('loadProfile', params, {
                onProgress: (message) =>
                  this.rpc.push('loading', { message: `${basename(uri.path)}: ${message}…` }),
              });
          if (this.disposed) {
            // Closed while it loaded (a load starts as the view opens): nobody will release it.
            void this.worker.request('release', { handle: profile.handle }).catch(() => undefined);
            throw new CancelledError('closed');
          }
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

  private async start(): Promise<ProfileSummary> {
    this.rpc.push('loading', { message: `Reading ${titleOf(this.source)}…` });
    const opening = this.opening;
    this.opening = undefined;
    const [current, base] = await (opening ?? this.loadBoth());
    const p = current.profile;
    const warnings: string[] = [];
    for (const uri of this.source.loader ? [] : [this.source.uri, this.source.base]) {
      const meta = uri && (await readCaptureMeta(uri));
      if (meta && !meta.complete)
        warnings.push(
          `${basename(uri.path)} is an incomplete capture: ${meta.error ?? 'the transfer ended early'}. Only the ${meta.bytes} bytes that arrived were kept.`,
        );
    }
    warnings.push(...(p.warnings ?? []));
    if (p.format === 'perf-script' && p.hasLines) warnings.push(perfLinesNote);
    if (!p.hasLines)
      warnings.push(
        'This profile has no line numbers: frames open at the top of their function, and the editor shows no line costs.',
      );
    if (base && incomparability(base.profile, p) !== undefined) {
      throw new RpcError(
        'incomparable',
        `These profiles cannot be compared: ${basename(this.source.base!.path)} is a ${base.profile.kind} profile and ${basename(this.source.uri.path)} a ${p.kind} profile. Pick two profiles of the same kind.`,
      );
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
    return summary;
  }

  /**
   * The worker handles a query needs (the base's too for a diff). A profile that cannot be read
   * again (the worker restarted and the file went away) fails with code `unreadable`, which the
   * view shows in place of the profile, unlike a query's own error (e.g. a bad filter regexp).
   */
  private async handles(
    normalize: boolean | undefined,
  ): Promise<{ handle: number; base?: { handle: number; normalize: boolean } }> {
    return this.shown(async () => {
      const current = await this.load(this.source.uri);
      const base =
        this.source.base && normalize !== undefined
          ? { handle: (await this.load(this.source.base)).profile.handle, normalize }
          : undefined;
      return { handle: current.profile.handle, base };
    }, 'unreadable');
  }

  /** Runs `fn`; its failure says which view could not be shown (an RpcError passes as it is). */
  private async shown<T>(fn: () => Promise<T>, code = 'failed'): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RpcError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new RpcError(code, `Could not show ${titleOf(this.source)}: ${message}`);
    }
  }

  private async tree(params: TreeParams): Promise<TreeAnswer> {
    const { handle, base } = await this.handles(params.normalize);
    return this.worker.request('profileTree', {
      handle,
      query: params.query,
      inverted: params.inverted,
      maxNodes: MAX_VIEW_NODES,
      base,
      focusPath: params.focusPath,
    });
  }

  /** The summary, and the first tree of the view's saved query (its error, when it has one). */
  private async ready(first: FirstTree | undefined): Promise<FlameMethods['ready']['result']> {
    const summary = await this.shown(() => this.start());
    if (!first) return { summary };
    const sampleType =
      first.sampleType !== null && first.sampleType < summary.sampleTypes.length
        ? first.sampleType
        : summary.defaultSampleType;
    const params: TreeParams = {
      query: { sampleType, filter: first.filter },
      inverted: first.inverted,
      normalize: first.normalize,
      focusPath: [],
    };
    try {
      return { summary, first: { params, tree: await this.tree(params) } };
    } catch (err) {
      return {
        summary,
        first: { params, error: err instanceof Error ? err.message : String(err) },
      };
    }
  }

  private handlers(): Handlers<FlameMethods> {
    const stem = () => basename(this.source.uri.path).replace(/\.(pb\.gz|pprof|prof|gz)$/, '');
    return {
      ready: ({ first }) => this.ready(first),
      tree: (params) => this.tree(params),
      top: async ({ query, normalize }) => {
        const { handle, base } = await this.handles(normalize);
        return this.worker.request('profileTop', { handle, query, base });
      },
      sandwich: async ({ query, fn }) => {
        const { handle } = await this.handles(undefined);
        return this.worker.request('profileSandwich', {
          handle,
          query,
          fn,
          maxNodes: MAX_VIEW_NODES / 2,
        });
      },
      activeQuery: async ({ query, normalize }) => {
        this.lastQuery = { query, normalize };
        if (this.panel.active) await this.shown(() => this.publishActive());
      },
      openSource: ({ location }) =>
        this.shown(async () => {
          const r = await openSource(location, this.panel.viewColumn);
          return { ok: r.ok, message: r.ok ? vscode.workspace.asRelativePath(r.path) : r.message };
        }),
      saveAs: () =>
        this.shown(async () => {
          if (!this.source.base && !this.source.loader)
            await saveCopyAs(this.source.uri, basename(this.source.uri.path));
        }),
      export: (msg) =>
        this.shown(async () => {
          if (msg.format === 'folded') {
            const { handle, base } = await this.handles(msg.normalize);
            const lines = await this.worker.request('profileFolded', {
              handle,
              query: msg.query,
              base,
            });
            await this.saveText(`${stem()}.folded`, { 'Folded stacks': ['folded', 'txt'] }, (t) =>
              vscode.workspace.fs.writeFile(t, new TextEncoder().encode(lines.join('\n') + '\n')),
            );
          } else if (msg.format === 'pprof') {
            const current = await this.load(this.source.uri);
            const bytes = await this.worker.request('profilePprof', {
              handle: current.profile.handle,
            });
            await this.saveText(`${stem()}.pb.gz`, { 'pprof profile': ['gz'] }, (t) =>
              vscode.workspace.fs.writeFile(t, bytes),
            );
          } else if (msg.format === 'svg') {
            await this.saveText(`${stem()}.svg`, { SVG: ['svg'] }, (t) =>
              vscode.workspace.fs.writeFile(t, new TextEncoder().encode(msg.svg)),
            );
          } else {
            const bytes = Buffer.from(msg.dataUrl.slice(msg.dataUrl.indexOf(',') + 1), 'base64');
            await this.saveText(`${stem()}.png`, { PNG: ['png'] }, (t) =>
              vscode.workspace.fs.writeFile(t, bytes),
            );
          }
        }),
    };
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
      base:
        base && this.source.base
          ? {
              uri: this.source.base,
              profile: base.profile,
              handle: base.profile.handle,
              normalize: this.lastQuery.normalize,
            }
          : undefined,
    });
  }

  private async saveText(
    defaultName: string,
    filters: Record<string, string[]>,
    write: (target: vscode.Uri) => Thenable<void>,
  ): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
      filters,
    });
    if (!target) return;
    await write(target);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  dispose(): void {
    this.disposed = true;
    for (const l of this.loaded.values()) {
      if (l.generation === this.worker.generation)
        void this.worker.request('release', { handle: l.profile.handle }).catch(() => undefined);
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

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ReadonlyDocument> {
  constructor(private readonly services: GoLensServices) {}

  openCustomDocument(uri: vscode.Uri): ReadonlyDocument {
    return new ReadonlyDocument(uri);
  }

  resolveCustomEditor(document: ReadonlyDocument, panel: vscode.WebviewPanel): void {
    showProfileIn(panel, { uri: document.uri }, this.services);
  }
}

/** Puts the profile view for `source` into a webview panel. */
export function showProfileIn(
  panel: vscode.WebviewPanel,
  source: ProfileSource,
  services: GoLensServices,
): void {
  const extensionUri = services.context.extensionUri;
  panel.webview.options = webviewOptions(extensionUri);
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'flame', titleOf(source));
  new ProfileViewController(source, panel, services);
}

/** Opens the diff view of two profiles beside the editor. */
export function openProfileDiff(
  base: vscode.Uri,
  current: vscode.Uri,
  services: GoLensServices,
  column: vscode.ViewColumn,
): void {
  const source = { uri: current, base };
  const panel = vscode.window.createWebviewPanel('goLens.profileDiff', titleOf(source), column, {
    retainContextWhenHidden: false,
  });
  showProfileIn(panel, source, services);
}

/**
 * Opens a profile that is not a file (e.g. the CPU samples of a trace range) in the profile view
 * beside the editor. `load` must leave the profile in the parse worker (a worker method that
 * builds and indexes it) and return what `loadProfile` returns.
 */
export function openLoadedProfile(
  title: string,
  load: () => Promise<LoadedProfile>,
  services: GoLensServices,
  column: vscode.ViewColumn,
): void {
  const source: ProfileSource = {
    uri: vscode.Uri.from({ scheme: 'golens', path: '/' + title }),
    loader: load,
    title,
  };
  const panel = vscode.window.createWebviewPanel('goLens.profileFromData', title, column, {
    retainContextWhenHidden: false,
  });
  showProfileIn(panel, source, services);
}
