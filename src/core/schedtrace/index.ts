// Public API of the GODEBUG schedtrace/scheddetail/gctrace/scavtrace parsers and model.
export * from './types';
export {
  parseTraceLine,
  parseSchedLine,
  parsePLine,
  parseMLine,
  parseGLine,
  parseGcLine,
  parseGcLine15,
  parseLegacyLine,
  parseScavLine,
  looksLikeTraceLine,
  hasKnownFreeText,
  KNOWN_WAIT_REASONS,
  KNOWN_PREEMPTOFF,
  TRACE_LINE_STARTS,
} from './line';
export type { TraceLine } from './line';
export { SchedTraceStream, parseSchedTraceLog, collectEvents, detachString } from './stream';
export type { SchedTraceStreamOptions, SchedTraceStats, SchedTraceLog } from './stream';
export { SchedModel, detailRecords } from './model-queries';
export { NO_TICK, P_STATUS_SLOTS, G_STATUS_SLOTS } from './model-types';
export type {
  SchedModelOptions,
  DetailRows,
  DetailCounts,
  DetailView,
  GcCycleView,
  ScavView,
  SummaryField,
  DetailField,
  GcNumericField,
  ScavNumericField,
  SeriesField,
  DecimatedSeries,
  PMatrix,
  DownsamplingInfo,
} from './model-types';
export type { Column } from './table';
export { HeatmapPyramid } from './heatmap-pyramid';
