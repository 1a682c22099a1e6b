// Go Lens: activation registers commands, editors and views — nothing is parsed or started
// until the user asks for it. Each feature registers itself from src/features/.
import * as vscode from 'vscode';
import { ActiveProfiles } from './editors/active-profile';
import { watchModules } from './editors/open-source';
import { registerGoroutines } from './features/goroutines';
import { registerProfileTools } from './features/profile-tools';
import { registerProfiles } from './features/profiles';
import { registerRun } from './features/run';
import { registerRaces } from './features/races';
import { registerSched } from './features/sched';
import { registerTraces } from './features/traces';
import { registerPerf } from './features/perf';
import { registerCores } from './features/cores';
import { registerFlightRecorder } from './features/flight-recorder';
import { registerSymbolize } from './features/symbolize';
import type { GoLensServices } from './services';
import { resetGoEnv } from './toolchain/go-env';
import { ParseWorkerClient } from './worker/client';

export function activate(context: vscode.ExtensionContext): void {
  const worker = new ParseWorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  context.subscriptions.push({ dispose: () => worker.dispose() });
  const activeProfiles = new ActiveProfiles(worker);
  context.subscriptions.push(activeProfiles);
  const services: GoLensServices = { context, worker, activeProfiles };

  registerProfiles(services);
  registerProfileTools(services);
  registerGoroutines(services);
  registerSched(services);
  registerTraces(services);
  registerPerf(services);
  registerCores(services);
  registerFlightRecorder(services);
  registerRun(services);
  registerRaces(services);
  registerSymbolize(services);

  watchModules(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('go.goroot') || e.affectsConfiguration('go.alternateTools'))
        resetGoEnv();
    }),
  );
}

export function deactivate(): void {}
