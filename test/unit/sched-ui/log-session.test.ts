// A saved scheduler log's model stays in the real parse worker (dist/parse-worker.js, rebuilt by
// vitest's global setup): the dashboard's answers for a log come from there, and are the same
// answers a live run's host-side session gives for the same stderr text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SchedHostMessage, SchedUpdate, ViewRequest } from '../../../src/protocol/sched';
import { SchedLogSession } from '../../../src/views/sched/log-session';
import { SchedSession, type Scheduler } from '../../../src/views/sched/session';
import { ParseWorkerClient } from '../../../src/worker/client';
import { repoRoot } from '../../support/go';

const client = new ParseWorkerClient(join(repoRoot, 'dist'));
afterAll(() => client.dispose());
const fixture = join(repoRoot, 'test/fixtures/schedtrace/go1.26.8/sched-gc.p4.detail.log');

const never: Scheduler = { now: () => 0, set: () => 0, clear: () => undefined };
/** What a user sees of an update: everything but the time it took and the live parser's state. */
const shown = (u: SchedUpdate) => ({
  ...u,
  hostMs: 0,
  downsampling: { ...u.downsampling, parser: undefined },
});

function liveSessionOf(text: Buffer): SchedSession {
  const live = new SchedSession(() => undefined, { scheduler: never, parseClock: () => 0 });
  for (let i = 0; i < text.length; i += 4096) live.pushStderr(text.subarray(i, i + 4096));
  live.endStderr();
  return live;
}

describe('a saved scheduler log in the parse worker', () => {
  const views: ViewRequest[] = [
    { seq: 1, follow: true, windowMs: 0, t0: 0, t1: 0, width: 900 },
    { seq: 2, follow: false, windowMs: 0, t0: 200, t1: 900, width: 300 },
    { seq: 3, follow: true, windowMs: 1000, t0: 0, t1: 0, width: 40 },
  ];

  it('answers every view and instant as the live session does for the same text', async () => {
    const text = readFileSync(fixture);
    const live = liveSessionOf(text);
    const { handle, stats } = await client.request('loadSchedTrace', { path: fixture });
    expect(stats.snapshots).toBe(live.model.snapshotCount);
    for (const view of views) {
      const fromWorker = await client.request('schedTraceUpdate', { handle, view });
      expect(fromWorker.charts?.series.length).toBeGreaterThan(0);
      expect(shown(fromWorker)).toEqual(shown(live.buildUpdate(view, true)));
    }
    const range = live.model.timeRange()!;
    for (const t of [range.startMs - 10, (range.startMs + range.endMs) / 2, range.endMs + 10]) {
      expect(await client.request('schedTraceDetail', { handle, timeMs: t })).toEqual(
        live.detailAt(t),
      );
    }
    await client.request('releaseSchedTrace', { handle });
    await expect(client.request('schedTraceUpdate', { handle, view: views[0] })).rejects.toThrow(
      /no longer loaded; reopen it/,
    );
  });

  it('text without trace lines fails with SchedTraceError', async () => {
    await expect(
      client.request('loadSchedTrace', { bytes: new TextEncoder().encode('hello\nworld\n') }),
    ).rejects.toMatchObject({ name: 'SchedTraceError' });
  });

  it('the dashboard session posts the newest view, and reads the log again after the worker restarted', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      const { handle } = await client.request('loadSchedTrace', { path: fixture });
      return { handle, generation: client.generation };
    };
    const posted: SchedHostMessage[] = [];
    const session = new SchedLogSession((m) => posted.push(m), client, await load(), load);
    const updates = () => posted.filter((m): m is SchedUpdate => m.type === 'update');
    // A drag: only the first view and the newest one are answered.
    for (const view of views) session.setView(view);
    await expect.poll(() => updates().map((u) => u.viewSeq)).toEqual([1, 3]);
    client.restart();
    session.setView({ ...views[1], seq: 4 });
    await expect.poll(() => updates().map((u) => u.viewSeq)).toEqual([1, 3, 4]);
    expect(loads).toBe(2);
    const detail = await session.detailAt(500);
    expect(detail.detail?.counts.ps).toBe(4);
    expect(posted.filter((m) => m.type === 'error')).toEqual([]);
    session.dispose();
  });
});
