// The parse worker's race detector methods (merged into WorkerMethods in ./protocol). A saved
// log is read, parsed and deduplicated in the worker (a CI log can be hundreds of MB); a
// running program's output is fed in pieces to a parser the worker keeps per stream.
import type { DistinctRace, RaceEvent, RaceRunEnd, RaceWarning } from '../core/races';

/** A log's races, deduplicated. */
export interface LoadedRaces {
  races: DistinctRace[];
  reports: number;
  runEnds: RaceRunEnd[];
  warnings: RaceWarning[];
  warningCount: number;
}

export interface RaceWorkerMethods {
  /** Reads a file (path, read in the worker in pieces) or text; `source` names its runs (`source#0`…). */
  loadRaceLog: { params: { path?: string; text?: string; source: string }; result: LoadedRaces };
  /** Feeds a piece of a running program's output to stream `stream` (created on first use). */
  raceStreamPush: { params: { stream: string; text: string }; result: RaceEvent[] };
  /** Ends the reports of `stream` that met their closing line (the program went quiet). */
  raceStreamSettle: { params: { stream: string }; result: RaceEvent[] };
  /** The stream's output ended: its last reports, and what could not be read. */
  raceStreamEnd: {
    params: { stream: string };
    result: { events: RaceEvent[]; warnings: RaceWarning[]; warningCount: number };
  };
}
