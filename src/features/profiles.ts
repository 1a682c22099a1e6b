// pprof profiles: the capture commands, "Open Profile…", and the flame graph custom editor.
import * as vscode from 'vscode';
import { ENDPOINTS } from '../core/collect/endpoints';
import { PROFILE_VIEW_TYPE, ProfileEditorProvider } from '../editors/profile-editor';
import { captureFromTarget } from '../commands/capture';
import type { GoLensServices } from '../services';

async function openProfileFile(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open Profile',
    title: 'Open a Go profile',
    filters: {
      'Go profiles': ['pprof', 'gz', 'prof', 'pb'],
      'perf recordings and folded stacks': ['data', 'perf', 'script', 'txt', 'folded', 'collapsed'],
      'All files': ['*'],
    },
  });
  if (picked?.[0])
    await vscode.commands.executeCommand('vscode.openWith', picked[0], PROFILE_VIEW_TYPE);
}

/** Beside the code being worked on; in the current group when no editor is open. */
export function besideColumn(): vscode.ViewColumn {
  return vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}

export function registerProfiles(services: GoLensServices): void {
  const { context } = services;
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(
      PROFILE_VIEW_TYPE,
      new ProfileEditorProvider(services),
      {
        supportsMultipleEditorsPerDocument: true,
      },
    ),
    vscode.commands.registerCommand('goLens.captureCpuProfile', async () => {
      const captured = await captureFromTarget(context, ENDPOINTS.cpu);
      if (captured)
        await vscode.commands.executeCommand(
          'vscode.openWith',
          captured.uri,
          PROFILE_VIEW_TYPE,
          besideColumn(),
        );
    }),
    vscode.commands.registerCommand('goLens.openProfile', openProfileFile),
  );
}
