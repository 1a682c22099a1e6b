// The Data Races view: one entry per distinct race (its two sites, how often, which tests),
// expanding to both accesses' stacks, the goroutines' creation stacks and the location; a
// click on a frame opens its line, a click on a race opens the two stacks side by side.
import * as vscode from 'vscode';
import {
  accessKindText,
  goroutineName,
  siteName,
  type DistinctRace,
  type FrameView,
} from '../../core/races';
import type { SourceLocation } from '../../protocol/source';
import { userSite } from './locations';
import type { RaceStore, ShownRace } from './store';

export const RACE_COMMANDS = {
  openFrame: 'goLens.races.openFrame',
  showDetail: 'goLens.races.showDetail',
} as const;

export type RaceNode =
  | { kind: 'race'; shown: ShownRace }
  | { kind: 'access'; race: DistinctRace; index: number }
  | { kind: 'goroutine'; race: DistinctRace; index: number }
  | { kind: 'location'; race: DistinctRace }
  | { kind: 'tests'; race: DistinctRace }
  | { kind: 'frame'; frame: FrameView }
  | { kind: 'warnings'; text: string; detail: string }
  | { kind: 'running'; label: string };

function shortFile(f: FrameView): string {
  const parts = f.file.replace(/\\/g, '/').split('/');
  return `${parts[parts.length - 1]}:${f.line}`;
}

function frameItem(f: FrameView): vscode.TreeItem {
  const item = new vscode.TreeItem(f.func, vscode.TreeItemCollapsibleState.None);
  item.description = shortFile(f);
  item.tooltip = `${f.func}\n${f.file}:${f.line}`;
  item.contextValue = 'raceFrame';
  if (f.file && f.line > 0) {
    const loc: SourceLocation = { func: f.func, file: f.file, line: f.line };
    item.command = { command: RACE_COMMANDS.openFrame, title: 'Open Source', arguments: [loc] };
  }
  return item;
}

export class RaceTreeProvider implements vscode.TreeDataProvider<RaceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RaceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: RaceStore) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: RaceNode): RaceNode[] {
    if (!node) {
      const out: RaceNode[] = [];
      for (const s of this.store.allSources()) {
        if (s.running)
          out.push({ kind: 'running', label: `${s.label}: running with the race detector…` });
        if (s.warningCount > 0) {
          out.push({
            kind: 'warnings',
            text: `${s.label}: ${s.warningCount} part${s.warningCount === 1 ? '' : 's'} could not be read`,
            detail: s.warnings
              .slice(0, 10)
              .map((w) => `line ${w.line}: ${w.message}`)
              .join('\n'),
          });
        }
      }
      for (const shown of this.store.races()) out.push({ kind: 'race', shown });
      return out;
    }
    switch (node.kind) {
      case 'race': {
        const r = node.shown.race.report;
        const out: RaceNode[] = r.accesses.map((_, index) => ({
          kind: 'access' as const,
          race: node.shown.race,
          index,
        }));
        r.goroutines.forEach((_, index) =>
          out.push({ kind: 'goroutine', race: node.shown.race, index }),
        );
        if (r.location) out.push({ kind: 'location', race: node.shown.race });
        if (node.shown.race.tests.length > 0) out.push({ kind: 'tests', race: node.shown.race });
        return out;
      }
      case 'access':
        return node.race.report.accesses[node.index].frames.map((frame) => ({
          kind: 'frame',
          frame,
        }));
      case 'goroutine':
        return node.race.report.goroutines[node.index].createdAt.map((frame) => ({
          kind: 'frame',
          frame,
        }));
      case 'location':
        return node.race.report.location!.allocatedAt.map((frame) => ({ kind: 'frame', frame }));
      default:
        return [];
    }
  }

  getTreeItem(node: RaceNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'race': {
        const d = node.shown.race;
        const [a, b] = d.report.accesses;
        const item = new vscode.TreeItem(
          `${siteName(a)}${b ? ` ⇄ ${siteName(b)}` : ''}`,
          C.Collapsed,
        );
        const facts = [`${d.count}×`];
        if (d.runs > 1) facts.push(`${d.runs} runs`);
        if (d.tests.length) facts.push(d.tests.join(', '));
        item.description = facts.join(' · ');
        const site = userSite(a, d.report);
        item.tooltip = new vscode.MarkdownString(
          [
            `**Data race** — ${d.count} report${d.count === 1 ? '' : 's'}`,
            ...d.report.accesses.map(
              (x) =>
                `- ${x.previous ? 'previous ' : ''}${accessKindText(x)} by ${goroutineName(x.goroutine)} in \`${siteName(x)}\``,
            ),
            site ? `\n${site.file}:${site.line}` : '',
            `\nSeen in: ${node.shown.sources.join(', ')}`,
          ].join('\n'),
        );
        item.iconPath = new vscode.ThemeIcon(
          'debug-alt',
          new vscode.ThemeColor('problemsWarningIcon.foreground'),
        );
        item.contextValue = 'race';
        item.id = `race:${d.key}`;
        item.command = {
          command: RACE_COMMANDS.showDetail,
          title: 'Show Both Stacks',
          arguments: [d.key],
        };
        return item;
      }
      case 'access': {
        const a = node.race.report.accesses[node.index];
        const item = new vscode.TreeItem(
          `${a.previous ? 'Previous ' : ''}${accessKindText(a)} by ${goroutineName(a.goroutine)}`,
          a.frames.length ? C.Expanded : C.None,
        );
        item.description = a.stackRestored ? `at ${a.address}` : '[failed to restore the stack]';
        item.iconPath = new vscode.ThemeIcon(a.kind === 'write' ? 'edit' : 'eye');
        return item;
      }
      case 'goroutine': {
        const g = node.race.report.goroutines[node.index];
        const item = new vscode.TreeItem(
          `Goroutine ${g.id} (${g.state}) created at`,
          g.createdAt.length ? C.Collapsed : C.None,
        );
        item.iconPath = new vscode.ThemeIcon('symbol-event');
        return item;
      }
      case 'location': {
        const l = node.race.report.location!;
        const item = new vscode.TreeItem(
          `Location: ${l.text}`,
          l.allocatedAt.length ? C.Collapsed : C.None,
        );
        item.iconPath = new vscode.ThemeIcon('symbol-variable');
        return item;
      }
      case 'tests': {
        const item = new vscode.TreeItem(`Tests: ${node.race.tests.join(', ')}`, C.None);
        item.iconPath = new vscode.ThemeIcon('beaker');
        return item;
      }
      case 'frame':
        return frameItem(node.frame);
      case 'warnings': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'running': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
