// What the profile view needs to open perf recordings: the perf and go commands it may run
// (none in Restricted Mode), found only for files that need them.
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { isPerfData } from '../core/perf/sniff-text';
import { findPerf } from '../node/perf-tool';
import { goCommand } from '../toolchain/go-env';

/** Said in the view of a perf recording whose Go frames got lines from their binary. */
export const perfLinesNote =
  "Go frames have file:line from their binary's line table (go tool addr2line); double-click opens the line. Kernel and native frames have no source.";

async function startsAsPerfData(path: string): Promise<boolean> {
  try {
    const f = await open(path, 'r');
    try {
      const head = new Uint8Array(8);
      await f.read(head, 0, 8, 0);
      return isPerfData(head);
    } finally {
      await f.close();
    }
  } catch {
    return false;
  }
}

/** The tools a profile load may use for the file at `path`: perf for perf.data, go for line lookup. */
export async function perfLoadTools(path: string): Promise<{
  perf?: string;
  perfUnavailable?: 'restricted' | 'missing';
  go?: { binary: string; env?: Record<string, string | undefined> };
}> {
  if (!vscode.workspace.isTrusted) return { perfUnavailable: 'restricted' };
  const go = goCommand();
  const tools = { go: { binary: go.binary, env: go.env } };
  if (!(await startsAsPerfData(path))) return tools;
  const perf = await findPerf(
    vscode.workspace.getConfiguration('goLens').get<string>('perf.path') || undefined,
  );
  return perf ? { ...tools, perf } : { ...tools, perfUnavailable: 'missing' };
}
