// The document of every read-only custom editor (profiles, traces, scheduler logs): only its
// file; each open editor reads what it shows itself.
import type * as vscode from 'vscode';

export class ReadonlyDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}
