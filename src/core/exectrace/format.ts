// The text form of parsed events, identical to Go's `trace.Event.String()` as `go tool trace
// -d=parsed` prints it with Go 1.26. Used by `golens trace-events` and by tests that compare us
// with Go byte for byte.

import { ARGS_PER_EVENT, type EventBlock } from './block';
import { intString, uint64String } from './bytes';
import {
  eventStack,
  experimentalInfo,
  logInfo,
  METRIC_NAMES,
  rangeInfo,
  regionInfo,
  stateTransition,
  taskInfo,
} from './event-view';
import type { GenerationTable } from './generation';
import { goQuote } from './quote';
import {
  Ev,
  EVENT_KIND_NAMES,
  EventKind,
  GO_STATE_NAMES,
  KIND_OF_TYPE,
  PROC_STATE_NAMES,
} from './spec';

/** Options of `formatEvent`. */
export interface FormatOptions {
  /**
   * UTC offset in minutes east of Greenwich at a given instant (ms since the epoch), used for the
   * wall clock of Sync events, which Go prints in local time. Defaults to the local zone of the
   * JavaScript runtime (which, like Go, honours the TZ environment variable in Node).
   */
  utcOffsetMinutes?: (epochMs: number) => number;
}

const localOffset = (ms: number): number => {
  const d = new Date(ms);
  const o = d.getTimezoneOffset();
  return Number.isNaN(o) ? 0 : -o;
};

/** Absolute time text: base + relative time, exact even beyond 2^53. */
export function absTimeString(base: number, rel: number): string {
  const t = base + rel;
  if (Number.isSafeInteger(t) && Number.isSafeInteger(base) && Number.isSafeInteger(rel))
    return String(t);
  if (!Number.isFinite(base) || !Number.isFinite(rel)) return String(t);
  return (BigInt(Math.trunc(base)) + BigInt(Math.trunc(rel))).toString();
}

function stackText(table: GenerationTable | null, id: number): string {
  if (!table) return '';
  let s = '';
  for (const f of table.stackFrameIndices(id)) {
    const pc = table.framePc[f];
    const pcHex =
      pc >= 0 && pc <= Number.MAX_SAFE_INTEGER
        ? pc.toString(16)
        : BigInt.asUintN(64, BigInt(Math.trunc(pc))).toString(16);
    s += `\t${table.string(table.frameFunc[f])} @ 0x${pcHex}\n\t\t${table.string(table.frameFile[f])}:${uint64String(table.frameLine[f])}\n`;
  }
  return s;
}

const value = (v: number) => `Value{Uint64(${uint64String(v)})}`;

function resource(kind: 'goroutine' | 'proc' | 'none', id: number): string {
  if (kind === 'none') return 'None';
  return `${kind === 'goroutine' ? 'Goroutine' : 'Proc'}(${intString(id)})`;
}

/**
 * The text of event i, as Go's `Event.String()` (without the newline `fmt.Println` adds).
 * `timeBase` is the reader's `timeBase`.
 */
export function formatEvent(
  b: EventBlock,
  i: number,
  timeBase: number,
  opts: FormatOptions = {},
): string {
  const typ = b.type[i];
  const kind = KIND_OF_TYPE[typ];
  const k = i * ARGS_PER_EVENT;
  const a = b.args;
  const table = b.table;
  let s = `M=${intString(b.m[i])} P=${intString(b.p[i])} G=${intString(b.g[i])} ${EVENT_KIND_NAMES[kind]} Time=${absTimeString(timeBase, b.time[i])}`;
  switch (kind) {
    case EventKind.Metric:
      s += ` Name=${goQuote(METRIC_NAMES[typ])} Value=${value(a[k])}`;
      break;
    case EventKind.Label:
      s += ` Label=${goQuote(table?.string(a[k]) ?? '')} Resource=Goroutine(${intString(b.g[i])})`;
      break;
    case EventKind.RangeBegin:
    case EventKind.RangeActive:
    case EventKind.RangeEnd: {
      const r = rangeInfo(b, i);
      s += ` Name=${goQuote(r.name)} Scope=${resource(r.scope, r.scopeId)}`;
      if (kind === EventKind.RangeEnd) {
        s +=
          typ === Ev.GCSweepEnd
            ? ` Attributes=["bytes swept"=${value(a[k])} "bytes reclaimed"=${value(a[k + 1])}]`
            : ' Attributes=[]';
      }
      break;
    }
    case EventKind.TaskBegin:
    case EventKind.TaskEnd: {
      const t = taskInfo(b, i);
      s += ` ID=${uint64String(t.id)} Parent=${uint64String(t.parent)} Type=${goQuote(t.type)}`;
      break;
    }
    case EventKind.RegionBegin:
    case EventKind.RegionEnd: {
      const r = regionInfo(b, i);
      s += ` Task=${uint64String(r.task)} Type=${goQuote(r.type)}`;
      break;
    }
    case EventKind.Log: {
      const l = logInfo(b, i);
      s += ` Task=${uint64String(l.task)} Category=${goQuote(l.category)} Message=${goQuote(l.message)}`;
      break;
    }
    case EventKind.StateTransition: {
      const st = stateTransition(b, i);
      const names = st.resource === 'goroutine' ? GO_STATE_NAMES : PROC_STATE_NAMES;
      s += ` ${st.resource === 'goroutine' ? 'GoID' : 'ProcID'}=${intString(st.id)} ${names[st.from] ?? 'Bad'}->${names[st.to] ?? 'Bad'}`;
      s += ` Reason=${goQuote(st.reason)}`;
      if (st.stack !== -1) s += '\nTransitionStack=\n' + stackText(table, st.stack);
      break;
    }
    case EventKind.Experimental: {
      const x = experimentalInfo(b, i);
      s += ` Name=${x.name} Args=[${x.args.map((p) => `${p.name}=${value(p.value)}`).join(', ')}]`;
      break;
    }
    case EventKind.Sync: {
      s += ` N=${intString(a[k])}`;
      const c = table?.clock;
      if (c) {
        s += ` Trace=${intString(c.traceNs)} Mono=${c.mono.toString()} Wall=${rfc3339Nano(c.wallSec, c.wallNsec, opts.utcOffsetMinutes ?? localOffset)}`;
      }
      break;
    }
  }
  const stk = eventStack(b, i);
  if (stk !== -1) s += '\nStack=\n' + stackText(table, stk);
  return s;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Go's `time.Unix(sec, nsec).Format(time.RFC3339Nano)` in the given zone. */
export function rfc3339Nano(secU: bigint, nsecU: bigint, offsetAt: (ms: number) => number): string {
  // The wire values are uint64 that Go converts to int64, then normalizes nsec into [0, 1e9).
  let sec = BigInt.asIntN(64, secU);
  let nsec = BigInt.asIntN(64, nsecU);
  if (nsec < 0n || nsec >= 1000000000n) {
    const q = nsec / 1000000000n;
    sec += q;
    nsec -= q * 1000000000n;
    if (nsec < 0n) {
      nsec += 1000000000n;
      sec--;
    }
  }
  const ms = Number(sec) * 1000;
  const off = offsetAt(ms);
  const d = new Date(ms + off * 60000);
  if (Number.isNaN(d.getTime())) return `${sec}s+${nsec}ns`;
  let text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (nsec !== 0n) text += '.' + nsec.toString().padStart(9, '0').replace(/0+$/, '');
  if (off === 0) return text + 'Z';
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${text}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
