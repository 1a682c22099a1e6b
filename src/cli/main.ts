// golens: the parsers of Go Lens as a command-line tool, for scripts, CI and our own tests.
// Each subcommand lives in its own file and is registered in `commands` below.
import { CliError, type CliCommand } from './command';
import { schedtraceCommand } from './schedtrace';
import { traceEvents } from './trace-events';
import { folded } from './folded';
import { goroutinesCommand } from './goroutines';
import { topCommand } from './top';
import { diffCommand } from './diff';
import { coreCommand } from './core';
import { runCommand } from './run';
import { racesCommand } from './races';
import { traceAnalysisCommand } from './trace-analysis';

const commands: Record<string, CliCommand> = {
  schedtrace: schedtraceCommand,
  'trace-events': traceEvents,
  folded,
  goroutines: goroutinesCommand,
  top: topCommand,
  diff: diffCommand,
  core: coreCommand,
  run: runCommand,
  races: racesCommand,
  'trace-analysis': traceAnalysisCommand,
};

function usage(): string {
  const lines = [
    'usage: golens <command> [arguments]   (golens <command> --help for its flags)',
    '',
    'commands:',
  ];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(14)} ${c.summary}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new CliError(`unknown command "${name}"; run "golens --help" for the list`);
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    // One line, no stack: scripts read the message, people read the advice in it.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`golens: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = 1;
  },
);
