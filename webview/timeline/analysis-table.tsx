// The goroutine analysis table: one row per start function (the same groups as the timeline's
// goroutine lanes), expandable into its goroutines a page at a time (sorted in the worker: a
// group can hold 600K goroutines), every column sortable. A row's buttons reveal its lanes on
// the timeline or open the CPU flame graph of its goroutines.
import { useMemo } from 'react';
import { BLOCK_CATEGORIES } from '../../src/core/exectrace/analysis';
import { formatCount, formatDuration, formatPercent } from '../../src/core/format/units';
import { columnValue, type AnalysisColumn } from '../../src/core/layout/timeline-groups';
import type { AnalysisRow } from '../../src/protocol/timeline';

export interface GroupPage {
  rows: AnalysisRow[];
  total: number;
  loading: boolean;
}

const CATEGORY_TITLE: Record<string, string> = {
  chan: 'chan',
  select: 'select',
  sync: 'sync',
  io: 'I/O',
  sleep: 'sleep',
  gc: 'GC wait',
  other: 'other',
};

const COLUMNS: { key: AnalysisColumn; title: string; hint: string }[] = [
  { key: 'count', title: 'Goroutines', hint: 'Number of goroutines' },
  { key: 'totalTime', title: 'Total', hint: 'Time the goroutines existed in the trace' },
  { key: 'execTime', title: 'Execution', hint: 'Running on a P' },
  { key: 'schedWaitTime', title: 'Sched wait', hint: 'Runnable, waiting for a P' },
  { key: 'syscallTime', title: 'Syscall', hint: 'In system calls (holding a P or not)' },
  ...BLOCK_CATEGORIES.map((c) => ({
    key: `blocked.${c}` as AnalysisColumn,
    title: `Blocked: ${CATEGORY_TITLE[c]}`,
    hint: `Waiting (${c === 'io' ? 'network I/O' : c === 'gc' ? 'on the GC' : c})`,
  })),
  {
    key: 'gcAssistTime',
    title: 'GC assist',
    hint: 'Helping the GC mark (allocating during a cycle)',
  },
  { key: 'gcSweepTime', title: 'GC sweep', hint: 'Sweeping spans for the GC' },
  { key: 'stwTime', title: 'STW', hint: 'Stopped by stop-the-world pauses' },
];

export interface AnalysisTableProps {
  groups: AnalysisRow[] | undefined;
  pages: ReadonlyMap<number, GroupPage>;
  sort: { column: AnalysisColumn; descending: boolean };
  onSort(column: AnalysisColumn): void;
  onToggle(group: number): void;
  onMore(group: number): void;
  onReveal(group: number, member?: number): void;
  onFlame(group: number, goroutine?: number): void;
  hasCpuSamples: boolean;
}

function cell(row: AnalysisRow, c: AnalysisColumn): string {
  const v = columnValue(row, c);
  if (c === 'count') return formatCount(v);
  return v === 0 ? '·' : formatDuration(v);
}

export function AnalysisTable(props: AnalysisTableProps) {
  const { groups, sort } = props;
  const sorted = useMemo(() => {
    if (!groups) return [];
    const sign = sort.descending ? -1 : 1;
    return [...groups].sort(
      (a, b) =>
        sign * (columnValue(a, sort.column) - columnValue(b, sort.column)) || a.group - b.group,
    );
  }, [groups, sort.column, sort.descending]);
  if (!groups) return <div className="loading">Computing the goroutine analysis…</div>;
  const totalExec = groups.reduce((s, g) => s + g.execTime, 0);
  return (
    <div className="analysis" data-testid="analysis-table">
      <table>
        <thead>
          <tr>
            <th className="name">Start function / goroutine</th>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                title={c.hint}
                className={sort.column === c.key ? 'sorted' : ''}
                onClick={() => props.onSort(c.key)}
                aria-sort={
                  sort.column === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'
                }
              >
                {c.title}
                {sort.column === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
            <th className="actions" />
          </tr>
        </thead>
        <tbody>
          {sorted.map((g) => {
            const page = props.pages.get(g.group);
            const open = !!page;
            return [
              <tr
                key={`g${g.group}`}
                className="group-row"
                data-group={g.group}
                onClick={() => props.onToggle(g.group)}
              >
                <td className="name" title={g.name}>
                  <span className="twisty">{open ? '▾' : '▸'}</span>
                  {g.name || '(no stack seen)'}
                  <span className="share" title="Share of all execution time">
                    {totalExec > 0 ? ` ${formatPercent(g.execTime, totalExec)}` : ''}
                  </span>
                </td>
                {COLUMNS.map((c) => (
                  <td key={c.key} className="num">
                    {cell(g, c.key)}
                  </td>
                ))}
                <td className="actions">
                  <button
                    className="icon-button"
                    title="Show these goroutines on the timeline"
                    onClick={(e) => (e.stopPropagation(), props.onReveal(g.group))}
                  >
                    <span className="codicon codicon-graph-left" />
                  </button>
                  <button
                    className="icon-button"
                    title={
                      props.hasCpuSamples
                        ? 'CPU flame graph of these goroutines (whole trace)'
                        : 'The trace has no CPU samples'
                    }
                    disabled={!props.hasCpuSamples}
                    onClick={(e) => (e.stopPropagation(), props.onFlame(g.group))}
                  >
                    <span className="codicon codicon-flame" />
                  </button>
                </td>
              </tr>,
              ...(page
                ? [
                    ...page.rows.map((r) => (
                      <tr
                        key={`g${g.group}-${r.goroutine!.index}`}
                        className="goroutine-row"
                        data-goroutine={r.goroutine!.id}
                        onClick={() => props.onReveal(g.group, r.goroutine!.member)}
                        title="Show this goroutine on the timeline"
                      >
                        <td className="name">G{r.goroutine!.id}</td>
                        {COLUMNS.map((c) => (
                          <td key={c.key} className="num">
                            {c.key === 'count' ? '' : cell(r, c.key)}
                          </td>
                        ))}
                        <td className="actions">
                          <button
                            className="icon-button"
                            title={
                              props.hasCpuSamples
                                ? 'CPU flame graph of this goroutine (whole trace)'
                                : 'The trace has no CPU samples'
                            }
                            disabled={!props.hasCpuSamples}
                            onClick={(e) => (
                              e.stopPropagation(),
                              props.onFlame(g.group, r.goroutine!.index)
                            )}
                          >
                            <span className="codicon codicon-flame" />
                          </button>
                        </td>
                      </tr>
                    )),
                    <tr key={`g${g.group}-more`} className="more-row">
                      <td colSpan={COLUMNS.length + 2}>
                        {page.loading ? (
                          'Loading…'
                        ) : page.rows.length < page.total ? (
                          <button className="link-button" onClick={() => props.onMore(g.group)}>
                            Show more ({formatCount(page.rows.length)} of {formatCount(page.total)})
                          </button>
                        ) : (
                          <span className="muted">{formatCount(page.total)} goroutines</span>
                        )}
                      </td>
                    </tr>,
                  ]
                : []),
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
