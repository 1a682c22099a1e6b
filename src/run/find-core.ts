// Finding the core file a crashed run left. No vscode here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A core file the run left in its working directory (core_pattern `core` or `core.%p`). */
export function findCore(dir: string, pid: number | undefined, since: number): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const candidates = names.filter(
    (n) => n === 'core' || (pid !== undefined && n === `core.${pid}`),
  );
  for (const n of candidates) {
    const p = join(dir, n);
    try {
      if (statSync(p).mtimeMs >= since - 1000) return p;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
