// An untrusted workspace: Go Lens still opens profile files, and asks before it sends a
// request to a capture target.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  answerQuickInput,
  e2eTest,
  openVsCode,
  quickOpen,
  runCommand,
  screenshot,
  startDemoWorkspace,
  waitFor,
  waitForRestrictedMode,
  webviewFrame,
} from './harness.mjs';

let demo, vscode, page;

before(
  async () => {
    demo = await startDemoWorkspace({ trimpath: false });
    const res = await fetch(`http://${demo.addr}/debug/pprof/heap`);
    const heap = new Uint8Array(await res.arrayBuffer());
    writeFileSync(join(demo.workspace, 'heap.pb.gz'), heap);
    writeFileSync(
      join(demo.workspace, 'broken.pb.gz'),
      heap.subarray(0, Math.floor(heap.length / 2)),
    );
    vscode = await openVsCode(demo.workspace, { trust: true });
    page = vscode.page;
  },
  { timeout: 300_000 },
);

after(async () => {
  await vscode?.close();
  demo?.stop();
});

e2eTest(
  test,
  'Restricted Mode: a profile file opens in the flame graph',
  () => page,
  async () => {
    await waitForRestrictedMode(page);
    await quickOpen(page, 'heap.pb.gz');
    const frame = await webviewFrame(page, { timeout: 30_000, title: 'heap.pb.gz' });
    await frame.waitForSelector('canvas.flame-canvas[data-drawn]', { timeout: 30_000 });
    const types = await frame.$$eval('vscode-single-select.sample-type vscode-option', (els) =>
      els.map((e) => e.textContent?.trim()),
    );
    assert.deepEqual(types, [
      'alloc_objects (count)',
      'alloc_space (bytes)',
      'inuse_objects (count)',
      'inuse_space (bytes)',
    ]);
    await screenshot(page, 'restricted-1-heap-profile');
  },
);

e2eTest(
  test,
  'A truncated profile file opens with a message that says what is wrong',
  () => page,
  async () => {
    await quickOpen(page, 'broken.pb.gz');
    const frame = await webviewFrame(page, { timeout: 30_000, title: 'broken.pb.gz' });
    const error = await frame.waitForSelector('.error', { timeout: 30_000 });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /broken\.pb\.gz/);
    assert.match(text, /truncated/i);
    await screenshot(page, 'restricted-2-truncated-profile');
  },
);

e2eTest(
  test,
  'Restricted Mode: capturing asks first, and cancelling sends nothing',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Capture CPU Profile');
    await answerQuickInput(page, demo.addr);
    const dialog = await page.waitForSelector('.monaco-dialog-box', { timeout: 15_000 });
    const text = await dialog.textContent();
    assert.match(text ?? '', /not trusted/);
    await screenshot(page, 'restricted-3-ask-before-capture');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
    const progress = await page.$$eval('.notification-toast', (els) =>
      els.map((e) => e.textContent).join(' '),
    );
    assert.doesNotMatch(progress, /s of \d+ s/);
  },
);

e2eTest(
  test,
  'Restricted Mode: Go Lens: Run… launches nothing and says why',
  () => page,
  async () => {
    await runCommand(page, 'Go Lens: Run…');
    const toast = await waitFor(
      async () =>
        (
          await page.$$eval('.notification-toast', (els) => els.map((e) => e.textContent ?? ''))
        ).find((t) => /does not run programs in Restricted Mode/.test(t)),
      {
        what: 'the Restricted Mode message',
      },
    );
    assert.match(toast, /Trust the workspace to use Go Lens: Run…/);
    // No picker, no terminal: nothing was built or started.
    assert.equal(
      await page.$$eval(
        '.quick-input-widget .quick-input-list .monaco-list-row[aria-label*="Run this package"]',
        (els) => els.length,
      ),
      0,
    );
    assert.equal(
      await page.$$eval(
        '.terminal-tab, .single-terminal-tab',
        (els) => els.filter((e) => /Go Lens/.test(e.textContent ?? '')).length,
      ),
      0,
    );
    await screenshot(page, 'restricted-4-run-refused');
  },
);
