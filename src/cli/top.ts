// golens top FILE [--sample-index N|NAME] [filters] [--cum] [--json]: the top table of a profile,
// as `go tool pprof -top` prints it, or as JSON ({func, flat, cum} with raw integer values).
import { readFileSync } from 'node:fs';
import {
  compileFilter,
  FilterError,
  type CompiledFilter,
  type ProfileFilter,
} from '../core/pprof/filter';
import { formatInteger } from '../core/pprof/folded';
import type { Profile } from '../core/pprof/model';
import { indexProfile } from '../core/pprof/profile-index';
import { describeSampleTypes, findSampleType } from '../core/pprof/sample-type';
import { sortTopRows, topTable } from '../core/pprof/top';
import { formatPercent, formatValue } from '../core/format/units';
import { gunzip } from '../node/inflate';
import { readProfileBytes } from '../core/perf/read-any';
import { readAnyProfile } from './read-input';
import { CliError, parseArgs, writeLines, type CliCommand, type ParsedArgs } from './command';
import { symbolizeWithBinary } from './symbolize';

/** Filter flags shared by `top` and `diff`, with the pprof option each one is. */
export const FILTER_FLAGS = ['focus', 'ignore', 'hide', 'show', 'show-from', 'prune-from'] as const;
/** The flag of each ProfileFilter option, for messages. */
const FLAG_OF: Record<keyof ProfileFilter, string> = {
  focus: '--focus',
  ignore: '--ignore',
  hide: '--hide',
  show: '--show',
  showFrom: '--show-from',
  pruneFrom: '--prune-from',
  pruneRuntime: '--prune-runtime',
  tagFocus: '--tagfocus',
  tagIgnore: '--tagignore',
};
/** Flags that may be given several times. */
const REPEATED = ['tagfocus', 'tagignore'] as const;

