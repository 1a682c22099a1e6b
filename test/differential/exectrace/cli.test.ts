// golens trace-events as a command: what it prints on failures, and that what came before a
// failure stays printed (as go tool trace does), with one line of error and exit status 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../../support/go';
import { fixturesDir, goParsed, writeScratch } from '../../unit/exectrace/support/helpers';

test('a truncated trace: the complete generations are printed as Go prints them, then one error line', async () => {
  const data = readFileSync(join(fixturesDir, 'workload-go1.26.8.trace'));
  const file = writeScratch(
    'cli',
    'truncated.trace',
    data.subarray(0, Math.floor(data.length * 0.7)),
  );
  const [ours, go] = await Promise.all([runCli(['trace-events', file]), goParsed(file)]);
  expect(go.code).toBe(1);
  expect(ours.code).toBe(1);
  expect(ours.stdout.length).toBeGreaterThan(1000);
  expect(ours.stdout === go.stdout).toBe(true);
  expect(ours.stderr).toMatch(/^golens: trace is truncated: .*\n$/);
  expect(ours.stderr.split('\n')).toHaveLength(2);
});

test.each([
  [
    'not a trace',
    new TextEncoder().encode('hello, this is not a trace at all'),
    /not a Go execution trace/,
  ],
  [
    'a Go 1.10 trace',
    new TextEncoder().encode('go 1.10 trace\x00\x00\x00\x01\x02\x03'),
    /Go 1\.10.*unknown or unsupported trace version go 1\.10.*GOTOOLCHAIN=go1\.22\.12 go tool trace FILE/,
  ],
  [
    'a damaged Go 1.21 trace',
    new TextEncoder().encode('go 1.21 trace\x00\x00\x00\x01\x02\x03'),
    /corrupt trace: batch header at byte 16/,
  ],
  [
    'a future trace',
    new TextEncoder().encode('go 1.31 trace\x00\x00\x00\x01\x02\x03'),
    /unknown execution trace version "go 1\.31"/,
  ],
])('%s: one clear line, exit status 1', async (name, bytes, message) => {
  const file = writeScratch('cli', name.replace(/\W+/g, '-'), bytes);
  const r = await runCli(['trace-events', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

test('usage errors', async () => {
  const r = await runCli(['trace-events']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/usage: golens trace-events FILE/);
  const missing = await runCli(['trace-events', '/nonexistent/file.trace']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/cannot read \/nonexistent\/file\.trace/);
});
