// The parse worker's race methods (see ./race-protocol).
import { open } from 'node:fs/promises';
import { RaceReportParser, RaceTally, type RaceEvent } from '../core/races';
import type { LoadedRaces, RaceWorkerMethods } from './race-protocol';

type Handlers = {
  [M in keyof RaceWorkerMethods]: (
    params: RaceWorkerMethods[M]['params'],
    progress: (message: string, fraction?: number) => void,
  ) => Promise<RaceWorkerMethods[M]['result']> | RaceWorkerMethods[M]['result'];
};

/** Live streams by id. A program that never ends its stream leaves one parser here (a few KB). */
const streams = new Map<string, RaceReportParser>();

function stream(id: string): RaceReportParser {
  let p = streams.get(id);
  if (!p) {
    p = new RaceReportParser();
    streams.set(id, p);
  }
  return p;
}

const PIECE = 4 << 20;

export const raceHandlers: Handlers = {
  async loadRaceLog(params, progress): Promise<LoadedRaces> {
    const parser = new RaceReportParser();
    const tally = new RaceTally(params.source);
    const take = (events: RaceEvent[]) => tally.take(events);
    if (params.text !== undefined) {
      take(parser.push(params.text));
    } else {
      const file = await open(params.path ?? '', 'r');
      const decoder = new TextDecoder('utf-8');
      try {
        const size = (await file.stat()).size;
        const buf = new Uint8Array(PIECE);
        for (let at = 0; ;) {
          const { bytesRead } = await file.read(buf, 0, PIECE, at);
          if (bytesRead === 0) break;
          take(parser.push(decoder.decode(buf.subarray(0, bytesRead), { stream: true })));
          at += bytesRead;
          progress(
            `parsing ${Math.round((100 * at) / Math.max(1, size))}%`,
            at / Math.max(1, size),
          );
        }
        take(parser.push(decoder.decode()));
      } finally {
        await file.close();
      }
    }
    take(parser.end());
    return {
      races: tally.set.races(),
      reports: parser.reports.length,
      runEnds: parser.runEnds,
      warnings: parser.warnings,
      warningCount: parser.warningCount,
    };
  },
  raceStreamPush(params) {
    return stream(params.stream).push(params.text);
  },
  raceStreamSettle(params) {
    return streams.get(params.stream)?.settle() ?? [];
  },
  raceStreamEnd(params) {
    const p = streams.get(params.stream);
    streams.delete(params.stream);
    if (!p) return { events: [], warnings: [], warningCount: 0 };
    const events = p.end();
    return { events, warnings: p.warnings, warningCount: p.warningCount };
  },
};
