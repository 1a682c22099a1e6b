// Reads the goroutines of a paused Go debug session through the Debug Adapter Protocol, as
// Delve's DAP server (vscode-go's default adapter) answers it: `threads` lists goroutines (the
// thread id is the goroutine id, the name `[Go 12] main.worker`), `stackTrace` gives one
// goroutine's frames. No VS Code import: the caller passes how to send a request
// (`session.customRequest` in the extension, a TCP client in tests).
import type { DebuggerGoroutine } from '../../core/goroutines/from-frames';

/** Sends one DAP request and resolves to its response body. */
export type DapRequest = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/**
 * Goroutines Delve's DAP server returns at most (`maxGoroutines` in service/dap/server.go, a
 * constant; it appends the selected goroutine when that one is beyond the cap).
 */
export const DELVE_MAX_GOROUTINES = 1024;

export interface DebugListing {
  goroutines: DebuggerGoroutine[];
  /** Threads the adapter listed. */
  listed: number;
  /** The list has Delve's maximum length: the program may have more goroutines. */
  capped: boolean;
  /** Goroutines whose stack could not be read (e.g. the program is running, not paused). */
  failed: number;
  /** The first stackTrace error, to explain failures. */
  firstError: string | undefined;
}

export interface ReadOptions {
  /** Frames per goroutine; Delve's own default `stackTraceDepth` is 50. */
  levels?: number;
  /**
   * stackTrace requests in flight at once. Delve answers them one at a time anyway; a few in
   * flight hide the round-trip latency without queueing a thousand requests in the adapter.
   */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** What Delve's thread name says: `* [Go 12 role:web] main.worker (Thread 4242)`. */
export interface ThreadName {
  current: boolean;
  id: number | undefined;
  labels: [string, string][];
  func: string;
}

const THREAD_NAME = /^(\* )?\[Go (\d+)((?: [^\]\s]+)*)\] (.*?)(?: \(Thread \d+\))?$/;

export function parseThreadName(name: string): ThreadName {
  const m = THREAD_NAME.exec(name);
  if (!m) return { current: name.startsWith('* '), id: undefined, labels: [], func: '' };
  const labels: [string, string][] = [];
  for (const part of m[3].trim().split(' ')) {
    if (!part) continue;
    const colon = part.indexOf(':');
    // With showPprofLabels naming one key, Delve prints the bare value.
    labels.push(colon > 0 ? [part.slice(0, colon), part.slice(colon + 1)] : ['label', part]);
  }
  return { current: m[1] !== undefined, id: Number(m[2]), labels, func: m[4] };
}

interface DapThread {
  id: number;
  name: string;
}

interface DapStackFrame {
  name?: string;
  line?: number;
  source?: { path?: string; name?: string };
}

function isThreadList(v: unknown): v is { threads: DapThread[] } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { threads?: unknown }).threads);
}

/**
 * Lists the session's goroutines with their frames. Delve's placeholder thread (`Dummy`, sent
 * when it has no goroutines to report) is left out.
 */
export async function readDebugGoroutines(
  request: DapRequest,
  options: ReadOptions = {},
): Promise<DebugListing> {
  const levels = options.levels ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const body = await request('threads');
  if (!isThreadList(body))
    throw new Error('the debug adapter answered "threads" without a thread list');
  const threads = body.threads.filter(
    (t) => typeof t.id === 'number' && typeof t.name === 'string' && t.name !== 'Dummy',
  );
  const out: (DebuggerGoroutine | undefined)[] = new Array(threads.length);
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  let done = 0;

  const one = async (i: number) => {
    const t = threads[i];
    const name = parseThreadName(t.name);
    const base = { id: t.id, current: name.current, labels: name.labels };
    if (/Unreadable goroutine/.test(t.name)) {
      out[i] = { ...base, frames: [], truncated: false, unreadable: t.name.replace(/^\*?\s*/, '') };
      return;
    }
    try {
      const st = (await request('stackTrace', { threadId: t.id, startFrame: 0, levels })) as {
        stackFrames?: DapStackFrame[];
        totalFrames?: number;
      };
      const frames = (st.stackFrames ?? []).map((f) => ({
        func: f.name ?? '',
        file: f.source?.path ?? '',
        line: typeof f.line === 'number' ? f.line : 0,
      }));
      out[i] = {
        ...base,
        frames,
        truncated: typeof st.totalFrames === 'number' && st.totalFrames > frames.length,
      };
    } catch (e) {
      failed++;
      firstError ??= e instanceof Error ? e.message : String(e);
      out[i] = { ...base, frames: [], truncated: false, unreadable: firstError };
    }
  };

  const workers = Array.from({ length: Math.min(concurrency, threads.length) }, async () => {
    while (next < threads.length) {
      if (options.signal?.aborted) throw new Error('cancelled');
      const i = next++;
      await one(i);
      options.onProgress?.(++done, threads.length);
    }
  });
  await Promise.all(workers);
  return {
    goroutines: out as DebuggerGoroutine[],
    listed: threads.length,
    // Delve appends the selected goroutine past the cap, so the capped list is 1024 or 1025 long.
    capped: threads.length >= DELVE_MAX_GOROUTINES,
    failed,
    firstError,
  };
}
