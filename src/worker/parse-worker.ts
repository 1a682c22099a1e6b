// The parse worker: runs the pure parsers of src/core on a worker thread so a big profile or
// trace never blocks the extension host's event loop.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { buildCallTree, pruneCallTree, type CallTree } from '../core/flame/call-tree';
import { decodeProfile } from '../core/pprof/decode';
import type { Profile } from '../core/pprof/model';
import { gunzip } from '../node/inflate';
import type { LoadedProfile, WorkerMethod, WorkerMethods, WorkerReply, WorkerRequest } from './protocol';

const profiles = new Map<number, Profile>();
let nextHandle = 1;

type Handler<M extends WorkerMethod> = (
  params: WorkerMethods[M]['params'],
  progress: (message: string, fraction?: number) => void,
) => Promise<WorkerMethods[M]['result']> | WorkerMethods[M]['result'];

function totalsOf(p: Profile): number[] {
  const n = p.sampleTypes.length;
  const totals = new Array<number>(n).fill(0);
  const v = p.samples.values;
  for (let s = 0; s < p.samples.count; s++) for (let t = 0; t < n; t++) totals[t] += v[s * n + t];
  return totals;
}

/** Keeps the tree small enough for a webview: raises the cut-off until it fits. */
function treeForView(profile: Profile, sampleType: number, inverted: boolean, maxNodes: number): { tree: CallTree; prunedBelow: number } {
  const full = buildCallTree(profile, { sampleType, inverted });
  if (full.nodeCount <= maxNodes) return { tree: full, prunedBelow: 0 };
  for (let f = 1e-7; f < 1; f *= 4) {
    const pruned = pruneCallTree(full, f);
    if (pruned.nodeCount <= maxNodes) return { tree: pruned, prunedBelow: f };
  }
  return { tree: pruneCallTree(full, 0.25), prunedBelow: 0.25 };
}

const handlers: { [M in WorkerMethod]: Handler<M> } = {
  async loadProfile(params, progress) {
    progress('reading');
    const bytes = params.bytes ?? new Uint8Array(await readFile(params.path ?? ''));
    progress('decoding');
    const profile = decodeProfile(bytes, gunzip);
    const handle = nextHandle++;
    profiles.set(handle, profile);
    const loaded: LoadedProfile = {
      handle,
      sampleTypes: profile.sampleTypes,
      defaultSampleType: profile.defaultSampleType,
      totals: totalsOf(profile),
      sampleCount: profile.samples.count,
      durationNanos: profile.durationNanos,
      timeNanos: profile.timeNanos,
      comments: profile.comments,
    };
    return loaded;
  },
  callTree(params) {
    const profile = profiles.get(params.handle);
    if (!profile) throw new Error(`no loaded profile ${params.handle}`);
    if (params.sampleType >= profile.sampleTypes.length) throw new Error(`sample type ${params.sampleType} out of range`);
    return treeForView(profile, params.sampleType, params.inverted ?? false, params.maxNodes);
  },
  release(params) {
    profiles.delete(params.handle);
  },
};

/** The typed-array buffers inside a result, moved to the host instead of copied. */
function transferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 3 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !out.includes(value.buffer)) out.push(value.buffer);
    return out;
  }
  for (const v of Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

parentPort?.on('message', async (req: WorkerRequest) => {
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(reply, transfer);
  try {
    const handler = handlers[req.method] as Handler<WorkerMethod>;
    if (!handler) throw new Error(`unknown worker method ${String(req.method)}`);
    const result = await handler(req.params, (message, fraction) => post({ id: req.id, kind: 'progress', message, fraction }));
    post({ id: req.id, kind: 'result', result }, transferables(result));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ id: req.id, kind: 'error', name: e.name, message: e.message });
  }
});
