// Shared by the goroutine explorer's UI tests: the worker's goroutine handlers run in-process
// behind the same request interface the tree uses (results structured-cloned, as a worker
// thread would), and helpers to make dumps of a chosen shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ExplorerBackend,
  HeldSnapshot,
  SnapshotSource,
} from '../../../src/views/goroutines/tree-model';
import { goroutineHandlers } from '../../../src/worker/goroutine-handlers';
import type { GoroutineWorkerMethods } from '../../../src/worker/goroutine-protocol';

export const fixtures = join(__dirname, '../../fixtures/goroutines/go1.26.8');
export const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

export interface CountingBackend extends ExplorerBackend {
  calls: string[];
}

export function inProcessBackend(): CountingBackend {
  const calls: string[] = [];
  return {
    calls,
    async request<M extends keyof GoroutineWorkerMethods>(
      method: M,
      params: GoroutineWorkerMethods[M]['params'],
    ) {
      calls.push(method);
      const handler = goroutineHandlers[method] as (p: typeof params) => unknown;
      return structuredClone(
        await handler(structuredClone(params)),
      ) as GoroutineWorkerMethods[M]['result'];
    },
  };
}

/** Loads `text` through the backend and wraps it as the explorer holds snapshots. */
export async function hold(
  backend: ExplorerBackend,
  text: string,
  takenAt = new Date(2026, 10, 21, 10, 41, 3),
  source: SnapshotSource = { kind: 'clipboard' },
): Promise<HeldSnapshot> {
  const read = () => backend.request('loadGoroutineDump', { text });
  const loaded = await read();
  return { handle: loaded.handle, summary: loaded.summary, source, takenAt, reload: read };
}

/**
 * A debug=2 dump with `groups` groups (functions main.f0, main.f1, …) of `perGroup` goroutines
 * each, all parked in `chan receive` and created by main.main.
 */
export function syntheticDump(groups: number, perGroup: number): string {
  const out: string[] = [];
  let id = 10;
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < perGroup; k++) {
      out.push(
        `goroutine ${id++} [chan receive${k % 7 ? `, ${k % 7} minutes` : ''}]:\nmain.f${g}(0x${k.toString(16)})\n\t/src/app/main.go:${100 + g} +0x1d\ncreated by main.main in goroutine 1\n\t/src/app/main.go:20 +0x2f\n`,
      );
    }
  }
  return out.join('\n');
}
