// "Capture Profile…": which profiles the target serves, read from its /debug/pprof/ index
// (custom pprof.NewProfile ones and goroutineleak included, each with its count), falling back
// to the standard list when the index cannot be read.
import * as vscode from 'vscode';
import type { CaptureKind } from '../core/collect/capture-name';
import { customProfileEndpoint, ENDPOINTS, type EndpointSpec } from '../core/collect/endpoints';
import {
  HANDLER_ENDPOINTS,
  parsePprofIndex,
  type IndexedProfile,
} from '../core/collect/pprof-index';
import type { Target } from '../core/collect/target';
import { fetchBytes } from '../collect/http-fetch';
import { pickTarget } from '../collect/target-picker';
import { formatCount } from '../core/format/units';

/** What the user picked: a profile to capture, or the leak finder. */
export type ServedProfileChoice =
  { target: Target; spec: EndpointSpec } | { target: Target; leaks: true };

/** Runtime profiles by index name, and what each answers. */
const STANDARD: Record<string, { kind: CaptureKind; detail: string }> = {
  profile: { kind: 'cpu', detail: 'Where CPU time goes, sampled for goLens.cpuProfileSeconds' },
  heap: { kind: 'heap', detail: 'Live memory by allocation site, after a garbage collection' },
  allocs: { kind: 'allocs', detail: 'Everything allocated since the program started, by site' },
  goroutine: { kind: 'goroutine', detail: 'Stacks of all goroutines, counted per stack' },
  mutex: {
    kind: 'mutex',
    detail: 'Where contended locks are released (needs runtime.SetMutexProfileFraction)',
  },
  block: {
    kind: 'block',
    detail: 'Where goroutines block on channels and locks (needs runtime.SetBlockProfileRate)',
  },
  threadcreate: { kind: 'threadcreate', detail: 'Stacks that created OS threads' },
};

interface ProfilePick extends vscode.QuickPickItem {
  spec?: EndpointSpec;
  leaks?: true;
}

/**
 * The profiles the target's index lists, or undefined when it has no readable index. Not asked
 * in an untrusted workspace: there a request goes out only after the capture asks permission.
 */
async function servedProfiles(target: Target): Promise<IndexedProfile[] | undefined> {
  if (!vscode.workspace.isTrusted) return undefined;
  try {
    const r = await fetchBytes(`${target.baseUrl}/`, { timeoutMs: 10_000 });
    return r.status === 200 ? parsePprofIndex(new TextDecoder().decode(r.bytes)) : undefined;
  } catch {
    return undefined;
  }
}

/** The picker's items for an index (or the standard list when `listed` is undefined). */
export function profilePicks(listed: IndexedProfile[] | undefined): ProfilePick[] {
  const title = (spec: EndpointSpec) => spec.title.replace(/^./, (c) => c.toUpperCase());
  if (!listed) {
    return Object.values(STANDARD).map((s) => ({
      label: title(ENDPOINTS[s.kind]),
      detail: s.detail,
      spec: ENDPOINTS[s.kind],
    }));
  }
  const picks: ProfilePick[] = [];
  const custom: ProfilePick[] = [];
  for (const p of listed) {
    const std = STANDARD[p.name];
    const count = HANDLER_ENDPOINTS.has(p.name) ? undefined : formatCount(p.count);
    if (std) {
      picks.push({
        label: title(ENDPOINTS[std.kind]),
        description: count,
        detail: std.detail,
        spec: ENDPOINTS[std.kind],
      });
    } else if (p.name === 'goroutineleak') {
      picks.push({
        label: 'Goroutine leak profile',
        description: count,
        detail:
          'Goroutines blocked forever (runs a GC in the program): opens in the Goroutines view and the Problems panel',
        leaks: true,
      });
    } else if (!HANDLER_ENDPOINTS.has(p.name)) {
      custom.push({
        label: p.name,
        description: count,
        detail: 'Registered by the program (pprof.NewProfile)',
        spec: customProfileEndpoint(p.name),
      });
    }
  }
  if (custom.length > 0)
    picks.push(
      { label: 'Registered by the program', kind: vscode.QuickPickItemKind.Separator },
      ...custom,
    );
  return picks;
}

/** Asks for a target, then for one of the profiles it serves. */
export async function pickServedProfile(
  context: vscode.ExtensionContext,
): Promise<ServedProfileChoice | undefined> {
  const target = await pickTarget(context.workspaceState, 'Go Lens: Capture Profile from…');
  if (!target) return undefined;
  const listed = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Window,
      title: `Go Lens: reading the profiles ${target.label} serves`,
    },
    () => servedProfiles(target),
  );
  const picked = await vscode.window.showQuickPick(profilePicks(listed), {
    title: `Go Lens: Capture Profile from ${target.label}`,
    placeHolder: listed
      ? 'Profiles this program serves (count now)'
      : 'Which profile to capture (the target lists no profiles at /debug/pprof/)',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.leaks) return { target, leaks: true };
  return picked.spec ? { target, spec: picked.spec } : undefined;
}
