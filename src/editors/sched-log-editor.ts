// Saved scheduler-trace logs (*.schedtrace, and any log opened with "Open Scheduler Trace Log…")
// open as a read-only custom editor showing the scheduler dashboard over the file.
import * as vscode from 'vscode';
import { ReadonlyDocument } from './readonly-document';
import type { GoLensServices } from '../services';
import { SchedDashboard } from '../views/sched/dashboard';

/** The custom editor for scheduler-trace logs: one dashboard per open editor. */
export class SchedLogEditorProvider implements vscode.CustomReadonlyEditorProvider<ReadonlyDocument> {
  constructor(private readonly services: GoLensServices) {}

  openCustomDocument(uri: vscode.Uri): ReadonlyDocument {
    return new ReadonlyDocument(uri);
  }

  resolveCustomEditor(document: ReadonlyDocument, panel: vscode.WebviewPanel): void {
    SchedDashboard.showLog(
      panel,
      this.services.context.extensionUri,
      document.uri,
      this.services.worker,
    );
  }
}
