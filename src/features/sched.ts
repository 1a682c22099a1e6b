// GODEBUG scheduler and GC traces: "Run with Scheduler Trace" (a live dashboard, the program's
// own output in a terminal), "Open Scheduler Trace Log…" (the same dashboard over a saved stderr
// log, also a custom editor for *.schedtrace files), and Stop / Restart / Save Log for the
// dashboard in front.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GoLensServices } from '../services';
import { pickTarget } from '../run/launch';
import { rememberedOptions } from '../run/launch-picker';
import { SCHED_LOG_VIEW_TYPE, SchedDashboard } from '../views/sched/dashboard';
import { SchedLogEditorProvider } from '../editors/sched-log-editor';

async function pickLogFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    canSelectMany: false,
    openLabel: 'Open Scheduler Trace Log',
    title: "Open a program's stderr log with GODEBUG schedtrace/gctrace lines",
    filters: { Logs: ['log', 'txt', 'schedtrace', 'out', 'err'], 'All files': ['*'] },
  });
  return picked?.[0];
}

export function registerSched(services: GoLensServices): void {
  const { context } = services;
  const storageDir = join((context.storageUri ?? context.globalStorageUri).fsPath, 'schedtrace');
  const updateContext = () => {
    const d = SchedDashboard.current();
    void vscode.commands.executeCommand(
      'setContext',
      'goLens.schedTrace.running',
      !!d && d.isLive && d.isRunning,
    );
    void vscode.commands.executeCommand(
      'setContext',
      'goLens.schedTrace.canRestart',
      !!d && d.isLive,
    );
    void vscode.commands.executeCommand('setContext', 'goLens.schedTrace.hasDashboard', !!d);
  };
  SchedDashboard.onDidChange = updateContext;
  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(
      SCHED_LOG_VIEW_TYPE,
      new SchedLogEditorProvider(services),
      { supportsMultipleEditorsPerDocument: true },
    ),
    // No serializer for live dashboards: after a window reload their program is gone, so the
    // panel is not restored. On shutdown every run's process group is killed.
    { dispose: () => SchedDashboard.killAll() },
  );

  command('goLens.runWithSchedTrace', async () => {
    if (!vscode.workspace.isTrusted) {
      // package.json declares untrustedWorkspaces "limited": programs never run in Restricted Mode.
      const manage = 'Manage Workspace Trust';
      const answer = await vscode.window.showWarningMessage(
        'Go Lens does not run programs in Restricted Mode: building and running code from an untrusted folder could execute anything. Trust the workspace to use Run with Scheduler Trace; saved trace logs still open (Go Lens: Open Scheduler Trace Log…).',
        manage,
      );
      if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const target = await pickTarget();
    if (!target) return;
    // The launcher with the scheduler trace on: the run also gets the configuration's other
    // remembered options (profiling endpoints by default), so captures can pick it.
    SchedDashboard.startLive(
      context.extensionUri,
      {
        ...target,
        options: { ...rememberedOptions(context.workspaceState, target), schedTrace: true },
      },
      storageDir,
    );
    updateContext();
  });
  command('goLens.openSchedTraceLog', async (uri?: vscode.Uri) => {
    // From the Explorer's context menu the file comes as an argument.
    const file = uri instanceof vscode.Uri ? uri : await pickLogFile();
    if (file)
      await vscode.commands.executeCommand(
        'vscode.openWith',
        file,
        SCHED_LOG_VIEW_TYPE,
        vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
      );
  });
  command('goLens.schedTrace.stop', () => SchedDashboard.current()?.stop());
  command('goLens.schedTrace.restart', () => SchedDashboard.current()?.restart());
  command('goLens.schedTrace.saveLog', () => SchedDashboard.current()?.saveLog());
  updateContext();
}
