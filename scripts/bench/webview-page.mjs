// Loads a built webview bundle (dist/webview/<name>.js) in headless Chromium outside VS Code,
// for benchmarks: a local HTTP server serves the bundle, its CSS, the VS Code theme variables
// of a dark theme, and any binary payloads; `acquireVsCodeApi` is stubbed so the page's
// messages to the host are collected and the benchmark plays the host.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const THEME = `--vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-foreground: #cccccc;
--vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d; --vscode-focusBorder: #007fd4;
--vscode-editorHoverWidget-background: #252526; --vscode-editorHoverWidget-border: #454545;`;

/**
 * Serves `payloads` (path → Buffer) beside the page. Returns { page, post(message), hostMessages, close }.
 * `post` delivers a message to the page as the extension host would (a window message event).
 */
export async function openWebviewPage(bundle, payloads = {}, { width = 1600, height = 1000 } = {}) {
  const js = readFileSync(join(root, 'dist/webview', `${bundle}.js`));
  let css = '';
  try {
    css = readFileSync(join(root, 'dist/webview', `${bundle}.css`), 'utf8');
  } catch {
    // not every bundle has CSS
  }
  const html = `<!DOCTYPE html><html style="${THEME.replace(/\n/g, ' ')}"><head><meta charset="utf-8"><style>${css}</style></head>
<body class="vscode-dark"><div id="root"></div>
<script>
  window.__hostMessages = [];
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__hostMessages.push(m), getState: () => state, setState: (s) => { state = s; } });
</script>
<script src="/bundle.js"></script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/') return res.end(html);
    if (req.url === '/bundle.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    const p = payloads[req.url];
    if (p) return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(p);
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
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
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(url);
  return {
    page,
    url,
    hostMessages: () => page.evaluate(() => window.__hostMessages),
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/**
 * Packs typed arrays and plain data into one buffer: a 4-byte JSON length, the JSON (with each
 * typed array replaced by {$ta: ctor, offset, length}), then the arrays' bytes, 8-byte aligned.
 * `unpackInPage` (a string of JS) reverses it inside the page.
 */
export function pack(value) {
  const chunks = [];
  let offset = 0;
  const json = JSON.stringify(value, (_k, v) => {
    if (ArrayBuffer.isView(v)) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const pad = (8 - (offset % 8)) % 8;
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      const entry = { $ta: v.constructor.name, offset, length: v.length };
      chunks.push(bytes);
      offset += bytes.byteLength;
      return entry;
    }
    return v;
  });
  const head = Buffer.from(json, 'utf8');
  const headLen = Buffer.alloc(4);
  const base = 4 + head.length;
  const basePad = (8 - (base % 8)) % 8;
  headLen.writeUInt32LE(head.length + basePad);
  return Buffer.concat([
    headLen,
    head,
    Buffer.alloc(basePad, 0x20),
    ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)),
  ]);
}

/** JS source of `unpack(buffer)` for the page. */
export const unpackInPage = `(buf) => {
  const n = new DataView(buf).getUint32(0, true);
  const json = new TextDecoder().decode(new Uint8Array(buf, 4, n));
  const base = 4 + n;
  return JSON.parse(json, (_k, v) => (v && typeof v === 'object' && v.$ta ? new globalThis[v.$ta](buf.slice(base + v.offset, base + v.offset + v.length * globalThis[v.$ta].BYTES_PER_ELEMENT)) : v));
}`;
