// Asking which program to collect from: configured targets, recent ones, or a typed address.
import * as vscode from 'vscode';
import { parseTarget, TargetError, type Target } from '../core/collect/target';
import { liveRuns } from '../run/live-runs';

const RECENT_KEY = 'goLens.recentTargets';
const MAX_RECENT = 10;

/** An entry of the `goLens.targets` setting. */
interface ConfiguredTarget {
  name?: string;
  url: string;
  flightRecorder?: string;
}

function configuredTargets(): Target[] {
  const raw = vscode.workspace.getConfiguration('goLens').get<unknown[]>('targets') ?? [];
  const out: Target[] = [];
  for (const entry of raw) {
    const t: ConfiguredTarget | undefined =
      typeof entry === 'string'
        ? { url: entry }
        : entry && typeof entry === 'object' && typeof (entry as ConfiguredTarget).url === 'string'
          ? (entry as ConfiguredTarget)
          : undefined;
    if (!t) continue;
    try {
      const target = parseTarget(t.url, t.name);
      if (typeof t.flightRecorder === 'string' && t.flightRecorder.trim() !== '')
        target.flightRecorder = t.flightRecorder.trim();
      out.push(target);
    } catch {
      // A broken entry is reported when picked by URL; it must not hide the others.
    }
  }
  return out;
}

function recentTargets(state: vscode.Memento): Target[] {
  const urls = state.get<string[]>(RECENT_KEY) ?? [];
  return urls.flatMap((u) => {
    try {
      return [parseTarget(u)];
    } catch {
      return [];
    }
  });
}

/** The most recent live run of Go Lens: Run…, else the target used last in this workspace: what "refresh" collects from. */
export function currentTarget(state: vscode.Memento): Target | undefined {
  return liveRuns.latest()?.target ?? recentTargets(state)[0];
}

/** Puts the target first in this workspace's recent list. */
export async function rememberTarget(state: vscode.Memento, target: Target): Promise<void> {
  // A run's port is gone when it ends; the live list offers it while it runs.
  if (liveRuns.list().some((r) => r.target.baseUrl === target.baseUrl)) return;
  const urls = (state.get<string[]>(RECENT_KEY) ?? []).filter((u) => u !== target.baseUrl);
  await state.update(RECENT_KEY, [target.baseUrl, ...urls].slice(0, MAX_RECENT));
}

interface TargetItem extends vscode.QuickPickItem {
  target?: Target;
  typed?: boolean;
}

/**
 * Shows the target quick pick. Typing an address offers it as the first item, so
 * `localhost:6060` + Enter works without a second prompt. Resolves to undefined when dismissed.
 */
export function pickTarget(state: vscode.Memento, title: string): Promise<Target | undefined> {
  const configured = configuredTargets();
  const runs = liveRuns.list().map((r) => r.target);
  const recent = recentTargets(state).filter(
    (r) =>
      !configured.some((c) => c.baseUrl === r.baseUrl) &&
      !runs.some((c) => c.baseUrl === r.baseUrl),
  );
  const fixedItems: TargetItem[] = [
    // Programs Go Lens is running, the most recent first: capture commands pick them at once.
    ...liveRuns.list().map((r) => ({
      label: `$(play-circle) ${r.label}`,
      description: r.target.baseUrl,
      detail: `running under Go Lens${r.pid ? `, pid ${r.pid}` : ''}`,
      target: r.target,
    })),
    ...configured.map((t) => ({
      label: `$(server-process) ${t.label}`,
      description: t.baseUrl,
      detail: 'from the goLens.targets setting',
      target: t,
    })),
    ...recent.map((t) => ({ label: `$(history) ${t.label}`, description: t.baseUrl, target: t })),
  ];
  const quickPick = vscode.window.createQuickPick<TargetItem>();
  quickPick.title = title;
  quickPick.placeholder = 'Address of a Go program serving net/http/pprof, e.g. localhost:6060';
  quickPick.matchOnDescription = true;
  // The address is often copied from a terminal or a log while the picker is open, and a view
  // that opens meanwhile (the previous capture's) takes focus: neither should dismiss it.
  quickPick.ignoreFocusOut = true;
  quickPick.items =
    fixedItems.length > 0
      ? fixedItems
      : [{ label: 'Type the address of a program that imports net/http/pprof', alwaysShow: true }];
  quickPick.onDidChangeValue((value) => {
    let typed: TargetItem | undefined;
    if (value.trim() !== '') {
      try {
        const t = parseTarget(value);
        typed = {
          label: `$(plug) ${t.label}`,
          description: t.baseUrl,
          detail: 'the address you typed',
          target: t,
          typed: true,
          alwaysShow: true,
        };
      } catch (err) {
        typed = {
          label: `$(warning) ${err instanceof TargetError ? err.message : String(err)}`,
          alwaysShow: true,
        };
      }
    }
    quickPick.items = typed ? [typed, ...fixedItems] : fixedItems;
    if (typed) quickPick.activeItems = [quickPick.items[0]];
  });
  return new Promise((resolve) => {
    let result: Target | undefined;
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
      if (!item?.target) return; // An explanatory row: keep the picker open.
      result = item.target;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(result);
    });
    quickPick.show();
  });
}
