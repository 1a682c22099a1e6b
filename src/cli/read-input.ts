// Reading a profile file for a CLI command: every format Go Lens reads (pprof, perf script text,
// folded stacks, perf.data when perf is installed), text formats streamed; what was skipped is
// said on stderr.
import { ProfileError, type Profile } from '../core/pprof/model';
import { readProfileFile } from '../node/profile-file';
import { findPerf } from '../node/perf-tool';
import { CliError } from './command';

/** Reads a profile of any format, with one-line errors for the usual mistakes. */
export async function readAnyProfile(path: string): Promise<Profile> {
  try {
    const r = await readProfileFile(path, { perf: () => findPerf(), perfUnavailable: 'missing' });
    for (const w of r.warnings) process.stderr.write(`golens: ${path}: ${w}\n`);
    return r.profile;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a profile`);
    if (e instanceof ProfileError) throw e;
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}
