// Bundles the extension host, the CLI, the parse worker and every webview with esbuild.
// esbuild does not typecheck: `npm run typecheck` does, and `npm test` runs it first.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// Tests need the CLI and the parse worker (tests that start the real worker); building just
// those keeps the test loop fast.
const testOnly = process.argv.includes('--test-only');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeBuilds = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  { entryPoints: ['src/worker/parse-worker.ts'], outfile: 'dist/parse-worker.js' },
].map((b) => ({ ...common, ...b, platform: 'node', format: 'cjs', target: 'node20' }));

// One bundle per folder under webview/ that has an index.tsx.
const webviewDir = join(root, 'webview');
const webviewEntries = readdirSync(webviewDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(webviewDir, d.name, 'index.tsx')))
  .map((d) => ({ in: `webview/${d.name}/index.tsx`, out: d.name }));
const webviewBuild = {
  ...common,
  entryPoints: webviewEntries,
  outdir: 'dist/webview',
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  jsx: 'automatic',
  loader: { '.css': 'css', '.ttf': 'file' },
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const builds = testOnly
  ? nodeBuilds.filter((b) => b.outfile !== 'dist/extension.js')
  : [...nodeBuilds, webviewBuild];
// A release build starts from an empty dist/ so no stale bundle or source map is packaged.
if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The codicon font ships with the extension so webviews load nothing remote.
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  if (existsSync(codicons)) {
    mkdirSync(join(root, 'dist/codicons'), { recursive: true });
    for (const f of ['codicon.css', 'codicon.ttf'])
      copyFileSync(join(codicons, f), join(root, 'dist/codicons', f));
  }
}
