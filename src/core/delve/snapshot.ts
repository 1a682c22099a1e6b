// Delve's view of a core (or an attached process) as the goroutine model a dump parser builds,
// so the explorer groups, filters, compares and opens it exactly like a goroutine dump.
//
// Delve reports every frame, the runtime's own included; a traceback at GOTRACEBACK=all hides
// the runtime's unexported functions. The snapshot hides what a traceback hides (see
// `hiddenByTraceback`), so a core and a dump of the same program share group signatures.
import { SnapshotBuilder } from '../goroutines/builder';
import { elideTypeArguments, hiddenByTraceback } from '../goroutines/from-frames';
import {
  GoroutineFlag,
  type DumpHeader,
  type GoroutineSnapshot,
  type SignalInfo,
} from '../goroutines/model';
import type {
  CrashDetails,
  DelveCoreData,
  DelveGoroutine,
  DelveStackframe,
  DelveVariable,
} from './api';
import { signalName } from './signals';
import { waitReasonText } from './wait-reasons';

/** Runtime functions that are only on a stack when the program is dying. */
const DYING = new Set([
  'runtime.fatalpanic',
  'runtime.fatalthrow',
  'runtime.throw',
  'runtime.fatal',
  'runtime.sigpanic',
  'runtime.crash',
  'runtime.dieFromSignal',
  'runtime.abort',
  'runtime.raise',
  'runtime.raiseproc',
]);

/** The state word a traceback prints for a goroutine (`chan receive`, `running`, `syscall`…). */
export function goroutineState(g: DelveGoroutine, goVersion: string): string {
  switch (g.status) {
    case 0:
      return 'idle';
    case 1:
      return 'runnable';
    case 2:
      return 'running';
    case 3:
      return 'syscall';
    case 4:
      return g.waitReason > 0 ? waitReasonText(goVersion, g.waitReason) : 'waiting';
    case 6:
      return 'dead';
    case 8:
      return 'copystack';
    case 9:
      return 'preempted';
    default:
      return `status ${g.status}`;
  }
}

function funcName(f: { function?: { name: string } | null }): string {
  return f.function?.name ?? '?';
}

/** Index in `frames` of the first frame whose function is one of `names`, or -1. */
export function frameIndexOf(
  frames: readonly DelveStackframe[],
  names: ReadonlySet<string> | string,
): number {
  for (let i = 0; i < frames.length; i++) {
    const n = funcName(frames[i]);
    if (typeof names === 'string' ? n === names : names.has(n)) return i;
  }
  return -1;
}

/**
 * The goroutine the program died on: Delve's current goroutine (for a core, the one on the
 * thread the kernel wrote first, which took the fatal signal) when its stack is dying, else the
 * first goroutine running on a thread whose stack is. -1 for a live process's snapshot.
 */
export function findCrashedGoroutine(
  data: Pick<DelveCoreData, 'goroutines' | 'stacks' | 'selectedGoroutine'>,
): number {
  const dying = (i: number) => {
    const s = data.stacks[i];
    return typeof s !== 'string' && frameIndexOf(s, DYING) >= 0;
  };
  const selected = data.goroutines.findIndex((g) => g.id === data.selectedGoroutine);
  if (selected >= 0 && dying(selected)) return selected;
  for (let i = 0; i < data.goroutines.length; i++)
    if (data.goroutines[i].threadID !== 0 && dying(i)) return i;
  return -1;
}

const hex = (n: number) => '0x' + Math.max(0, n).toString(16);

/** The signal to report: Go's record of a fault that became a panic, else the one that killed the process. */
export function crashSignal(crash: CrashDetails | undefined): SignalInfo | undefined {
  if (crash?.signal && crash.signal.number > 0) {
    const s = crash.signal;
    return {
      ...signalName(s.number),
      fields: { code: hex(s.code), addr: hex(s.addr), pc: hex(s.pc) },
    };
  }
  if (crash?.killSignal && crash.killSignal.number > 0) {
    const s = crash.killSignal;
    const fields: Record<string, string> = { code: hex(s.code) };
    // si_addr is the faulting address only for the fault signals.
    if ([4, 7, 8, 11].includes(s.number)) fields.addr = hex(s.addr);
    return { ...signalName(s.number), fields };
  }
  return undefined;
}

/** Wait time in whole minutes as a traceback prints it, from Delve's waitSince and an estimate of "now". */
function waitMinutes(g: DelveGoroutine, now: number): number {
  if (g.status !== 4 || g.waitSince <= 0 || now <= g.waitSince) return 0;
  return Math.floor((now - g.waitSince) / 60e9);
}

