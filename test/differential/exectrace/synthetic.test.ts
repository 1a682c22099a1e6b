// Our hand-written traces (stolen syscall procs, cgo goroutines, coroutine switches, equal
// timestamps, odd frequencies, odd strings, broken traces) through both readers: the same
// output, and both failing where one fails.
import { describe, expect, test } from 'vitest';
import { goParsed, readAll, writeScratch } from '../../unit/exectrace/support/helpers';
import { SYNTHETIC_CASES } from '../../unit/exectrace/support/synthetic-cases';
import { traceFromText } from '../../unit/exectrace/support/trace-text';

describe.each(SYNTHETIC_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
  test('same events as go tool trace -d=parsed, same success or failure', async () => {
    const bytes = traceFromText(c.text);
    const file = writeScratch('synthetic', name.replace(/[^a-z0-9.]+/gi, '_') + '.trace', bytes);
    const go = await goParsed(file);
    const ours = readAll(bytes);
    expect(ours.text).toBe(go.stdout);
    expect(ours.error === null).toBe(go.code === 0);
    expect(go.code === 0).toBe(c.ok);
  });
});
