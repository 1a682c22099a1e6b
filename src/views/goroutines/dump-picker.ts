// Several dumps in one file or paste (a log with a panic per run, a runtime.Stack print then a
// SIGQUIT dump): the quick pick that chooses which one the Goroutines view shows, crash first.
import * as vscode from 'vscode';
import { crashFirst, type DumpEntry } from '../../core/goroutines/dumps';
import { formatCount } from '../../core/format/units';

interface DumpItem extends vscode.QuickPickItem {
  index: number;
}

/**
 * Asks which dump to show; resolves to its 0-based index, or undefined when the user dismissed
 * the pick (the caller keeps what it shows).
 */
export async function pickDump(
  dumps: readonly DumpEntry[],
  current: number,
  what: string,
): Promise<number | undefined> {
  const items: DumpItem[] = crashFirst(dumps).map((d) => ({
    index: d.index - 1,
    label: `${d.crash ? '$(error) ' : ''}${d.title}`,
    description: `dump ${d.index} of ${dumps.length} · line ${d.startLine}`,
    detail: `${formatCount(d.goroutines)} goroutine${d.goroutines === 1 ? '' : 's'}${d.index - 1 === current ? ' · shown now' : ''}`,
  }));
  const pick = vscode.window.createQuickPick<DumpItem>();
  pick.title = `Go Lens: ${what} holds ${dumps.length} goroutine dumps — which one?`;
  pick.placeholder = 'Crashes first; Escape keeps the one shown';
  pick.items = items;
  pick.activeItems = items.filter((i) => i.index === current);
  pick.matchOnDescription = true;
  // Focus moving elsewhere (a view opening) must not dismiss the question.
  pick.ignoreFocusOut = true;
  return new Promise((resolve) => {
    let chosen: number | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.index ?? pick.activeItems[0]?.index;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}
