// "Find Goroutine Leaks": asks a target for its goroutine leak profile (Go 1.27, or Go 1.26
// built with GOEXPERIMENT=goroutineleakprofile), shows the leaked goroutines as their own view
// of the Goroutines explorer, and puts one Problems diagnostic per leak site at the line the
// goroutines block on, with the place that created them as related information.
import * as vscode from 'vscode';
import { ANSWER_GRACE_SECONDS } from '../core/collect/endpoints';
import { describeBadResponse } from '../core/collect/http-errors';
import { leakProfileUnavailable, parsePprofIndex } from '../core/collect/pprof-index';
import type { Target } from '../core/collect/target';
import type { LeakSiteSummary } from '../core/goroutines/leak';
import { saveFetchedCapture } from '../collect/captures';
import { CaptureError, fetchBytes, type FetchResult } from '../collect/http-fetch';
import { pickTarget, rememberTarget } from '../collect/target-picker';
import { resolveSource } from '../editors/open-source';
import type { CaptureOutcome } from '../commands/capture';
import type { ParseWorkerClient } from '../worker/client';
import type { GoroutineExplorer } from '../views/goroutines/explorer';

/** Tried in order: debug=2 has states and creation sites; a server that fails it may still answer the others. */
const LEAK_FORMS = [
  '/goroutineleak?debug=2',
  '/goroutineleak?debug=1',
  '/goroutineleak?debug=0',
] as const;
/** Leak detection is a full GC plus a stack walk: seconds for a big heap. */
const LEAK_TIMEOUT_MS = ANSWER_GRACE_SECONDS * 1000;

type Fetched = { ok: true; url: string; result: FetchResult } | { ok: false; message: string };

/** Whether the target's pprof index lists the leak profile; undefined when the index cannot tell. */
async function indexListsLeakProfile(
  target: Target,
  signal: AbortSignal,
): Promise<boolean | undefined> {
  try {
    const r = await fetchBytes(`${target.baseUrl}/`, { signal, timeoutMs: 10_000 });
    if (r.status !== 200) return undefined;
    const profiles = parsePprofIndex(new TextDecoder().decode(r.bytes));
    return profiles ? profiles.some((p) => p.name === 'goroutineleak') : undefined;
  } catch {
    return undefined;
  }
}

/** GETs the leak profile, falling back from debug=2 to debug=1 and debug=0 when a form fails. */
async function fetchLeakProfile(target: Target, signal: AbortSignal): Promise<Fetched> {
  const listed = await indexListsLeakProfile(target, signal);
  if (listed === false) return { ok: false, message: leakProfileUnavailable(target.baseUrl) };
  let lastProblem = '';
  for (const form of LEAK_FORMS) {
    const url = target.baseUrl + form;
    let result: FetchResult;
    try {
      result = await fetchBytes(url, { signal, timeoutMs: LEAK_TIMEOUT_MS });
    } catch (err) {
      // Nothing answered: the other forms will not fare better.
      return { ok: false, message: err instanceof CaptureError ? err.message : String(err) };
    }
    const body = new TextDecoder().decode(result.bytes.subarray(0, 512));
    if (result.status === 404 && /Unknown profile/.test(body))
      return { ok: false, message: leakProfileUnavailable(target.baseUrl) };
    const bad = describeBadResponse({
      url,
      status: result.status,
      contentType: result.contentType,
      bodyStart: body,
      expected: 'a goroutine leak profile',
    });
    if (!bad && result.bytes.length > 0) return { ok: true, url, result };
    lastProblem = bad ?? `${url} answered with an empty body.`;
    // A 404 for the path itself means no pprof server there at all: say so once.
    if (result.status === 404) break;
  }
  return { ok: false, message: lastProblem };
}

