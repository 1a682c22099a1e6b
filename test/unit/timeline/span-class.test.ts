// Span colour classes computed when asked (no array of every span's class): the class of each
// span from its state and reason, and goroutine lanes indexed with it mark exactly as with an
// array of classes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import {
  blockCategory,
  buildModel,
  goroutineSpans,
  GoState,
  spanEnd,
  spanReason,
  spanStart,
} from '../../../src/core/exectrace';
import {
  LaneIndex,
  MIX_CLASSES,
  SPAN_CLASSES,
  spanClassOf,
} from '../../../src/core/layout/timeline-lanes';

const model = buildModel(
  readFileSync(join(__dirname, '../../fixtures/exectrace/workload-go1.26.8.trace')),
);
const spans = model.spans;
const classOf = spanClassOf(
  spans.state,
  spans.reason,
  Array.from(spans.reasons, (r) => model.strings[r]),
);

test('each span’s class follows from its state and, when blocked, its reason', () => {
  const seen = new Set<string>();
  for (let i = 0; i < spans.count; i++) {
    const st = spans.state[i];
    const expected =
      st === GoState.Running
        ? 'running'
        : st === GoState.Runnable
          ? 'runnable'
          : st === GoState.Syscall
            ? 'syscall'
            : blockCategory(model.strings[spanReason(spans, i)]);
    expect(SPAN_CLASSES[classOf(i)]).toBe(expected);
    seen.add(expected);
  }
  expect(seen.size).toBeGreaterThanOrEqual(5);
});

test('a goroutine lane marks the same with classes computed as with an array of them', () => {
  const array = Uint8Array.from({ length: spans.count }, (_, i) => classOf(i));
  const mix = Uint8Array.from(SPAN_CLASSES, (_, c) => Math.min(c, MIX_CLASSES.length - 1));
  const start = (i: number) => spanStart(spans, i);
  const end = (i: number) => spanEnd(spans, i);
  let busiest = 0;
  for (let g = 0; g < model.goroutines.count; g++)
    if (model.goroutines.spanCount[g] > model.goroutines.spanCount[busiest]) busiest = g;
  const idx = goroutineSpans(model, busiest);
  expect(idx.length).toBeGreaterThan(1000);
  const a = new LaneIndex(idx, start, end, array, MIX_CLASSES.length, mix);
  const f = new LaneIndex(idx, start, end, classOf, MIX_CLASSES.length, mix);
  for (const width of [1, 1e3, 1e5, 1e7]) {
    const qa = a.query(model.start, model.end, width);
    const qf = f.query(model.start, model.end, width);
    expect(qf.count).toBe(qa.count);
    expect(Array.from(qf.mix.slice(0, qf.count * qf.classCount))).toEqual(
      Array.from(qa.mix.slice(0, qa.count * qa.classCount)),
    );
    expect(Array.from(qf.first.slice(0, qf.count))).toEqual(
      Array.from(qa.first.slice(0, qa.count)),
    );
  }
});