export interface CoreSnapshot {
  snapshot: GoroutineSnapshot;
  /** Id of the goroutine the program died on, or null (a snapshot of a live process). */
  crashed: number | null;
  signal: SignalInfo | null;
}

/** Builds the goroutine model from what Delve read (see `DelveCoreData`). Pure. */
export function snapshotFromDelve(data: DelveCoreData): CoreSnapshot {
  const b = new SnapshotBuilder('traceback');
  const crashedRow = findCrashedGoroutine(data);
  let now = data.nanotimeNow;
  for (const g of data.goroutines) if (g.waitSince > now) now = g.waitSince;
  const ids: number[] = [];
  let unreadable = 0;
  for (let row = 0; row < data.goroutines.length; row++) {
    const g = data.goroutines[row];
    const raw = data.stacks[row];
    const frames = typeof raw === 'string' ? [] : raw;
    ids.length = 0;
    const shown = frames.filter(
      (f, i) => !hiddenByTraceback(funcName(f), f.file, i) && funcName(f) !== 'runtime.goexit',
    );
    for (const f of shown.length > 0
      ? shown
      : frames.filter((f) => funcName(f) !== 'runtime.goexit')) {
      const name = funcName(f);
      const func = name === 'runtime.gopanic' ? 'panic' : elideTypeArguments(name);
      const line = f.line > 0 ? f.line : 0;
      ids.push(
        b.frame(`${func}\u0000${f.file}:${line}`, () => ({
          func,
          file: f.file,
          line,
          offset: -1,
          pc: '',
          inlined: false,
        })),
      );
    }
    let flags = 0;
    if (typeof raw === 'string' || g.unreadable) {
      flags |= GoroutineFlag.StackUnavailable;
      unreadable++;
    }
    if (frames.length >= data.depth && !frames[frames.length - 1]?.Bottom)
      flags |= GoroutineFlag.Truncated;
    if (row === crashedRow) flags |= GoroutineFlag.Current;
    // `created by F in goroutine N`: the go statement's function and line (runtime.main and
    // the runtime's own starters have none a traceback would print).
    const go = g.goStatementLoc;
    const goFunc = go?.function?.name;
    const createdBy =
      goFunc && go.file && go.file !== '<autogenerated>' && g.id !== 1
        ? b.frame(`${elideTypeArguments(goFunc)}\u0000${go.file}:${go.line}`, () => ({
            func: elideTypeArguments(goFunc),
            file: go.file,
            line: go.line,
            offset: -1,
            pc: '',
            inlined: false,
          }))
        : -1;
    const labels = g.labels
      ? Object.entries(g.labels).sort((a, c) => (a[0] < c[0] ? -1 : a[0] > c[0] ? 1 : 0))
      : [];
    b.row({
      id: g.id,
      weight: 1,
      state: goroutineState(g, data.goVersion),
      waitMinutes: waitMinutes(g, now),
      flags,
      stack: b.stack(ids, ids.length),
      createdBy,
      parentId: -1,
      labels: b.labels(labels),
      line: 0,
    });
  }
  if (unreadable > 0)
    b.warn(
      'bad-record',
      0,
      `Delve could not read the stacks of ${unreadable} goroutine(s); they are listed without frames`,
    );
  const signal = crashSignal(data.crash);
  if (crashedRow >= 0 || signal) {
    const c = data.crash ?? {};
    const raw = crashedRow >= 0 ? data.stacks[crashedRow] : [];
    const panicking = typeof raw !== 'string' && frameIndexOf(raw, 'runtime.gopanic') >= 0;
    const header: DumpHeader = {
      kind:
        panicking || c.panicValue !== undefined
          ? 'panic'
          : c.fatalError !== undefined
            ? 'fatal'
            : signal
              ? 'signal'
              : 'fatal',
      panics:
        panicking || c.panicValue !== undefined
          ? [{ value: c.panicValue ?? '(value not readable)', recovered: false, repanicked: false }]
          : [],
      fatalError: c.fatalError ?? '',
      signal,
      runtimeMessages:
        c.signal && c.killSignal && c.killSignal.number !== c.signal.number
          ? [
              `the runtime then raised ${signalName(c.killSignal.number).name} to end the process and write the core`,
            ]
          : [],
      runtimeStack: -1,
      testTimeout: undefined,
      currentGoroutine: crashedRow,
      line: 0,
    };
    b.header = header;
  }
  return {
    snapshot: b.finish(),
    crashed: crashedRow >= 0 ? data.goroutines[crashedRow].id : null,
    signal: signal ?? null,
  };
}

