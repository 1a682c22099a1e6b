// Finding and asking the user's Go toolchain, the way vscode-go does: `go.alternateTools.go`,
// then `go.goroot`, then `go` on PATH, with `go.toolsEnvVars` added to the environment.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export interface GoEnv {
  GOROOT?: string;
  GOMODCACHE?: string;
  GOVERSION?: string;
}

/** The go binary and environment to use for every child process we start. */
export function goCommand(): { binary: string; env: NodeJS.ProcessEnv } {
  const goConfig = vscode.workspace.getConfiguration('go');
  const alternate = goConfig.get<Record<string, string>>('alternateTools')?.go;
  const goroot = goConfig.get<string>('goroot');
  const toolsEnv = goConfig.get<Record<string, string>>('toolsEnvVars') ?? {};
  const exe = process.platform === 'win32' ? 'go.exe' : 'go';
  let binary = 'go';
  if (alternate) binary = alternate;
  else if (goroot && existsSync(join(goroot, 'bin', exe))) binary = join(goroot, 'bin', exe);
  const env: NodeJS.ProcessEnv = { ...process.env, ...toolsEnv };
  if (goroot && !alternate) env.GOROOT = goroot;
  return { binary, env };
}

let cached: Promise<GoEnv> | undefined;

/**
 * `go env GOROOT GOMODCACHE GOVERSION`, asked once per session. Resolves to {} when Go is
 * missing: source lookup then just has fewer places to try, and says so.
 */
export function goEnv(): Promise<GoEnv> {
  cached ??= new Promise((resolve) => {
    const { binary, env } = goCommand();
    execFile(
      binary,
      ['env', '-json', 'GOROOT', 'GOMODCACHE', 'GOVERSION'],
      { env, timeout: 15_000 },
      (err, stdout) => {
        if (err) return resolve({});
        try {
          resolve(JSON.parse(stdout) as GoEnv);
        } catch {
          resolve({});
        }
      },
    );
  });
  return cached;
}

/** Forget the cached answer, e.g. after the user changed `go.goroot`. */
export function resetGoEnv(): void {
  cached = undefined;
}
