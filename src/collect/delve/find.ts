// Finding Delve on disk without VS Code: GOBIN, then GOPATH/bin (each GOPATH entry, default
// ~/go), then PATH — the order `go install` puts it and a shell finds it.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const DELVE_VERSION = 'v1.27.2';
export const DELVE_PACKAGE = 'github.com/go-delve/delve/cmd/dlv';

const exe = process.platform === 'win32' ? 'dlv.exe' : 'dlv';

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Where `go install` puts binaries: GOBIN, else the first GOPATH entry's bin (default ~/go/bin). */
export function goInstallDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.GOBIN) dirs.push(env.GOBIN);
  const gopath = env.GOPATH || join(homedir(), 'go');
  for (const p of gopath.split(delimiter)) if (p) dirs.push(join(p, 'bin'));
  return dirs;
}

/** The dlv binary in GOBIN, GOPATH/bin or PATH, or undefined. */
export function findDelveOnDisk(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const d of goInstallDirs(env)) if (isFile(join(d, exe))) return join(d, exe);
  for (const d of (env.PATH ?? '').split(delimiter))
    if (d && isFile(join(d, exe))) return join(d, exe);
  return undefined;
}
