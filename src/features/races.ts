// Data races: "Run Tests with Race Detector" (and a "race" CodeLens on each test), "Run Program
// with Race Detector", "Open Race Report…", "Paste Race Report from Clipboard"; every distinct
// race in the Problems panel at both accesses, in the Data Races view, in a side-by-side
// detail and in a hover on the racing line.
//
// `raceCollector` is the API a launcher feeds with a run's output (see RaceCollector).
import * as vscode from 'vscode';
import {
  activeGoPackage,
  pickRaceProgram,
  raceRunId,
  RaceRunner,
  type RaceTarget,
} from '../commands/race-run';
import { findTestFunctions } from '../commands/profile-test-args';
import { describeRace } from '../core/races';
import { openSource } from '../editors/open-source';
import type { SourceLocation } from '../protocol/source';
import { liveRuns } from '../run/live-runs';
import type { GoLensServices } from '../services';
import { RaceDetailProvider, RACE_DETAIL_SCHEME } from '../views/races/detail';
import { RaceDiagnostics } from '../views/races/diagnostics';
import { FileResolver, LineTracker, userSite } from '../views/races/locations';
import { RaceCollector, RaceStore } from '../views/races/store';
import { RACE_COMMANDS, RaceTreeProvider } from '../views/races/tree';

/** Set when the feature registers: what a launcher feeds with a run's output. */
export let raceCollector: RaceCollector | undefined;

export const RACE_VIEW = 'goLens.races';

class RaceTestLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (
      !vscode.workspace.isTrusted ||
      doc.uri.scheme !== 'file' ||
      !doc.uri.path.endsWith('_test.go')
    )
      return [];
    return findTestFunctions(doc.getText())
      .filter((fn) => !fn.benchmark)
      .map(
        (fn) =>
          new vscode.CodeLens(new vscode.Range(fn.line, 0, fn.line, 0), {
            title: '$(debug-alt) race',
            command: 'goLens.runTestsWithRaceDetector',
            arguments: [doc.uri, fn.name],
            tooltip: `Go Lens: run ${fn.name} with the race detector (go test -race) and show its races in the Problems panel`,
          }),
      );
  }
}

async function pickReportFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    canSelectMany: false,
    openLabel: 'Open Race Report',
    title: 'Open go test -race output, a GORACE log_path file or a CI log',
    filters: { 'Logs and test output': ['txt', 'log', 'out', 'json'], 'All files': ['*'] },
  });
  return picked?.[0];
}

