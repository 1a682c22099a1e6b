// Every pprof profile kind, its costs in the editor, and profile diffs: "Capture Heap / Allocations
// / Goroutine / Mutex / Block / Thread Creation Profile" and "Capture Profile…", the line-cost
// annotations of the active profile view (decorations, CodeLens, hover), the Captures view,
// "Compare Profiles…", and "profile CPU / memory / trace" lenses on tests and benchmarks.
import * as vscode from 'vscode';
import type { CaptureKind } from '../core/collect/capture-name';
import { ENDPOINTS } from '../core/collect/endpoints';
import { captureFrom, captureFromTarget } from '../commands/capture';
import { pickServedProfile } from '../commands/served-profiles';
import { compareProfiles, compareProfilesCommand, pickBase } from '../commands/compare';
import { PROFILE_TEST_COMMAND, profileTest, TestProfileLenses } from '../commands/profile-test';
import type { TestProfileKind } from '../commands/profile-test-args';
import { ProfileAnnotations } from '../editors/annotations/controller';
import { emptyProfileAdvice, PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import type { GoLensServices } from '../services';
import {
  CapturesView,
  deleteCaptures,
  openCapture,
  revealCapture,
} from '../views/captures/captures-view';
import type { CaptureNode } from '../views/captures/tree-model';
import { besideColumn } from './profiles';

/** The capture commands this file adds (CPU has its own in ./profiles). */
const CAPTURE_COMMANDS: [string, CaptureKind][] = [
  ['goLens.captureHeapProfile', 'heap'],
  ['goLens.captureAllocsProfile', 'allocs'],
  ['goLens.captureGoroutineProfile', 'goroutine'],
  ['goLens.captureMutexProfile', 'mutex'],
  ['goLens.captureBlockProfile', 'block'],
  ['goLens.captureThreadCreateProfile', 'threadcreate'],
];

export function registerProfileTools(services: GoLensServices): void {
  const { context, worker, activeProfiles } = services;
  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  const captures = new CapturesView(context);
  context.subscriptions.push(captures);

  /** After an empty mutex or block profile, say why before the user wonders at an empty view. */
  async function adviseIfEmpty(uri: vscode.Uri, kind: CaptureKind): Promise<void> {
    if (kind !== 'mutex' && kind !== 'block') return;
    try {
      const p = await worker.request('loadProfile', { path: uri.fsPath });
      void worker.request('release', { handle: p.handle }).catch(() => undefined);
      if (p.sampleCount === 0)
        void vscode.window.showWarningMessage(`Go Lens: ${emptyProfileAdvice(kind)}`);
    } catch {
      // Unreadable: the profile view says what is wrong with it.
    }
  }

  async function capture(kind: CaptureKind): Promise<void> {
    const captured = await captureFromTarget(context, ENDPOINTS[kind]);
    if (!captured) return;
    captures.refreshSoon();
    await vscode.commands.executeCommand(
      'vscode.openWith',
      captured.uri,
      PROFILE_VIEW_TYPE,
      besideColumn(),
    );
    await adviseIfEmpty(captured.uri, kind);
  }

  for (const [id, kind] of CAPTURE_COMMANDS) command(id, () => capture(kind));
  // Every profile the target's /debug/pprof/ index lists (custom ones too), with its count.
  command('goLens.captureProfile', async () => {
    const choice = await pickServedProfile(context);
    if (!choice) return;
    if ('leaks' in choice) {
      await vscode.commands.executeCommand('goLens.findGoroutineLeaks', choice.target);
      return;
    }
    const captured = await captureFrom(context, choice.target, choice.spec);
    if (!captured) return;
    captures.refreshSoon();
    await vscode.commands.executeCommand(
      'vscode.openWith',
      captured.uri,
      PROFILE_VIEW_TYPE,
      besideColumn(),
    );
    await adviseIfEmpty(captured.uri, choice.spec.kind);
  });

  // Editor annotations of the active profile view.
  const annotations = new ProfileAnnotations(activeProfiles, worker);
  const goFiles: vscode.DocumentSelector = { language: 'go', scheme: 'file' };
  context.subscriptions.push(
    annotations,
    vscode.languages.registerCodeLensProvider(goFiles, annotations),
    vscode.languages.registerHoverProvider(goFiles, annotations),
  );
  command('goLens.clearProfileAnnotations', () => {
    activeProfiles.clearAll();
    void vscode.window.setStatusBarMessage(
      'Go Lens: profile annotations cleared; focus a profile view to show them again.',
      4000,
    );
  });

  // Captures view.
  const isNode = (v: unknown): v is CaptureNode =>
    typeof v === 'object' && v !== null && 'type' in v;
  command('goLens.captures.refresh', () => captures.refresh());
  command('goLens.captures.open', async (node?: CaptureNode) => {
    for (const e of captures.selected(isNode(node) ? node : undefined, undefined))
      await openCapture(e);
  });
  command('goLens.captures.compare', async (node?: CaptureNode, all?: CaptureNode[]) => {
    const picked = captures.selected(
      isNode(node) ? node : undefined,
      Array.isArray(all) ? all : undefined,
    );
    if (picked.length === 2) {
      // The older one is the base: the diff shows what changed since.
      const [base, current] = [...picked].sort((a, b) => a.time.getTime() - b.time.getTime());
      await compareProfiles(
        services,
        vscode.Uri.file(base.path),
        vscode.Uri.file(current.path),
        vscode.ViewColumn.Active,
      );
    } else if (picked.length === 1) {
      const current = vscode.Uri.file(picked[0].path);
      const base = await pickBase(services, current);
      if (base) await compareProfiles(services, base, current, vscode.ViewColumn.Active);
    } else {
      void vscode.window.showInformationMessage(
        'Go Lens: select two profile captures of the same kind (Ctrl/Cmd+click), or one to pick its base.',
      );
    }
  });
  command('goLens.captures.compareWith', async (node?: CaptureNode) => {
    const [entry] = captures.selected(isNode(node) ? node : undefined, undefined);
    if (!entry) return;
    const current = vscode.Uri.file(entry.path);
    const base = await pickBase(services, current);
    if (base) await compareProfiles(services, base, current, vscode.ViewColumn.Active);
  });
  command('goLens.captures.reveal', async (node?: CaptureNode) => {
    const [entry] = captures.selected(isNode(node) ? node : undefined, undefined);
    if (entry) await revealCapture(entry);
  });
  command('goLens.captures.delete', async (node?: CaptureNode, all?: CaptureNode[]) => {
    if (
      (await deleteCaptures(
        captures.selected(isNode(node) ? node : undefined, Array.isArray(all) ? all : undefined),
      )) > 0
    )
      captures.refresh();
  });

  command('goLens.compareProfiles', (uri?: vscode.Uri) => compareProfilesCommand(services, uri));

  // Profile a test.
  const testLenses = new TestProfileLenses();
  context.subscriptions.push(
    testLenses,
    vscode.languages.registerCodeLensProvider(
      { language: 'go', scheme: 'file', pattern: '**/*_test.go' },
      testLenses,
    ),
    vscode.workspace.onDidGrantWorkspaceTrust(() => testLenses.refresh()),
  );
  command(PROFILE_TEST_COMMAND, async (uri?: vscode.Uri, name?: string, kind?: TestProfileKind) => {
    const known = (['cpu', 'memory', 'trace', 'mutex', 'block'] as unknown[]).includes(kind)
      ? kind
      : undefined;
    const saved = await profileTest(
      context,
      uri instanceof vscode.Uri ? uri : undefined,
      typeof name === 'string' ? name : undefined,
      known,
    );
    if (saved) captures.refreshSoon();
  });
}