/** Reads a profile file, with one-line errors for the usual mistakes. */
export function readProfile(path: string): Profile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a profile`);
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const r = readProfileBytes(bytes, gunzip);
  for (const w of r.warnings) process.stderr.write(`golens: ${path}: ${w}\n`);
  return r.profile;
}

/** Parses arguments with the filter flags (--tagfocus and --tagignore may be repeated). */
export function parseWithFilters(
  args: string[],
  valued: readonly string[],
  switches: readonly string[],
): { parsed: ParsedArgs; filter: CompiledFilter } {
  const parsed = parseArgs(
    args,
    [...valued, ...FILTER_FLAGS],
    [...switches, 'prune-runtime'],
    REPEATED,
  );
  const str = (name: string): string | undefined => {
    const v = parsed.flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const filter: ProfileFilter = {
    focus: str('focus'),
    ignore: str('ignore'),
    hide: str('hide'),
    show: str('show'),
    showFrom: str('show-from'),
    pruneFrom: str('prune-from'),
    pruneRuntime: parsed.flags.get('prune-runtime') === true,
    tagFocus: parsed.lists.get('tagfocus') ?? [],
    tagIgnore: parsed.lists.get('tagignore') ?? [],
  };
  try {
    return { parsed, filter: compileFilter(filter) };
  } catch (e) {
    if (e instanceof FilterError)
      throw new CliError(e.message.replace(/^invalid \S+/, `invalid ${FLAG_OF[e.option]}`));
    throw e;
  }
}

/** The sample type index `--sample-index` names (pprof's -sample_index rules). */
export function sampleIndexArg(profile: Profile, parsed: ParsedArgs, path: string): number {
  const spec = parsed.flags.get('sample-index');
  const index = findSampleType(profile, typeof spec === 'string' ? spec : undefined);
  if (index < 0)
    throw new CliError(
      `--sample-index ${String(spec)} is not a sample type of ${path}; it has ${describeSampleTypes(profile)}`,
    );
  return index;
}

/**
 * pprof's measurement.Percentage as its tables print it: the one percentage rule
 * (formatPercent), of the magnitude, padded to six columns. The text must match `go tool pprof
 * -top` (test/differential/pprof-top), so it keeps pprof's padding.
 */
export function pprofPercent(value: number, total: number): string {
  return formatPercent(Math.abs(value), Math.abs(total)).padStart(6);
}

/** The "Active filters" lines pprof prints. */
export function describeFilter(filter: ProfileFilter): string[] {
  const lines: string[] = [];
  const add = (name: string, v: string | undefined) => v && lines.push(`   ${name}=${v}`);
  add('focus', filter.focus);
  add('ignore', filter.ignore);
  add('hide', filter.hide);
  add('show', filter.show);
  add('show_from', filter.showFrom);
  add('prune_from', filter.pruneFrom);
  for (const t of filter.tagFocus ?? []) add('tagfocus', t);
  for (const t of filter.tagIgnore ?? []) add('tagignore', t);
  if (filter.pruneRuntime) lines.push('   prune_runtime');
  return lines;
}

const USAGE =
  'usage: golens top FILE [--sample-index N|NAME] [--focus RE] [--ignore RE] [--hide RE] [--show RE] ' +
  '[--show-from RE] [--prune-from RE] [--tagfocus K=V]… [--tagignore K=V]… [--prune-runtime] [--cum] [--json] [--binary EXE]';

export const topCommand: CliCommand = {
  summary:
    'print the functions of a pprof profile by flat or cum value, as go tool pprof -top does',
  usage: USAGE,
  async run(args) {
    const { parsed, filter } = parseWithFilters(args, ['sample-index', 'binary'], ['json', 'cum']);
    if (parsed.positional.length !== 1) throw new CliError(USAGE);
    const path = parsed.positional[0];
    let profile = await readAnyProfile(path);
    const binary = parsed.flags.get('binary');
    if (typeof binary === 'string') profile = await symbolizeWithBinary(profile, binary, path);
    if (profile.sampleTypes.length === 0) {
      process.stderr.write(`golens: ${path} has no samples\n`);
      if (parsed.flags.get('json') === true) process.stdout.write('[]\n');
      return 0;
    }
    const sampleType = sampleIndexArg(profile, parsed, path);
    const table = topTable(indexProfile(profile), { sampleType, filter });
    const rows =
      parsed.flags.get('cum') === true ? sortTopRows([...table.rows], 'cum') : table.rows;
    if (parsed.flags.get('json') === true) {
      // Raw integers, printed exactly (values are int64 in the profile).
      await writeLines([
        '[',
        ...rows.map(
          (r, i) =>
            `  {"func":${JSON.stringify(r.name)},"flat":${formatInteger(r.flat)},"cum":${formatInteger(r.cum)}}${i + 1 < rows.length ? ',' : ''}`,
        ),
        ']',
      ]);
      return 0;
    }
    const unit = table.sampleType.unit;
    const lines = [`Type: ${table.sampleType.type}`];
    const active = describeFilter(filter.source);
    if (active.length) lines.push('Active filters:', ...active);
    const shown = rows.reduce((s, r) => s + r.flat, 0);
    lines.push(
      `Showing nodes accounting for ${formatValue(shown, unit)}, ${pprofPercent(shown, table.total).trim()} of ${formatValue(table.total, unit)} total`,
    );
    lines.push(`${'flat'.padStart(10)}  flat%   sum% ${'cum'.padStart(10)}   cum%`);
    let sum = 0;
    for (const r of rows) {
      sum += r.flat;
      lines.push(
        `${formatValue(r.flat, unit).padStart(10)} ${pprofPercent(r.flat, table.total)} ${pprofPercent(sum, table.total)} ${formatValue(r.cum, unit).padStart(10)} ${pprofPercent(r.cum, table.total)}  ${r.name}`,
      );
    }
    await writeLines(lines);
    return 0;
  },
};
