// pprof's top table: flat, flat%, sum%, cum, cum% per function, sortable, filtered by the
// search box; in a diff, the changes and both sides. Rows are virtualised.
import { useMemo } from 'react';
import type { DiffTopRow, DiffTopTable } from '../../src/core/pprof/diff';
import { formatPercent } from '../../src/core/format/units';
import type { TopTable } from '../../src/core/pprof/top';
import { VirtualList } from '../common/virtual-list';

export type TopSortKey = 'flat' | 'cum' | 'name';

export interface TopTableProps {
  table: TopTable | DiffTopTable;
  unit: string;
  format(v: number): string;
  matches: ((name: string) => boolean) | undefined;
  sort: { key: TopSortKey; desc: boolean };
  onSort(sort: { key: TopSortKey; desc: boolean }): void;
  selected: string | undefined;
  onSelect(name: string): void;
  onOpen(name: string): void;
  initialScrollTop: number;
  onScroll(top: number): void;
}

const ROW = 22;

function isDiff(t: TopTable | DiffTopTable): t is DiffTopTable {
  return 'scale' in t;
}

function signed(s: string, v: number): string {
  return v > 0 ? `+${s}` : s;
}

export function TopTableView(props: TopTableProps) {
  const { table, sort, format } = props;
  const diff = isDiff(table);
  const { matches } = props;
  const rows = useMemo(() => {
    const all = matches ? table.rows.filter((r) => matches(r.name)) : [...table.rows];
    const dir = sort.desc ? -1 : 1;
    if (sort.key === 'name')
      all.sort((a, b) => dir * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    else if (sort.key === 'cum')
      all.sort((a, b) => dir * (Math.abs(a.cum) - Math.abs(b.cum)) || (a.name < b.name ? -1 : 1));
    else if (!(sort.desc && sort.key === 'flat'))
      all.sort((a, b) => dir * (Math.abs(a.flat) - Math.abs(b.flat)) || (a.name < b.name ? -1 : 1));
    // Otherwise keep pprof's own order (|flat| descending, then name, then |cum|).
    return all;
  }, [table, matches, sort]);
  // sum% is the running total of flat% down the table, as pprof prints it.
  const sums = useMemo(() => {
    const out = new Float64Array(rows.length);
    let acc = 0;
    rows.forEach((r, i) => (out[i] = acc += r.flat));
    return out;
  }, [rows]);
  const selectedIndex = rows.findIndex((r) => r.name === props.selected);
  const header = (key: TopSortKey | undefined, label: string, cls = 'num') => (
    <button
      className={`th ${cls} ${key && sort.key === key ? 'sorted' : ''}`}
      onClick={
        key
          ? () => props.onSort({ key, desc: sort.key === key ? !sort.desc : key !== 'name' })
          : undefined
      }
      aria-sort={key && sort.key === key ? (sort.desc ? 'descending' : 'ascending') : undefined}
    >
      {label}
      {key && sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
    </button>
  );
  const columns = diff ? 'top-row diff' : 'top-row';
  return (
    <div className="top-table" data-testid="top-table" data-rows={rows.length}>
      <div className={`thead ${columns}`}>
        {header('flat', diff ? 'Flat Δ' : 'Flat')}
        {header(undefined, 'Flat%')}
        {header(undefined, 'Sum%')}
        {header('cum', diff ? 'Cum Δ' : 'Cum')}
        {header(undefined, 'Cum%')}
        {diff && header(undefined, 'Base cum')}
        {diff && header(undefined, 'New cum')}
        {header('name', 'Function', 'name')}
      </div>
      <VirtualList
        count={rows.length}
        rowHeight={ROW}
        ariaLabel="Top functions"
        initialScrollTop={props.initialScrollTop}
        onScroll={props.onScroll}
        ensureVisible={selectedIndex}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            const next = Math.max(
              0,
              Math.min(rows.length - 1, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)),
            );
            if (rows[next]) props.onSelect(rows[next].name);
            e.preventDefault();
          } else if (e.key === 'Enter' && selectedIndex >= 0) {
            props.onOpen(rows[selectedIndex].name);
          }
        }}
        renderRow={(i) => {
          const r = rows[i];
          const d = r as DiffTopRow;
          return (
            <div
              className={`trow ${columns} ${i === selectedIndex ? 'selected' : ''} ${diff ? (r.cum > 0 ? 'grew' : r.cum < 0 ? 'shrank' : '') : ''}`}
              onClick={() => props.onSelect(r.name)}
              onDoubleClick={() => props.onOpen(r.name)}
              title={r.name}
            >
              <span className="cell num">
                {diff ? signed(format(r.flat), r.flat) : format(r.flat)}
              </span>
              <span className="cell num">{formatPercent(r.flat, table.total)}</span>
              <span className="cell num">{formatPercent(sums[i], table.total)}</span>
              <span className="cell num">
                {diff ? signed(format(r.cum), r.cum) : format(r.cum)}
              </span>
              <span className="cell num">{formatPercent(r.cum, table.total)}</span>
              {diff && <span className="cell num">{format(d.baseCum)}</span>}
              {diff && <span className="cell num">{format(d.newCum)}</span>}
              <span className="cell name">{r.name}</span>
            </div>
          );
        }}
      />
    </div>
  );
}
