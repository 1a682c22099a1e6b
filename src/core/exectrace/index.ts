// Public API of the Go execution-trace parser (format v2, Go 1.22+; Go 1.11–1.21 traces converted) and its model.
// See docs/exectrace.md for the design and the runtime subtleties it reproduces.
export { TraceError, type TraceErrorCode } from './errors';
export { TraceReader, type ReaderOptions } from './reader';
export { EventBlock, ARGS_PER_EVENT } from './block';
export { type TraceVersion, RELEASES_BY_VERSION } from './header';
export {
  GenerationTable,
  type StackFrame,
  type ClockSnapshot,
  type ExperimentalBatch,
} from './generation';
export {
  Ev,
  EventKind,
  EVENT_KIND_NAMES,
  GoState,
  GO_STATE_NAMES,
  ProcState,
  PROC_STATE_NAMES,
  SPECS,
  type EventSpec,
} from './spec';
export * from './event-view';
export { formatEvent, absTimeString, type FormatOptions } from './format';
export { goQuote } from './quote';
export * from './model';
export { type GoroutineExecStats, type GoroutineStatsTable, unknownTime } from './summarizer';
export * from './analysis';
