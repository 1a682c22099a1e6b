// Shared by the fixture and differential tests: goroutine counts per stack, normalised so that
// the three formats of one instant compare equal.
import { goroutineAt, type GoroutineSnapshot } from '../../../src/core/goroutines';

/**
 * `pkg.F[go.shape.int]` (debug=0/1) and `pkg.F[...]` (tracebacks) → `pkg.F[...]`. Shapes may hold
 * brackets of their own (`go.shape.[]int`), so depth is tracked.
 */
export function normaliseFunc(func: string): string {
  let out = '';
  let depth = 0;
  for (const c of func) {
    if (c === '[') {
      if (depth++ === 0) out += '[...]';
    } else if (c === ']') {
      depth--;
    } else if (depth === 0) {
      out += c;
    }
  }
  return out;
}

const isRuntime = (f: string) => f.startsWith('runtime.') || f.startsWith('internal/runtime/');
/** runtime.gopark, runtime.main…: what a traceback at level "all" hides wherever it appears. */
const isUnexportedRuntime = (f: string) => /^runtime\.[a-z_]/.test(f);

/**
 * The function sequence of a stack, normalised across formats:
 *  1. generic instantiations read `[...]` (see normaliseFunc);
 *  2. runtime.goexit goes (debug=0 drops it, tracebacks at level all hide it);
 *  3. leading runtime.* and internal/runtime/* frames go (debug=1 hides them, debug=0 keeps them,
 *     tracebacks hide the runtime ones);
 *  4. remaining unexported runtime.* frames go (tracebacks hide them anywhere, e.g. runtime.main
 *     under main.main; debug=0/1 keep them below user frames).
 */
export function normalisedStack(funcs: string[]): string[] {
  let fs = funcs.map(normaliseFunc).filter((f) => f !== 'runtime.goexit');
  let i = 0;
  while (i < fs.length && isRuntime(fs[i])) i++;
  fs = fs.slice(i);
  return fs.filter((f) => !isUnexportedRuntime(f));
}

/**
 * Goroutines per normalised stack (`f1;f2;…` → count), leaving out stacks for which `skip`
 * returns true. Labels and ids play no part: debug=0/1 split a stack by label set, this sums.
 */
export function countsByStack(
  s: GoroutineSnapshot,
  skip: (funcs: string[]) => boolean = () => false,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (let r = 0; r < s.goroutines.count; r++) {
    const g = goroutineAt(s, r);
    const funcs = normalisedStack(g.frames.map((f) => f.func));
    if (skip(funcs)) continue;
    const key = funcs.join(';');
    out[key] = (out[key] ?? 0) + g.count;
  }
  return out;
}
