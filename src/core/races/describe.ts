// Races as the CLI's JSON (a stable shape scripts rely on) and as one-line descriptions for
// the Problems panel and the Data Races view.
import { splitFuncName, type FrameView } from '../goroutines/view';
import { accessSite, type DistinctRace } from './dedupe';
import type { RaceAccess, RaceLocation, RaceReport, RaceWarning } from './model';

/** A frame as `golens goroutines --json` writes it. */
export interface FrameJson {
  func: string;
  file: string;
  line: number;
}

/** One distinct race in `golens races --json`. */
export interface RaceJson {
  count: number;
  accesses: {
    kind: 'read' | 'write';
    atomic: boolean;
    goroutine: number | null;
    frames: FrameJson[];
  }[];
  goroutines: { id: number; state: string; createdAt: FrameJson[] }[];
  location: {
    kind: RaceLocation['kind'];
    text: string;
    name: string | null;
    size: number | null;
    allocatedAt: FrameJson[];
  } | null;
  tests: string[];
}

/** `golens races --json`. */
export interface RacesJson {
  races: RaceJson[];
  reports: number;
  warnings: string[];
}

const brief = (f: FrameView): FrameJson => ({ func: f.func, file: f.file, line: f.line });

export function raceJson(d: DistinctRace): RaceJson {
  const r = d.report;
  return {
    count: d.count,
    accesses: r.accesses.map((a) => ({
      kind: a.kind,
      atomic: a.atomic,
      goroutine: a.goroutine ?? null,
      frames: a.frames.map(brief),
    })),
    goroutines: r.goroutines.map((g) => ({
      id: g.id,
      state: g.state,
      createdAt: g.createdAt.map(brief),
    })),
    location: r.location
      ? {
          kind: r.location.kind,
          text: r.location.text,
          name: r.location.name ?? null,
          size: r.location.size ?? null,
          allocatedAt: r.location.allocatedAt.map(brief),
        }
      : null,
    tests: d.tests,
  };
}

export function racesJson(
  races: readonly DistinctRace[],
  reports: number,
  warnings: readonly RaceWarning[],
  warningCount = warnings.length,
): RacesJson {
  const w = warnings.map((x) => `line ${x.line}: ${x.message}`);
  if (warningCount > warnings.length) w.push(`… and ${warningCount - warnings.length} more`);
  return { races: races.map(raceJson), reports, warnings: w };
}

/** `main goroutine` / `goroutine 7` / `a C thread`. */
export function goroutineName(id: number | undefined): string {
  return id === undefined ? 'a C thread' : id === 1 ? 'the main goroutine' : `goroutine ${id}`;
}

/** `atomic write` / `read`. */
export function accessKindText(a: RaceAccess): string {
  return `${a.atomic ? 'atomic ' : ''}${a.kind}`;
}

/** The function at an access site without its package path (`main.(*cache).peek` → `(*cache).peek`). */
export function siteName(a: RaceAccess): string {
  const f = accessSite(a);
  if (!f) return 'an unknown place (stack not restored)';
  const { name } = splitFuncName(f.func);
  return name || f.func;
}

/** What raced: the global's name, the heap block, or the functions that made the accesses. */
export function locationText(r: RaceReport): string | undefined {
  const l = r.location;
  if (!l) return undefined;
  if (l.kind === 'global' && l.name) return `global ${l.name}`;
  if (l.kind === 'heap') return `a heap block of ${l.size ?? '?'} bytes`;
  return l.text;
}

/**
 * One line for the Problems panel, from the point of view of access `index`:
 * `Data race on global x: write by goroutine 9 in main.func2 vs previous read by the main goroutine in main — 3 reports, 2 tests`.
 */
export function describeRace(d: DistinctRace, index = 0): string {
  const r = d.report;
  const me = r.accesses[index];
  const other = r.accesses[index === 0 ? 1 : 0];
  const what = locationText(r);
  const head = what ? `Data race on ${what}` : 'Data race';
  const side = (a: RaceAccess) =>
    `${a.previous ? 'previous ' : ''}${accessKindText(a)} by ${goroutineName(a.goroutine)} in ${siteName(a)}`;
  const parts = [`${head}: ${side(me)}${other ? ` vs ${side(other)}` : ''}`];
  const extra: string[] = [];
  if (d.count > 1) extra.push(`${d.count} reports`);
  if (d.runs > 1) extra.push(`${d.runs} runs`);
  if (d.tests.length > 0)
    extra.push(d.tests.length === 1 ? `in ${d.tests[0]}` : `in ${d.tests.length} tests`);
  return extra.length ? `${parts[0]} (${extra.join(', ')})` : parts[0];
}
