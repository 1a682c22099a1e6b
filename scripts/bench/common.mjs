// What the benchmark scripts share: where the repository and the cache of generated inputs are,
// numeric flags, bundling a child entry point from the TypeScript sources (so a benchmark
// measures the current code), the summary statistics they print, and the processes they start.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * Every process below this one (children, and theirs: Chromium, code-server), each with its
 * command line and its memory in MiB: `rss` now, `peak` its own high-water mark (VmHWM).
 */
export function processesBelow() {
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid) => {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const out = [];
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      out.push({ pid, cmd, rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
