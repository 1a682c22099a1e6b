// Before a trace is loaded: will its model fit in memory? When it will not, say so with the
// figures (file size, estimate, memory available) and ask which time range (a run of
// generations) to load instead, rather than failing midway through a load that cannot finish.
import { constrainedMemory } from 'node:process';
import { freemem, totalmem } from 'node:os';
import * as vscode from 'vscode';
import {
  estimateModelBytes,
  formatTraceTime,
  rangeChoices,
  tooBigMessage,
  traceMemoryBudgetOf,
  type RangeChoice,
} from '../core/exectrace/trace-fit';
import { formatBytes } from '../core/format/units';
import type { ParseWorkerClient } from '../worker/client';

/**
 * Memory a trace's model may use: `goLens.trace.memoryLimitMB` when set, else what the machine
 * has available now (free memory, within a container's limit). The worker's V8 heap limit does
 * not bound it: the model lives in typed arrays outside the JS heap.
 */
export function traceMemoryBudget(): number {
  const mb = vscode.workspace.getConfiguration('goLens').get<number>('trace.memoryLimitMB', 0);
  return traceMemoryBudgetOf(mb, freemem(), totalmem(), constrainedMemory?.() ?? 0);
}

/** The part of a trace to load: all of it, or a range the user chose. */
export interface TraceRange {
  generations?: { first: number; last: number };
  /** What the view says about the part shown (undefined for the whole trace). */
  notice?: string;
  /** Appended to the view's title, e.g. "0.00 s – 12.3 s". */
  titleSuffix?: string;
}

interface RangeItem extends vscode.QuickPickItem {
  choice: RangeChoice;
}

/**
 * Decides what to load of the trace file at `uri` (`name` for messages): the whole trace when
 * it fits or cannot be split, else the range the user picks. Throws an Error saying what to do
 * when the user dismisses the question.
 */
export async function chooseTraceRange(
  uri: vscode.Uri,
  name: string,
  worker: ParseWorkerClient,
): Promise<TraceRange> {
  const size = (await vscode.workspace.fs.stat(uri)).size;
  const budget = traceMemoryBudget();
  if (estimateModelBytes(size) <= budget) return {};
  const tooBig = tooBigMessage(name, size, budget);
  const scan = await worker.request('scanTrace', { path: uri.fsPath });
  const choices = rangeChoices(scan, budget);
  if (choices.length === 0) {
    void vscode.window.showWarningMessage(
      `Go Lens: ${tooBig} It cannot be loaded in parts (${scan.legacy ? 'a Go 1.11–1.21 trace has no generations' : 'it has a single generation'}), so it is loaded whole and may run out of memory.`,
    );
    return {};
  }
  const items: RangeItem[] = choices.map((choice) => ({
    choice,
    label: choice.label,
    description: choice.description,
  }));
  const pick = vscode.window.createQuickPick<RangeItem>();
  pick.title = `Go Lens: ${tooBig} Which time range should it show?`;
  pick.placeholder = 'A time range of the trace (its generations); Escape opens nothing';
  pick.items = items;
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  const picked = await new Promise<RangeChoice | undefined>((resolve) => {
    let chosen: RangeChoice | undefined;
    pick.onDidAccept(() => {
      chosen = (pick.selectedItems[0] ?? pick.activeItems[0])?.choice;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
  if (!picked)
    throw new Error(`${tooBig} No time range was chosen: reopen the file to choose one.`);
  if (!picked.generations) return {};
  const { first, last } = picked.generations;
  const all = scan.generations;
  const totalNs = choices[choices.length - 1].endNs;
  return {
    generations: picked.generations,
    titleSuffix: `${formatTraceTime(picked.startNs, totalNs)} – ${formatTraceTime(picked.endNs, totalNs)}`,
    notice: `Showing ${formatTraceTime(picked.startNs, totalNs)} – ${formatTraceTime(picked.endNs, totalNs)} of ${formatTraceTime(totalNs, totalNs)} (generations ${first}–${last} of ${all.length}). The whole trace needs about ${formatBytes(estimateModelBytes(size))} of memory, more than the ${formatBytes(budget)} available (setting goLens.trace.memoryLimitMB). Reopen the file to choose another range.`,
  };
}
