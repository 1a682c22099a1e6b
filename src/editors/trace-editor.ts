// The execution-trace view: a trace file (a capture, `*.trace`, `trace.out`, or any file with
// the trace header) parsed in the worker and shown as the scheduler timeline and the goroutine
// analysis table. One controller per open view: it owns the worker's handle of the trace,
// forwards the webview's queries to the worker with that handle, and cancels the parse when the
// view closes.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ReadonlyDocument } from './readonly-document';
import { partialTraceWarning } from '../core/exectrace/partial-trace';
import { readCaptureMeta } from '../collect/captures';
import { openLoadedProfile } from './profile-editor';
import { openSource } from './open-source';
import { RpcError } from '../protocol/rpc';
import {
  timelineValidators,
  type CpuProfileParams,
  type TimelineMethods,
  type TimelinePushes,
  type TracePartialView,
  type TraceSummaryView,
} from '../protocol/timeline';
import { formatDuration } from '../core/format/units';
import type { GoLensServices } from '../services';
import { CancelledError, WorkerError } from '../worker/client';
import type { LoadedTrace } from '../worker/trace-protocol';
import { webviewHtml, webviewOptions } from '../views/webview-html';
import { chooseTraceRange, type TraceRange } from './trace-range-pick';
import { WebviewRpcHost, workerQueries, type Handlers } from '../views/webview-rpc';

export const TRACE_VIEW_TYPE = 'goLens.traceViewer';

/** Advice when a range has no CPU samples: the runtime records them only while the CPU profiler runs. */
export const NO_CPU_SAMPLES_ADVICE =
  'run the program with the CPU profiler on during tracing, e.g. request net/http/pprof /debug/pprof/profile concurrently with the trace, or call pprof.StartCPUProfile before trace.Start';

let nextLoadId = 1;
/** How long a preview's handle outlives the swap to the complete trace. */
const PREVIEW_RELEASE_DELAY_MS = 2000;
/** How often the overview strip hears how far the rest of a previewed trace has loaded. */
const LOADING_POLL_MS = 400;

interface Loaded {
  trace: LoadedTrace;
  generation: number;
}

/** The host's side of one open trace view (the webview's own TimelineController draws it). */
class TraceViewController {
  private loaded: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;
  private loadId = 0;
  /** The part of the trace shown, asked once (before the first load) when it would not fit whole. */
  private range: TraceRange | undefined;
  /** After a preview: the rest of the trace is loading, or will not come (cancelled, failed). */
  private rest:
    { state: 'loading' } | { state: 'cancelled' } | { state: 'failed'; why: string } | undefined;
  private disposed = false;
  /**
   * The first load, started when the view opens rather than when its page says it is ready:
   * the parse overlaps the webview's start (a second or more in a loaded VS Code).
   */
  private opening: Promise<Loaded> | undefined;
  /** The page has asked for the trace: pushes before that would reach a page not listening. */
  private viewReady = false;
  /** The last progress of the load, for a page that starts after the load did. */
  private lastProgress: { message: string; fraction?: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rpc: WebviewRpcHost<TimelineMethods, TimelinePushes>;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly services: GoLensServices,
  ) {
    this.rpc = new WebviewRpcHost(panel.webview, timelineValidators, this.handlers());
    this.disposables.push(this.rpc);
    panel.onDidDispose(() => this.dispose());
    this.opening = this.load();
    // Its failure is the page's to show, when the page asks (start).
    this.opening.catch(() => undefined);
  }

  private get worker() {
    return this.services.worker;
  }

  private get title(): string {
    return basename(this.uri.path);
  }

