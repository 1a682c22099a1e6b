// Go prints the wall clock of Sync events (Go 1.25+ traces) in the local time zone; so do we.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cliPath, run } from '../../support/go';
import { fixturesDir, goParsed } from '../../unit/exectrace/support/helpers';

test.each(['Asia/Kolkata', 'America/New_York', 'UTC'])('wall clocks in TZ=%s', async (tz) => {
  const file = join(fixturesDir, 'allocfree-go1.25.14.trace');
  const [ours, go] = await Promise.all([
    run(process.execPath, [cliPath, 'trace-events', file], { env: { ...process.env, TZ: tz } }),
    goParsed(file, { TZ: tz }),
  ]);
  expect(go.code).toBe(0);
  expect(ours.code, ours.stderr).toBe(0);
  expect(ours.stdout).toMatch(/ Wall=\d{4}-\d\d-\d\dT/);
  expect(ours.stdout === go.stdout).toBe(true);
});
