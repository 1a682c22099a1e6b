// The parse worker's scheduler-log methods; see sched-protocol.ts.
import { open } from 'node:fs/promises';
import { HeatmapPyramid, SchedModel, SchedTraceError, SchedTraceStream } from '../core/schedtrace';
import {
  newestGcCycle,
  schedDetailAt,
  schedUpdate,
  type SchedAnswerSource,
} from '../protocol/sched-answers';
import type { SchedWorkerMethods } from './sched-protocol';

const logs = new Map<number, SchedAnswerSource>();
let nextHandle = 1;

function get(handle: number): SchedAnswerSource {
  const log = logs.get(handle);
  if (!log) throw new Error('Go Lens: this scheduler log is no longer loaded; reopen it.');
  return log;
}

type Handlers = {
  [M in keyof SchedWorkerMethods]: (
    params: SchedWorkerMethods[M]['params'],
    progress: (message: string, fraction?: number) => void,
  ) => Promise<SchedWorkerMethods[M]['result']> | SchedWorkerMethods[M]['result'];
};

export const schedHandlers: Handlers = {
  async loadSchedTrace(params, progress) {
    // Fed in 4 MiB pieces into the bounded model, so a log of GBs never sits whole in memory.
    const stream = new SchedTraceStream();
    const model = new SchedModel();
    const piece = 4 << 20;
    if (params.bytes) {
      for (let i = 0; i < params.bytes.length; i += piece)
        model.add(stream.push(params.bytes.subarray(i, i + piece)));
    } else {
      const file = await open(params.path ?? '', 'r');
      try {
        const size = (await file.stat()).size;
        const buf = new Uint8Array(piece);
        for (let at = 0; ;) {
          const { bytesRead } = await file.read(buf, 0, piece, at);
          if (bytesRead === 0) break;
          model.add(stream.push(buf.subarray(0, bytesRead)));
          at += bytesRead;
          progress(
            `parsing ${Math.round((100 * at) / Math.max(1, size))}%`,
            at / Math.max(1, size),
          );
        }
      } finally {
        await file.close();
      }
    }
    model.add(stream.end());
    if (stream.stats.traceLines === 0) {
      throw new SchedTraceError(
        'no GODEBUG trace lines found (no SCHED, gc or scav line); run the program with GODEBUG=schedtrace=1000,gctrace=1 and capture its stderr',
        'no-trace-lines',
      );
    }
    const handle = nextHandle++;
    logs.set(handle, {
      model,
      pyramid: HeatmapPyramid.fromModel(model),
      lastGc: newestGcCycle(model),
    });
    return { handle, stats: { ...stream.stats } };
  },
  schedTraceUpdate({ handle, view }) {
    // A log does not change: every answer carries the charts.
    return schedUpdate(get(handle), view, true);
  },
  schedTraceDetail({ handle, timeMs }) {
    return schedDetailAt(get(handle).model, timeMs);
  },
  releaseSchedTrace({ handle }) {
    logs.delete(handle);
  },
};
