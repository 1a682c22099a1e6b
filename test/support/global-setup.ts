// Builds dist/cli.js and dist/parse-worker.js once before the suite, so tests that run the golens
// CLI or start the real parse worker use the current sources.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/build.mjs'), '--test-only'], {
    stdio: 'inherit',
  });
}
