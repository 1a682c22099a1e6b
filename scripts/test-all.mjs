// `npm test`: installs what the tests need (idempotent), then runs every check in the order
// that fails fastest: typecheck → format → lint → build → unit/differential/robustness →
// package → e2e.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skipSetup = process.argv.includes('--no-setup');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const steps = [
  ['setup', 'bash', ['scripts/install-e2e.sh']],
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['format', 'npm', ['run', 'format:check']],
  ['lint', 'npm', ['run', 'lint']],
  ['build', 'npm', ['run', 'build']],
  ['unit', 'npx', ['vitest', 'run']],
  ['package', 'npm', ['run', 'package']],
  ['e2e', process.execPath, ['scripts/run-e2e.mjs']],
];

const started = Date.now();
for (const [name, cmd, args] of steps) {
  if (name === 'setup' && skipSetup) continue;
  if (only && !only.split(',').includes(name)) continue;
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' },
  });
  console.log(
    `=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.log(`\nall tests passed in ${((Date.now() - started) / 60000).toFixed(1)} min`);
