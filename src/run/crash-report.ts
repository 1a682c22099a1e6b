// What every run Go Lens starts does when its program dies (Run… runs and the scheduler
// dashboard's runs alike): the panic or fatal error spotted in its output is kept beside the
// captures and opened in the Goroutines view, and a core file (GOTRACEBACK=crash option) is
// offered to Open Core Dump. One code path, so both kinds of run tell a crash the same way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CrashScanner } from './crash-scanner';
import { findCore } from './find-core';
import type { PreparedRun } from './launch';
import type { ProgramTerminal } from './program-terminal';
import type { ExitInfo, TracedProcess } from './traced-process';

export function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

/** Says at once, in the status bar, that a run's output shows a crash (the scanner's first confirmation). */
export function announceCrash(label: string, headline: string | undefined): void {
  if (headline)
    void vscode.window.setStatusBarMessage(`$(error) Go Lens: ${label}: ${headline}`, 10_000);
}

export interface CrashOutcome {
  /** The crash text saved beside the captures, when the output showed a panic or fatal error. */
  crashFile?: string;
  headline?: string;
  /** A core file the run left (GOTRACEBACK=crash option); the run's binary must stay while it is offered. */
  core?: string;
}

/** Collects what a run left at exit: its crash text (saved) and its core file. Call before cleaning up the run. */
export function collectCrash(
  storageDir: string,
  prepared: PreparedRun,
  run: TracedProcess,
  scanner: CrashScanner,
): CrashOutcome {
  const crashText = scanner.end();
  const core = prepared.options?.crash
    ? findCore(prepared.spec.cwd, run.pid, run.startedAt)
    : undefined;
  let crashFile: string | undefined;
  if (crashText) {
    mkdirSync(storageDir, { recursive: true });
    crashFile = join(storageDir, `crash-${stamp()}.txt`);
    writeFileSync(crashFile, crashText);
  }
  return { crashFile, headline: scanner.headline, core };
}

/**
 * Shows a crash the user can act on: the dump in the Goroutines view with an error naming the
 * crash, and the core offered to Open Core Dump. Returns true when there was a crash to show.
 */
export async function reportCrash(
  label: string,
  outcome: CrashOutcome,
  prepared: PreparedRun,
  info: ExitInfo,
  terminal: ProgramTerminal | undefined,
): Promise<boolean> {
  const { crashFile, core } = outcome;
  if (crashFile) {
    const uri = vscode.Uri.file(crashFile);
    terminal?.notice(
      `[crash: ${outcome.headline} — the goroutines it printed are in the Goroutines view (${crashFile})]`,
    );
    await vscode.commands.executeCommand('goLens.openGoroutineDump', uri);
    void vscode.window
      .showErrorMessage(`Go Lens: ${label} crashed: ${outcome.headline}`, 'Show in Goroutines View')
      .then((a) => a && vscode.commands.executeCommand('goLens.openGoroutineDump', uri));
  }
  if (core && prepared.executable) {
    const openCore = 'Open Core Dump';
    terminal?.notice(`[core file: ${core}]`);
    const answer = await vscode.window.showInformationMessage(
      `Go Lens: ${label} left a core file (${core}).`,
      openCore,
    );
    if (answer === openCore)
      await vscode.commands.executeCommand('goLens.openCoreDump', {
        executable: prepared.executable,
        core,
      });
  } else if (prepared.options?.crash && !info.stopped && info.signal === 'SIGABRT') {
    terminal?.notice(
      '[no core file was written: check /proc/sys/kernel/core_pattern (a crash handler such as systemd-coredump or apport takes cores there)]',
    );
  }
  return crashFile !== undefined;
}
