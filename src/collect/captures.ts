// The captures folder: every byte received from a target is written here before it is parsed,
// so nothing captured is lost even when parsing or the view fails.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { captureFileName, type CaptureKind, type CaptureMeta } from '../core/collect/capture-name';
import type { Target } from '../core/collect/target';
import type { FetchResult } from './http-fetch';

/** `<workspace storage>/captures`, or global storage when no folder is open. */
export function capturesRoot(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'captures');
}

/** Writes the bytes and their metadata; returns the capture file's URI. */
export async function saveCapture(
  context: vscode.ExtensionContext,
  slug: string,
  kind: CaptureKind,
  startedAt: Date,
  bytes: Uint8Array,
  meta: CaptureMeta,
): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(
    capturesRoot(context),
    captureFileName(slug, kind, startedAt, meta.complete),
  );
  await mkdir(dirname(uri.fsPath), { recursive: true });
  await writeFile(uri.fsPath, bytes);
  await writeFile(uri.fsPath + '.json', JSON.stringify(meta, null, 2));
  return uri;
}

/** Saves what a request to `target` returned, with the metadata every fetched capture carries. */
export async function saveFetchedCapture(
  context: vscode.ExtensionContext,
  target: Target,
  kind: CaptureKind,
  url: string,
  startedAt: Date,
  result: FetchResult,
  seconds?: number,
): Promise<{ uri: vscode.Uri; meta: CaptureMeta }> {
  const meta: CaptureMeta = {
    kind,
    target: target.baseUrl,
    targetLabel: target.label,
    url,
    startedAt: startedAt.toISOString(),
    seconds,
    bytes: result.bytes.length,
    complete: result.complete,
    error: result.error,
  };
  return {
    uri: await saveCapture(context, target.slug, kind, startedAt, result.bytes, meta),
    meta,
  };
}

/** The metadata saved beside a capture, if the file is one of ours. */
export async function readCaptureMeta(uri: vscode.Uri): Promise<CaptureMeta | undefined> {
  if (uri.scheme !== 'file') return undefined;
  try {
    return JSON.parse(await readFile(uri.fsPath + '.json', 'utf8')) as CaptureMeta;
  } catch {
    return undefined;
  }
}

/** Asks where to save a copy of `source` and writes it there. */
export async function saveCopyAs(
  source: vscode.Uri,
  suggestedName: string,
): Promise<vscode.Uri | undefined> {
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultFolder ? vscode.Uri.joinPath(defaultFolder, suggestedName) : undefined,
    saveLabel: 'Save Profile',
    title: 'Save profile as',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.copy(source, target, { overwrite: true });
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}
