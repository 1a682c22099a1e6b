// Flight recorder snapshots: "Capture Flight Recorder Snapshot" GETs a target's snapshot URL
// (goLens.targets[].flightRecorder, or asked once and remembered per target), saves it as a
// capture and opens it in the trace timeline; "Add Flight Recorder Endpoint" shows, then writes,
// a Go file that starts a flight recorder in the user's main package and serves its snapshots.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { ANSWER_GRACE_SECONDS } from '../core/collect/endpoints';
import {
  DEFAULT_FLIGHT_RECORDER_PATH,
  describeFlightRecorderAnswer,
  flightRecorderEndpoint,
  goModVersion,
  resolveFlightRecorderUrl,
} from '../core/collect/flight-recorder';
import type { Target } from '../core/collect/target';
import { saveFetchedCapture } from '../collect/captures';
import { CaptureError, fetchBytes, type FetchResult } from '../collect/http-fetch';
import { pickTarget, rememberTarget } from '../collect/target-picker';
import type { GoLensServices } from '../services';
import { TRACE_VIEW_TYPE } from '../editors/trace-editor';
import { besideColumn } from './profiles';

const REMEMBERED_KEY = 'goLens.flightRecorderUrls';
const PREVIEW_SCHEME = 'golens-preview';

function remembered(state: vscode.Memento): Record<string, string> {
  return state.get<Record<string, string>>(REMEMBERED_KEY) ?? {};
}

async function remember(
  state: vscode.Memento,
  target: Target,
  value: string | undefined,
): Promise<void> {
  const all = { ...remembered(state) };
  if (value === undefined) delete all[target.baseUrl];
  else all[target.baseUrl] = value;
  await state.update(REMEMBERED_KEY, all);
}

async function askForUrl(target: Target, previous?: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `Flight recorder snapshot URL of ${target.label}`,
    prompt:
      'Where the program serves FlightRecorder.WriteTo (a full URL, or a path on the same host). Go Lens remembers it for this target; set goLens.targets[].flightRecorder to share it.',
    value: previous ?? DEFAULT_FLIGHT_RECORDER_PATH,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === '' ? 'Enter a URL or a path such as /debug/golens/flightrecorder' : undefined,
  });
  return value?.trim() || undefined;
}

