// Goroutine dumps (panics, SIGQUIT, debug=1/2 text, debug=0 profiles), parsed and grouped as
// `golens goroutines` does.
import {
  GoroutineDumpError,
  groupGoroutines,
  parseGoroutineDump,
} from '../../../src/core/goroutines';
import { ProfileError } from '../../../src/core/pprof/model';
import { gunzip } from '../../../src/node/inflate';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'goroutines',
  run(input) {
    const snapshot = parseGoroutineDump(input, { inflate: gunzip });
    return groupGoroutines(snapshot).groups.length;
  },
  // A debug=0 dump is a pprof profile: its reader's error is the profile reader's.
  isTypedError: (e) => e instanceof GoroutineDumpError || e instanceof ProfileError,
  seeds: [
    'test/fixtures/goroutines',
    '../shared/corpus/goroutines',
    '../shared/fuzz-repro/goroutines',
  ],
  seedFilter: /\.(txt|log|gz|pb\.gz)$/,
  dictionary: [
    'goroutine 1 [running]:\n',
    '\tmain.go:12 +0x1d\n',
    'created by main.main in goroutine 1\n',
    'panic: ',
    '\n\n',
  ],
};
export default target;
