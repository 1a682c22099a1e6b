// The programs Go Lens is running with profiling endpoints: every capture command offers them
// first (the most recent first), and the Goroutines view's refresh uses the most recent one.
// Also the hook through which other features follow a run's output as it arrives (the race
// detector's collector): onRunOutput / onRunEnd. No vscode here.
import { parseTarget, type Target } from '../core/collect/target';
import { attachUrls, type AttachInfo } from './attach';
import type { PreparedRun } from './launch';
import type { TracedProcess } from './traced-process';

/** A capture target that is a run of Go Lens's launcher (CONTRACTS.md §1: `flightRecorder`). */
export type RunTarget = Target & { flightRecorder?: string };

export interface LiveRun {
  id: number;
  /** The configuration's name. */
  label: string;
  pid: number | undefined;
  target: RunTarget;
  info: AttachInfo;
  startedAt: number;
}

/** What output listeners learn when a run starts: which run, and whether it was built with -race. */
export interface RunStart {
  id: number;
  label: string;
  race: boolean;
}

type Listener<T extends unknown[]> = (...args: T) => void;

class LiveRunRegistry {
  private readonly runs: LiveRun[] = [];
  private readonly changeListeners = new Set<Listener<[]>>();
  private readonly outputListeners = new Set<Listener<[number, Uint8Array, 'stdout' | 'stderr']>>();
  private readonly endListeners = new Set<Listener<[number]>>();
  private readonly startListeners = new Set<Listener<[RunStart]>>();
  private nextId = 1;

  /** A new run id (for output listeners), before it has endpoints. */
  newId(): number {
    return this.nextId++;
  }

  /** The live runs with endpoints, the most recent first. */
  list(): readonly LiveRun[] {
    return this.runs.slice().reverse();
  }

  latest(): LiveRun | undefined {
    return this.runs[this.runs.length - 1];
  }

  add(run: LiveRun): void {
    this.runs.push(run);
    this.fire();
  }

  remove(id: number): void {
    const i = this.runs.findIndex((r) => r.id === id);
    if (i >= 0) {
      this.runs.splice(i, 1);
      this.fire();
    }
  }

  onDidChange(l: Listener<[]>): { dispose(): void } {
    this.changeListeners.add(l);
    return { dispose: () => this.changeListeners.delete(l) };
  }

  /** A run's program started (before any of its output). */
  onRunStart(l: Listener<[RunStart]>): { dispose(): void } {
    this.startListeners.add(l);
    return { dispose: () => this.startListeners.delete(l) };
  }

  started(run: RunStart): void {
    for (const l of this.startListeners) l(run);
  }

  /** Every chunk of every run's output as it arrives (runId, bytes, stream). */
  onRunOutput(l: Listener<[number, Uint8Array, 'stdout' | 'stderr']>): { dispose(): void } {
    this.outputListeners.add(l);
    return { dispose: () => this.outputListeners.delete(l) };
  }

  /** A run ended (after its last output). */
  onRunEnd(l: Listener<[number]>): { dispose(): void } {
    this.endListeners.add(l);
    return { dispose: () => this.endListeners.delete(l) };
  }

  output(id: number, chunk: Uint8Array, stream: 'stdout' | 'stderr'): void {
    for (const l of this.outputListeners) l(id, chunk, stream);
  }

  ended(id: number): void {
    this.remove(id);
    for (const l of this.endListeners) l(id);
  }

  private fire(): void {
    for (const l of this.changeListeners) l();
  }
}

export const liveRuns = new LiveRunRegistry();

/** The capture target of a run whose overlay reported `info`. */
export function runTarget(label: string, info: AttachInfo): RunTarget | undefined {
  const urls = attachUrls(info);
  if (!urls) return undefined;
  const t = parseTarget(urls.pprof, label);
  // Captures of different runs of one configuration group under its name, not a random port.
  return {
    ...t,
    slug: `run-${label.replace(/[^a-zA-Z0-9.-]+/g, '_')}`,
    flightRecorder: urls.flightRecorder,
  };
}

/**
 * Waits for the overlay's report of a started run and registers it as a live target until it
 * exits. Resolves to the registered run, or undefined when it exited first or reported a failure.
 */
export async function registerWhenAttached(
  id: number,
  label: string,
  prepared: PreparedRun,
  run: TracedProcess,
): Promise<LiveRun | undefined> {
  if (!prepared.attach) return undefined;
  const info = await prepared.attach.wait(run.exited);
  if (!info || !run.running) return undefined;
  const target = runTarget(label, info);
  if (!target) return undefined;
  const live: LiveRun = { id, label, pid: run.pid, target, info, startedAt: Date.now() };
  liveRuns.add(live);
  void run.exited.then(() => liveRuns.remove(id));
  return live;
}
