// The host side of a saved log's dashboard: the log's model lives in the parse worker (read from
// disk there, under a handle), and this forwards the webview's view and instant to it, posting
// the answers back. Views are answered in order; while one is being answered only the newest
// waiting view is kept, so a resize drag does not queue up a backlog. The worker is shared and
// restarts when another view cancels a load, losing what it held: the log is then read again.
// No vscode here.
import type { SchedDetailMessage, SchedHostMessage, ViewRequest } from '../../protocol/sched';
import type { ParseWorkerClient } from '../../worker/client';

/** A log loaded in the worker: its handle, and the worker generation the handle belongs to. */
export interface LoadedSchedLog {
  handle: number;
  generation: number;
}

export class SchedLogSession {
  private view: ViewRequest | undefined;
  private busy = false;
  private again = false;
  private disposed = false;
  private reloading: Promise<LoadedSchedLog> | undefined;

  constructor(
    private readonly post: (m: SchedHostMessage) => void,
    private readonly worker: ParseWorkerClient,
    private loaded: LoadedSchedLog,
    /** Reads the log into the worker again (after a worker restart). */
    private readonly reload: () => Promise<LoadedSchedLog>,
  ) {}

  /** The webview shows this range now. */
  setView(view: ViewRequest): void {
    this.view = view;
    this.refresh();
  }

  /** Sends the current view's update again (a webview that came back after hiding). */
  refresh(): void {
    if (this.disposed || !this.view) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    const view = this.view;
    void this.current()
      .then(({ handle }) => this.worker.request('schedTraceUpdate', { handle, view }))
      .then(
        (update) => this.disposed || this.post(update),
        (err: Error) =>
          this.disposed ||
          this.post({ type: 'error', message: `Could not read the log: ${err.message}` }),
      )
      .finally(() => {
        this.busy = false;
        if (!this.again) return;
        this.again = false;
        this.refresh();
      });
  }

  /** The P/M/G tables nearest to `timeMs`. */
  async detailAt(timeMs: number): Promise<SchedDetailMessage> {
    try {
      const { handle } = await this.current();
      return await this.worker.request('schedTraceDetail', { handle, timeMs });
    } catch (err) {
      return {
        type: 'detail',
        requestedMs: timeMs,
        note: `Could not read the log: ${(err as Error).message}`,
      };
    }
  }

  /** The log's handle in the worker as it is now, reading the log again if the worker restarted. */
  private current(): Promise<LoadedSchedLog> {
    if (this.worker.generation === this.loaded.generation) return Promise.resolve(this.loaded);
    this.reloading ??= this.reload().then(
      (loaded) => {
        this.reloading = undefined;
        this.loaded = loaded;
        return loaded;
      },
      (err: unknown) => {
        this.reloading = undefined;
        throw err;
      },
    );
    return this.reloading;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.worker.generation === this.loaded.generation)
      void this.worker
        .request('releaseSchedTrace', { handle: this.loaded.handle })
        .catch(() => undefined);
  }
}
