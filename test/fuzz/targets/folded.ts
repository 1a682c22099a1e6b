// Folded stacks (`a;b;c 10`, stackcollapse's `_[k]` annotations, our escapes), read into the
// profile model and indexed as `golens top` does.
import { readFolded } from '../../../src/core/folded/folded-reader';
import { ProfileError } from '../../../src/core/pprof/model';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { topTable } from '../../../src/core/pprof/top';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'folded',
  run(input) {
    const { profile } = readFolded(input);
    if (profile.sampleTypes.length === 0) return 0;
    return topTable(indexProfile(profile), { sampleType: 0 }).rows.length;
  },
  isTypedError: (e) => e instanceof ProfileError,
  seeds: ['test/fixtures/folded', '../shared/fuzz-repro/folded'],
  seedFilter: /\.folded$/,
  dictionary: [
    'main;main.work;runtime.memmove 12\n',
    'swapper;[unknown]_[k] 3\n',
    'a\\;b;c\\\\d 1\n',
    ';',
    ' 1e3\n',
  ],
};
export default target;
