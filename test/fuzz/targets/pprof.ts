// pprof profiles (gzip'd or raw protobuf), decoded and indexed as `golens top` does.
import { decodeProfile } from '../../../src/core/pprof/decode';
import { ProfileError } from '../../../src/core/pprof/model';
import { indexProfile } from '../../../src/core/pprof/profile-index';
import { topTable } from '../../../src/core/pprof/top';
import { gunzip } from '../../../src/node/inflate';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'pprof',
  run(input) {
    const profile = decodeProfile(input, gunzip);
    if (profile.sampleTypes.length === 0) return 0;
    return topTable(indexProfile(profile), { sampleType: profile.sampleTypes.length - 1 }).rows
      .length;
  },
  isTypedError: (e) => e instanceof ProfileError,
  seeds: ['test/fixtures/pprof', '../shared/corpus/pprof', '../shared/fuzz-repro/pprof'],
  seedFilter: /\.(pb\.gz|pprof|prof|pb|gz)$|^[^.]+$/,
};
export default target;
