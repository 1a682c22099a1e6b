// "Go Lens: Compare Profiles…": the profile in front of the user (the active profile view, or a
// file they pick) against a base — by default the previous capture of the same kind and target —
// opened as a diff view. Both are loaded and checked first, so comparing a heap profile with a
// CPU profile is refused with the two kinds named instead of opening a view that cannot work.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { capturesRoot } from '../collect/captures';
import { openProfileDiff, PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import type { GoLensServices } from '../services';
import { incompatibility } from './compare-check';
import {
  baseCandidates,
  entryOf,
  kindTitle,
  scanCaptures,
  timeLabel,
  type CaptureEntry,
} from '../views/captures/tree-model';

/** The profile view's file in the active editor group, if a profile view is the active tab. */
function activeProfileTab(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === PROFILE_VIEW_TYPE
    ? input.uri
    : undefined;
}

async function pickFile(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel,
    title,
    filters: { 'Go profiles': ['pprof', 'gz', 'prof', 'pb'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/**
 * Loads both profiles in the worker, checks they can be compared, and opens the diff view.
 * Resolves to true when the view opened.
 */
export async function compareProfiles(
  services: GoLensServices,
  base: vscode.Uri,
  current: vscode.Uri,
  column: vscode.ViewColumn,
): Promise<boolean> {
  const { worker } = services;
  const entries = await scanCaptures(capturesRoot(services.context).fsPath);
  const load = async (uri: vscode.Uri) =>
    worker.request(
      'loadProfile',
      uri.scheme === 'file'
        ? { path: uri.fsPath }
        : { bytes: await vscode.workspace.fs.readFile(uri) },
    );
  let problem: string | undefined;
  try {
    problem = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Window,
        title: `Go Lens: reading ${basename(base.path)} and ${basename(current.path)}`,
      },
      async () => {
        const [b, c] = await Promise.allSettled([load(base), load(current)]);
        // The check only needs the headers: the diff view loads its own copies.
        for (const r of [b, c])
          if (r.status === 'fulfilled')
            void worker.request('release', { handle: r.value.handle }).catch(() => undefined);
        if (b.status === 'rejected')
          return `Go Lens cannot read the base profile ${basename(base.path)}: ${String(b.reason instanceof Error ? b.reason.message : b.reason)}`;
        if (c.status === 'rejected')
          return `Go Lens cannot read ${basename(current.path)}: ${String(c.reason instanceof Error ? c.reason.message : c.reason)}`;
        return incompatibility(
          {
            name: basename(base.path),
            profile: b.value,
            captureKind: entryOf(entries, base.fsPath)?.kind,
          },
          {
            name: basename(current.path),
            profile: c.value,
            captureKind: entryOf(entries, current.fsPath)?.kind,
          },
        );
      },
    );
  } catch (err) {
    problem = `Go Lens could not compare the profiles: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return false;
  }
  openProfileDiff(base, current, services, column);
  return true;
}

type BaseItem = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: boolean };

function captureItem(e: CaptureEntry, isDefault: boolean): BaseItem {
  return {
    label: `${isDefault ? '$(star-full) ' : ''}${timeLabel(e.time)}`,
    description: `${kindTitle(e.kind).replace(/s$/, '')} · ${e.meta?.targetLabel ?? e.slug}${isDefault ? ' · previous capture' : ''}`,
    detail: e.name,
    uri: vscode.Uri.file(e.path),
  };
}

/**
 * Asks for the base of `current`: saved captures of the same kind (the previous one of the same
 * target first, preselected), or any file.
 */
export async function pickBase(
  services: GoLensServices,
  current: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const entries = await scanCaptures(capturesRoot(services.context).fsPath);
  const candidates = baseCandidates(entries, current.fsPath);
  const me = entryOf(entries, current.fsPath);
  const first = candidates[0];
  const isDefault = (e: CaptureEntry) =>
    me !== undefined &&
    e === first &&
    e.kind === me.kind &&
    e.slug === me.slug &&
    e.time.getTime() <= me.time.getTime();
  const items: BaseItem[] = [
    ...candidates.map((e) => captureItem(e, isDefault(e))),
    {
      label: '$(folder-opened) Choose a file…',
      description: 'any pprof profile on disk',
      browse: true,
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Go Lens: Compare ${basename(current.path)} with…`,
    placeHolder: candidates.length
      ? 'The base profile (the diff shows what changed from it)'
      : 'No other capture of this kind is saved: choose a file',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.browse) return pickFile('Base profile to compare with', 'Compare with');
  return picked.uri;
}

/** "Go Lens: Compare Profiles…": `uri` from a context menu, else the active profile view, else a picked file. */
export async function compareProfilesCommand(
  services: GoLensServices,
  uri?: vscode.Uri,
): Promise<void> {
  const current =
    (uri instanceof vscode.Uri ? uri : undefined) ??
    activeProfileTab() ??
    services.activeProfiles.active?.uri ??
    (await pickFile('Profile to compare (the newer one)', 'Compare'));
  if (!current) return;
  const base = await pickBase(services, current);
  if (!base) return;
  if (base.toString() === current.toString()) {
    void vscode.window.showInformationMessage(
      `Go Lens: ${basename(current.path)} was picked twice; choose another profile as the base.`,
    );
    return;
  }
  await compareProfiles(services, base, current, vscode.ViewColumn.Active);
}
