// golens trace-events FILE: prints the parsed events of a Go execution trace, one per line, in
// exactly the form `go tool trace -d=parsed FILE` prints them (Go 1.26), so scripts and our
// differential tests can compare the two byte for byte.
import { readFileSync } from 'node:fs';
import { CliError, parseArgs, type CliCommand } from './command';
import { formatEvent, TraceReader } from '../core/exectrace';
import { encodeTraceText, hasEscapedBytes } from '../core/exectrace/bytes';

/** Output is flushed in chunks of about this many characters, so memory stays flat. */
const FLUSH_CHARS = 1 << 20;

async function write(text: string): Promise<void> {
  // Names with invalid UTF-8 go out as the raw bytes Go prints, not as U+FFFD.
  const chunk = hasEscapedBytes(text) ? encodeTraceText(text) : text;
  if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
}

export const traceEvents: CliCommand = {
  summary: 'print the events of an execution trace as `go tool trace -d=parsed` does',
  usage: 'usage: golens trace-events FILE',
  async run(args: string[]): Promise<number> {
    const parsed = parseArgs(args, []);
    if (parsed.positional.length !== 1) throw new CliError(traceEvents.usage);
    const file = parsed.positional[0];
    let data: Uint8Array;
    try {
      data = readFileSync(file);
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const reader = new TraceReader(data);
    let failure: unknown = null;
    try {
      for (let block = reader.next(); block; block = reader.next()) {
        let out = '';
        for (let i = 0; i < block.count; i++) {
          out += formatEvent(block, i, reader.timeBase) + '\n';
          if (out.length > FLUSH_CHARS) {
            await write(out);
            out = '';
          }
        }
        if (out) await write(out);
      }
    } catch (e) {
      failure = e;
    }
    // Everything printed so far stays, as with go tool trace; then the error (main prints it).
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    if (failure) throw failure;
    return 0;
  },
};
