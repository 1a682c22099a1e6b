// Reading run configurations: entries of goLens.runConfigurations / goLens.schedTrace.configurations
// and vscode-go's launch.json configurations, into one RunConfiguration. No vscode here.
import { basename } from 'node:path';
import type { RunConfiguration } from './launch';

const strings = (a: unknown) =>
  Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : undefined;

/** Splits a command-line string (launch.json's buildFlags/args may be one string) on spaces, keeping quoted parts. */
export function splitCommandLine(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  return typeof v === 'object' && v !== null
    ? Object.fromEntries(
        Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : undefined;
}

/** An entry of goLens.runConfigurations (or goLens.schedTrace.configurations). */
export function asRunConfiguration(v: unknown): RunConfiguration | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.program !== 'string' || o.program === '') return undefined;
  return {
    name: typeof o.name === 'string' && o.name !== '' ? o.name : basename(o.program),
    program: o.program,
    args: strings(o.args),
    cwd: typeof o.cwd === 'string' ? o.cwd : undefined,
    env: stringMap(o.env),
    buildFlags:
      typeof o.buildFlags === 'string' ? splitCommandLine(o.buildFlags) : strings(o.buildFlags),
    mode: o.mode === 'test' ? 'test' : undefined,
  };
}

/**
 * A `.vscode/launch.json` configuration of vscode-go (type `go`, request `launch`): program, args,
 * env, cwd and buildFlags (a string or a list) are reused; mode debug/auto build the program,
 * exec runs a binary, test builds the package's tests. Remote/attach/replay/core configurations
 * are not programs to start.
 */
export function fromLaunchJson(v: unknown): RunConfiguration | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.type !== 'go' || (o.request !== undefined && o.request !== 'launch')) return undefined;
  const mode = typeof o.mode === 'string' ? o.mode : 'auto';
  if (!['auto', 'debug', 'exec', 'test'].includes(mode)) return undefined;
  const c = asRunConfiguration({
    ...o,
    args: typeof o.args === 'string' ? splitCommandLine(o.args) : o.args,
    mode: mode === 'test' ? 'test' : undefined,
  });
  if (c && typeof o.name === 'string') c.name = o.name;
  return c;
}
