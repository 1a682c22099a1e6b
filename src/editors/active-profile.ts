// The profile the user is looking at: the last focused profile view, with its sample type and
// filters. Editor annotations (line costs, CodeLens, hovers) follow it.
import * as vscode from 'vscode';
import type { DiffBase, LoadedProfile, ViewQuery } from '../worker/profile-protocol';
import type { ParseWorkerClient } from '../worker/client';

export interface ActiveProfile {
  /** The profile file (or, for a diff, the newer profile). */
  uri: vscode.Uri;
  title: string;
  profile: LoadedProfile;
  /** `worker.generation` when the handle was made: a restarted worker has forgotten it. */
  generation: number;
  query: ViewQuery;
  /** Set when the view is a diff: per-line deltas come from comparing against it. */
  base?: DiffBase & { uri: vscode.Uri; profile: LoadedProfile };
}

/** One per extension: which profile view was focused last, and what it shows. */
export class ActiveProfiles implements vscode.Disposable {
  private current: ActiveProfile | undefined;
  private readonly emitter = new vscode.EventEmitter<ActiveProfile | undefined>();
  /** Fires when another profile becomes active, or the active one's sample type or filters change. */
  readonly onDidChange = this.emitter.event;

  constructor(readonly worker: ParseWorkerClient) {}

  get active(): ActiveProfile | undefined {
    if (this.current && this.current.generation !== this.worker.generation)
      this.current = undefined;
    return this.current;
  }

  /** A view became active or changed what it shows. */
  set(profile: ActiveProfile): void {
    this.current = profile;
    this.emitter.fire(profile);
  }

  /** A view closed: if it was the active one, nothing is active any more. */
  clear(uri: vscode.Uri): void {
    if (this.current && this.current.uri.toString() === uri.toString()) {
      this.current = undefined;
      this.emitter.fire(undefined);
    }
  }

  /** "Go Lens: Clear Profile Annotations": forget the active profile until a view is focused again. */
  clearAll(): void {
    this.current = undefined;
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
