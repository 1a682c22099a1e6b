// The host acts only on timeline webview messages that match the protocol exactly.
import { describe, expect, it } from 'vitest';
import { laneKey, MAX_LANES_PER_REQUEST, timelineValidators } from '../../../src/protocol/timeline';
import { parseTypedMessage } from '../../support/rpc-request';

const parse = (m: unknown) => parseTypedMessage(timelineValidators, m);

describe('timeline requests', () => {
  it.each([
    [{ type: 'ready' }],
    [{ type: 'cancel' }],
    [{ type: 'traceAnalysis' }],
    [
      {
        type: 'traceLanes',
        t0: 0,
        t1: 1e9,
        resolution: 1024,
        lanes: [
          { kind: 'p', index: 0 },
          { kind: 'g', group: 2, member: 17 },
          { kind: 'gc' },
          { kind: 'stw' },
        ],
      },
    ],
    [{ type: 'traceLanes', t0: -5, t1: 5, resolution: 0.25, lanes: [] }],
    [{ type: 'traceSeries', t0: 10, t1: 20, buckets: 1600 }],
    [{ type: 'traceOverview', buckets: 1200 }],
    [{ type: 'traceDetail', ref: { kind: 'span', index: 123456 } }],
    [{ type: 'traceDetail', ref: { kind: 'gc', index: 0 } }],
    [
      {
        type: 'traceAnalysisGoroutines',
        group: 0,
        offset: 100,
        limit: 100,
        sortBy: 'blocked.chan',
        descending: true,
      },
    ],
    [
      {
        type: 'openSource',
        location: { func: 'main.countPrimes', file: 'example.com/demo/work.go', line: 42 },
      },
    ],
    [{ type: 'cpuProfile', t0: 0, t1: 1e9 }],
    [{ type: 'cpuProfile', t0: 5, t1: 5, group: 3 }],
    [{ type: 'cpuProfile', t0: 0, t1: 9, goroutine: 12 }],
  ])('accepts %j', (m) => {
    expect(parse(m)).toEqual(m);
  });

  it.each([
    [null],
    ['ready'],
    [{ type: 'nope' }],
    [{ type: 'ready', extra: 1 }],
    [{ type: 'traceLanes', t0: 5, t1: 5, resolution: 1, lanes: [] }], // empty window
    [{ type: 'traceLanes', t0: 0, t1: 5, resolution: 0, lanes: [] }],
    [{ type: 'traceLanes', t0: 0, t1: 5, resolution: 1, lanes: [{ kind: 'p', index: -1 }] }],
    [{ type: 'traceLanes', t0: 0, t1: 5, resolution: 1, lanes: [{ kind: 'g', group: 1 }] }],
    [
      {
        type: 'traceLanes',
        t0: 0,
        t1: 5,
        resolution: 1,
        lanes: [{ kind: 'p', index: 0, evil: true }],
      },
    ],
    [
      {
        type: 'traceLanes',
        t0: 0,
        t1: 5,
        resolution: 1,
        lanes: Array.from({ length: MAX_LANES_PER_REQUEST + 1 }, () => ({ kind: 'gc' })),
      },
    ],
    [{ type: 'traceLanes', t0: 0, t1: Infinity, resolution: 1, lanes: [] }],
    [{ type: 'traceLanes', t0: 0, t1: 5, resolution: 1 }],
    [{ type: 'traceSeries', t0: 0, t1: 5, buckets: 0 }],
    [{ type: 'traceSeries', t0: 0, t1: 5, buckets: 100_000 }],
    [{ type: 'traceOverview', buckets: 1.5 }],
    [{ type: 'traceDetail', ref: { kind: 'thread', index: 0 } }],
    [{ type: 'traceDetail', ref: { kind: 'span', index: -2 } }],
    [
      {
        type: 'traceAnalysisGoroutines',
        group: 0,
        offset: 0,
        limit: 100,
        sortBy: 'constructor',
        descending: true,
      },
    ],
    [
      {
        type: 'traceAnalysisGoroutines',
        group: 0,
        offset: 0,
        limit: 5000,
        sortBy: 'execTime',
        descending: true,
      },
    ],
    [{ type: 'openSource', location: { func: 'f', file: '', line: 1 } }],
    [{ type: 'openSource', location: { func: 'f', file: '/a', line: 1, cmd: 'rm' } }],
    [{ type: 'cpuProfile', t0: 9, t1: 0 }],
    [{ type: 'cpuProfile', t0: 0, t1: 9, group: 'all' }],
    [{ type: 'cpuProfile', t0: 0, t1: 9, goroutines: [1, 2] }],
  ])('rejects %j', (m) => {
    expect(parse(m)).toBeUndefined();
  });

  it('lane keys name lanes uniquely', () => {
    expect([
      laneKey({ kind: 'p', index: 3 }),
      laneKey({ kind: 'g', group: 1, member: 22 }),
      laneKey({ kind: 'g', group: 12, member: 2 }),
      laneKey({ kind: 'gc' }),
    ]).toEqual(['p3', 'g1.22', 'g12.2', 'gc']);
  });
});
