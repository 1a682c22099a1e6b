// Finding Delve the way vscode-go does — `go.alternateTools.dlv`, then GOBIN / GOPATH/bin,
// then PATH — and, when it is missing, installing the pinned version with `go install`
// (its output in an output channel, cancellable).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  DELVE_PACKAGE,
  DELVE_VERSION,
  findDelveOnDisk,
  goInstallDirs,
} from '../collect/delve/find';
import { goCommand } from './go-env';

let output: vscode.OutputChannel | undefined;

function channel(): vscode.OutputChannel {
  output ??= vscode.window.createOutputChannel('Go Lens: Delve');
  return output;
}

/** `go.alternateTools.dlv` when set (a path, or a name looked up like any other), else on disk. */
export function configuredDelve(): string | undefined {
  const alternate = vscode.workspace
    .getConfiguration('go')
    .get<Record<string, string>>('alternateTools')?.dlv;
  if (alternate) {
    // A bare name is run through PATH, as vscode-go does.
    if (isAbsolute(alternate)) return existsSync(alternate) ? alternate : undefined;
    return alternate;
  }
  return findDelveOnDisk(goCommand().env);
}

/** Runs `go install …dlv@pinned`, showing its output; resolves to the installed path or undefined. */
async function installDelve(): Promise<string | undefined> {
  const { binary, env } = goCommand();
  const out = channel();
  out.show(true);
  out.appendLine(`$ ${binary} install ${DELVE_PACKAGE}@${DELVE_VERSION}`);
  const ok = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Installing Delve ${DELVE_VERSION}`,
      cancellable: true,
    },
    (_p, token) =>
      new Promise<boolean>((resolve) => {
        const child = spawn(binary, ['install', `${DELVE_PACKAGE}@${DELVE_VERSION}`], { env });
        child.stdout.on('data', (d: Buffer) => out.append(d.toString()));
        child.stderr.on('data', (d: Buffer) => out.append(d.toString()));
        token.onCancellationRequested(() => child.kill('SIGTERM'));
        child.on('error', (e) => {
          out.appendLine(`could not run ${binary}: ${e.message}`);
          resolve(false);
        });
        child.on('close', (code) => {
          out.appendLine(token.isCancellationRequested ? 'cancelled' : `exit code ${code}`);
          resolve(code === 0 && !token.isCancellationRequested);
        });
      }),
  );
  if (!ok) return undefined;
  const installed = goInstallDirs(env)
    .map((d) => join(d, process.platform === 'win32' ? 'dlv.exe' : 'dlv'))
    .find((p) => existsSync(p));
  return installed ?? findDelveOnDisk(env);
}

/** The dlv to use; offers to install the pinned version when none is found. */
export async function resolveDelve(): Promise<string | undefined> {
  const found = configuredDelve();
  if (found) return found;
  const install = `Install Delve ${DELVE_VERSION}`;
  const answer = await vscode.window.showWarningMessage(
    `Go Lens reads core dumps through Delve (dlv), which was not found (go.alternateTools.dlv, GOBIN, GOPATH/bin, PATH). Install it with go install ${DELVE_PACKAGE}@${DELVE_VERSION}?`,
    install,
  );
  if (answer !== install) return undefined;
  const path = await installDelve();
  if (!path)
    void vscode.window.showErrorMessage(
      'Go Lens: Delve was not installed; the output of go install is in the "Go Lens: Delve" output channel.',
    );
  return path;
}
