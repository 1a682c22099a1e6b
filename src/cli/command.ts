import { parseArgs as nodeParseArgs } from 'node:util';

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
  /** The values of repeatable flags, in order (empty when not given). */
  lists: Map<string, string[]>;
}

/**
 * Parses `--name value`, `--name=value` and bare `--switch` flags with Node's `util.parseArgs`
 * (strict: an unknown flag, a switch given a value or a flag without one is an error). `valued`
 * lists the flags that take a value, so a switch never swallows the positional argument after
 * it; `repeated` the valued flags that may be given several times. `--` ends the flags.
 */
export function parseArgs(
  args: string[],
  valued: readonly string[],
  switches: readonly string[] = [],
  repeated: readonly string[] = [],
): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const name of valued) options[name] = { type: 'string' };
  for (const name of repeated) options[name] = { type: 'string', multiple: true };
  for (const name of switches) options[name] = { type: 'boolean' };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw cliErrorOf(e);
  }
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value))
      lists.set(
        name,
        value.filter((v): v is string => typeof v === 'string'),
      );
    else if (typeof value === 'string') flags.set(name, value);
    else if (value === true) flags.set(name, true);
  }
  return { positional: parsed.positionals, flags, lists };
}

/** util.parseArgs' errors in golens' words (one line, the flag named as it was typed). */
function cliErrorOf(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const flag = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliError(`unknown flag ${flag}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument'))
      return new CliError(`${flag} takes no value`);
    if (message.includes('ambiguous'))
      return new CliError(
        `${flag} needs a value; for one that starts with "-", write ${flag}=<value>`,
      );
    return new CliError(`${flag} needs a value`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new CliError(message);
  return e;
}

/** Reads an integer flag, rejecting anything that is not a non-negative integer. */
export function intFlag(parsed: ParsedArgs, name: string): number | undefined {
  const v = parsed.flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v))
    throw new CliError(`--${name} must be a non-negative integer, got "${String(v)}"`);
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
