// Reading every goroutine of a core dump (or an attached process) through Delve's JSON-RPC
// API: goroutines page by page (no 1024 cap, unlike Delve's DAP server), each one's stack, the
// threads, and what the crashing goroutine's frames say about the crash. Also a frame's
// arguments and locals, on demand, with a bounded load.
import {
  FRAME_VARIABLES_LOAD,
  type CrashDetails,
  type DelveCoreData,
  type DelveGoroutine,
  type DelveLocation,
  type DelveStackframe,
  type DelveState,
  type DelveThread,
  type DelveVariable,
} from '../../core/delve/api';
import { CoreDumpError, explainDelveOutput } from '../../core/delve/errors';
import { findCrashedGoroutine, frameIndexOf, panicValueText } from '../../core/delve/snapshot';
import { availableParallelism } from 'node:os';
import { checkCoreAndExecutable, type CoreFileInfo } from './files';
import { startDelve, DelveStartError, type DelveProcess } from './process';
import { DelveRpcError, type DelveRpcClient } from './rpc';
import { formatCount } from '../../core/format/units';

/**
 * Frames read per goroutine. The runtime's own traceback prints at most 100 (50 innermost and
 * 50 outermost); deeper stacks are marked truncated.
 */
export const STACK_DEPTH = 100;
/** Goroutines per ListGoroutines page: 100 round trips for 100k goroutines, each answer ~2 MB. */
const PAGE = 1000;
/** Goroutine slots above which more than one Delve reads the core (starting one costs ~0.5 s). */
const PARALLEL_FROM = 4000;

export type Progress = (message: string, fraction?: number) => void;

const SMALL_LOAD = {
  FollowPointers: true,
  MaxVariableRecurse: 1,
  MaxStringLen: 1024,
  MaxArrayValues: 8,
  MaxStructFields: -1,
};

