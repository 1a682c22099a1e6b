// Finding a target's inputs on disk: its seeds, saved findings and the shared reproducers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { FuzzTarget } from './target';

/** Where saved findings go: one folder per target, replayed by `npm test`. */
export function findingsDir(repoRoot: string, target: string): string {
  return join(repoRoot, 'test/robustness/fuzz-findings', target);
}

/**
 * `sharedRoot` replaces a leading `../shared/` of a path (the shared folder may sit elsewhere
 * for a git worktree); files are listed recursively, sorted, skipping dot files.
 */
export function listInputs(
  repoRoot: string,
  paths: string[],
  sharedRoot: string | undefined,
  filter?: RegExp,
): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.startsWith('.')) walk(join(p, e));
    } else if (st.isFile() && (!filter || filter.test(basename(p)))) {
      out.push(p);
    }
  };
  for (const p of paths) {
    if (p.startsWith('../shared/')) {
      if (sharedRoot) walk(join(sharedRoot, p.slice('../shared/'.length)));
    } else {
      walk(resolve(repoRoot, p));
    }
  }
  return out;
}

export function seedFiles(
  repoRoot: string,
  t: FuzzTarget,
  sharedRoot: string | undefined,
): string[] {
  return listInputs(repoRoot, t.seeds, sharedRoot, t.seedFilter);
}
