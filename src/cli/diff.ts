// golens diff BASE FILE [--sample-index N|NAME] [--normalize] [filters]: what changed from BASE to
// FILE, as folded stacks (root first, `;`-joined) with the signed change of each stack that
// changed, like `go tool pprof -diff_base BASE FILE` would count it.
import { diffFolded } from '../core/flame/diff-tree';
import { checkComparable } from '../core/pprof/diff';
import { indexProfile } from '../core/pprof/profile-index';
import { CliError, writeLines, type CliCommand } from './command';
import { parseWithFilters, readProfile, sampleIndexArg } from './top';

const USAGE =
  'usage: golens diff BASE FILE [--sample-index N|NAME] [--normalize] [--focus RE] [--ignore RE] [--hide RE] [--show RE] ' +
  '[--show-from RE] [--prune-from RE] [--tagfocus K=V]… [--tagignore K=V]… [--prune-runtime]';

export const diffCommand: CliCommand = {
  summary: 'print what changed between two pprof profiles, as folded stacks with signed values',
  usage: USAGE,
  async run(args) {
    const { parsed, filter } = parseWithFilters(args, ['sample-index'], ['normalize']);
    if (parsed.positional.length !== 2) throw new CliError(USAGE);
    const [basePath, path] = parsed.positional;
    const base = readProfile(basePath);
    const current = readProfile(path);
    if (current.sampleTypes.length === 0 && base.sampleTypes.length === 0) {
      process.stderr.write(`golens: ${basePath} and ${path} have no samples\n`);
      return 0;
    }
    checkComparable(base, current);
    const sampleType = sampleIndexArg(current, parsed, path);
    const lines = diffFolded(indexProfile(base), indexProfile(current), {
      sampleType,
      filter,
      normalize: parsed.flags.get('normalize') === true,
    });
    await writeLines(lines);
    return 0;
  },
};
