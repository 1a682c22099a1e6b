// What the benchmark scripts share: where the repository and the cache of generated inputs are,
// numeric flags, bundling a child entry point from the TypeScript sources (so a benchmark
// measures the current code), and the summary statistics they print.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Generated inputs and bundles: outside the repository, so nothing can be committed by accident. */
export const benchCacheDir = join(tmpdir(), 'golens-bench');
mkdirSync(benchCacheDir, { recursive: true });

/** The number after `--name` on the command line, or `def`. */
export function numberArg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

/** Bundles scripts/bench/<entry> for Node into the cache dir as <outName>; returns its path. */
export async function bundleBenchChild(entry, outName, options = {}) {
  const outfile = join(benchCacheDir, outName);
  await esbuild.build({
    entryPoints: [join(repoRoot, 'scripts/bench', entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: outName.endsWith('.mjs') ? 'esm' : 'cjs',
    target: 'node20',
    logLevel: 'warning',
    ...options,
  });
  return outfile;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const pad = (s, n) => String(s).padEnd(n);
