// The races Go Lens knows about, by where they came from: a run (a rerun of the same target
// replaces its races), an opened file, the clipboard. The Problems panel, the Data Races view
// and hovers all read the merged list from here.
import * as vscode from 'vscode';
import { RaceSet, type DistinctRace, type RaceEvent, type RaceWarning } from '../../core/races';
import type { LoadedRaces } from '../../worker/race-protocol';
import type { ParseWorkerClient } from '../../worker/client';

export type RaceSourceKind = 'run' | 'file' | 'paste';

export interface RaceSource {
  id: string;
  label: string;
  kind: RaceSourceKind;
  set: RaceSet;
  /** Distinct race of each report index of a live stream (for `test` events that come later). */
  byIndex: DistinctRace[];
  warnings: RaceWarning[];
  warningCount: number;
  running: boolean;
}

/** A race as the views show it: merged over sources, with where it was seen. */
export interface ShownRace {
  race: DistinctRace;
  sources: string[];
}

export class RaceStore implements vscode.Disposable {
  private readonly sources = new Map<string, RaceSource>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Bumped on every change that replaced data (a rerun, a new file): line edits before it no longer apply. */
  generation = 0;
  private shown: ShownRace[] = [];

  /** Starts (or restarts) a source: its previous races are gone. */
  begin(id: string, label: string, kind: RaceSourceKind): RaceSource {
    const s: RaceSource = {
      id,
      label,
      kind,
      set: new RaceSet(),
      byIndex: [],
      warnings: [],
      warningCount: 0,
      running: kind === 'run',
    };
    this.sources.set(id, s);
    this.generation++;
    this.update();
    return s;
  }

  get(id: string): RaceSource | undefined {
    return this.sources.get(id);
  }

  /** A whole log read by the worker. */
  loaded(id: string, label: string, kind: RaceSourceKind, data: LoadedRaces): RaceSource {
    const s = this.begin(id, label, kind);
    s.running = false;
    s.set.merge(data.races);
    s.warnings = data.warnings;
    s.warningCount = data.warningCount;
    this.update();
    return s;
  }

  /** Reports and test names of a live stream. */
  apply(id: string, events: readonly RaceEvent[]): void {
    const s = this.sources.get(id);
    if (!s || events.length === 0) return;
    let changed = false;
    for (const e of events) {
      if (e.kind === 'report') {
        s.byIndex[e.index] = s.set.add(e.report, `${id}#${e.report.run}`);
        changed = true;
      } else if (e.kind === 'test' && s.byIndex[e.index]) {
        s.set.addTest(s.byIndex[e.index], e.test);
        changed = true;
      }
    }
    if (changed) this.update();
  }

  finished(id: string, warnings: RaceWarning[], warningCount: number): void {
    const s = this.sources.get(id);
    if (!s) return;
    s.running = false;
    s.warnings = warnings;
    s.warningCount = warningCount;
    this.update();
  }

  clear(): void {
    this.sources.clear();
    this.generation++;
    this.update();
  }

  /** Every distinct race over all sources, most frequent first. */
  races(): ShownRace[] {
    return this.shown;
  }

  allSources(): RaceSource[] {
    return [...this.sources.values()];
  }

  find(key: string): ShownRace | undefined {
    return this.shown.find((r) => r.race.key === key);
  }

  private update(): void {
    const merged = new RaceSet();
    const where = new Map<string, string[]>();
    for (const s of this.sources.values()) {
      const races = s.set.races();
      merged.merge(races);
      for (const r of races) {
        const list = where.get(r.key) ?? [];
        list.push(s.label);
        where.set(r.key, list);
      }
    }
    this.shown = merged.races().map((race) => ({ race, sources: where.get(race.key) ?? [] }));
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** How long a live stream may stay quiet before a report that met its closing line is shown. */
const SETTLE_MS = 300;

/**
 * Takes a running program's output as it arrives and turns it into races in the store (and so
 * in the Problems panel and the Data Races view). The parsing happens in the worker; pieces of
 * one run are parsed in order.
 *
 * This is the API the launcher feeds: `begin(runId, label)` when a run starts (a rerun with the
 * same id replaces the previous run's races), `feed(runId, chunk)` for every piece of stdout or
 * stderr, `end(runId)` when it exits.
 */
export class RaceCollector {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per run and pipe: the decoder, and the text after the last line end. */
  private readonly decoders = new Map<string, TextDecoder>();
  private readonly partials = new Map<string, string>();
  private runs = 0;
  /** Worker stream id of each run id: a restarted run gets a fresh parser. */
  private readonly streamIds = new Map<string, string>();

  constructor(
    private readonly store: RaceStore,
    private readonly worker: ParseWorkerClient,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  begin(runId: string, label: string): void {
    this.streamIds.set(runId, `${runId}\0${++this.runs}`);
    this.store.begin(runId, label, 'run');
  }

  /**
   * A piece of output. When stdout and stderr arrive separately, name the pipe in `pipe`: each
   * pipe's pieces are passed on in whole lines, so a line of one is never glued into a line of
   * the other.
   */
  feed(runId: string, chunk: string | Uint8Array, pipe = ''): void {
    if (!this.streamIds.has(runId)) this.begin(runId, runId);
    const key = `${runId}\0${pipe}`;
    let decoder = this.decoders.get(key);
    if (!decoder) {
      decoder = new TextDecoder('utf-8');
      this.decoders.set(key, decoder);
    }
    let text =
      (this.partials.get(key) ?? '') +
      (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    const nl = text.lastIndexOf('\n');
    this.partials.set(key, text.slice(nl + 1));
    text = text.slice(0, nl + 1);
    if (text === '') return;
    const stream = this.streamIds.get(runId)!;
    this.enqueue(runId, async () =>
      this.store.apply(runId, await this.worker.request('raceStreamPush', { stream, text })),
    );
    clearTimeout(this.timers.get(runId));
    this.timers.set(
      runId,
      setTimeout(
        () =>
          this.enqueue(runId, async () =>
            this.store.apply(runId, await this.worker.request('raceStreamSettle', { stream })),
          ),
        SETTLE_MS,
      ),
    );
  }

  /** The run's output ended. Resolves when its last reports are in the store. */
  end(runId: string): Promise<void> {
    const stream = this.streamIds.get(runId);
    if (!stream) return Promise.resolve();
    clearTimeout(this.timers.get(runId));
    for (const [key, decoder] of this.decoders) {
      if (!key.startsWith(runId + '\0')) continue;
      const tail = (this.partials.get(key) ?? '') + decoder.decode();
      if (tail)
        this.enqueue(runId, async () =>
          this.store.apply(
            runId,
            await this.worker.request('raceStreamPush', { stream, text: tail + '\n' }),
          ),
        );
      this.decoders.delete(key);
      this.partials.delete(key);
    }
    this.enqueue(runId, async () => {
      const r = await this.worker.request('raceStreamEnd', { stream });
      this.store.apply(runId, r.events);
      this.store.finished(runId, r.warnings, r.warningCount);
    });
    this.streamIds.delete(runId);
    return this.queues.get(runId) ?? Promise.resolve();
  }

  private enqueue(runId: string, step: () => Promise<void>): void {
    const prev = this.queues.get(runId) ?? Promise.resolve();
    const next = prev
      .then(step)
      .catch((err: unknown) => this.onError(err instanceof Error ? err.message : String(err)));
    this.queues.set(runId, next);
  }
}
