// "Profile a test": CodeLenses on `func TestXxx(t *testing.T)` and `func BenchmarkXxx(b *testing.B)`
// that run just that function with -test.cpuprofile / -test.memprofile / -test.trace (benchmarks
// also -test.mutexprofile / -test.blockprofile), save the result in the captures folder like
// every capture, and open it. A mode of the one launcher (src/run): the package's test binary
// built by `go test -c`, its output in the run's terminal, Stop, Restart (which profiles again).
//
// In Restricted Mode there are no lenses and the command refuses: `go test` compiles and runs
// the workspace's code.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { captureFileName, type CaptureMeta } from '../core/collect/capture-name';
import { capturesRoot } from '../collect/captures';
import { PROFILE_VIEW_TYPE } from '../editors/profile-editor';
import { startRunSession } from '../features/run';
import {
  DEFAULT_LAUNCH_OPTIONS,
  type LaunchOptions,
  type LaunchTarget,
  type PreparedRun,
} from '../run/launch';
import type { ExitInfo } from '../run/traced-process';
import { openTraceFile } from '../views/captures/captures-view';
import {
  captureKindOf,
  findTestFunctions,
  TEST_PROFILE_TITLES,
  testBinaryArgs,
  testSlug,
  type TestProfileKind,
} from './profile-test-args';

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
    if (
      !vscode.workspace.isTrusted ||
      doc.uri.scheme !== 'file' ||
      !doc.uri.path.endsWith('_test.go')
    )
      return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of findTestFunctions(doc.getText())) {
      const range = new vscode.Range(fn.line, 0, fn.line, 0);
      for (const l of LENSES) {
        if (l.benchmarkOnly && !fn.benchmark) continue;
        const what =
          l.kind === 'more' ? 'a mutex or block profile' : `a ${TEST_PROFILE_TITLES[l.kind]}`;
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

async function pickKind(benchmark: boolean): Promise<TestProfileKind | undefined> {
  const kinds: TestProfileKind[] = benchmark
    ? ['cpu', 'memory', 'trace', 'mutex', 'block']
    : ['cpu', 'memory', 'trace'];
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
export async function profileTest(
  context: vscode.ExtensionContext,
  uri: vscode.Uri | undefined,
  name: string | undefined,
  kind: TestProfileKind | undefined,
): Promise<vscode.Uri | undefined> {
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
    void vscode.window.showInformationMessage(
      'Go Lens: open a _test.go file and use the "profile CPU" lens above a test or benchmark.',
    );
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(file);
  const fns = findTestFunctions(doc.getText());
  let fn = fns.find((f) => f.name === name);
  if (!fn) {
    const picked = await vscode.window.showQuickPick(
      fns.map((f) => ({ label: f.name, description: f.benchmark ? 'benchmark' : 'test', fn: f })),
      {
        title: 'Go Lens: Profile Test',
        placeHolder: fns.length
          ? 'Which test or benchmark'
          : `${basename(file.fsPath)} declares no tests or benchmarks`,
      },
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
  const captureKind = captureKindOf(what);
  const title = TEST_PROFILE_TITLES[what];
  const testName = fn.name;
  // The profile is written here, then moved into the captures folder; nothing stays behind.
  const scratch = join(
    tmpdir(),
    `golens-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
  const outFile = join(scratch, `${captureKind}.out`);
  const testArgs = testBinaryArgs(fn, what, outFile);
  // One of the launcher's runs: `go test -c`, the test binary in its terminal (Stop, Restart,
  // its process group, its exit), no endpoints added (the test's own profiler is running).
  const target: LaunchTarget = { kind: 'test', dir, folder, testArgs };
  const options: LaunchOptions = { ...DEFAULT_LAUNCH_OPTIONS, profiling: false };
  let startedAt = new Date();
  let stopRequested = false;
  let firstEnd: (saved: vscode.Uri | undefined) => void = () => undefined;
  const first = new Promise<vscode.Uri | undefined>((r) => (firstEnd = r));

  /** What one run of the test left: its profile saved as a capture and opened, or why not. */
  const ended = async (
    info: ExitInfo | undefined,
    prepared: PreparedRun | undefined,
  ): Promise<vscode.Uri | undefined> => {
    try {
      if (!info) return undefined; // The build failed or was cancelled: the run said so.
      const stopped = info.stopped || stopRequested;
      const how = info.signal ? `was ended by ${info.signal}` : `exit code ${info.code}`;
      const written = existsSync(outFile) && statSync(outFile).size > 0;
      if (!written) {
        void vscode.window.showErrorMessage(
          stopped
            ? `Go Lens: ${testName} was stopped before it wrote a ${title}.`
            : `Go Lens: ${testName} ${info.code === 0 ? 'passed' : `failed (${how})`} but wrote no ${title}: the test binary exited early (os.Exit, a panic in TestMain). See its output in the terminal.`,
        );
        return undefined;
      }
      // Saved like a capture, so the Captures view lists it and Compare finds the previous one.
      const saved = vscode.Uri.joinPath(
        capturesRoot(context),
        captureFileName(slug, captureKind, startedAt),
      );
      await mkdir(dirname(saved.fsPath), { recursive: true });
      await rename(outFile, saved.fsPath).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV') throw err;
        await vscode.workspace.fs.copy(vscode.Uri.file(outFile), saved, { overwrite: true });
      });
      const meta: CaptureMeta = {
        kind: captureKind,
        target: dir,
        targetLabel: `go test ${pkgLabel}`,
        url: prepared?.display ?? `${basename(dir)}.test ${testArgs.join(' ')}`,
        startedAt: startedAt.toISOString(),
        bytes: statSync(saved.fsPath).size,
        complete: true,
      };
      await writeFile(saved.fsPath + '.json', JSON.stringify(meta, null, 2));
      if (captureKind === 'trace') await openTraceFile(saved, vscode.ViewColumn.Beside);
      else
        await vscode.commands.executeCommand(
          'vscode.openWith',
          saved,
          PROFILE_VIEW_TYPE,
          vscode.ViewColumn.Beside,
        );
      if (stopped) {
        void vscode.window.showWarningMessage(
          `Go Lens: ${testName} was stopped; the ${title} covers the run until then.`,
        );
      } else if (info.code !== 0) {
        void vscode.window.showWarningMessage(
          `Go Lens: ${testName} failed (${how}); the ${title} it wrote is open. See the test's output in the terminal for the failure.`,
        );
      }
      return saved;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };

  const session = startRunSession(target, options, {
    beforeStart: () => {
      startedAt = new Date();
      stopRequested = false;
      mkdirSync(scratch, { recursive: true });
    },
    ended: async (info, prepared) => {
      let saved: vscode.Uri | undefined;
      try {
        saved = await ended(info, prepared);
      } catch (err) {
        void vscode.window.showErrorMessage(
          `Go Lens: could not save the ${title} of ${testName}: ${(err as Error).message}`,
        );
      }
      if (saved)
        void vscode.commands
          .executeCommand('goLens.captures.refresh')
          .then(undefined, () => undefined);
      firstEnd(saved);
    },
  });
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Go Lens: ${testName} — ${title}`,
      cancellable: true,
    },
    (progress, token) => {
      progress.report({ message: 'go test…' });
      token.onCancellationRequested(() => {
        stopRequested = true;
        void session.stop();
      });
      return first;
    },
  );
}
