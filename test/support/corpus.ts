// The real-world corpus (../shared/corpus beside the clone; GOLENS_CORPUS overrides): tests that
// read it skip their corpus cases when it is absent (a fresh clone without it), never fail.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './go';

export const corpusDir = process.env.GOLENS_CORPUS
  ? resolve(process.env.GOLENS_CORPUS)
  : resolve(repoRoot, '../shared/corpus');
export const hasCorpus = existsSync(join(corpusDir, 'SOURCES.md'));

/** Path of a corpus file from its path inside the corpus (`goroutines/wild/…`). */
export function corpusFile(rel: string): string {
  return join(corpusDir, rel);
}

/** Every file below `dir`, in sorted order (a corpus folder's real-world files). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}
