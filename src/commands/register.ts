// Every palette command of Go Lens, registered in one place.
import * as vscode from 'vscode';
import { ENDPOINTS } from '../core/collect/endpoints';
import { PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import { captureFromTarget } from './capture';

async function openProfileFile(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open Profile',
    title: 'Open a Go profile',
    filters: { 'Go profiles': ['pprof', 'gz', 'prof', 'pb'], 'All files': ['*'] },
  });
  if (picked?.[0]) await vscode.commands.executeCommand('vscode.openWith', picked[0], PROFILE_VIEW_TYPE);
}

export function registerCommands(context: vscode.ExtensionContext): void {
  const register = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  register('goLens.captureCpuProfile', async () => {
    const captured = await captureFromTarget(context, ENDPOINTS.cpu);
    // Beside the code being worked on; in the current group when no editor is open.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    if (captured) await vscode.commands.executeCommand('vscode.openWith', captured.uri, PROFILE_VIEW_TYPE, column);
  });
  register('goLens.openProfile', openProfileFile);
}
