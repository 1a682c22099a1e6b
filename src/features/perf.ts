// Go Lens: Record CPU Profile with perf… — pick a running process (Go programs first), run
// `perf record` on it for goLens.cpuProfileSeconds with a countdown and cancel, read the recording
// through `perf script` in the parse worker, and save it in the Captures view as a CPU profile
// (pprof protobuf, so it compares with pprof CPU captures and opens in go tool pprof), then show it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CaptureMeta } from '../core/collect/capture-name';
import {
  explainPerfRecordFailure,
  noSamplesAdvice,
  recordedSamples,
} from '../core/perf/record-errors';
import { saveCapture } from '../collect/captures';
import { PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import { findPerf, perfEventParanoid } from '../node/perf-tool';
import { PERF_INSTALL_HINT } from '../node/profile-file';
import { perfRecordArgs, startPerfRecord } from '../node/perf-record';
import { listProcesses, type ProcessInfo } from '../node/processes';
import type { GoLensServices } from '../services';
import { goCommand } from '../toolchain/go-env';
import { besideColumn } from './profiles';

interface ProcessItem extends vscode.QuickPickItem {
  process: ProcessInfo;
}

async function pickProcess(): Promise<ProcessInfo | undefined> {
  const items = (await listProcesses([process.pid])).map((p): ProcessItem => ({
    label: p.name,
    description: `pid ${p.pid}${p.isGo ? ' · Go' : ''}`,
    detail: p.cmdline.slice(0, 200),
    process: p,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Record CPU Profile with perf: pick a running process',
    placeHolder: 'Go programs first; type to filter by name, pid or command line',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.process;
}

/** A folder name for a process in the captures folder: `perf_<name>`. */
function slugOf(p: ProcessInfo): string {
  return `perf_${p.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || p.pid}`;
}

async function recordPerfProfile(
  services: GoLensServices,
  pid?: number,
): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Go Lens: recording with perf runs a program, which Go Lens does not do in Restricted Mode. Trust the workspace to record.',
    );
    return undefined;
  }
  const config = vscode.workspace.getConfiguration('goLens');
  const perf = await findPerf(config.get<string>('perf.path') || undefined);
  if (!perf) {
    void vscode.window.showErrorMessage(
      `Go Lens: perf is not installed (or does not match this kernel). Install it — ${PERF_INSTALL_HINT} — or set goLens.perf.path.`,
    );
    return undefined;
  }
  const target =
    pid !== undefined ? (await listProcesses()).find((p) => p.pid === pid) : await pickProcess();
  if (!target) {
    if (pid !== undefined)
      void vscode.window.showErrorMessage(`Go Lens: there is no process ${pid} to record.`);
    return undefined;
  }
  const seconds = Math.max(1, config.get<number>('cpuProfileSeconds') ?? 30);
  const frequency = Math.max(1, Math.min(100_000, config.get<number>('perf.frequency') ?? 999));
  const callGraph = config.get<'fp' | 'dwarf' | 'lbr'>('perf.callGraph') ?? 'fp';
  const work = await mkdtemp(join(tmpdir(), 'golens-perf-'));
  const output = join(work, 'perf.data');
  const startedAt = new Date();
  try {
    const recording = startPerfRecord({ perf, pid: target.pid, frequency, callGraph, output });
    let cancelled = false;
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Recording ${target.name} (pid ${target.pid}) with perf`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          cancelled = true;
          recording.stop();
        });
        const timer = setTimeout(() => recording.stop(), seconds * 1000);
        let left = seconds;
        progress.report({ message: `${left} s left` });
        const tick = setInterval(() => {
          left--;
          if (left > 0) progress.report({ message: `${left} s left`, increment: 100 / seconds });
          else progress.report({ message: 'writing the recording…' });
        }, 1000);
        try {
          return await recording.done;
        } finally {
          clearTimeout(timer);
          clearInterval(tick);
        }
      },
    );
    const elapsed = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    const samples = recordedSamples(result.stderr);
    if (samples === undefined) {
      const paranoid = await perfEventParanoid();
      void vscode.window.showErrorMessage(
        `Go Lens: ${explainPerfRecordFailure(result.stderr, paranoid, process.getuid?.() === 0, target.pid)}`,
      );
      return undefined;
    }
    if (samples === 0) {
      void vscode.window.showWarningMessage(`Go Lens: ${noSamplesAdvice(Math.round(elapsed))}`);
      return undefined;
    }
    const exitedEarly = result.endedByItself && !cancelled && elapsed < seconds - 0.5;
    const go = goCommand();
    const loaded = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Reading the perf recording' },
      (progress) =>
        services.worker.request(
          'loadProfile',
          { path: output, perf, go: { binary: go.binary, env: go.env } },
          { onProgress: (message) => progress.report({ message }) },
        ),
    );
    let bytes: Uint8Array;
    try {
      bytes = await services.worker.request('profilePprof', { handle: loaded.handle });
    } finally {
      void services.worker.request('release', { handle: loaded.handle }).catch(() => undefined);
    }
    const meta: CaptureMeta = {
      kind: 'cpu',
      target: `perf://${target.pid}`,
      targetLabel: `${target.name} (pid ${target.pid}, perf)`,
      url: `perf ${perfRecordArgs({ pid: target.pid, frequency, callGraph, output: 'perf.data' }).join(' ')}`,
      startedAt: startedAt.toISOString(),
      seconds: Math.round(elapsed),
      bytes: bytes.length,
      complete: !exitedEarly,
      error: exitedEarly
        ? `the process exited after ${elapsed} s of the ${seconds} s asked; what was recorded until then is kept`
        : undefined,
    };
    const uri = await saveCapture(services.context, slugOf(target), 'cpu', startedAt, bytes, meta);
    if (exitedEarly)
      void vscode.window.showWarningMessage(
        `Go Lens: ${target.name} (pid ${target.pid}) exited after ${elapsed} s of recording; the ${samples} samples recorded until then are saved and shown.`,
      );
    await vscode.commands.executeCommand('vscode.openWith', uri, PROFILE_VIEW_TYPE, besideColumn());
    return uri;
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Go Lens: could not record with perf: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function registerPerf(services: GoLensServices): void {
  services.context.subscriptions.push(
    // An optional pid (from other commands and tests) skips the process picker.
    vscode.commands.registerCommand('goLens.recordPerfProfile', (pid?: unknown) =>
      recordPerfProfile(
        services,
        typeof pid === 'number' && Number.isInteger(pid) ? pid : undefined,
      ),
    ),
  );
}
