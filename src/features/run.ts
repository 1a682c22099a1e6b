// Go Lens: Run… — one launcher for any Go program, its tests, a goLens.runConfigurations entry or
// a launch.json configuration, with options (profiling endpoints, flight recorder, scheduler
// trace, race detector, core on crash, perf) remembered per configuration. CodeLenses on
// `func main()` and on tests; Stop / Restart / Show Output for the most recent run; a status bar
// item while one runs. Restricted Mode launches nothing.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { findTestFunctions } from '../commands/profile-test-args';
import type { GoLensServices } from '../services';
import type { LaunchOptions, LaunchTarget } from '../run/launch';
import {
  pickLaunchOptions,
  pickLaunchTarget,
  rememberedOptions,
  rememberOptions,
} from '../run/launch-picker';
import { liveRuns } from '../run/live-runs';
import { RunSession, type RunHooks } from '../run/run-session';
import { SchedDashboard } from '../views/sched/dashboard';

/** Arguments of goLens.run from a CodeLens, a test or another extension. */
export interface RunCommandArgs {
  /** A package directory to run (or whose tests to run). */
  dir?: string;
  test?: boolean;
  /** Test binary arguments, e.g. ["-test.run", "^TestX$"]. */
  testArgs?: string[];
  /** Ask for the options even though the target is given. */
  askOptions?: boolean;
  /** Options for this run (over the remembered ones); nothing is asked. */
  options?: Partial<LaunchOptions>;
}

let startSession:
  ((target: LaunchTarget, options: LaunchOptions, hooks?: RunHooks) => RunSession) | undefined;

/**
 * Starts a run in the launcher's own sessions (its terminal, Stop, Restart and status bar), for
 * a mode of the launcher that adds `hooks` around each run (Profile Test).
 */
export function startRunSession(
  target: LaunchTarget,
  options: LaunchOptions,
  hooks?: RunHooks,
): RunSession {
  if (!startSession) throw new Error('Go Lens: the launcher is not registered yet.');
  return startSession(target, options, hooks);
}

/** Says why nothing runs in Restricted Mode; true when the workspace is trusted. */
export async function trustedToRun(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const answer = await vscode.window.showWarningMessage(
    `Go Lens does not run programs in Restricted Mode: building and running code from an untrusted folder could execute anything. Trust the workspace to use ${what}; saved profiles, traces and dumps still open.`,
    manage,
  );
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

const MAIN_FUNC = /^func main\(\)\s*\{/m;
const PACKAGE_MAIN = /^package main\b/m;

class RunLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void {
    this.changed.fire();
  }
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file') return [];
    const text = doc.getText();
    const dir = dirname(doc.uri.fsPath);
    if (doc.uri.path.endsWith('_test.go')) {
      return findTestFunctions(text)
        .filter((fn) => !fn.benchmark)
        .map(
          (fn) =>
            new vscode.CodeLens(new vscode.Range(fn.line, 0, fn.line, 0), {
              title: '$(play) run with Go Lens',
              command: 'goLens.run',
              arguments: [
                {
                  dir,
                  test: true,
                  testArgs: ['-test.run', `^${fn.name}$`],
                  askOptions: true,
                } satisfies RunCommandArgs,
              ],
              tooltip: `Go Lens: run ${fn.name} (go test -c) with profiling endpoints and the options you choose`,
            }),
        );
    }
    const m = MAIN_FUNC.exec(text);
    if (!m || !PACKAGE_MAIN.test(text)) return [];
    const line = doc.positionAt(m.index).line;
    const range = new vscode.Range(line, 0, line, 0);
    return [
      new vscode.CodeLens(range, {
        title: '$(play) Run with Go Lens',
        command: 'goLens.run',
        arguments: [{ dir } satisfies RunCommandArgs],
        tooltip: 'Build and run this package with profiling endpoints (options remembered)',
      }),
      new vscode.CodeLens(range, {
        title: 'options…',
        command: 'goLens.run',
        arguments: [{ dir, askOptions: true } satisfies RunCommandArgs],
        tooltip: 'Choose what the run adds',
      }),
    ];
  }
}

