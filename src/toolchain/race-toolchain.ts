// What -race needs besides Go: cgo enabled and a C compiler. Checked before a race build so
// the user reads what is missing and what to install, not a linker error. No vscode here: the
// unit tests run it against the real go command.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function onPath(binary: string, env: NodeJS.ProcessEnv): boolean {
  if (isAbsolute(binary)) return existsSync(binary);
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) if (existsSync(join(dir, binary + ext))) return true;
  }
  return false;
}

/** What to install for a C compiler on this OS. */
export const INSTALL_CC =
  process.platform === 'darwin'
    ? 'Install the Xcode command line tools (xcode-select --install)'
    : process.platform === 'win32'
      ? 'Install a GCC toolchain such as MinGW-w64 or TDM-GCC and put its bin folder on the PATH'
      : 'Install gcc (Debian/Ubuntu: sudo apt install gcc; Fedora: sudo dnf install gcc; Alpine: apk add build-base)';

/**
 * Checks what -race needs before building: cgo enabled and the C compiler `go env CC` names.
 * Resolves to a message saying what is missing and what to install, or undefined.
 */
export function checkRaceToolchain(
  binary: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['env', '-json', 'CGO_ENABLED', 'CC'],
      { env, cwd, timeout: 30_000 },
      (err, stdout) => {
        if (err) return resolve(undefined); // the build reports a missing or broken go itself
        let v: { CGO_ENABLED?: string; CC?: string };
        try {
          v = JSON.parse(stdout) as typeof v;
        } catch {
          return resolve(undefined);
        }
        const cc = (v.CC ?? 'gcc').split(/\s+/)[0] || 'gcc';
        if (!onPath(cc, env)) {
          return resolve(
            `The race detector needs cgo and a C compiler, and the C compiler "${cc}" (go env CC) is not on the PATH. ${INSTALL_CC}, or set CC to a C compiler, then run again.`,
          );
        }
        if (v.CGO_ENABLED !== '1') {
          return resolve(
            `The race detector needs cgo, and cgo is off here (go env CGO_ENABLED is "${v.CGO_ENABLED ?? ''}"). Set CGO_ENABLED=1 (go env -w CGO_ENABLED=1, or in go.toolsEnvVars) with a C compiler installed (${INSTALL_CC.replace(/^Install/, 'install')}), then run again.`,
          );
        }
        resolve(undefined);
      },
    );
  });
}
