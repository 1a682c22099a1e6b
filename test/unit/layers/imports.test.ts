// The import graph of src/ stays a one-way street: no file imports itself through others (a cycle
// makes load order matter and hides which part depends on which), and the profile model and its
// queries (src/core/pprof) never import the trees and views built from them (src/core/flame) or a
// reader of one input format (src/core/perf). Read from the source text, so it needs no build.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of every import, re-export and dynamic import (type-only ones included). */
export function importSpecifiers(text: string): string[] {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const re =
    /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(noComments); m; m = re.exec(noComments)) specs.push(m[1] ?? m[2]);
  return specs;
}

function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** file → the src files it imports (paths relative to the repository). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .map((s) => resolveRelative(file, s))
      .filter((t): t is string => t !== undefined && t.startsWith(src));
    graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))]);
  }
  return graph;
}

/** Each strongly connected component of more than one file (or a file importing itself), as a readable loop. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** Folder rules: files under `from` import nothing under any of `never`. */
const FORBIDDEN: { from: string; never: string[]; why: string }[] = [
  {
    from: 'src/core/pprof/',
    never: ['src/core/flame/', 'src/core/layout/', 'src/core/perf/'],
    why: 'the profile model and its queries come before the trees, layouts and readers built on them',
  },
  {
    from: 'src/core/exectrace/',
    never: ['src/core/layout/'],
    why: 'the trace model comes before the timeline layout and the analysis built on it',
  },
  {
    from: 'src/core/',
    never: [
      'src/worker/',
      'src/node/',
      'src/cli/',
      'src/features/',
      'src/editors/',
      'src/views/',
      'src/protocol/',
    ],
    why: 'src/core is pure: it imports only src/core',
  },
];

describe('src import graph', () => {
  const graph = importGraph();

  it('reads the imports of the tree (the parser sees what the files import)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/worker/profile-handlers.ts')).toContain(
      'src/core/pprof/profile-index.ts',
    );
    expect(
      importSpecifiers(
        "import type { A } from './a';\nexport { b } from \"./b\";\nconst c = await import('./c');",
      ),
    ).toEqual(['./a', './b', './c']);
  });

  it('has no import cycle', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps the core folders one-way', () => {
    const broken: string[] = [];
    for (const [file, targets] of graph) {
      for (const rule of FORBIDDEN) {
        if (!file.startsWith(rule.from)) continue;
        for (const t of targets)
          if (rule.never.some((n) => t.startsWith(n)))
            broken.push(`${file} imports ${t} (${rule.why})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
