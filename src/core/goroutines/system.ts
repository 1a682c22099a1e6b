// Which goroutines belong to the runtime, decided the way the runtime's own isSystemGoroutine
// (runtime/traceback.go) does, which decides what GOTRACEBACK=all and the goroutine profile hide:
// by the goroutine's start function, i.e. the outermost frame of its stack.
import type { GoroutineSnapshot } from './model';

/** Started in package runtime but running user code: the runtime never counts these as system. */
const USER_RUNTIME_STARTS = new Set([
  'runtime.main',
  'runtime.corostart',
  'runtime.handleAsyncEvent',
]);
/** The finalizer and cleanup goroutines count as system only while not calling user code. */
const FINALIZER_STARTS = new Set([
  'runtime.runfinq',
  'runtime.runFinalizers',
  'runtime.runCleanups',
]);

/**
 * True for goroutines the runtime considers its own: those whose start function (outermost
 * frame, `runtime.goexit` aside) is in package runtime, except runtime.main (goroutine 1) and
 * coroutines, and except the finalizer/cleanup goroutines while they run user code. Goroutine 0
 * (an M's g0, in crash dumps) is system. With no frames (stack unavailable), a `created by` in
 * package runtime decides.
 */
export function isSystemGoroutine(s: GoroutineSnapshot, row: number): boolean {
  const g = s.goroutines;
  if (g.id[row] === 0) return true;
  const stack = g.stack[row];
  const start = s.stacks.frameStart[stack];
  let end = s.stacks.frameStart[stack + 1];
  const func = s.frames.func;
  if (end > start && func[s.stacks.frameIndex[end - 1]] === 'runtime.goexit') end--;
  if (end === start) {
    const cb = g.createdBy[row];
    return cb >= 0 && func[cb].startsWith('runtime.');
  }
  const entry = func[s.stacks.frameIndex[end - 1]];
  if (USER_RUNTIME_STARTS.has(entry)) return false;
  if (FINALIZER_STARTS.has(entry)) {
    for (let k = start; k < end; k++) {
      const f = func[s.stacks.frameIndex[k]];
      if (!f.startsWith('runtime.') && !f.startsWith('internal/') && f !== 'panic') return false;
    }
    return true;
  }
  return entry.startsWith('runtime.');
}
