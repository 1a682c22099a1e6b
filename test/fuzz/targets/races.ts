// Race detector reports in any text (go test -race output, -json, GORACE log files, CI logs),
// parsed, deduplicated and written as `golens races --json` does. The reader has no error of its
// own: whatever the text, it returns what it found and warnings, so every exception is a finding.
import { RaceReportParser, RaceTally, racesJson } from '../../../src/core/races';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'races',
  run(input) {
    const parser = new RaceReportParser();
    const tally = new RaceTally('fuzz');
    tally.take(parser.push(new TextDecoder('utf-8').decode(input)));
    tally.take(parser.end());
    return racesJson(tally.set.races(), tally.set.reports, parser.warnings).races.length;
  },
  isTypedError: () => false,
  seeds: ['test/fixtures/races', '../shared/fuzz-repro/races'],
  seedFilter: /\.(txt|json|log)$/,
  dictionary: [
    '==================\nWARNING: DATA RACE\n',
    'Write at 0x00c000012345 by goroutine 7:\n',
    'Previous read at 0x00c000012345 by goroutine 6:\n',
    '  main.main.func1()\n      /src/main.go:12 +0x44\n',
    'Goroutine 7 (running) created at:\n',
    'Location is heap block of size 8 at 0x00c000012345 allocated by goroutine 6:\n',
    '  [failed to restore the stack]\n',
    'Found 1 data race(s)\n',
  ],
};
export default target;
