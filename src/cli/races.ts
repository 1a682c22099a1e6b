// golens races FILE [--json]: the race detector's reports in any text (go test -race output,
// -json, a GORACE log_path file, a CI log), deduplicated by the pair of access sites, with both
// stacks.
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import {
  RaceReportParser,
  RaceTally,
  accessKindText,
  goroutineName,
  locationText,
  racesJson,
  type RaceSet,
} from '../core/races';
import type { FrameView } from '../core/goroutines';
import { CliError, parseArgs, writeLines, type CliCommand } from './command';

const USAGE = 'usage: golens races FILE [--json]';

/** Pieces the file is read and parsed in: a log of GBs never sits whole in memory. */
const PIECE = 4 << 20;

export interface ReadRaces {
  set: RaceSet;
  parser: RaceReportParser;
}

/** Reads and deduplicates every report of `path`, in pieces. */
export function readRaceFile(path: string): ReadRaces {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const parser = new RaceReportParser();
  const tally = new RaceTally(path);
  const decoder = new TextDecoder('utf-8');
  try {
    if (fstatSync(fd).isDirectory())
      throw new CliError(`${path} is a directory, not a log with race reports`);
    const buf = new Uint8Array(PIECE);
    const take = (events: ReturnType<RaceReportParser['push']>) => tally.take(events);
    for (;;) {
      const n = readSync(fd, buf, 0, PIECE, null);
      if (n === 0) break;
      take(parser.push(decoder.decode(buf.subarray(0, n), { stream: true })));
    }
    take(parser.push(decoder.decode()));
    take(parser.end());
  } finally {
    closeSync(fd);
  }
  return { set: tally.set, parser };
}

function location(f: FrameView): string {
  return f.line > 0 ? `${f.file}:${f.line}` : f.file || '?';
}

function* stack(frames: readonly FrameView[], indent: string): Generator<string> {
  for (const f of frames) {
    yield `${indent}${f.func}`;
    yield `${indent}    ${location(f)}`;
  }
}

function* textLines(path: string, { set, parser }: ReadRaces): Generator<string> {
  const races = set.races();
  if (parser.reports.length === 0) {
    yield `${path}: no race reports (no "WARNING: DATA RACE" line). Run the program or tests with -race (go test -race ./...) and save their output, or point GORACE=log_path=FILE at a file.`;
  } else {
    const runs = parser.runEnds.length;
    yield `${races.length} distinct race${races.length === 1 ? '' : 's'} in ${parser.reports.length} report${parser.reports.length === 1 ? '' : 's'}${runs > 1 ? ` from ${runs} runs` : ''}`;
  }
  for (let i = 0; i < races.length; i++) {
    const d = races[i];
    const r = d.report;
    const what = locationText(r);
    const facts = [`${d.count} report${d.count === 1 ? '' : 's'}`];
    if (d.runs > 1) facts.push(`${d.runs} runs`);
    if (d.tests.length) facts.push(`tests: ${d.tests.join(', ')}`);
    yield '';
    yield `race ${i + 1}${what ? ` on ${what}` : ''}: ${facts.join('; ')}`;
    for (const a of r.accesses) {
      const kind = accessKindText(a);
      yield `  ${a.previous ? 'previous ' : ''}${kind} at ${a.address} by ${goroutineName(a.goroutine)}:`;
      if (!a.stackRestored) yield '    [failed to restore the stack]';
      yield* stack(a.frames, '    ');
    }
    for (const g of r.goroutines) {
      yield `  goroutine ${g.id} (${g.state}) created at:`;
      yield* stack(g.createdAt, '    ');
    }
    for (const m of r.mutexes) {
      yield `  mutex ${m.name} (${m.address}) created at:`;
      yield* stack(m.createdAt, '    ');
    }
    if (r.location) {
      yield `  location: ${r.location.text}`;
      yield* stack(r.location.allocatedAt, '    ');
    }
  }
  if (parser.warningCount > 0) {
    yield '';
    yield `${parser.warningCount} warning${parser.warningCount === 1 ? '' : 's'}:`;
    for (const w of parser.warnings.slice(0, 20)) yield `  line ${w.line}: ${w.message}`;
  }
}

export const racesCommand: CliCommand = {
  summary:
    'read race detector reports (go test -race output, -json, GORACE logs, CI logs) and list the distinct races',
  usage: USAGE,
  async run(args) {
    const parsed = parseArgs(args, [], ['json']);
    if (parsed.positional.length !== 1) throw new CliError(USAGE);
    const path = parsed.positional[0];
    const read = readRaceFile(path);
    if (parsed.flags.has('json')) {
      const { parser, set } = read;
      const warnings = [...parser.warnings];
      const json = racesJson(set.races(), parser.reports.length, warnings, parser.warningCount);
      if (parser.reports.length === 0)
        json.warnings.push(
          'no race reports (no "WARNING: DATA RACE" line); run with -race to get them',
        );
      await writeLines([JSON.stringify(json)]);
      return 0;
    }
    await writeLines(textLines(path, read));
    return 0;
  },
};
