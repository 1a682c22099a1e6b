// golens trace-analysis FILE [--json] [--timings]: the goroutine analysis of an execution trace,
// as the timeline's Goroutine analysis tab shows it (goroutines grouped by start function, busiest
// first), built through the same model, groups and sums the parse worker uses for that tab. For
// scripts and CI, and an easy way to measure the model's time and memory (--timings, on stderr).
import { CliError, parseArgs, writeLines, type CliCommand } from './command';
import { buildModel } from '../core/exectrace';
import { openTraceFile } from '../node/trace-file';
import { formatDuration } from '../core/format/units';
import { traceAnalysisSummary } from '../core/layout/trace-analysis-summary';

export const traceAnalysisCommand: CliCommand = {
  summary:
    'goroutine analysis of an execution trace (per start function), as the timeline shows it',
  usage: 'usage: golens trace-analysis FILE [--json] [--timings]',
  async run(args: string[]): Promise<number> {
    const parsed = parseArgs(args, [], ['json', 'timings']);
    if (parsed.positional.length !== 1) throw new CliError(traceAnalysisCommand.usage);
    const file = parsed.positional[0];
    const t0 = performance.now();
    // Read on demand, a window at a time, as the parse worker reads it: the memory --timings
    // reports is the timeline's.
    let trace: ReturnType<typeof openTraceFile>;
    try {
      trace = openTraceFile(file);
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const t1 = performance.now();
    let model;
    try {
      model = buildModel(trace.source);
    } finally {
      trace.close();
    }
    const t2 = performance.now();
    const summary = traceAnalysisSummary(model);
    const t3 = performance.now();
    if (parsed.flags.has('json')) {
      await writeLines([JSON.stringify(summary)]);
    } else {
      const cols = ['Goroutines', 'Execution', 'Sched wait', 'Blocked', 'Syscall'];
      const lines = [
        `${summary.goroutines} goroutines in ${summary.groups.length} groups by start function`,
        '',
        cols.map((c) => c.padStart(12)).join('') + '  Start function',
      ];
      for (const g of summary.groups) {
        const cells = [
          String(g.count),
          ...[g.executionNs, g.schedulerWaitNs, g.blockedNs, g.syscallNs].map((v) =>
            v === 0 ? '·' : formatDuration(v),
          ),
        ];
        lines.push(
          cells.map((c) => c.padStart(12)).join('') + '  ' + (g.function || '(no stack seen)'),
        );
      }
      await writeLines(lines);
    }
    if (parsed.flags.has('timings')) {
      const ms = (a: number, b: number) => Math.round(b - a);
      const timings = {
        fileBytes: trace.source.size,
        events: model.eventCount,
        spans: model.spans.count,
        readMs: ms(t0, t1),
        modelMs: ms(t1, t2),
        analysisMs: ms(t2, t3),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      };
      process.stderr.write(JSON.stringify(timings) + '\n');
    }
    // What parsed is shown; then the reason the rest is missing (main prints it, exit code 1).
    if (model.error)
      throw new CliError(
        `${model.error.message} (the analysis above covers the trace up to that point)`,
      );
    return 0;
  },
};
