// golens folded FILE [--sample-index N|NAME]: a profile as folded stacks (flamegraph.pl input).
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../core/pprof/decode';
import { foldedStacks } from '../core/pprof/folded';
import { describeSampleTypes, findSampleType } from '../core/pprof/sample-type';
import { gunzip } from '../node/inflate';
import { CliError, parseArgs, writeLines, type CliCommand } from './command';
import { symbolizeWithBinary } from './symbolize';

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a profile`);
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export const folded: CliCommand = {
  summary: 'print a pprof profile as folded stacks (one "a;b;c value" line per stack)',
  usage: 'usage: golens folded FILE [--sample-index N|NAME] [--binary EXE]',
  async run(args) {
    const parsed = parseArgs(args, ['sample-index', 'binary']);
    if (parsed.positional.length !== 1) throw new CliError(folded.usage);
    const path = parsed.positional[0];
    let profile = decodeProfile(readInput(path), gunzip);
    const binary = parsed.flags.get('binary');
    if (typeof binary === 'string') profile = await symbolizeWithBinary(profile, binary, path);
    if (profile.sampleTypes.length === 0) {
      process.stderr.write(`golens: ${path} has no samples\n`);
      return 0;
    }
    const spec = parsed.flags.get('sample-index');
    const index = findSampleType(profile, typeof spec === 'string' ? spec : undefined);
    if (index < 0) {
      throw new CliError(`--sample-index ${String(spec)} is not a sample type of ${path}; it has ${describeSampleTypes(profile)}`);
    }
    if (profile.samples.count === 0) process.stderr.write(`golens: ${path} has no samples\n`);
    await writeLines(foldedStacks(profile, index));
    return 0;
  },
};
