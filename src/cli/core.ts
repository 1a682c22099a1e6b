// golens core EXE CORE [--json] [--relaxed] [--system] [--dlv PATH]: every goroutine of a Go
// program's core dump, read through Delve (`dlv core` headless, JSON-RPC), grouped like
// `golens goroutines`; the crashing goroutine first, with the panic, fatal error and signal.
import { CoreDumpError } from '../core/delve/errors';
import { snapshotFromDelve } from '../core/delve/snapshot';
import type { GroupOptions } from '../core/goroutines';
import { findDelveOnDisk } from '../collect/delve/find';
import { openCore } from '../collect/delve/session';
import { CliError, parseArgs, writeLines, type CliCommand } from './command';
import { jsonLines, textLines } from './goroutines';

const USAGE = 'usage: golens core EXECUTABLE CORE [--json] [--relaxed] [--system] [--dlv PATH]';

export const coreCommand: CliCommand = {
  summary: 'read every goroutine of a Go core dump through Delve, the crashing one first',
  usage: USAGE,
  async run(args) {
    const parsed = parseArgs(args, ['dlv'], ['json', 'relaxed', 'system']);
    if (parsed.positional.length !== 2) throw new CliError(USAGE);
    const [executable, corePath] = parsed.positional;
    const options: GroupOptions = {
      similarity: parsed.flags.has('relaxed') ? 'relaxed' : 'exact',
      hideSystem: !parsed.flags.has('system'),
    };
    const explicit = parsed.flags.get('dlv');
    const dlv = typeof explicit === 'string' ? explicit : findDelveOnDisk();
    if (!dlv)
      throw new CliError(
        'Delve (dlv) was not found in GOBIN, GOPATH/bin or PATH. Install it: go install github.com/go-delve/delve/cmd/dlv@v1.27.2 (or pass --dlv PATH)',
      );
    let opened;
    try {
      opened = await openCore(dlv, executable, corePath);
    } catch (e) {
      if (e instanceof CoreDumpError) throw new CliError(e.message);
      throw e;
    }
    try {
      const { snapshot, crashed, signal } = snapshotFromDelve(opened.data);
      if (parsed.flags.has('json')) {
        await writeLines(
          jsonLines(snapshot, options, undefined, {
            crashed,
            signal,
            goVersion: opened.data.goVersion || null,
          }),
        );
      } else {
        let first = true;
        const lines = function* () {
          for (const l of textLines(snapshot, options)) {
            if (first) {
              first = false;
              yield l.replace(
                /^traceback dump:/,
                `core of ${executable}${opened.data.goVersion ? ` (${opened.data.goVersion})` : ''}:`,
              );
              if (crashed !== null) yield `crashed on goroutine ${crashed}`;
            } else yield l;
          }
        };
        await writeLines(lines());
      }
    } finally {
      await opened.delve.close();
    }
    return 0;
  },
};
