// The shared real-world inputs that live next to the repository, not in it: `../shared/corpus`
// (files from public repositories) and `../shared/fuzz-repro` (inputs that once broke a reader).
// Tests read them from there and cope with their absence (a fresh clone has neither).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { repoRoot } from './go';

/**
 * The `../shared` folder of this checkout: next to the repository root, or — in a `git worktree`
 * — next to the main checkout's root (its `.git` file names the main repository). `GOLENS_SHARED`
 * overrides both.
 */
export function sharedRoot(): string | undefined {
  return sharedRootOf(repoRoot);
}

/** {@link sharedRoot} for the repository at `repoRoot` (scripts pass theirs). */
export function sharedRootOf(repoRoot: string): string | undefined {
  const candidates: string[] = [];
  if (process.env.GOLENS_SHARED) candidates.push(resolve(process.env.GOLENS_SHARED));
  candidates.push(join(repoRoot, '../shared'));
  const dotGit = join(repoRoot, '.git');
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    // "gitdir: <main>/.git/worktrees/<name>"
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m) {
      const gitdir = isAbsolute(m[1].trim()) ? m[1].trim() : resolve(repoRoot, m[1].trim());
      candidates.push(join(dirname(dirname(dirname(gitdir))), '../shared'));
    }
  }
  return candidates.find((c) => existsSync(c));
}

/** `../shared/<sub>` when it exists. */
export function sharedDir(sub: string): string | undefined {
  const root = sharedRoot();
  const dir = root && join(root, sub);
  return dir && existsSync(dir) ? dir : undefined;
}
