// The goroutine analysis tab's groups as a small plain structure (`golens trace-analysis --json`):
// the same lane groups (start functions, busiest first) and the same sums (AnalysisReader) the
// parse worker hands the timeline's Goroutine analysis tab.
import type { TraceModel } from '../exectrace/model';
import { AnalysisReader, laneGroups } from './timeline-groups';

/** One start function's goroutines, times in ns summed over them. */
export interface TraceAnalysisGroup {
  /** Start function ("" when no stack was ever seen for these goroutines). */
  function: string;
  count: number;
  /** Running on a P. */
  executionNs: number;
  /** Runnable, waiting for a P (with Go's "syscall lost its P" tail, as `go tool trace` counts it). */
  schedulerWaitNs: number;
  /** Waiting for any reason the runtime gives (channels, select, sync, network, sleep, GC, …). */
  blockedNs: number;
  /** In system calls, holding a P and after losing it ("Block time (syscall)" in Go's table). */
  syscallNs: number;
}

export interface TraceAnalysisSummary {
  /** Goroutines the analysis shows (the sum of the groups' counts). */
  goroutines: number;
  groups: TraceAnalysisGroup[];
}

export function traceAnalysisSummary(model: TraceModel): TraceAnalysisSummary {
  const groups = laneGroups(model);
  const rows = new AnalysisReader(model).groupRows(groups);
  let goroutines = 0;
  const out = rows.map((r, g): TraceAnalysisGroup => {
    goroutines += r.count;
    return {
      function: groups.names[g],
      count: r.count,
      executionNs: r.execTime,
      schedulerWaitNs: r.schedWaitTime,
      blockedNs: r.blocked.reduce((a, b) => a + b, 0),
      syscallNs: r.syscallTime,
    };
  });
  return { goroutines, groups: out };
}
