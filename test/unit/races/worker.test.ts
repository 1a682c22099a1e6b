// The race methods of the real parse worker (dist/parse-worker.js, rebuilt by vitest's global
// setup), through the same client the extension host uses: a log read in the worker, and a
// live stream fed in small pieces with settle and end, as the race collector feeds it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RaceEvent } from '../../../src/core/races';
import { ParseWorkerClient } from '../../../src/worker/client';
import { repoRoot } from '../../support/go';

const client = new ParseWorkerClient(join(repoRoot, 'dist'));
afterAll(() => client.dispose());
const fixture = (name: string) => join(repoRoot, 'test/fixtures/races/go1.27.4', name);

describe('race parsing in the worker', () => {
  it('loadRaceLog reads a file and dedupes', async () => {
    const r = await client.request('loadRaceLog', { path: fixture('slice.txt'), source: 'slice' });
    expect(r.reports).toBe(2);
    expect(r.races).toHaveLength(1);
    expect(r.races[0]).toMatchObject({ count: 2, runs: 1, runKeys: ['slice#0'] });
    expect(r.runEnds).toEqual([expect.objectContaining({ found: 2 })]);
  });

  it('loadRaceLog of text without races returns none, and a missing file fails with its path', async () => {
    const r = await client.request('loadRaceLog', {
      text: 'PASS\nok  \texample.com/x\t0.1s\n',
      source: 'clean',
    });
    expect(r.reports).toBe(0);
    await expect(
      client.request('loadRaceLog', { path: '/nonexistent/golens.log', source: 'x' }),
    ).rejects.toThrow(/golens\.log/);
  });

  it('a stream fed in pieces gives the report once its closing line settles, and the tests at the end', async () => {
    const text = readFileSync(fixture('parallel-test.txt'), 'utf8');
    const events: RaceEvent[] = [];
    const cut =
      text.indexOf('=== NAME') > 0
        ? text.indexOf('=== NAME')
        : text.lastIndexOf('==================') + 19;
    for (let i = 0; i < cut; i += 97)
      events.push(
        ...(await client.request('raceStreamPush', {
          stream: 's1',
          text: text.slice(i, Math.min(cut, i + 97)),
        })),
      );
    events.push(...(await client.request('raceStreamSettle', { stream: 's1' })));
    expect(events.filter((e) => e.kind === 'report')).toHaveLength(1);
    events.push(
      ...(await client.request('raceStreamPush', { stream: 's1', text: text.slice(cut) })),
    );
    const end = await client.request('raceStreamEnd', { stream: 's1' });
    events.push(...end.events);
    expect(end.warnings).toEqual([]);
    expect(
      events
        .filter((e) => e.kind === 'test')
        .map((e) => (e as { test: string }).test)
        .sort(),
    ).toEqual(['TestAlpha', 'TestBeta']);
  });
});