async function evalNumber(
  client: DelveRpcClient,
  goroutine: number,
  frame: number,
  expr: string,
): Promise<number | undefined> {
  try {
    const r = await client.call<{ Variable: DelveVariable }>('Eval', {
      Scope: { GoroutineID: goroutine, Frame: frame },
      Expr: expr,
      Cfg: SMALL_LOAD,
    });
    const v = r.Variable;
    if (v.unreadable) return undefined;
    const raw = v.value !== '' ? v.value : v.children?.find((c) => c.name === 'value')?.value;
    const n = raw !== undefined && raw !== '' ? Number(raw) : NaN;
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

async function evalVariable(
  client: DelveRpcClient,
  goroutine: number,
  frame: number,
  expr: string,
): Promise<DelveVariable | undefined> {
  try {
    return (
      await client.call<{ Variable: DelveVariable }>('Eval', {
        Scope: { GoroutineID: goroutine, Frame: frame },
        Expr: expr,
        Cfg: SMALL_LOAD,
      })
    ).Variable;
  } catch {
    return undefined;
  }
}

async function args(
  client: DelveRpcClient,
  goroutine: number,
  frame: number,
): Promise<DelveVariable[]> {
  try {
    return (
      (
        await client.call<{ Args: DelveVariable[] }>('ListFunctionArgs', {
          Scope: { GoroutineID: goroutine, Frame: frame },
          Cfg: SMALL_LOAD,
        })
      ).Args ?? []
    );
  } catch {
    return [];
  }
}

/** Reads the panic value, fatal error message and Go's signal record from the crashing goroutine's frames. */
async function readCrashDetails(
  client: DelveRpcClient,
  goroutine: number,
  frames: DelveStackframe[],
): Promise<CrashDetails> {
  const out: CrashDetails = {};
  const panicAt = frameIndexOf(frames, 'runtime.gopanic');
  if (panicAt >= 0) {
    // gopanic's argument `e` lives in registers Delve cannot always recover from a core;
    // the same value is in the panic record (`p.arg`, and g._panic.arg).
    let e = (await args(client, goroutine, panicAt)).find((v) => v.name === 'e');
    for (const expr of ['p.arg', 'runtime.curg._panic.arg']) {
      if (e && !e.unreadable) break;
      e = await evalVariable(client, goroutine, panicAt, expr);
    }
    if (e && !e.unreadable) out.panicValue = panicValueText(e);
  }
  const throwAt = frameIndexOf(frames, new Set(['runtime.throw', 'runtime.fatal']));
  if (throwAt >= 0) {
    const s = (await args(client, goroutine, throwAt)).find((v) => v.name === 's');
    if (s && !s.unreadable && s.kind === 24) out.fatalError = s.value;
  }
  if (frameIndexOf(frames, 'runtime.sigpanic') >= 0) {
    // The runtime keeps the fault in the goroutine (g.sig, g.sigcode0/1, g.sigpc) for sigpanic.
    const sig = await evalNumber(client, goroutine, 0, 'runtime.curg.sig');
    if (sig) {
      out.signal = {
        number: sig,
        code: (await evalNumber(client, goroutine, 0, 'runtime.curg.sigcode0')) ?? 0,
        addr: (await evalNumber(client, goroutine, 0, 'runtime.curg.sigcode1')) ?? 0,
        pc: (await evalNumber(client, goroutine, 0, 'runtime.curg.sigpc')) ?? 0,
      };
    }
  }
  return out;
}

// Delve's answers carry more than the model keeps (PCs, function entry and type fields, the
// frame offsets); only what is kept stays referenced, so 100k goroutines cost tens of MB, not GBs.
function compactLocation(l: DelveLocation | undefined): DelveLocation {
  return {
    pc: l?.pc ?? 0,
    file: l?.file ?? '',
    line: l?.line ?? 0,
    function: l?.function ? { name: l.function.name } : null,
  };
}

function compactGoroutine(g: DelveGoroutine): DelveGoroutine {
  return {
    id: g.id,
    currentLoc: compactLocation(g.currentLoc),
    userCurrentLoc: compactLocation(g.userCurrentLoc),
    goStatementLoc: compactLocation(g.goStatementLoc),
    startLoc: compactLocation(g.startLoc),
    threadID: g.threadID,
    status: g.status,
    waitSince: g.waitSince,
    waitReason: g.waitReason,
    unreadable: g.unreadable,
    labels: g.labels && Object.keys(g.labels).length ? g.labels : null,
  };
}

function compactFrame(f: DelveStackframe): DelveStackframe {
  const out: DelveStackframe = {
    pc: f.pc,
    file: f.file,
    line: f.line,
    function: f.function ? { name: f.function.name } : null,
  };
  if (f.Bottom) out.Bottom = true;
  if (f.Err) out.Err = f.Err;
  return out;
}

/** Goroutines of `allgs[start, end)` (end -1: to the last) and their stacks, read by one Delve. */
async function readRange(
  client: DelveRpcClient,
  start: number,
  end: number,
  listed: (n: number) => void,
  stacked: () => void,
): Promise<{ goroutines: DelveGoroutine[]; stacks: (DelveStackframe[] | string)[] }> {
  const goroutines: DelveGoroutine[] = [];
  for (let at = start; at >= 0 && (end < 0 || at < end);) {
    const count = end < 0 ? PAGE : Math.min(PAGE, end - at);
    const page = await client.call<{ Goroutines: DelveGoroutine[] | null; Nextg: number }>(
      'ListGoroutines',
      { Start: at, Count: count },
    );
    for (const g of page.Goroutines ?? []) goroutines.push(compactGoroutine(g));
    listed(page.Goroutines?.length ?? 0);
    at = page.Nextg > at ? page.Nextg : -1;
  }
  const results = await client.pipeline<DelveGoroutine, { Locations: DelveStackframe[] | null }>(
    'Stacktrace',
    goroutines,
    (g) => ({ Id: g.id, Depth: STACK_DEPTH, Opts: 0 }),
    16,
    stacked,
  );
  return {
    goroutines,
    stacks: results.map((r) =>
      r instanceof DelveRpcError ? r.message : (r.Locations ?? []).map(compactFrame),
    ),
  };
}

/** `runtime.allglen`: how many goroutine slots the runtime has (dead ones included); 0 when unreadable. */
export async function goroutineSlots(client: DelveRpcClient): Promise<number> {
  return (await evalNumber(client, -1, 0, 'runtime.allglen')) ?? 0;
}

/**
 * Reads every goroutine and its stack from a stopped target (a core, or an attached process).
 * `helpers` are more Delves on the same core: each reads a slice of the goroutine table, so a
 * core with 100k goroutines is read by every core of the machine (Delve spends ~0.3 ms of CPU
 * per goroutine listing and unwinding it).
 */
export async function readTarget(
  client: DelveRpcClient,
  progress: Progress = () => undefined,
  helpers: readonly DelveRpcClient[] = [],
): Promise<DelveCoreData> {
  const state = (await client.call<{ State: DelveState }>('State', { NonBlocking: true })).State;
  const threads =
    (await client.call<{ Threads: DelveThread[] | null }>('ListThreads', {})).Threads ?? [];
  let goVersion = '';
  try {
    goVersion = (
      await client.call<{ Variable: DelveVariable }>('Eval', {
        Scope: { GoroutineID: -1, Frame: 0 },
        Expr: 'runtime.buildVersion',
        Cfg: SMALL_LOAD,
      })
    ).Variable.value;
  } catch {
    // An unreadable version only leaves wait reasons as numbers.
  }
  const nanotimeNow = (await evalNumber(client, -1, 0, 'runtime.sched.lastpoll')) ?? 0;
  const slots = helpers.length > 0 ? await goroutineSlots(client) : 0;
  const readers = slots > 0 ? [client, ...helpers] : [client];
  const per = Math.ceil(slots / readers.length);
  let listed = 0;
  let stacked = 0;
  let lastReport = 0;
  const report = () => {
    const now = Date.now();
    if (now - lastReport < 200) return;
    lastReport = now;
    if (stacked === 0) progress(`listed ${formatCount(listed)} goroutines`);
    else
      progress(
        `read ${formatCount(stacked)} of ${formatCount(listed)} stacks`,
        stacked / Math.max(1, listed),
      );
  };
  const parts = await Promise.all(
    readers.map((c, i) =>
      readRange(
        c,
        i * per,
        i === readers.length - 1 ? -1 : (i + 1) * per,
        (n) => {
          listed += n;
          report();
        },
        () => {
          stacked++;
          report();
        },
      ),
    ),
  );
  const goroutines = parts.flatMap((p) => p.goroutines);
  const stacks = parts.flatMap((p) => p.stacks);
  const data: DelveCoreData = {
    goVersion,
    goroutines,
    stacks,
    depth: STACK_DEPTH + 1,
    threads,
    selectedGoroutine: state.currentGoroutine?.id ?? state.currentThread?.goroutineID ?? 0,
    nanotimeNow,
  };
  const crashed = findCrashedGoroutine(data);
  if (crashed >= 0) {
    const s = stacks[crashed];
    if (typeof s !== 'string')
      data.crash = await readCrashDetails(client, goroutines[crashed].id, s);
  }
  return data;
}

/** A frame's arguments and locals, loaded with FRAME_VARIABLES_LOAD. */
export async function frameVariables(
  client: DelveRpcClient,
  goroutine: number,
  frame: number,
): Promise<{ args: DelveVariable[]; locals: DelveVariable[] }> {
  const scope = { GoroutineID: goroutine, Frame: frame };
  const [a, l] = await Promise.all([
    client.call<{ Args: DelveVariable[] | null }>('ListFunctionArgs', {
      Scope: scope,
      Cfg: FRAME_VARIABLES_LOAD,
    }),
    client.call<{ Variables: DelveVariable[] | null }>('ListLocalVars', {
      Scope: scope,
      Cfg: FRAME_VARIABLES_LOAD,
    }),
  ]);
  return { args: a.Args ?? [], locals: l.Variables ?? [] };
}

/** Delve's index of the frame of goroutine `goroutine` at `func` (and `file:line` when several match), or -1. */
export async function delveFrameIndex(
  client: DelveRpcClient,
  goroutine: number,
  frame: { func: string; file: string; line: number },
): Promise<{ index: number; frames: DelveStackframe[] }> {
  const frames =
    (
      await client.call<{ Locations: DelveStackframe[] | null }>('Stacktrace', {
        Id: goroutine,
        Depth: STACK_DEPTH,
        Opts: 0,
      })
    ).Locations ?? [];
  const name = (f: DelveStackframe) =>
    f.function?.name === 'runtime.gopanic'
      ? 'panic'
      : (f.function?.name ?? '').replace(/\[.*\]/, '[...]');
  let index = frames.findIndex(
    (f) => name(f) === frame.func && f.file === frame.file && f.line === frame.line,
  );
  if (index < 0) index = frames.findIndex((f) => name(f) === frame.func);
  return { index, frames };
}

/** An open core: Delve running on it, and what it read. */
export interface OpenedCore {
  delve: DelveProcess;
  data: DelveCoreData;
  core: CoreFileInfo;
}

/** Checks the files, starts `dlv core EXE CORE`, and reads every goroutine. The caller closes `delve`. */
export async function openCore(
  dlv: string,
  executable: string,
  core: string,
  options: { progress?: Progress; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<OpenedCore> {
  const progress = options.progress ?? (() => undefined);
  const checked = await checkCoreAndExecutable(executable, core);
  progress('starting Delve');
  let delve: DelveProcess;
  try {
    delve = await startDelve(dlv, ['core', executable, core], {
      signal: options.signal,
      env: options.env,
    });
  } catch (e) {
    if (e instanceof DelveStartError) {
      if (/was not found/.test(e.message))
        throw new CoreDumpError(
          'delve-missing',
          `Delve (${dlv}) was not found. Install it: go install github.com/go-delve/delve/cmd/dlv@v1.27.2`,
        );
      throw (
        explainDelveOutput(e.output, dlv) ??
        new CoreDumpError(
          'delve-failed',
          `Delve could not open the core: ${lastLines(e.output) || e.message}`,
        )
      );
    }
    throw e;
  }
  const helpers: DelveProcess[] = [];
  try {
    // Big cores are read by one Delve per CPU (up to 4), each a slice of the goroutine table.
    const cpus = Math.min(4, availableParallelism());
    if (cpus > 1 && (await goroutineSlots(delve.client)) > PARALLEL_FROM) {
      progress(`starting ${cpus - 1} more Delve(s) to read in parallel`);
      const started = await Promise.allSettled(
        Array.from({ length: cpus - 1 }, () =>
          startDelve(dlv, ['core', executable, core], { signal: options.signal, env: options.env }),
        ),
      );
      for (const r of started) if (r.status === 'fulfilled') helpers.push(r.value);
    }
    const data = await readTarget(
      delve.client,
      progress,
      helpers.map((h) => h.client),
    );
    const sig = checked.core.notes.signal;
    if (sig.number > 0) data.crash = { ...data.crash, killSignal: sig };
    if (data.goroutines.length === 0) {
      throw new CoreDumpError(
        'not-go',
        `Delve found no goroutines in ${core}: the core is not of a Go program, or of another build of it`,
      );
    }
    return { delve, data, core: checked.core };
  } catch (e) {
    await delve.close();
    if (e instanceof CoreDumpError) throw e;
    throw explainDelveOutput(delve.output(), dlv) ?? e;
  } finally {
    await Promise.all(helpers.map((h) => h.close()));
  }
}

function lastLines(output: string): string {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^API server listening|^WARNING: undefined behavior/.test(l))
    .slice(-3)
    .join(' ');
}