  /**
   * The trace in the worker, parsed once per worker life (a restarted worker lost it). A big
   * trace comes first as a preview of its first generations; the rest is parsed meanwhile
   * (`finishLoad`), and the view is then given the complete trace.
   */
  private load(): Promise<Loaded> {
    if (this.loaded && this.loaded.generation === this.worker.generation)
      return Promise.resolve(this.loaded);
    this.loading ??= (async () => {
      let background = false;
      const loadId = nextLoadId++;
      try {
        const generation = this.worker.generation;
        this.loadId = loadId;
        this.rest = undefined;
        if (this.uri.scheme === 'file')
          this.range ??= await chooseTraceRange(this.uri, this.title, this.worker);
        const params =
          this.uri.scheme === 'file'
            ? {
                path: this.uri.fsPath,
                loadId,
                generations: this.range?.generations,
                progressive: {},
              }
            : { bytes: await vscode.workspace.fs.readFile(this.uri), loadId, progressive: {} };
        const trace = await this.worker.request('loadTrace', params, {
          onProgress: (message, fraction) => {
            this.lastProgress = { message, fraction };
            this.rpc.push('progress', this.lastProgress);
          },
        });
        if (this.disposed) {
          void this.worker.request('releaseTrace', { handle: trace.handle }).catch(() => undefined);
          throw new CancelledError('closed');
        }
        this.loaded = { trace, generation };
        if (trace.partial) {
          // The worker waits for the view's first lanes before parsing on; a page that is not
          // up yet (a first open, while VS Code starts Go Lens) cannot ask for them soon.
          if (!this.viewReady)
            void this.worker
              .request('endPreviewHold', { handle: trace.handle })
              .catch(() => undefined);
          background = true;
          this.rest = { state: 'loading' };
          void this.finishLoad(loadId, this.loaded);
        }
        return this.loaded;
      } finally {
        if (!background && this.loadId === loadId) this.loadId = 0;
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** The rest of a progressive load: the view swaps the preview for the complete trace. */
  private async finishLoad(loadId: number, preview: Loaded): Promise<void> {
    const stale = () => this.disposed || this.loaded !== preview;
    // The overview strip fills in as the rest is parsed.
    const poll = setInterval(() => {
      if (stale() || !this.viewReady) return;
      this.worker.request('traceLoadStatus', { loadId }).then(
        (s) => s && !stale() && this.rpc.push('loading', s),
        () => undefined,
      );
    }, LOADING_POLL_MS);
    try {
      const trace = await this.worker.request(
        'finishTraceLoad',
        { loadId },
        {
          onProgress: (message, fraction) => {
            if (!stale() && this.viewReady) this.rpc.push('progress', { message, fraction });
          },
        },
      );
      if (stale()) {
        void this.worker.request('releaseTrace', { handle: trace.handle }).catch(() => undefined);
        return;
      }
      this.loaded = { trace, generation: preview.generation };
      this.rest = undefined;
      // Before the page is ready, its answer to `ready` will be the complete trace (start).
      if (this.viewReady) this.rpc.push('summary', await this.summary(trace));
      // The preview's memory goes back, a moment later: a query that took its handle just
      // before the swap is still answered.
      const releasePreview = () =>
        void this.worker
          .request('releaseTrace', { handle: preview.trace.handle })
          .catch(() => undefined);
      const release = setTimeout(releasePreview, PREVIEW_RELEASE_DELAY_MS);
      this.disposables.push({
        dispose: () => {
          clearTimeout(release);
          releasePreview();
        },
      });
    } catch (err) {
      // Closed, or the worker restarted (the next request loads the trace again).
      if (stale() || err instanceof CancelledError || this.worker.generation !== preview.generation)
        return;
      const cancelled = err instanceof WorkerError && err.code === 'cancelled';
      this.rest = cancelled
        ? { state: 'cancelled' }
        : { state: 'failed', why: err instanceof Error ? err.message : String(err) };
      if (this.viewReady) this.rpc.push('summary', await this.summary(preview.trace));
    } finally {
      clearInterval(poll);
      if (this.loadId === loadId) this.loadId = 0;
    }
  }

  /** What the view says about a preview's missing rest. */
  private partialView(l: LoadedTrace): TracePartialView | undefined {
    if (!l.partial || !this.rest) return undefined;
    const gens = l.partial.generations;
    const what = `the first ${formatDuration(l.end - l.start)} of the trace (${gens === 1 ? 'generation 1' : `${gens} generations`})`;
    switch (this.rest.state) {
      case 'loading':
        return {
          generations: gens,
          state: 'loading',
          message: `Showing ${what} while the rest loads`,
        };
      case 'cancelled':
        return {
          generations: gens,
          state: 'cancelled',
          message: `Loading was cancelled: only ${what} is shown. Reopen the file to load all of it.`,
        };
      case 'failed':
        return {
          generations: gens,
          state: 'failed',
          message: `Only ${what} is shown: loading the rest failed (${this.rest.why}). Reopen the file to try again.`,
        };
    }
  }

  private async summary(l: LoadedTrace): Promise<TraceSummaryView> {
    let warning: string | undefined;
    if (l.error) {
      const meta = await readCaptureMeta(this.uri);
      warning = partialTraceWarning({
        code: l.error.code,
        message: l.error.message,
        lastGeneration: l.lastGeneration,
        parsedNs: l.end - l.start,
        requestedNs: meta?.seconds ? meta.seconds * 1e9 : undefined,
      });
    }
    if (this.range?.notice)
      warning = warning ? `${this.range.notice} ${warning}` : this.range.notice;
    return {
      title: this.range?.titleSuffix ? `${this.title} · ${this.range.titleSuffix}` : this.title,
      range: this.range?.titleSuffix,
      version: `Go ${({ 11: '1.11–1.18', 19: '1.19/1.20', 23: '1.23/1.24' } as Record<number, string>)[l.version] ?? `1.${l.version}`} trace format${l.version < 22 ? ' (converted as go tool trace converts it)' : ''}`,
      start: l.start,
      end: l.end,
      eventCount: l.eventCount,
      spanCount: l.spanCount,
      goroutineCount: l.goroutineCount,
      procs: l.procs,
      groups: l.groups,
      cpuSamples: l.cpuSamples,
      cpuPeriodNanos: l.cpuPeriodNanos,
      gcCycles: l.gcCycles,
      stwCount: l.stwCount,
      wallClock: l.wallClock,
      warning,
      loadMs: l.parseMs + l.indexMs,
      partial: this.partialView(l),
    };
  }

  private async start(): Promise<TraceSummaryView> {
    this.viewReady = true;
    this.rpc.push(
      'progress',
      this.lastProgress ?? { message: `Reading ${this.title}`, fraction: 0 },
    );
    try {
      const opening = this.opening;
      this.opening = undefined;
      let l = await (opening ?? this.load());
      let view = await this.summary(l.trace);
      // The rest of a preview may have come in meanwhile, and been pushed before this answer
      // arrives: answer with what is loaded now, so the page never goes back to the preview.
      while (this.loaded && this.loaded !== l) {
        l = this.loaded;
        view = await this.summary(l.trace);
      }
      return view;
    } catch (err) {
      // The view is gone (closed, or the worker stopped under it): nobody to tell.
      if (err instanceof CancelledError || this.disposed) throw new RpcError('disposed', 'closed');
      const e = err instanceof Error ? err : new Error(String(err));
      if (e instanceof WorkerError && e.code === 'cancelled') {
        throw new RpcError(
          'cancelled',
          `Reading ${this.title} was cancelled. Reopen the file to read it again.`,
        );
      }
      // TraceError messages are meant for users as they are (not a trace, a pre-Go 1.11 trace…).
      throw new RpcError(
        e instanceof WorkerError ? e.code : 'failed',
        `Go Lens cannot show ${this.title}: ${e.message}`,
      );
    }
  }

  /** The handle, reloading the trace when the worker restarted since it was parsed. */
  private async handle(): Promise<number> {
    const had = this.loaded;
    const l = await this.load();
    if (had && had !== l) this.rpc.push('summary', await this.summary(l.trace));
    return l.trace.handle;
  }

  private handlers(): Handlers<TimelineMethods> {
    return {
      ready: () => this.start(),
      cancel: async () => {
        if (this.loadId) await this.worker.request('cancelTraceLoad', { loadId: this.loadId });
      },
      ...workerQueries(
        this.worker,
        [
          'traceLanes',
          'traceSeries',
          'traceOverview',
          'traceDetail',
          'traceAnalysis',
          'traceAnalysisGoroutines',
        ],
        async () => ({ handle: await this.handle() }),
      ),
      openSource: async ({ location }) => {
        const r = await openSource(location, this.panel.viewColumn);
        return r.ok
          ? { ok: true, message: vscode.workspace.asRelativePath(r.path) }
          : { ok: false, message: r.message };
      },
      cpuProfile: (params) => this.openCpuProfile(params),
    };
  }

  private async openCpuProfile(
    msg: CpuProfileParams,
  ): Promise<TimelineMethods['cpuProfile']['result']> {
    const request = async () =>
      this.worker.request('traceCpuProfile', {
        handle: await this.handle(),
        t0: msg.t0,
        t1: msg.t1,
        group: msg.group,
        goroutine: msg.goroutine,
        source: this.title,
      });
    const first = await request();
    if (!first.profile) {
      const message =
        first.samplesInTrace === 0
          ? `This trace has no CPU samples, so there is no CPU flame graph: ${NO_CPU_SAMPLES_ADVICE}.`
          : `No CPU samples with a stack fall in ${first.subject} (the trace has ${first.samplesInTrace} in all; the profiler takes one per 10 ms of busy CPU by default). Select a longer range, or ${NO_CPU_SAMPLES_ADVICE}.`;
      return { notice: message };
    }
    let pending: typeof first | undefined = first;
    openLoadedProfile(
      first.title,
      async () => {
        // The first view gets the profile built above; a reload (worker restart) builds it again.
        const r = pending ?? (await request());
        pending = undefined;
        if (!r.profile) throw new Error(`no CPU samples in ${r.subject}`);
        return r.profile;
      },
      this.services,
      vscode.ViewColumn.Beside,
    );
    return { opened: { title: first.title, samples: first.samples } };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.loadId)
      void this.worker.request('cancelTraceLoad', { loadId: this.loadId }).catch(() => undefined);
    const l = this.loaded;
    if (l && l.generation === this.worker.generation)
      void this.worker.request('releaseTrace', { handle: l.trace.handle }).catch(() => undefined);
    this.loaded = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

/** The custom editor for trace files. */
export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<ReadonlyDocument> {
  constructor(private readonly services: GoLensServices) {}

  openCustomDocument(uri: vscode.Uri): ReadonlyDocument {
    return new ReadonlyDocument(uri);
  }

  resolveCustomEditor(document: ReadonlyDocument, panel: vscode.WebviewPanel): void {
    const extensionUri = this.services.context.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'timeline',
      basename(document.uri.path),
    );
    new TraceViewController(document.uri, panel, this.services);
  }
}
