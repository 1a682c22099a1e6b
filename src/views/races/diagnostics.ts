// The Problems panel: one diagnostic per distinct race at each of its two accesses (source
// "Go Lens race"), with the other access, both goroutines' creation sites and the allocation
// site as related information. Rebuilt when the races change; moved when the files are edited.
import * as vscode from 'vscode';
import { describeRace, goroutineName, type DistinctRace } from '../../core/races';
import {
  firstUserFrame,
  userSite,
  type FileResolver,
  type LineTracker,
  type RaceMark,
} from './locations';
import type { RaceStore } from './store';

export const RACE_DIAGNOSTIC_SOURCE = 'Go Lens race';

interface Related {
  uri: vscode.Uri;
  line: number;
  message: string;
}

interface Entry extends RaceMark {
  message: string;
  related: Related[];
}

export class RaceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('goLens.races');
  private entries: Entry[] = [];
  private building = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** The marks changed (new races, resolved files). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: RaceStore,
    private readonly files: FileResolver,
    private readonly lines: LineTracker,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => void this.rebuild()),
      lines.onDidMoveLines(() => this.publish()),
    );
  }

  /** The races' marks in a file, at their current lines. */
  marksIn(uri: vscode.Uri): (RaceMark & { current: number })[] {
    const key = uri.toString();
    return this.entries
      .filter((e) => e.uri.toString() === key)
      .map((e) => ({ ...e, current: this.lines.map(e.uri, e.line) }));
  }

  /** Where access `access` of a race is, if its file was found. */
  mark(raceKey: string, access: number): (RaceMark & { current: number }) | undefined {
    const e = this.entries.find((x) => x.race.key === raceKey && x.access === access);
    return e && { ...e, current: this.lines.map(e.uri, e.line) };
  }

  private async rebuild(): Promise<void> {
    const build = ++this.building;
    const generation = this.store.generation;
    const entries: Entry[] = [];
    for (const { race } of this.store.races()) entries.push(...(await this.entriesOf(race)));
    if (build !== this.building) return;
    if (generation !== this.lastGeneration) {
      this.lines.reset();
      this.lastGeneration = generation;
    }
    this.entries = entries;
    this.publish();
    this.changed.fire();
  }

  private lastGeneration = -1;

  private async entriesOf(race: DistinctRace): Promise<Entry[]> {
    const r = race.report;
    const related: Related[] = [];
    const sites: ({ uri: vscode.Uri; line: number } | undefined)[] = [];
    for (let i = 0; i < Math.min(2, r.accesses.length); i++) {
      const a = r.accesses[i];
      const f = userSite(a, r);
      const uri = f && (await this.files.resolve(f));
      sites.push(uri && f ? { uri, line: f.line - 1 } : undefined);
    }
    for (const g of r.goroutines) {
      const f = firstUserFrame(g.createdAt);
      const uri = f && (await this.files.resolve(f));
      if (uri && f)
        related.push({
          uri,
          line: f.line - 1,
          message: `${goroutineName(g.id)} (${g.state}) was created here`,
        });
    }
    if (r.location) {
      const f = firstUserFrame(r.location.allocatedAt);
      const uri = f && (await this.files.resolve(f));
      if (uri && f)
        related.push({
          uri,
          line: f.line - 1,
          message: `the racing memory was allocated here (${r.location.text})`,
        });
    }
    const out: Entry[] = [];
    sites.forEach((site, i) => {
      if (!site) return;
      const other = sites[1 - i];
      const otherAccess = r.accesses[1 - i];
      const rel: Related[] = [];
      if (other && otherAccess) {
        rel.push({
          uri: other.uri,
          line: other.line,
          message: `the other access: ${otherAccess.previous ? 'previous ' : ''}${otherAccess.kind} by ${goroutineName(otherAccess.goroutine)}`,
        });
      }
      out.push({
        uri: site.uri,
        line: site.line,
        race,
        access: i,
        message: describeRace(race, i),
        related: [...rel, ...related],
      });
    });
    return out;
  }

  private publish(): void {
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const e of this.entries) {
      const line = this.lines.map(e.uri, e.line);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
        e.message,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = RACE_DIAGNOSTIC_SOURCE;
      d.code = {
        value: 'data race',
        target: vscode.Uri.parse('https://go.dev/doc/articles/race_detector'),
      };
      d.relatedInformation = e.related.map((x) => {
        const l = this.lines.map(x.uri, x.line);
        return new vscode.DiagnosticRelatedInformation(
          new vscode.Location(x.uri, new vscode.Range(l, 0, l, Number.MAX_SAFE_INTEGER)),
          x.message,
        );
      });
      const key = e.uri.toString();
      const slot = byFile.get(key) ?? { uri: e.uri, list: [] };
      slot.list.push(d);
      byFile.set(key, slot);
    }
    this.collection.clear();
    for (const { uri, list } of byFile.values()) this.collection.set(uri, list);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
    this.changed.dispose();
  }
}
