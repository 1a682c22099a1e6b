// What every feature of Go Lens gets at registration: the extension context and the shared
// parse worker. Features register themselves from src/features/<feature>.ts.
import type * as vscode from 'vscode';
import type { ActiveProfiles } from './editors/active-profile';
import type { ParseWorkerClient } from './worker/client';

export interface GoLensServices {
  context: vscode.ExtensionContext;
  /** One worker thread for every parser, started on first use. */
  worker: ParseWorkerClient;
  /** The profile view focused last, which editor annotations follow. */
  activeProfiles: ActiveProfiles;
}
