// Finding the perf executable, and what the kernel allows it to do.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** The path of a working perf, or undefined. `GOLENS_PERF` overrides (for tests and odd installs). */
export function findPerf(configured?: string): Promise<string | undefined> {
  const candidates = [configured, process.env.GOLENS_PERF, 'perf'].filter((c): c is string => !!c);
  return (async () => {
    for (const c of candidates) {
      const ok = await new Promise<boolean>((resolve) => {
        // Debian's /usr/bin/perf is a wrapper that fails with a message when no perf matches the kernel.
        execFile(c, ['--version'], { timeout: 10_000 }, (err, stdout) =>
          resolve(!err && /perf version/.test(String(stdout))),
        );
      });
      if (ok) return c;
    }
    return undefined;
  })();
}

/** /proc/sys/kernel/perf_event_paranoid, or undefined when it cannot be read. */
export async function perfEventParanoid(): Promise<number | undefined> {
  try {
    const v = Number((await readFile('/proc/sys/kernel/perf_event_paranoid', 'utf8')).trim());
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
