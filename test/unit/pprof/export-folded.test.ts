// The profile view's Export… → Folded stacks (the worker's profileFolded, from the call tree) and
// `golens folded` (foldedStacks, through the same index and tree) write the same text for the
// same profile, and on an unsymbolized one both name frames as `go tool pprof -traces -addresses`
// does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileHandlers } from '../../../src/worker/profile-handlers';
import { runCli } from '../../support/go';

// A legacy count profile (what a Go program's threadcreate?debug=1 wrote before names were
// printed): addresses only; the first two fall in the executable's mapping, the last in none.
const UNSYMBOLIZED = [
  'threadcreate profile: total 6',
  '3 @ 0x401010 0x402020 0x403030',
  '2 @ 0x401010 0x402020',
  '1 @ 0x7f0000001000',
  '',
  '--- Memory map: ---',
  '00400000-00500000 r-xp 00000000 08:01 123 /srv/bin/server',
  '',
].join('\n');

async function exported(bytes: Uint8Array, sampleType = 0): Promise<string> {
  const loaded = await profileHandlers.loadProfile({ bytes }, () => undefined);
  const lines = await profileHandlers.profileFolded(
    { handle: loaded.handle, query: { sampleType, filter: {} } },
    () => undefined,
  );
  profileHandlers.release({ handle: loaded.handle }, () => undefined);
  return lines.join('\n') + '\n';
}

describe('Export… folded stacks and golens folded', () => {
  it('write identical text for an unsymbolized profile, frames named by address and mapping', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'golens-export-folded-')), 'threadcreate.txt');
    writeFileSync(file, UNSYMBOLIZED);
    const cli = await runCli(['folded', file]);
    expect(cli.code, cli.stderr).toBe(0);
    const fromView = await exported(new TextEncoder().encode(UNSYMBOLIZED));
    expect(fromView).toBe(cli.stdout);
    // Callers are one byte back into their call, as pprof keeps them.
    expect(cli.stdout).toBe(
      [
        '000000000040201f [server];0000000000401010 [server] 2',
        '000000000040302f [server];000000000040201f [server];0000000000401010 [server] 3',
        '00007f0000001000 <unknown> 1',
      ].join('\n') + '\n',
    );
  });
});
