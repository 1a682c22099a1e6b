// "Profile a test": CodeLenses on `func TestXxx(t *testing.T)` and `func BenchmarkXxx(b *testing.B)`
// that run `go test` on just that function with -cpuprofile / -memprofile / -trace (benchmarks
// also -mutexprofile / -blockprofile), save the result in the captures folder like every
// capture, and open it. Output goes to the "Go Lens: Tests" output channel.
//
// In Restricted Mode there are no lenses and the command refuses: `go test` compiles and runs
// the workspace's code.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { captureFileName, type CaptureMeta } from '../core/collect/capture-name';
import { capturesRoot } from '../collect/captures';
import { PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import { signalGroup, spawnGroup } from '../run/process-group';
import { STOP_GRACE_MS } from '../run/traced-process';
import { goCommand } from '../toolchain/go-env';
import { openTraceFile } from '../views/captures/captures-view';
import { captureKindOf, commandLine, findTestFunctions, goTestArgs, TEST_PROFILE_TITLES, testSlug, type TestProfileKind } from './profile-test-args';

export const PROFILE_TEST_COMMAND = 'goLens.profileTest';

const LENSES: { kind: TestProfileKind | 'more'; title: string; benchmarkOnly?: boolean }[] = [
  { kind: 'cpu', title: '$(flame) profile CPU' },
  { kind: 'memory', title: 'profile memory' },
  { kind: 'trace', title: 'trace' },
  { kind: 'more', title: 'mutex/block…', benchmarkOnly: true },
];

export class TestProfileLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Trust was granted: the lenses appear. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file' || !doc.uri.path.endsWith('_test.go')) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of findTestFunctions(doc.getText())) {
      const range = new vscode.Range(fn.line, 0, fn.line, 0);
      for (const l of LENSES) {
        if (l.benchmarkOnly && !fn.benchmark) continue;
        const what = l.kind === 'more' ? 'a mutex or block profile' : `a ${TEST_PROFILE_TITLES[l.kind]}`;
        lenses.push(
          new vscode.CodeLens(range, {
            title: l.title,
            command: PROFILE_TEST_COMMAND,
            arguments: [doc.uri, fn.name, l.kind === 'more' ? undefined : l.kind],
            tooltip: `Go Lens: run ${fn.name} with go test and open ${what}`,
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

let output: vscode.OutputChannel | undefined;

/** Where test runs write: one channel for all of them. */
function outputChannel(context: vscode.ExtensionContext): vscode.OutputChannel {
  if (!output) {
    output = vscode.window.createOutputChannel('Go Lens: Tests');
    context.subscriptions.push(output);
  }
  return output;
}

async function pickKind(benchmark: boolean): Promise<TestProfileKind | undefined> {
  const kinds: TestProfileKind[] = benchmark ? ['cpu', 'memory', 'trace', 'mutex', 'block'] : ['cpu', 'memory', 'trace'];
  const detail: Record<TestProfileKind, string> = {
    cpu: 'where the CPU time goes (-cpuprofile)',
    memory: 'what allocates (-memprofile)',
    trace: 'an execution trace of the run (-trace)',
    mutex: 'where goroutines wait for contended locks (-mutexprofile)',
    block: 'where goroutines block on channels, selects and locks (-blockprofile)',
  };
  const picked = await vscode.window.showQuickPick(
    kinds.map((k) => ({ label: TEST_PROFILE_TITLES[k], description: detail[k], profileKind: k })),
    { title: 'Go Lens: Profile Test', placeHolder: 'What to record' },
  );
  return picked?.profileKind;
}

/**
 * Runs `go test` on one test or benchmark with a profile flag, then opens what it wrote. Resolves
 * to the saved file, or undefined (untrusted, cancelled, nothing written — the user was told).
 */
export async function profileTest(context: vscode.ExtensionContext, uri: vscode.Uri | undefined, name: string | undefined, kind: TestProfileKind | undefined): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const answer = await vscode.window.showWarningMessage(
      'Go Lens does not run tests in Restricted Mode: go test compiles and runs the workspace’s code. Trust the workspace to profile a test; saved profiles still open.',
      manage,
    );
    if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!file || file.scheme !== 'file' || !file.path.endsWith('_test.go')) {
    void vscode.window.showInformationMessage('Go Lens: open a _test.go file and use the "profile CPU" lens above a test or benchmark.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(file);
  const fns = findTestFunctions(doc.getText());
  let fn = fns.find((f) => f.name === name);
  if (!fn) {
    const picked = await vscode.window.showQuickPick(
      fns.map((f) => ({ label: f.name, description: f.benchmark ? 'benchmark' : 'test', fn: f })),
      { title: 'Go Lens: Profile Test', placeHolder: fns.length ? 'Which test or benchmark' : `${basename(file.fsPath)} declares no tests or benchmarks` },
    );
    fn = picked?.fn;
  }
  if (!fn) return undefined;
  const what = kind ?? (await pickKind(fn.benchmark));
  if (!what) return undefined;

  const dir = dirname(file.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(file);
  const rel = folder ? relative(folder.uri.fsPath, dir).split(sep).join('/') : '';
  // `demo` for the workspace folder's own package, `demo/internal/x` below it.
  const pkgLabel = folder ? (rel ? `${folder.name}/${rel}` : folder.name) : basename(dir);
  const slug = testSlug(pkgLabel);
  const startedAt = new Date();
  const captureKind = captureKindOf(what);
  const target = vscode.Uri.joinPath(capturesRoot(context), captureFileName(slug, captureKind, startedAt));
  const scratch = mkdtempSync(join(tmpdir(), 'golens-test-'));
  const outFile = join(scratch, basename(target.fsPath));
  const go = goCommand();
  const args = goTestArgs(fn, what, outFile, join(scratch, 'pkg.test'));
  const line = commandLine(go.binary, args);
  const out = outputChannel(context);
  out.show(true);
  out.appendLine(`$ ${line}   (in ${dir})`);

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Go Lens: ${fn.name} — ${TEST_PROFILE_TITLES[what]}`, cancellable: true },
      (progress, token) =>
        new Promise<{ code: number | null; cancelled: boolean; error?: string }>((resolve) => {
          progress.report({ message: 'go test…' });
          const child = spawnGroup(go.binary, args, { cwd: dir, env: go.env });
          let cancelled = false;
          let killTimer: ReturnType<typeof setTimeout> | undefined;
          token.onCancellationRequested(() => {
            cancelled = true;
            if (child.pid === undefined) return;
            // As Ctrl+C would: go test stops the test binary; kill the group if it lingers.
            void signalGroup(child.pid, 'SIGINT');
            killTimer = setTimeout(() => void signalGroup(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
          });
          child.stdin.end();
          const write = (d: Buffer) => out.append(d.toString('utf8'));
          child.stdout.on('data', write);
          child.stderr.on('data', write);
          child.on('error', (err: NodeJS.ErrnoException) => {
            const where = go.binary === 'go' ? '`go` is not on the PATH of VS Code' : `${go.binary} does not exist or cannot be run`;
            resolve({ code: null, cancelled, error: `could not run the Go toolchain (${err.code ?? err.message}): ${where}. Install Go, or set go.goroot (or go.alternateTools → go).` });
          });
          child.on('close', (code) => {
            clearTimeout(killTimer);
            resolve({ code, cancelled });
          });
        }),
    );
    const took = ((Date.now() - startedAt.getTime()) / 1000).toFixed(1);
    out.appendLine(result.error ? `Go Lens: ${result.error}` : `Go Lens: go test ${result.cancelled ? 'was stopped' : `exited with code ${result.code}`} after ${took} s.`);
    if (result.error) {
      void vscode.window.showErrorMessage(`Go Lens: ${result.error}`);
      return undefined;
    }
    const written = existsSync(outFile) && statSync(outFile).size > 0;
    if (!written) {
      void vscode.window.showErrorMessage(
        result.cancelled
          ? `Go Lens: ${fn.name} was stopped before it wrote a ${TEST_PROFILE_TITLES[what]}.`
          : `Go Lens: go test ${result.code === 0 ? 'succeeded' : `failed (exit code ${result.code})`} but wrote no ${TEST_PROFILE_TITLES[what]} for ${fn.name}: the build failed, or the test binary exited early (os.Exit, a panic in TestMain). See the "Go Lens: Tests" output.`,
      );
      return undefined;
    }
    // Saved like a capture, so the Captures view lists it and Compare finds the previous one.
    await mkdir(dirname(target.fsPath), { recursive: true });
    await rename(outFile, target.fsPath).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await vscode.workspace.fs.copy(vscode.Uri.file(outFile), target, { overwrite: true });
    });
    const meta: CaptureMeta = {
      kind: captureKind,
      target: dir,
      targetLabel: `go test ${pkgLabel}`,
      url: line,
      startedAt: startedAt.toISOString(),
      bytes: statSync(target.fsPath).size,
      complete: true,
    };
    await writeFile(target.fsPath + '.json', JSON.stringify(meta, null, 2));
    if (captureKind === 'trace') await openTraceFile(target, vscode.ViewColumn.Beside);
    else await vscode.commands.executeCommand('vscode.openWith', target, PROFILE_VIEW_TYPE, vscode.ViewColumn.Beside);
    if (result.cancelled) {
      void vscode.window.showWarningMessage(`Go Lens: ${fn.name} was stopped; the ${TEST_PROFILE_TITLES[what]} covers the run until then.`);
    } else if (result.code !== 0) {
      void vscode.window.showWarningMessage(`Go Lens: ${fn.name} failed (go test exit code ${result.code}); the ${TEST_PROFILE_TITLES[what]} it wrote is open. See the "Go Lens: Tests" output for the failure.`);
    }
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
