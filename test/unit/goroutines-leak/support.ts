// Builds test/go/leak-server with the machine's Go (1.26) and GOEXPERIMENT=goroutineleakprofile,
// the way a Go 1.26 user turns on the leak profile; without the experiment for the 404 case.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goEnv, goProgramsDir } from '../../support/go';

const execFileP = promisify(execFile);

/** Path of the built leak-server; `experiment` false builds it without the leak profile. */
export async function buildLeakServer(experiment = true): Promise<string> {
  const dir = join(tmpdir(), 'golens-test-bin', experiment ? 'leakprofile' : 'no-leakprofile');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'leak-server');
  await execFileP('go', ['build', '-o', out, './leak-server'], {
    cwd: goProgramsDir,
    env: { ...goEnv(), GOEXPERIMENT: experiment ? 'goroutineleakprofile' : '' },
  });
  return out;
}
