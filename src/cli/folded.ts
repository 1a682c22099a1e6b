// golens folded FILE [--sample-index N|NAME]: a profile as folded stacks (flamegraph.pl input).
// FILE may be pprof, perf script text, folded stacks or perf.data (read-input.ts).
import { foldedStacks } from '../core/flame/folded-tree';
import { describeSampleTypes, findSampleType } from '../core/pprof/sample-type';
import { readAnyProfile } from './read-input';
import { CliError, parseArgs, writeLines, type CliCommand } from './command';
import { symbolizeWithBinary } from './symbolize';

export const folded: CliCommand = {
  summary: 'print a pprof profile as folded stacks (one "a;b;c value" line per stack)',
  usage: 'usage: golens folded FILE [--sample-index N|NAME] [--binary EXE]',
  async run(args) {
    const parsed = parseArgs(args, ['sample-index', 'binary']);
    if (parsed.positional.length !== 1) throw new CliError(folded.usage);
    const path = parsed.positional[0];
    let profile = await readAnyProfile(path);
    const binary = parsed.flags.get('binary');
    if (typeof binary === 'string') profile = await symbolizeWithBinary(profile, binary, path);
    if (profile.sampleTypes.length === 0) {
      process.stderr.write(`golens: ${path} has no samples\n`);
      return 0;
    }
    const spec = parsed.flags.get('sample-index');
    const index = findSampleType(profile, typeof spec === 'string' ? spec : undefined);
    if (index < 0) {
      throw new CliError(
        `--sample-index ${String(spec)} is not a sample type of ${path}; it has ${describeSampleTypes(profile)}`,
      );
    }
    if (profile.samples.count === 0) process.stderr.write(`golens: ${path} has no samples\n`);
    await writeLines(foldedStacks(profile, index));
    return 0;
  },
};
