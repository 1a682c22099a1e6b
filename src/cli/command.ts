/** A golens subcommand: takes its own argv (after the command name), returns the exit code. */
export interface CliCommand {
  summary: string;
  /** The one-line synopsis `golens <command> --help` prints and a wrong call fails with. */
  usage: string;
  run(args: string[]): Promise<number>;
}

/** An error whose message is meant for the user as it is. */
export class CliError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value` and bare `--switch` flags. `valued` lists the flags
 * that take a value, so a switch never swallows the positional argument after it.
 */
export function parseArgs(args: string[], valued: readonly string[], switches: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (valued.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (switches.includes(name) && eq < 0) {
      flags.set(name, true);
    } else {
      throw new CliError(`unknown flag --${name}`);
    }
  }
  return { positional, flags };
}

/** Reads an integer flag, rejecting anything that is not a non-negative integer. */
export function intFlag(parsed: ParsedArgs, name: string): number | undefined {
  const v = parsed.flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new CliError(`--${name} must be a non-negative integer, got "${String(v)}"`);
  return Number(v);
}

/**
 * Writes many lines to stdout without building one giant string, and waits for the pipe to
 * drain so a large output is not truncated when the process exits.
 */
export async function writeLines(lines: Iterable<string>): Promise<void> {
  const out = process.stdout;
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  if (chunk) out.write(chunk);
  await new Promise<void>((resolve) => out.write('', () => resolve()));
}
