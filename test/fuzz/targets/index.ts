// Every fuzz target: each other file of this folder default-exports one (a new reader adds a file;
// nothing here changes). Loaded by the tests; scripts/fuzz.mjs lists the folder itself.
import { readdirSync } from 'node:fs';
import type { FuzzTarget } from '../target';

export const targetNames: string[] = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .sort();

export async function loadTargets(): Promise<FuzzTarget[]> {
  return Promise.all(
    targetNames.map(async (n) => ((await import(`./${n}.ts`)) as { default: FuzzTarget }).default),
  );
}
