// A program whose stderr floods with lines that look like runtime trace lines (the costliest
// text for the schedtrace parser) under Run with Scheduler Trace, in a real VS Code: the editor
// stays responsive, the dashboard says it reads the run lean, SCHED lines keep coming, and the
// program's output still reaches its terminal.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  answerQuickInput,
  e2eTest,
  launchBrowser,
  openWorkbench,
  runCommand,
  screenshot,
  startCodeServer,
  waitFor,
  webviewFrame,
  openInEditor,
} from './harness.mjs';

let workspace, server, browser, page;

// 20 bursts of 10,000 lookalike lines (270 KB each), 50 ms apart, then a tick a second.
const FLOOD = `package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

func main() {
	w := bufio.NewWriterSize(os.Stderr, 1<<20)
	line := "gc 7 is not a GC line @ all\\n"
	for burst := 0; burst < 20; burst++ {
		for i := 0; i < 10000; i++ {
			w.WriteString(line)
		}
		w.Flush()
		time.Sleep(50 * time.Millisecond)
	}
	for i := 0; ; i++ {
		fmt.Fprintf(os.Stderr, "flood: calm tick %d\\n", i)
		time.Sleep(time.Second)
	}
}
`;

before(
  async () => {
    workspace = mkdtempSync(join(tmpdir(), 'golens-ws-flood-'));
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/flood\n\ngo 1.21\n');
    writeFileSync(join(workspace, 'main.go'), FLOOD);
    server = await startCodeServer({
      workspace,
      settings: {
        'goLens.schedTrace.intervalMs': 100,
        'goLens.schedTrace.detail': true,
        'goLens.schedTrace.env': { GOMAXPROCS: '2', GOTOOLCHAIN: 'local' },
        'terminal.integrated.gpuAcceleration': 'off',
      },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url);
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  server?.stop();
});

e2eTest(
  test,
  'A program that floods stderr is read lean, says so, and the editor stays responsive',
  () => page,
  async () => {
    await openInEditor(page, 'main.go');
    await runCommand(page, 'Go Lens: Run with Scheduler Trace');
    await answerQuickInput(page, 'Run this package');
    const frame = await webviewFrame(page, { timeout: 90_000 });
    await frame.waitForSelector('.sched-root', { timeout: 30_000 });
    const notice = await waitFor(
      async () =>
        frame
          .$eval('[data-testid="parser-lean"]', (e) => e.textContent ?? '')
          .catch(() => undefined),
      { timeout: 120_000, what: 'the lean-reading notice' },
    );
    assert.match(notice, /faster than Go Lens (can|could) parse/);
    await screenshot(page, 'sched-flood-1-lean');
    // The editor answers: commands from the palette run promptly while the flood goes on.
    const started = Date.now();
    await runCommand(page, 'View: Toggle Status Bar Visibility');
    await runCommand(page, 'View: Toggle Status Bar Visibility');
    assert.ok(Date.now() - started < 30_000, `two commands took ${Date.now() - started} ms`);
    // SCHED lines keep being charted, and once calm the program's own ticks reach the terminal.
    const before = Number(await frame.$eval('.sched-root', (e) => e.dataset.snapshots ?? 0));
    await waitFor(
      async () =>
        Number(await frame.$eval('.sched-root', (e) => e.dataset.snapshots ?? 0)) > before + 5,
      { timeout: 60_000, what: 'more snapshots' },
    );
    await waitFor(
      async () => {
        const t = await page
          .$$eval('.xterm-rows', (els) => els.map((e) => e.textContent ?? '').join('\n'))
          .catch(() => '');
        return /flood: calm tick \d+/.test(t) ? t : undefined;
      },
      { timeout: 90_000, what: 'the calm ticks in the terminal' },
    );
    await screenshot(page, 'sched-flood-2-calm');
    await runCommand(page, 'Go Lens: Stop Scheduler Trace Run');
  },
  { timeout: 420_000 },
);
