// "Symbolize with Executable…": a profile whose frames are bare addresses (a stripped build's
// profile, a legacy profile) named from the program's executable, as `go tool pprof EXE PROFILE`
// does. The lookup runs `go tool addr2line` in the parse worker; the executable is picked in a
// dialog that starts in `goLens.symbolize.buildOutputFolder`.
import { basename, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { openLoadedProfile } from '../editors/profile-editor';
import type { GoLensServices } from '../services';
import { goCommand } from '../toolchain/go-env';
import { besideColumn } from './profiles';

/** Where the dialog starts: the build output folder setting (relative to the workspace), else the workspace. */
function startFolder(): vscode.Uri | undefined {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  const setting = vscode.workspace
    .getConfiguration('goLens')
    .get<string>('symbolize.buildOutputFolder', '')
    .trim();
  if (setting)
    return vscode.Uri.file(isAbsolute(setting) || !ws ? setting : join(ws.fsPath, setting));
  return ws;
}

export function registerSymbolize(services: GoLensServices): void {
  const { context, worker, activeProfiles } = services;
  context.subscriptions.push(
    vscode.commands.registerCommand('goLens.symbolizeProfile', async (arg?: vscode.Uri) => {
      const profile = arg instanceof vscode.Uri ? arg : activeProfiles.active?.uri;
      if (!profile || profile.scheme !== 'file') {
        void vscode.window.showInformationMessage(
          'Go Lens: open a profile file first (Go Lens: Open Profile…), then symbolize it with the executable that wrote it.',
        );
        return;
      }
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(
          'Go Lens: symbolizing runs "go tool addr2line" on the executable; trust this workspace to allow it.',
        );
        return;
      }
      const picked = await vscode.window.showOpenDialog({
        defaultUri: startFolder(),
        canSelectMany: false,
        openLabel: 'Symbolize',
        title: `Symbolize ${basename(profile.fsPath)} with the program's executable (the build that wrote the profile)`,
      });
      const exe = picked?.[0];
      if (!exe) return;
      const { binary: go } = goCommand();
      openLoadedProfile(
        `${basename(profile.fsPath)} · ${basename(exe.fsPath)}`,
        () =>
          worker.request('loadProfile', {
            path: profile.fsPath,
            binary: exe.fsPath,
            goCommand: go,
          }),
        services,
        besideColumn(),
      );
    }),
  );
}