/** reflect.Kind numbers Delve uses in api.Variable.kind. */
const KIND = {
  Bool: 1,
  Int: 2,
  Uint: 7,
  Uintptr: 12,
  Float32: 13,
  Complex128: 16,
  Array: 17,
  Chan: 18,
  Func: 19,
  Interface: 20,
  Map: 21,
  Ptr: 22,
  Slice: 23,
  String: 24,
  Struct: 25,
  UnsafePointer: 26,
} as const;

/**
 * One line for a variable, in Go-like syntax as Delve's `print` shows it: `"text"`,
 * `[]int len: 3, cap: 4, [1,2,3]`, `main.T {a: 1, b: "x"}`, `*main.T nil`. Deep values end in
 * `…` where the bounded load stopped; `budget` caps the characters.
 */
export function formatVariable(v: DelveVariable, budget = 400): string {
  let out = '';
  const put = (s: string) => {
    if (out.length < budget) out += s;
  };
  const walk = (x: DelveVariable, top: boolean) => {
    if (out.length >= budget) return;
    if (x.unreadable) return put(`(unreadable ${x.unreadable})`);
    const kids = x.children ?? [];
    switch (x.kind) {
      case KIND.String: {
        const more = x.len > x.value.length ? `…+${x.len - x.value.length} more` : '';
        return put(JSON.stringify(x.value) + more);
      }
      case KIND.Ptr:
        if (x.value === '0' || (x.addr === 0 && kids.length === 0))
          return put(`*${x.type.replace(/^\*/, '')} nil`);
        if (
          kids.length === 1 &&
          kids[0].kind !== 0 &&
          (kids[0].children?.length || kids[0].value || kids[0].kind === KIND.Struct)
        ) {
          put('*');
          return walk(kids[0], false);
        }
        return put(`(${x.type})(0x${Number(x.value || 0).toString(16)})`);
      case KIND.Interface:
        if (kids.length === 0 || (kids[0].kind === 0 && !kids[0].value))
          return put(`${x.type} nil`);
        if (top) put(`${x.type}(`);
        put(`${kids[0].type} `);
        walk(kids[0], false);
        if (top) put(')');
        return;
      case KIND.Struct: {
        put(`${x.type} {`);
        if (kids.length === 0 && x.len > 0) put('…');
        kids.forEach((k, i) => {
          put(`${i ? ', ' : ''}${k.name}: `);
          walk(k, false);
        });
        return put('}');
      }
      case KIND.Array:
      case KIND.Slice: {
        put(`${x.type} len: ${x.len}${x.kind === KIND.Slice ? `, cap: ${x.cap}` : ''}, [`);
        kids.forEach((k, i) => {
          put(i ? ',' : '');
          walk(k, false);
        });
        if (x.len > kids.length) put(`${kids.length ? ',' : ''}…+${x.len - kids.length} more`);
        return put(']');
      }
      case KIND.Map: {
        put(`${x.type} [`);
        for (let i = 0; i + 1 < kids.length; i += 2) {
          put(i ? ', ' : '');
          walk(kids[i], false);
          put(': ');
          walk(kids[i + 1], false);
        }
        const shown = Math.floor(kids.length / 2);
        if (x.len > shown) put(`${shown ? ', ' : ''}…+${x.len - shown} more`);
        return put(']');
      }
      case KIND.Chan:
        return put(
          `${x.type} ${x.value === '0' || !x.addr ? 'nil' : `len: ${x.len}, cap: ${x.cap}`}`,
        );
      case KIND.Func:
        return put(x.value ? x.value : 'nil');
      default:
        return put(x.value !== '' ? x.value : x.type);
    }
  };
  walk(v, true);
  return out.length >= budget ? out.slice(0, budget) + '…' : out;
}

/**
 * The panic value as the runtime would print it, from `runtime.gopanic`'s argument `e`:
 * strings as they are, `runtime.Error`s with the `runtime error: ` prefix their Error adds,
 * other values in Go syntax.
 */
export function panicValueText(e: DelveVariable): string {
  const v = e.kind === 20 ? e.children?.[0] : e;
  if (!v) return formatVariable(e);
  if (v.kind === 24 && v.type === 'runtime.errorString') return `runtime error: ${v.value}`;
  if (v.kind === 24 && (v.type === 'string' || v.type === 'runtime.plainError')) return v.value;
  // *errors.errorString and fmt's wrapError keep their text in a field.
  const fields = v.kind === 22 ? v.children?.[0]?.children : v.children;
  const text = fields?.find((f) => (f.name === 's' || f.name === 'msg') && f.kind === 24);
  if (text) return `${v.type}: ${text.value}`;
  return formatVariable(v);
}