export function registerRaces({ context, worker }: GoLensServices): void {
  const store = new RaceStore();
  const files = new FileResolver();
  const lines = new LineTracker();
  const diagnostics = new RaceDiagnostics(store, files, lines);
  const tree = new RaceTreeProvider(store);
  const detail = new RaceDetailProvider(store);
  const collector = new RaceCollector(
    store,
    worker,
    (message) =>
      void vscode.window.showWarningMessage(
        `Go Lens could not read the race detector's output: ${message}`,
      ),
  );
  raceCollector = collector;
  const runner = new RaceRunner(
    collector,
    (running) => void vscode.commands.executeCommand('setContext', 'goLens.races.running', running),
  );
  const lenses = new RaceTestLenses();
  const view = vscode.window.createTreeView(RACE_VIEW, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const updateView = () => {
    const races = store.races();
    const reports = races.reduce((n, r) => n + r.race.count, 0);
    view.badge = races.length
      ? {
          value: races.length,
          tooltip: `${races.length} data race${races.length === 1 ? '' : 's'}`,
        }
      : undefined;
    view.description = races.length
      ? `${races.length} race${races.length === 1 ? '' : 's'}, ${reports} report${reports === 1 ? '' : 's'}`
      : undefined;
    void vscode.commands.executeCommand('setContext', 'goLens.races.loaded', races.length > 0);
  };
  context.subscriptions.push(
    store,
    lines,
    diagnostics,
    tree,
    detail,
    runner,
    view,
    store.onDidChange(updateView),
    vscode.workspace.registerTextDocumentContentProvider(RACE_DETAIL_SCHEME, detail),
    vscode.languages.registerCodeLensProvider({ language: 'go', scheme: 'file' }, lenses),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
    vscode.languages.registerHoverProvider(
      { language: 'go' },
      {
        provideHover(doc, position) {
          const marks = diagnostics.marksIn(doc.uri).filter((m) => m.current === position.line);
          if (marks.length === 0) return undefined;
          const md = new vscode.MarkdownString(undefined, true);
          md.isTrusted = { enabledCommands: [RACE_COMMANDS.showDetail, RACE_COMMANDS.openFrame] };
          for (const m of marks) {
            md.appendMarkdown(`**$(debug-alt) ${escapeMd(describeRace(m.race, m.access))}**\n\n`);
            const other = m.race.report.accesses[1 - m.access];
            const f = other && userSite(other, m.race.report);
            if (f) {
              const loc: SourceLocation = { func: f.func, file: f.file, line: f.line };
              md.appendMarkdown(
                `Other access: [${escapeMd(f.func)} — ${escapeMd(f.file.split('/').pop() ?? f.file)}:${f.line}](command:${RACE_COMMANDS.openFrame}?${encodeURIComponent(JSON.stringify([loc]))})  \n`,
              );
            }
            md.appendMarkdown(
              `[Show both stacks](command:${RACE_COMMANDS.showDetail}?${encodeURIComponent(JSON.stringify([m.race.key]))})\n\n`,
            );
          }
          return new vscode.Hover(md);
        },
      },
    ),
  );
  updateView();

  // Runs of the launcher (Go Lens: Run…) with the race detector option: their races arrive here
  // as the program prints them, like those of the race commands' own runs.
  const launcherRaceRuns = new Map<number, string>();
  context.subscriptions.push(
    liveRuns.onRunStart((run) => {
      if (!run.race) return;
      // One source per configuration: a rerun replaces the previous run's races.
      const source = `launcher-${run.label}`;
      launcherRaceRuns.set(run.id, source);
      collector.begin(source, run.label);
    }),
    liveRuns.onRunOutput((id, chunk, stream) => {
      const source = launcherRaceRuns.get(id);
      if (source) collector.feed(source, chunk, stream);
    }),
    liveRuns.onRunEnd((id) => {
      const source = launcherRaceRuns.get(id);
      launcherRaceRuns.delete(id);
      if (source) void collector.end(source);
    }),
  );

  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  const afterLoad = async (label: string, reports: number, warningCount: number) => {
    if (reports === 0) {
      void vscode.window.showInformationMessage(
        `Go Lens: ${label} has no race report (no "WARNING: DATA RACE" line)${warningCount ? '' : ''}. Run the program or tests with -race (go test -race ./...) and open their output, or a GORACE=log_path file.`,
      );
      return;
    }
    await vscode.commands.executeCommand(`${RACE_VIEW}.focus`);
  };

  command('goLens.openRaceReport', async (arg?: vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : await pickReportFile();
    if (!uri) return;
    const label = vscode.workspace.asRelativePath(uri, false);
    try {
      const loaded = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Reading races in ${label}`,
          cancellable: true,
        },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return uri.scheme === 'file'
            ? worker.request(
                'loadRaceLog',
                { path: uri.fsPath, source: uri.toString() },
                { signal: abort.signal, onProgress: (message) => progress.report({ message }) },
              )
            : vscode.workspace.fs
                .readFile(uri)
                .then((b) =>
                  worker.request(
                    'loadRaceLog',
                    { text: new TextDecoder().decode(b), source: uri.toString() },
                    { signal: abort.signal },
                  ),
                );
        },
      );
      store.loaded(`file:${uri.toString()}`, label, 'file', loaded);
      await afterLoad(label, loaded.reports, loaded.warningCount);
    } catch (err) {
      if (err instanceof Error && err.name === 'CancelledError') return;
      void vscode.window.showErrorMessage(
        `Go Lens could not read ${label}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  });
  command('goLens.pasteRaceReport', async () => {
    const text = await vscode.env.clipboard.readText();
    if (text.trim() === '') {
      void vscode.window.showInformationMessage(
        'Go Lens: the clipboard is empty. Copy a race report (from "WARNING: DATA RACE" to the closing "=====" line, or a whole test log), then paste again.',
      );
      return;
    }
    const loaded = await worker.request('loadRaceLog', { text, source: 'clipboard' });
    store.loaded('paste', 'the clipboard', 'paste', loaded);
    await afterLoad('the clipboard text', loaded.reports, loaded.warningCount);
  });
  command('goLens.runTestsWithRaceDetector', async (uri?: vscode.Uri, test?: string) => {
    const dir =
      uri instanceof vscode.Uri ? vscode.Uri.joinPath(uri, '..').fsPath : activeGoPackage();
    if (!dir) {
      void vscode.window.showInformationMessage(
        'Go Lens: open a Go file of the package whose tests to run with the race detector (or use the "race" CodeLens above a test).',
      );
      return;
    }
    await runner.run({ kind: 'tests', dir, test: typeof test === 'string' ? test : undefined });
  });
  command('goLens.runProgramWithRaceDetector', async () => {
    if (!vscode.workspace.isTrusted) return runner.run({ kind: 'program', dir: '' });
    const target = await pickRaceProgram();
    if (target) await runner.run(target);
  });
  command('goLens.races.stop', () => runner.stop());
  command('goLens.races.restart', () => runner.restart());
  command('goLens.races.clear', () => store.clear());
  command(RACE_COMMANDS.openFrame, async (loc?: SourceLocation) => {
    if (loc) await openSource(loc, undefined);
  });
  command(RACE_COMMANDS.showDetail, async (key?: string) => {
    const shown = typeof key === 'string' ? store.find(key) : undefined;
    if (!shown) return;
    const [a, b] = shown.race.report.accesses;
    const uri = RaceDetailProvider.uri(
      shown.race.key,
      `race ${a.frames[0]?.func.split('/').pop() ?? ''}${b ? ` ⇄ ${b.frames[0]?.func.split('/').pop() ?? ''}` : ''}`,
    );
    await vscode.window.showTextDocument(uri, {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  });
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}

export type { RaceTarget };
export { raceRunId };
