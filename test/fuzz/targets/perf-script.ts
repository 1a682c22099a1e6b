// `perf script` text, read into the profile model and indexed as `golens top` does. Text that is
// not perf script at all is the reader's typed ProfileError; anything else thrown is a finding.
import { readPerfScript } from '../../../src/core/perf/perf-script';
import { ProfileError } from '../../../src/core/pprof/model';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { topTable } from '../../../src/core/pprof/top';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'perf-script',
  run(input) {
    const { profile } = readPerfScript(input);
    if (profile.sampleTypes.length === 0) return 0;
    return topTable(indexProfile(profile), { sampleType: 0 }).rows.length;
  },
  isTypedError: (e) => e instanceof ProfileError,
  seeds: ['test/fixtures/perf', '../shared/fuzz-repro/perf-script'],
  seedFilter: /\.perf$/,
  dictionary: [
    'perf-cpu 12345/12345 [001] 1234.567890:     1001001 cpu-clock:ppp: \n',
    '\t          4a1b2c main.work+0x1c (/tmp/perf-cpu)\n',
    '\tffffffff81000000 [unknown] ([kernel.kallsyms])\n',
    '\t          4a1b2c main.inlined (inlined)\n',
    // perf script -F +srcline: an inlined frame without a dso, then its srcline; none found.
    '\t           98a9a tcache_get+0x16a\n  malloc.c:3190 (inlined)\n',
    '  [kernel.kallsyms][ffffffff81650d14]\n',
    '\n',
  ],
};
export default target;
