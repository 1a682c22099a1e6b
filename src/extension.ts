// Go Lens: activation registers commands, editors and views — nothing is parsed or started
// until the user asks for it.
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { PROFILE_VIEW_TYPE, ProfileEditorProvider } from './editors/profile-editor';
import { watchModules } from './editors/open-source';
import { resetGoEnv } from './toolchain/go-env';
import { ParseWorkerClient } from './worker/client';

export function activate(context: vscode.ExtensionContext): void {
  const worker = new ParseWorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  context.subscriptions.push({ dispose: () => worker.dispose() });

  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(PROFILE_VIEW_TYPE, new ProfileEditorProvider(context.extensionUri, worker), {
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  registerCommands(context);
  watchModules(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('go.goroot') || e.affectsConfiguration('go.alternateTools')) resetGoEnv();
    }),
  );
}

export function deactivate(): void {}
