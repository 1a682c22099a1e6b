// Go execution traces, read event by event and printed as `golens trace-events` does.
import { formatEvent, TraceError, TraceReader } from '../../../src/core/exectrace';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'exectrace',
  run(input) {
    const reader = new TraceReader(input);
    let chars = 0;
    for (let block = reader.next(); block; block = reader.next()) {
      for (let i = 0; i < block.count; i++) chars += formatEvent(block, i, reader.timeBase).length;
    }
    return chars;
  },
  isTypedError: (e) => e instanceof TraceError,
  seeds: ['test/fixtures/exectrace', '../shared/corpus/traces', '../shared/fuzz-repro/exectrace'],
  seedFilter: /\.(trace|out|bin)$|^[^.]+$/,
  dictionary: [
    'go 1.22 trace\0\0\0',
    'go 1.23 trace\0\0\0',
    'go 1.25 trace\0\0\0',
    'go 1.26 trace\0\0\0',
  ],
};
export default target;
