// Core dumps: "Open Core Dump…", "Snapshot Process Core…", "Prepare for Core Dumps", and
// "Show Frame Variables" on a frame of a core's goroutine. The core is read by Delve in the
// parse worker and shown in the Goroutines explorer like any dump (grouped, filtered, the
// crashing goroutine first); Delve keeps running until the explorer lets go of the snapshot.
//
// Restricted Mode: every command here that reads a core runs a program (Delve, possibly the
// one go.alternateTools.dlv names in the workspace's settings), so an untrusted workspace
// refuses them, as it refuses every launch; "Prepare for Core Dumps" only reads files.
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  checkCoreSetup,
  coreDestination,
  parseCoreLimit,
  type CoreSetupFacts,
} from '../core/delve/core-setup';
import { inspectCore } from '../collect/delve/files';
import { listGoProcesses, snapshotProcess } from '../collect/delve/snapshot-process';
import { DelveStartError } from '../collect/delve/process';
import type { GoLensServices } from '../services';
import { resolveDelve } from '../toolchain/delve';
import type { FrameNode } from '../views/goroutines/tree-model';
import type { FrameVariables } from '../worker/core-protocol';
import { goroutineExplorer } from './goroutines';
import { frameVariablesText } from './cores-text';
import { formatBytes, formatMs } from '../core/format/units';

const FRAME_SCHEME = 'golens-frame';

async function refuseUntrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  const answer = await vscode.window.showWarningMessage(
    `Go Lens does not ${what} in Restricted Mode: it runs Delve (dlv), and an untrusted workspace's settings could name any program as dlv. Trust the workspace to read core dumps; goroutine dumps and profiles still open.`,
    manage,
  );
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return true;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Binaries that may have written the core: the path the kernel recorded, and workspace files of that name. */
async function executableCandidates(core: string): Promise<{ path: string; why: string }[]> {
  const out: { path: string; why: string }[] = [];
  const seen = new Set<string>();
  const add = (path: string, why: string) => {
    if (!seen.has(path) && existsSync(path)) {
      seen.add(path);
      out.push({ path, why });
    }
  };
  let name = '';
  try {
    const info = await inspectCore(core);
    if (info.executablePath) add(info.executablePath, 'recorded in the core');
    name = basename(info.executablePath || info.notes.fileName);
  } catch {
    // The open itself reports what is wrong with the core.
  }
  // `core.<name>.<pid>` and similar patterns name the program too.
  const fromFile = /^core[._-]([^.]+)/.exec(basename(core))?.[1];
  for (const n of [name, fromFile]) {
    if (!n || /^\d+$/.test(n)) continue;
    add(join(dirname(core), n), 'beside the core');
    for (const uri of await vscode.workspace.findFiles(
      `**/${n}`,
      '{**/node_modules/**,**/.git/**}',
      20,
    ))
      add(uri.fsPath, 'in the workspace');
  }
  return out;
}

async function pickExecutable(core: string): Promise<string | undefined> {
  const candidates = await executableCandidates(core);
  const browse = '$(folder-opened) Browse…';
  const items: vscode.QuickPickItem[] = [
    ...candidates.map((c) => ({ label: basename(c.path), description: c.why, detail: c.path })),
    { label: browse },
  ];
  const picked =
    candidates.length === 0
      ? { label: browse }
      : await vscode.window.showQuickPick(items, {
          title: `The executable that wrote ${basename(core)}`,
          placeHolder: 'Pick the exact binary that crashed (the same build)',
        });
  if (!picked) return undefined;
  if (picked.label !== browse) return picked.detail;
  const uri = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use as Executable',
    title: `The executable that wrote ${basename(core)}`,
    defaultUri: vscode.Uri.file(dirname(core)),
  });
  return uri?.[0]?.fsPath;
}

