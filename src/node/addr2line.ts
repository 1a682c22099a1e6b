// Looks addresses up in a Go executable with `go tool addr2line` (Go's own reader of the
// binary's pclntab, which even `-ldflags=-s -w` builds keep): addresses stream in on stdin, one
// per line, and each comes back as two lines, the function and `file:line` (`?` and `?:0` when
// the executable has nothing there). Used by `golens top/folded --binary` and the extension's
// "Symbolize with Executable…".
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Profile } from '../core/pprof/model';
import { applySymbols, unsymbolizedAddresses, type AddressSymbol } from '../core/pprof/symbolize';

/** A lookup that could not run: the message says what is wrong and what to do. */
export class SymbolizeError extends Error {
  override name = 'SymbolizeError';
}

/** Resolves `addresses` in `binary`; addresses the binary does not know are left out of the map. */
export function addr2line(
  binary: string,
  addresses: readonly number[],
  goCommand = 'go',
  timeoutMs = 120_000,
): Promise<Map<number, AddressSymbol>> {
  try {
    if (!statSync(binary).isFile())
      throw new SymbolizeError(`${binary} is not a file; pick the program's executable`);
  } catch (e) {
    if (e instanceof SymbolizeError) throw e;
    return Promise.reject(
      new SymbolizeError(`cannot read the executable ${binary}: ${(e as Error).message}`),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand, ['tool', 'addr2line', binary], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' },
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      const code = (e as NodeJS.ErrnoException).code;
      reject(
        new SymbolizeError(
          code === 'ENOENT'
            ? `the go command was not found; install Go (symbolizing runs "go tool addr2line") or put it on PATH`
            : `could not run go tool addr2line: ${e.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal)
        return reject(
          new SymbolizeError(`go tool addr2line did not finish within ${timeoutMs / 1000} s`),
        );
      if (code !== 0) {
        const first = err.trim().split('\n')[0] ?? '';
        return reject(
          new SymbolizeError(
            `${binary} could not be read as an executable (go tool addr2line: ${first || `exit ${code}`}); pick the program's executable, built for this machine's format (ELF, Mach-O, PE)`,
          ),
        );
      }
      const lines = Buffer.concat(out).toString('utf8').split('\n');
      const map = new Map<number, AddressSymbol>();
      addresses.forEach((a, i) => {
        const func = lines[2 * i]?.trim() ?? '?';
        const loc = lines[2 * i + 1]?.trim() ?? '?:0';
        if (func === '?' || func === '') return;
        const colon = loc.lastIndexOf(':');
        const line = colon > 0 ? Number(loc.slice(colon + 1)) : 0;
        const file = colon > 0 ? loc.slice(0, colon) : loc;
        map.set(a, {
          func,
          file: file === '?' ? '' : file,
          line: Number.isFinite(line) ? line : 0,
        });
      });
      resolve(map);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(addresses.map((a) => '0x' + a.toString(16)).join('\n') + '\n');
  });
}

/**
 * The profile with its bare addresses named from `binary`. Throws SymbolizeError when the lookup
 * cannot run, when the profile names its functions already, and when no address is in the
 * executable (another program or build).
 */
export async function symbolizeProfile(
  profile: Profile,
  binary: string,
  goCommand = 'go',
): Promise<Profile> {
  const addresses = unsymbolizedAddresses(profile);
  if (addresses.length === 0)
    throw new SymbolizeError(
      'this profile already names its functions: it needs no executable to symbolize it',
    );
  const { profile: out, symbolized } = applySymbols(
    profile,
    await addr2line(binary, addresses, goCommand),
    binary,
  );
  if (symbolized === 0)
    throw new SymbolizeError(
      `none of the profile's ${addresses.length} addresses is in ${binary}: pick the executable that wrote the profile (the same build)`,
    );
  return out;
}