async function captureSnapshot(context: vscode.ExtensionContext): Promise<void> {
  const target = await pickTarget(
    context.workspaceState,
    'Go Lens: Capture Flight Recorder Snapshot from…',
  );
  if (!target) return;
  const fromSetting = target.flightRecorder;
  const known = fromSetting ?? remembered(context.workspaceState)[target.baseUrl];
  const value = known ?? (await askForUrl(target));
  if (!value) return;
  const url = resolveFlightRecorderUrl(target.baseUrl, value);
  if (!vscode.workspace.isTrusted) {
    const go = 'Capture';
    const answer = await vscode.window.showWarningMessage(
      `This workspace is not trusted. Go Lens would send an HTTP GET to ${url}. Continue?`,
      { modal: true },
      go,
    );
    if (answer !== go) return;
  }
  await rememberTarget(context.workspaceState, target);
  const startedAt = new Date();
  const abort = new AbortController();
  const result: FetchResult | Error | 'cancelled' = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Go Lens: flight recorder snapshot from ${target.label}`,
      cancellable: true,
    },
    async (_progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      try {
        return await fetchBytes(url, {
          signal: abort.signal,
          timeoutMs: ANSWER_GRACE_SECONDS * 1000,
        });
      } catch (err) {
        if (abort.signal.aborted) return 'cancelled' as const;
        return err instanceof CaptureError ? err : new CaptureError(String(err));
      }
    },
  );
  if (result === 'cancelled') return;
  if (result instanceof Error) {
    void vscode.window.showErrorMessage(`Go Lens: ${result.message}`);
    return;
  }
  const bad = describeFlightRecorderAnswer({
    url,
    status: result.status,
    contentType: result.contentType,
    bodyStart: result.bytes.subarray(0, 512),
  });
  if (bad) {
    // A remembered URL that does not work is forgotten, so the next capture asks again.
    if (!fromSetting) await remember(context.workspaceState, target, undefined);
    const change = 'Change URL';
    const add = 'Add Flight Recorder Endpoint';
    const answer = await vscode.window.showErrorMessage(`Go Lens: ${bad}`, change, add);
    if (answer === change) {
      const next = await askForUrl(target, value);
      if (next) {
        await remember(context.workspaceState, target, next);
        await captureSnapshot(context);
      }
    } else if (answer === add) {
      await vscode.commands.executeCommand('goLens.addFlightRecorderEndpoint');
    }
    return;
  }
  if (!fromSetting) await remember(context.workspaceState, target, value);
  const { uri } = await saveFetchedCapture(context, target, 'trace', url, startedAt, result);
  if (!result.complete) {
    void vscode.window.showWarningMessage(
      `Go Lens: the flight recorder snapshot from ${target.label} is incomplete (${result.error}); it is saved as ${uri.fsPath} and opens with what arrived.`,
    );
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_VIEW_TYPE, besideColumn());
}

/**
 * Directories holding a `package main` with `func main()`. The active editor's package alone
 * when it is a main package: the user pointed at it.
 */
async function mainPackageDirs(): Promise<string[]> {
  const dirs = new Set<string>();
  const active = vscode.window.activeTextEditor?.document;
  const isMain = (text: string) => /^package main\b/m.test(text) && /^func main\(\)/m.test(text);
  if (
    active?.languageId === 'go' &&
    active.uri.scheme === 'file' &&
    /^package main\b/m.test(active.getText())
  )
    return [dirname(active.uri.fsPath)];
  const files = await vscode.workspace.findFiles(
    '**/*.go',
    '{**/vendor/**,**/testdata/**,**/node_modules/**,**/*_test.go}',
    2000,
  );
  for (const f of files) {
    if (f.scheme !== 'file' || dirs.has(dirname(f.fsPath))) continue;
    const text = await readFile(f.fsPath, 'utf8').catch(() => '');
    if (isMain(text)) dirs.add(dirname(f.fsPath));
  }
  return [...dirs];
}

/** The go.mod governing `dir` (the nearest one above it), or undefined. */
async function goModFor(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'go.mod');
    if (existsSync(candidate)) return readFile(candidate, 'utf8');
    if (dirname(d) === d) return undefined;
  }
}

async function addEndpoint(previews: Map<string, string>): Promise<void> {
  const dirs = await mainPackageDirs();
  if (dirs.length === 0) {
    void vscode.window.showInformationMessage(
      "Go Lens: no main package (package main with func main) in this workspace. Open the program's folder, or its main.go, and try again.",
    );
    return;
  }
  let dir = dirs[0];
  if (dirs.length > 1) {
    const picked = await vscode.window.showQuickPick(
      dirs.map((d) => ({ label: vscode.workspace.asRelativePath(d) || '.', dir: d })),
      { title: 'Add a flight recorder endpoint to which main package?' },
    );
    if (!picked) return;
    dir = picked.dir;
  }
  const code = flightRecorderEndpoint(goModVersion((await goModFor(dir)) ?? ''));
  const file = join(dir, code.fileName);
  const fileUri = vscode.Uri.file(file);
  if (existsSync(file)) {
    void vscode.window.showInformationMessage(
      `Go Lens: ${vscode.workspace.asRelativePath(fileUri)} exists already: the program has the endpoint.`,
    );
    await vscode.window.showTextDocument(fileUri);
    return;
  }
  // Show the code as a diff against nothing, in the file it would become, before writing.
  const before = vscode.Uri.from({
    scheme: PREVIEW_SCHEME,
    path: `/${code.fileName}`,
    query: 'before',
  });
  const after = vscode.Uri.from({
    scheme: PREVIEW_SCHEME,
    path: `/${code.fileName}`,
    query: 'after',
  });
  previews.set(before.toString(), '');
  previews.set(after.toString(), code.source);
  await vscode.commands.executeCommand(
    'vscode.diff',
    before,
    after,
    `${vscode.workspace.asRelativePath(fileUri)} (new file, preview)`,
    { preview: true },
  );
  const add = 'Add File';
  const needsExp = code.library === 'golang.org/x/exp/trace';
  const answer = await vscode.window.showInformationMessage(
    `Add ${code.fileName} to ${vscode.workspace.asRelativePath(dir) || 'the workspace folder'}?`,
    {
      modal: true,
      detail:
        `It starts a ${code.library} flight recorder when the program starts and serves snapshots at ${DEFAULT_FLIGHT_RECORDER_PATH} on http.DefaultServeMux (where net/http/pprof is). ` +
        (needsExp
          ? 'The module is older than Go 1.25: run "go get golang.org/x/exp/trace" in it afterwards. '
          : '') +
        'Rebuild and restart the program, then run "Go Lens: Capture Flight Recorder Snapshot".',
    },
    add,
  );
  if (answer !== add) return;
  await writeFile(file, code.source, { flag: 'wx' });
  await vscode.window.showTextDocument(fileUri);
  void vscode.window.showInformationMessage(
    `Go Lens: added ${vscode.workspace.asRelativePath(fileUri)}.${needsExp ? ' Run "go get golang.org/x/exp/trace" in the module,' : ''} Rebuild and restart the program to serve ${DEFAULT_FLIGHT_RECORDER_PATH}.`,
  );
}

export function registerFlightRecorder({ context }: GoLensServices): void {
  const previews = new Map<string, string>();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '',
    }),
    vscode.commands.registerCommand('goLens.captureFlightRecorderSnapshot', () =>
      captureSnapshot(context),
    ),
    vscode.commands.registerCommand('goLens.addFlightRecorderEndpoint', () =>
      addEndpoint(previews),
    ),
  );
}