export function registerCores({ context, worker }: GoLensServices): void {
  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  const frameDocs = new Map<string, string>();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(FRAME_SCHEME, {
      provideTextDocumentContent: (uri) => frameDocs.get(uri.toString()) ?? '',
    }),
    vscode.workspace.onDidCloseTextDocument((d) => frameDocs.delete(d.uri.toString())),
  );

  /** Reads the core in the worker and shows it in the Goroutines view. */
  async function openCore(executable: string, core: string): Promise<boolean> {
    const explorer = goroutineExplorer();
    if (!explorer) return false;
    const dlv = await resolveDelve();
    if (!dlv) return false;
    const name = basename(core);
    const ok = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Go Lens: reading ${name} with Delve`,
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        const read = () =>
          worker.request(
            'loadCoreDump',
            { dlv, executable, core },
            {
              signal: abort.signal,
              onProgress: (message, fraction) => {
                const inc = fraction !== undefined ? Math.max(0, fraction * 100 - last) : undefined;
                if (fraction !== undefined) last = fraction * 100;
                progress.report({ message, increment: inc });
              },
            },
          );
        return explorer.showSnapshot(
          `the core ${name}`,
          { kind: 'core', executable, core, name },
          new Date(),
          read,
        );
      },
    );
    if (ok) await explorer.focus();
    return ok;
  }

  command(
    'goLens.openCoreDump',
    async (arg?: { executable?: unknown; core?: unknown } | vscode.Uri) => {
      if (await refuseUntrusted('open core dumps')) return false;
      // The launcher (and scripts) pass { executable, core }: open without asking.
      if (arg && !(arg instanceof vscode.Uri) && typeof arg.core === 'string') {
        const exe =
          typeof arg.executable === 'string' ? arg.executable : await pickExecutable(arg.core);
        return exe ? openCore(exe, arg.core) : false;
      }
      let core = arg instanceof vscode.Uri ? arg.fsPath : undefined;
      if (!core) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Open Core Dump',
          title: 'Open the core dump of a Go program',
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
        core = picked?.[0]?.fsPath;
      }
      if (!core) return false;
      const exe = await pickExecutable(core);
      return exe ? openCore(exe, core) : false;
    },
  );

  command('goLens.snapshotProcessCore', async () => {
    if (await refuseUntrusted('snapshot processes')) return;
    const processes = await listGoProcesses({ excludePids: [process.pid] });
    if (processes.length === 0) {
      void vscode.window.showInformationMessage(
        'Go Lens: no running Go program was found (Go binaries are told by their .go.buildinfo section; only processes you may read are listed).',
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      processes.map((p) => ({
        label: `${p.name}`,
        description: `pid ${p.pid} · ${p.goVersion}`,
        detail: p.commandLine,
        p,
      })),
      {
        title:
          'Snapshot a running Go process (it is stopped while its core is written, then goes on)',
        matchOnDetail: true,
        matchOnDescription: true,
      },
    );
    if (!picked) return;
    const dlv = await resolveDelve();
    if (!dlv) return;
    const p = picked.p;
    const dir = vscode.Uri.joinPath(context.globalStorageUri, 'cores');
    await vscode.workspace.fs.createDirectory(dir);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const destination = join(dir.fsPath, `core.${p.name}.${p.pid}.${stamp}`);
    let result;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Go Lens: writing a core of ${p.name} (pid ${p.pid})`,
        },
        (progress) =>
          snapshotProcess(dlv, p.pid, destination, {
            progress: (message) => progress.report({ message }),
          }),
      );
    } catch (e) {
      const out = e instanceof DelveStartError ? e.output : '';
      const ptrace = /not permitted|ptrace/i.test(out + errorText(e))
        ? ' Attaching needs ptrace permission: run the program as your user, or allow it with `sudo sysctl kernel.yama.ptrace_scope=0`.'
        : '';
      void vscode.window.showErrorMessage(
        `Go Lens could not snapshot ${p.name} (pid ${p.pid}): ${errorText(e)}${out ? ` — ${out.trim().split('\n').slice(-2).join(' ')}` : ''}.${ptrace}`,
      );
      return;
    }
    void vscode.window.showInformationMessage(
      `Go Lens: ${p.name} (pid ${p.pid}) was stopped for ${formatMs(result.stoppedMs)} while Delve wrote a ${formatBytes(result.bytes)} core; it is running again.`,
    );
    // /proc/PID/exe still reads the binary if it was replaced on disk since the process started.
    let exe = p.executable;
    if (exe.endsWith(' (deleted)') || !existsSync(exe))
      exe = await readlink(`/proc/${p.pid}/exe`)
        .then(() => `/proc/${p.pid}/exe`)
        .catch(() => exe);
    await openCore(exe, destination);
  });

  command('goLens.prepareCoreDumps', async () => {
    const read = (p: string) => readFile(p, 'utf8').catch(() => undefined);
    const facts: CoreSetupFacts = {
      coreLimit: parseCoreLimit((await read('/proc/self/limits')) ?? ''),
      corePattern: (await read('/proc/sys/kernel/core_pattern'))?.trim(),
      coreUsesPid: (await read('/proc/sys/kernel/core_uses_pid'))?.trim() === '1',
      gotraceback: process.env.GOTRACEBACK,
    };
    const checks = checkCoreSetup(facts);
    const lines = ['# Core dumps of Go programs on this machine', ''];
    for (const c of checks) lines.push(`## ${c.ok ? '✓' : '✗'} ${c.title}`, '', c.detail, '');
    lines.push(
      '## Cores of a running program without a crash',
      '',
      'Go Lens: Snapshot Process Core… writes one with Delve and lets the program go on.',
      '',
    );
    // A read-only document (no "save changes?" when it is closed).
    const uri = vscode.Uri.from({
      scheme: FRAME_SCHEME,
      path: '/Core dumps on this machine.md',
      query: String(Date.now()),
    });
    frameDocs.set(uri.toString(), lines.join('\n'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      preview: true,
    });
    const find = 'Find Cores of a Program…';
    const answer = await vscode.window.showInformationMessage(
      `Go Lens: ${checks.filter((c) => !c.ok).length} of ${checks.length} core dump requirements need attention (details in the editor).`,
      find,
    );
    if (answer === find) await findRecentCores(facts.corePattern ?? 'core');
  });

  /** Lists core files of a chosen binary in the places cores land, newest first, and opens the one picked. */
  async function findRecentCores(pattern: string): Promise<void> {
    const exeUri = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Find Its Cores',
      title: 'The Go program whose cores to find',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    const executable = exeUri?.[0]?.fsPath;
    if (!executable) return;
    const dest = coreDestination(pattern);
    const dirs = new Set<string>([
      dirname(executable),
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    ]);
    if (dest.kind === 'dir') dirs.add(dest.dir);
    const found: { path: string; mtime: number; size: number }[] = [];
    for (const dir of dirs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const n of names) {
        if (!/^core([._-]|$)/.test(n)) continue;
        const path = join(dir, n);
        try {
          const info = await inspectCore(path);
          const name = basename(info.executablePath || info.notes.fileName);
          if (name.slice(0, 15) !== basename(executable).slice(0, 15)) continue;
          const s = await stat(path);
          found.push({ path, mtime: s.mtimeMs, size: s.size });
        } catch {
          // Not a readable core.
        }
      }
    }
    if (found.length === 0) {
      const where = [...dirs].join(', ');
      const systemd =
        dest.kind === 'pipe'
          ? ` Cores go to ${dest.handler}; with systemd-coredump run \`coredumpctl dump ${basename(executable)} -o core\` and open that file.`
          : '';
      void vscode.window.showInformationMessage(
        `Go Lens: no core of ${basename(executable)} in ${where}.${systemd}`,
      );
      return;
    }
    found.sort((a, b) => b.mtime - a.mtime);
    const picked = await vscode.window.showQuickPick(
      found.map((f) => ({
        label: basename(f.path),
        description: `${new Date(f.mtime).toLocaleString()} · ${formatBytes(f.size)}`,
        detail: f.path,
      })),
      { title: `Cores of ${basename(executable)}, newest first` },
    );
    if (picked?.detail)
      await vscode.commands.executeCommand('goLens.openCoreDump', {
        executable,
        core: picked.detail,
      });
  }

  command('goLens.goroutines.showFrameVariables', async (node?: FrameNode) => {
    const explorer = goroutineExplorer();
    const current = explorer?.model.current;
    if (!node || node.kind !== 'frame' || node.index < 0) return;
    if (current?.source.kind !== 'core') {
      void vscode.window.showInformationMessage(
        'Go Lens: arguments and locals are read from a core dump (Go Lens: Open Core Dump…); a goroutine dump does not record them.',
      );
      return;
    }
    let vars: FrameVariables;
    try {
      vars = await worker.request('coreFrameVariables', {
        handle: current.handle,
        goroutine: node.goroutineId,
        func: node.frame.func,
        file: node.frame.file,
        line: node.frame.line,
      });
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Go Lens could not read the variables of ${node.frame.func}: ${errorText(e)}`,
      );
      return;
    }
    const text = frameVariablesText(vars, node.goroutineId, current.source.name);
    const uri = vscode.Uri.from({
      scheme: FRAME_SCHEME,
      path: `/goroutine ${node.goroutineId} ${node.frame.func.replace(/[/\\]/g, '∕')}.go`,
      query: String(Date.now()),
    });
    frameDocs.set(uri.toString(), text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await Promise.resolve(vscode.languages.setTextDocumentLanguage(doc, 'go')).catch(() => doc);
    await vscode.window.showTextDocument(doc, {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  });
}
