// "Symbolize with Executable…" in a real VS Code: a real Go program built without symbols
// (-ldflags=-s -w) writes a profile whose frames are bare addresses (heap?debug=1 text); the
// profile view shows binary names until the executable is picked (the dialog starts in
// goLens.symbolize.buildOutputFolder), then function names, as go tool pprof EXE PROFILE does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  answerOpenDialog,
  copyWorkspace,
  e2eTest,
  openVsCode,
  quickOpen,
  repoRoot,
  runCommand,
  screenshot,
  waitFor,
  webviewFrame,
} from './harness.mjs';

let workspace, vscode, page;
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };

before(
  async () => {
    workspace = copyWorkspace(join(repoRoot, 'test/go'));
    mkdirSync(join(workspace, 'bin'));
    mkdirSync(join(workspace, 'profiles'));
    const bin = join(workspace, 'bin', 'kinds');
    execFileSync('go', ['build', '-ldflags=-s -w', '-o', bin, './pprof-kinds'], {
      cwd: workspace,
      env: goEnv,
    });
    execFileSync(bin, ['-out', join(workspace, 'profiles'), '-seconds', '0.5'], { env: goEnv });
    // .prof: the extension opens it in the profile view (the legacy text is sniffed by content).
    execFileSync('cp', [
      join(workspace, 'profiles', 'heap.debug1.txt'),
      join(workspace, 'profiles', 'heap-legacy.prof'),
    ]);
    vscode = await openVsCode(workspace, {
      settings: { 'goLens.symbolize.buildOutputFolder': 'bin' },
    });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
});

async function topNames(frame) {
  await (await frame.waitForSelector('button.tab:has-text("Top")', { timeout: 60_000 })).click();
  return waitFor(
    async () => {
      const names = await frame.$$eval('[data-testid="top-table"] .trow .cell.name', (els) =>
        els.map((e) => e.textContent ?? ''),
      );
      return names.length > 0 ? names : undefined;
    },
    { what: 'rows in the Top table', timeout: 60_000 },
  );
}

e2eTest(
  test,
  "A stripped build's legacy heap profile shows its binary, then function names once symbolized",
  () => page,
  async () => {
    await quickOpen(page, 'profiles/heap-legacy.prof');
    const before = await topNames(
      await webviewFrame(page, { title: 'heap-legacy.prof', timeout: 60_000 }),
    );
    assert.ok(
      before.every((n) => !n.startsWith('main.')),
      before.join('\n'),
    );
    await runCommand(page, 'Go Lens: Symbolize with Executable…');
    await answerOpenDialog(page, join(workspace, 'bin', 'kinds'));
    const names = await topNames(
      await webviewFrame(page, { title: 'heap-legacy.prof · kinds', timeout: 60_000 }),
    );
    assert.ok(names.includes('main.allocate'), names.join('\n'));
    await screenshot(page, 'symbolize-1-named');
  },
);