export function registerRun({ context }: GoLensServices): void {
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const sessions: RunSession[] = [];
  const status = vscode.window.createStatusBarItem(
    'goLens.run',
    vscode.StatusBarAlignment.Left,
    50,
  );
  status.name = 'Go Lens run';
  const update = () => {
    const running = sessions.filter((s) => s.running);
    const latest = running[running.length - 1];
    void vscode.commands.executeCommand('setContext', 'goLens.run.running', !!latest);
    void vscode.commands.executeCommand('setContext', 'goLens.run.hasRun', sessions.length > 0);
    if (!latest) return status.hide();
    status.text = `$(debug-stop) ${latest.label}${running.length > 1 ? ` (+${running.length - 1})` : ''}`;
    status.tooltip = `Go Lens: ${latest.label} is running${latest.pid ? `, pid ${latest.pid}` : ''}${latest.liveRun ? `\nEndpoints: ${latest.liveRun.target.baseUrl}` : ''}\nClick to stop it.`;
    status.command = 'goLens.run.stop';
    status.show();
  };
  const lenses = new RunLenses();
  context.subscriptions.push(
    status,
    vscode.languages.registerCodeLensProvider({ language: 'go', scheme: 'file' }, lenses),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
    liveRuns.onDidChange(update),
    { dispose: () => sessions.forEach((s) => s.kill()) },
  );

  const launch = (target: LaunchTarget, options: LaunchOptions) => {
    if (options.schedTrace) {
      // The scheduler dashboard owns runs with the scheduler trace (its charts read their stderr).
      SchedDashboard.startLive(
        context.extensionUri,
        { ...target, options },
        join(storage, 'schedtrace'),
      );
      return;
    }
    startRunSession(target, options);
  };
  startSession = (target, options, hooks) => {
    const session = new RunSession(join(storage, 'runs'), target, options, update, hooks);
    sessions.push(session);
    // Finished runs are forgotten beyond the last 10 (their terminals stay until closed).
    while (sessions.length > 10 && !sessions[0].running) sessions.shift();
    void session.start();
    return session;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goLens.run', async (args?: RunCommandArgs) => {
      if (!(await trustedToRun('Go Lens: Run…'))) return;
      let target: LaunchTarget | undefined;
      if (args?.dir) {
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.dir));
        target = args.test
          ? { kind: 'test', dir: args.dir, folder, testArgs: args.testArgs }
          : { kind: 'package', dir: args.dir, folder };
      } else {
        target = await pickLaunchTarget('Go Lens: Run…');
      }
      if (!target) return;
      let options: LaunchOptions | undefined = {
        ...rememberedOptions(context.workspaceState, target),
        ...args?.options,
      };
      if (!args?.dir || args.askOptions) options = await pickLaunchOptions(target, options);
      if (!options) return;
      if (!args?.options) await rememberOptions(context.workspaceState, target, options);
      launch(target, options);
    }),
    vscode.commands.registerCommand('goLens.run.stop', async () => {
      const running = sessions.filter((s) => s.running);
      const s = running.length > 1 ? await pickSession(running, 'Stop which run?') : running[0];
      await s?.stop();
    }),
    vscode.commands.registerCommand('goLens.run.restart', async () => {
      const s = sessions[sessions.length - 1];
      if (!s)
        return void vscode.window.showInformationMessage(
          'Go Lens: nothing was run yet. Use Go Lens: Run….',
        );
      await s.restart();
    }),
    vscode.commands.registerCommand('goLens.run.showOutput', () =>
      sessions[sessions.length - 1]?.showTerminal(),
    ),
  );
  update();
}

async function pickSession(list: RunSession[], title: string): Promise<RunSession | undefined> {
  const picked = await vscode.window.showQuickPick(
    list
      .slice()
      .reverse()
      .map((s) => ({ label: s.label, description: s.pid ? `pid ${s.pid}` : s.state, session: s })),
    { title },
  );
  return picked?.session;
}
