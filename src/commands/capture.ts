// "Go Lens: Capture CPU Profile" (and, through the same path, every other capture kind):
// pick a target, show a cancellable countdown, save the bytes, then open them.
import * as vscode from 'vscode';
import type { CaptureMeta } from '../core/collect/capture-name';
import { ANSWER_GRACE_SECONDS, type EndpointSpec } from '../core/collect/endpoints';
import { describeBadResponse } from '../core/collect/http-errors';
import type { Target } from '../core/collect/target';
import { saveFetchedCapture } from '../collect/captures';
import { CaptureError, fetchBytes } from '../collect/http-fetch';
import { pickTarget, rememberTarget } from '../collect/target-picker';
import { formatBytes } from '../core/format/units';

/** In an untrusted workspace, ask before sending a request to an address. */
async function allowedToCapture(target: Target): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const go = 'Capture';
  const answer = await vscode.window.showWarningMessage(
    `This workspace is not trusted. Go Lens would send an HTTP GET to ${target.baseUrl}. Continue?`,
    {
      modal: true,
      detail:
        'Settings of an untrusted workspace (goLens.targets) are ignored; only the address you chose is used.',
    },
    go,
  );
  return answer === go;
}

const DEFAULT_SECONDS = { cpuProfileSeconds: 30, traceSeconds: 5 } as const;

function recordingSeconds(setting: keyof typeof DEFAULT_SECONDS): number {
  const fallback = DEFAULT_SECONDS[setting];
  const s = vscode.workspace.getConfiguration('goLens').get<number>(setting, fallback);
  return Number.isFinite(s) && s >= 1 ? Math.round(s) : fallback;
}

export interface CaptureOutcome {
  uri: vscode.Uri;
  meta: CaptureMeta;
}

/**
 * Runs one capture from a target the user picks. Resolves to the saved capture, or undefined
 * when the user cancelled or the capture failed (the user has been told why).
 */
export async function captureFromTarget(
  context: vscode.ExtensionContext,
  spec: EndpointSpec,
): Promise<CaptureOutcome | undefined> {
  const target = await pickTarget(context.workspaceState, `Go Lens: Capture ${spec.title}`);
  if (!target) return undefined;
  return captureFrom(context, target, spec);
}

/**
 * Captures from a known target (e.g. the goroutine explorer's refresh) with the same progress,
 * cancellation, saving and messages as the palette commands.
 */
export async function captureFrom(
  context: vscode.ExtensionContext,
  target: Target,
  spec: EndpointSpec,
  options: { quiet?: boolean } = {},
): Promise<CaptureOutcome | undefined> {
  if (!(await allowedToCapture(target))) return undefined;
  await rememberTarget(context.workspaceState, target);

  const timed = spec.secondsSetting !== undefined;
  const seconds = spec.secondsSetting ? recordingSeconds(spec.secondsSetting) : 0;
  const url = target.baseUrl + spec.pathAndQuery(seconds);
  const startedAt = new Date();
  const abort = new AbortController();

  const result = await vscode.window.withProgress(
    // A refresh the user did not ask for by name (auto-refresh) shows in the status bar only.
    {
      location: options.quiet
        ? vscode.ProgressLocation.Window
        : vscode.ProgressLocation.Notification,
      title: `Go Lens: ${spec.title} from ${target.label}`,
      cancellable: true,
    },
    async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      let elapsed = 0;
      let received = 0;
      const tick = timed
        ? setInterval(() => {
            elapsed++;
            if (elapsed <= seconds)
              progress.report({
                message: `${elapsed} s of ${seconds} s`,
                increment: 100 / seconds,
              });
            else
              progress.report({
                message: `waiting for the answer${received ? ` (${formatBytes(received)})` : ''}…`,
              });
          }, 1000)
        : undefined;
      progress.report({ message: timed ? `0 s of ${seconds} s` : 'requesting…' });
      try {
        return await fetchBytes(url, {
          signal: abort.signal,
          timeoutMs: (seconds + ANSWER_GRACE_SECONDS) * 1000,
          onBytes: (n) => {
            received = n;
            if (!timed || elapsed >= seconds)
              progress.report({ message: `received ${formatBytes(n)}` });
          },
        });
      } catch (err) {
        if (abort.signal.aborted) return 'cancelled' as const;
        return err instanceof CaptureError ? err : new CaptureError(String(err));
      } finally {
        if (tick) clearInterval(tick);
      }
    },
  );

  if (result === 'cancelled') {
    void vscode.window.showInformationMessage(
      `${spec.title} capture from ${target.label} cancelled; nothing was saved.`,
    );
    return undefined;
  }
  if (result instanceof Error) {
    void vscode.window.showErrorMessage(`Go Lens: ${result.message}`);
    return undefined;
  }
  const bad = describeBadResponse({
    url,
    status: result.status,
    contentType: result.contentType,
    bodyStart: new TextDecoder().decode(result.bytes.subarray(0, 512)),
    expected: spec.expected,
  });
  if (bad) {
    void vscode.window.showErrorMessage(`Go Lens: ${bad}`);
    return undefined;
  }
  if (result.bytes.length === 0) {
    void vscode.window.showErrorMessage(
      `Go Lens: ${url} answered with an empty body${result.error ? ` (${result.error})` : ''}. Nothing was saved.`,
    );
    return undefined;
  }
  const { uri, meta } = await saveFetchedCapture(
    context,
    target,
    spec.kind,
    url,
    startedAt,
    result,
    timed ? seconds : undefined,
  );
  if (!result.complete) {
    void vscode.window.showWarningMessage(
      `Go Lens: the ${spec.title} from ${target.label} is incomplete: ${result.error}. The ${formatBytes(result.bytes.length)} that arrived are saved as ${uri.fsPath}.`,
    );
  }
  return { uri, meta };
}