/** Problems-panel diagnostics for leak sites, grouped by the file they point at. */
async function leakDiagnostics(
  sites: LeakSiteSummary[],
): Promise<Map<string, vscode.Diagnostic[]>> {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const site of sites) {
    if (!site.frame || site.frame.line === 0) continue;
    const resolved = await resolveSource(site.frame);
    if (!resolved.ok) continue;
    const line = site.frame.line - 1;
    const d = new vscode.Diagnostic(
      new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
      site.message,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = 'Go Lens';
    d.code = 'goroutine leak';
    const related: vscode.DiagnosticRelatedInformation[] = [];
    for (const c of site.createdAt.slice(0, 5)) {
      const at = await resolveSource(c);
      if (at.ok && c.line > 0) {
        related.push(
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(vscode.Uri.file(at.path), new vscode.Position(c.line - 1, 0)),
            `${c.count === 1 ? '1 goroutine' : `${c.count} goroutines`} created here by ${c.func}`,
          ),
        );
      }
    }
    if (related.length > 0) d.relatedInformation = related;
    const list = byFile.get(resolved.path) ?? [];
    list.push(d);
    byFile.set(resolved.path, list);
  }
  return byFile;
}

export function registerLeaks(
  context: vscode.ExtensionContext,
  explorer: GoroutineExplorer,
  worker: ParseWorkerClient,
): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('goLens.goroutineLeaks');
  context.subscriptions.push(diagnostics);

  const findLeaks = async (given?: Target) => {
    // "Capture Profile…" passes the target it asked for.
    const target =
      given && typeof given.baseUrl === 'string'
        ? given
        : await pickTarget(context.workspaceState, 'Go Lens: Find Goroutine Leaks in…');
    if (!target) return;
    if (!vscode.workspace.isTrusted) {
      const go = 'Find Leaks';
      const answer = await vscode.window.showWarningMessage(
        `This workspace is not trusted. Go Lens would send HTTP GETs to ${target.baseUrl}/goroutineleak, which runs a garbage collection in that program. Continue?`,
        { modal: true },
        go,
      );
      if (answer !== go) return;
    }
    await rememberTarget(context.workspaceState, target);
    // Said before asking: the request is not read-only, it makes the program collect garbage.
    void vscode.window.showInformationMessage(
      `Go Lens: finding goroutine leaks runs a garbage collection in ${target.label}: the runtime detects leaked goroutines during a GC cycle.`,
    );
    const startedAt = new Date();
    const abort = new AbortController();
    const fetched = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Go Lens: running a leak-detecting GC in ${target.label}`,
        cancellable: true,
      },
      async (_progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return fetchLeakProfile(target, abort.signal);
      },
    );
    if (abort.signal.aborted) return;
    if (!fetched.ok) {
      void vscode.window.showErrorMessage(`Go Lens: ${fetched.message}`);
      return;
    }
    const { url, result } = fetched;
    const outcome: CaptureOutcome = await saveFetchedCapture(
      context,
      target,
      'goroutine-dump',
      url,
      startedAt,
      result,
    );
    if (!(await explorer.showLeakCapture(outcome))) return;
    await explorer.focus();
    const current = explorer.model.current;
    if (!current) return;
    const sites = await worker.request('goroutineLeakSites', { handle: current.handle });
    diagnostics.clear();
    for (const [path, list] of await leakDiagnostics(sites))
      diagnostics.set(vscode.Uri.file(path), list);
    const leaked = sites.reduce((n, s) => n + s.count, 0);
    if (!result.complete) {
      void vscode.window.showWarningMessage(
        `Go Lens: the leak profile from ${target.label} is incomplete (${result.error}); showing what arrived.`,
      );
    }
    void vscode.window.showInformationMessage(
      leaked === 0
        ? `Go Lens: no leaked goroutines in ${target.label}: every blocked goroutine is reachable from running code.`
        : `Go Lens: ${leaked === 1 ? '1 leaked goroutine' : `${leaked} leaked goroutines`} at ${sites.length === 1 ? '1 place' : `${sites.length} places`} in ${target.label}; see the Goroutines view and the Problems panel.`,
    );
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goLens.findGoroutineLeaks', findLeaks),
    vscode.commands.registerCommand('goLens.goroutines.showLeakedOnly', () =>
      explorer.setOptions({ onlyLeaked: true }),
    ),
    vscode.commands.registerCommand('goLens.goroutines.showAllGoroutines', () =>
      explorer.setOptions({ onlyLeaked: false }),
    ),
    vscode.commands.registerCommand('goLens.clearGoroutineLeaks', () => diagnostics.clear()),
  );
}
