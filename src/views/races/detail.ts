// A race read the way a person reads a report: the two accesses' stacks side by side (common
// outer frames folded), then the two goroutines' creation stacks side by side, the location
// and where the race was seen. A read-only virtual document (golens-race:), so it opens in
// an editor tab, can be split and searched, and needs no webview.
import * as vscode from 'vscode';
import { accessKindText, describeRace, goroutineName, sideBySideText } from '../../core/races';
import type { RaceStore } from './store';

export const RACE_DETAIL_SCHEME = 'golens-race';

export class RaceDetailProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: RaceStore) {
    this.subscription = store.onDidChange(() => {
      for (const u of this.open) this.changed.fire(vscode.Uri.parse(u));
    });
  }

  static uri(key: string, title: string): vscode.Uri {
    const name = title.replace(/[^\w.()*⇄ -]+/g, '_').slice(0, 80);
    return vscode.Uri.from({
      scheme: RACE_DETAIL_SCHEME,
      path: `/${name}.race`,
      query: encodeURIComponent(key),
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.open.add(uri.toString());
    const key = decodeURIComponent(uri.query);
    const shown = this.store.find(key);
    if (!shown)
      return 'This race is no longer loaded (a rerun no longer shows it, or the races were cleared).';
    const d = shown.race;
    const r = d.report;
    const out: string[] = [describeRace(d, 0), ''];
    const [a, b] = r.accesses;
    const title = (x: typeof a) => {
      const t = `${x.previous ? 'previous ' : ''}${accessKindText(x)} by ${goroutineName(x.goroutine)}${x.stackRestored ? '' : ' [failed to restore the stack]'}`;
      return t[0].toUpperCase() + t.slice(1);
    };
    if (a && b) out.push(sideBySideText(title(a), a.frames, title(b), b.frames), '');
    const ga = r.goroutines.find((g) => g.id === a?.goroutine);
    const gb = r.goroutines.find((g) => g.id === b?.goroutine);
    if (ga || gb) {
      const gt = (g: typeof ga, id: number | undefined) =>
        g
          ? `Goroutine ${g.id} (${g.state}) created at`
          : `${goroutineName(id)} (not created by the program)`;
      out.push(
        sideBySideText(
          gt(ga, a?.goroutine),
          ga?.createdAt ?? [],
          gt(gb, b?.goroutine),
          gb?.createdAt ?? [],
        ),
        '',
      );
    }
    for (const m of r.mutexes)
      out.push(
        `Mutex ${m.name} (${m.address}) created at:`,
        ...m.createdAt.map((f) => `    ${f.func}  ${f.file}:${f.line}`),
        '',
      );
    if (r.location)
      out.push(
        `Location: ${r.location.text}`,
        ...r.location.allocatedAt.map((f) => `    ${f.func}  ${f.file}:${f.line}`),
        '',
      );
    out.push(`Reports: ${d.count}${d.runs > 1 ? ` in ${d.runs} runs` : ''}`);
    if (d.tests.length) out.push(`Tests: ${d.tests.join(', ')}`);
    out.push(`Seen in: ${shown.sources.join(', ')}`);
    return out.join('\n') + '\n';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
