// Runs every test/e2e/*.e2e.mjs file, one at a time (each starts its own code-server).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const files = readdirSync(join(root, 'test/e2e'))
  .filter((f) => f.endsWith('.e2e.mjs') && (!filter || f.includes(filter)))
  .map((f) => join('test/e2e', f));
if (files.length === 0) {
  console.error('no e2e test files matched');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
