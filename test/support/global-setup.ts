// Builds dist/cli.js once before the suite, so tests that run the golens CLI use the current sources.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '../../scripts/build.mjs'), '--cli-only'], { stdio: 'inherit' });
}
