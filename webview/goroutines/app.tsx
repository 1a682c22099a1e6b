// The goroutine table: one row per goroutine or per group, sortable by any column, filtered by
// text, with the selected row's stack below it (each frame a link to its source). Talks to the
// host only through src/protocol/goroutines; sort, filter, selection and scroll survive the tab
// being hidden (setState).
import { VscodeOption, VscodeSingleSelect, VscodeTextfield } from '@vscode-elements/react-elements';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  flagNames,
  labelText,
  shortFuncName,
  type GoroutineTableData,
  type TableGroup,
} from '../../src/core/goroutines/explorer';
import type { GoroutineView } from '../../src/core/goroutines/view';
import type {
  GoroutinesMethods,
  GoroutinesPushes,
  TableSource,
} from '../../src/protocol/goroutines';
import type { SourceLocation } from '../../src/protocol/source';
import { connectToHost, loadState, saveState } from '../common/vscode-api';
import {
  defaultDirection,
  frameName,
  goroutineOrder,
  groupOrder,
  groupStates,
  stackName,
  type SortKey,
  type SortSpec,
  type TableMode,
} from './table-model';
import { VirtualList } from '../common/virtual-list';

/** One formatter for all counts: `toLocaleString` builds a new one per call (~0.3 ms each, per cell). */
const NUMBER = new Intl.NumberFormat('en-US');
const num = (n: number) => NUMBER.format(n);

/** Row height in CSS pixels: one line of the UI font with padding, as VS Code's own lists. */
export const ROW_HEIGHT = 22;

interface PersistedState {
  mode: TableMode;
  sort: Record<TableMode, SortSpec>;
  filter: string;
  /** Selected goroutine by id (stable across refreshes), or by snapshot row for records without ids. */
  selectedId: number | null;
  selectedRow: number | null;
  selectedGroup: string | null;
  scrollTop: Record<TableMode, number>;
}

const DEFAULTS: PersistedState = {
  mode: 'groups',
  sort: { goroutines: { key: 'group', dir: 1 }, groups: { key: 'group', dir: 1 } },
  filter: '',
  selectedId: null,
  selectedRow: null,
  selectedGroup: null,
  scrollTop: { goroutines: 0, groups: 0 },
};

interface Loaded {
  version: number;
  source: TableSource;
  data: GoroutineTableData;
}

interface Column {
  key: SortKey;
  title: string;
  width: string;
  numeric?: boolean;
}

const GOROUTINE_COLUMNS: Column[] = [
  { key: 'id', title: 'ID', width: '80px', numeric: true },
  { key: 'state', title: 'State', width: 'minmax(110px, 1fr)' },
  { key: 'wait', title: 'Wait', width: '70px', numeric: true },
  { key: 'top', title: 'Top function', width: 'minmax(160px, 2fr)' },
  { key: 'createdBy', title: 'Created by', width: 'minmax(140px, 1.5fr)' },
  { key: 'labels', title: 'Labels', width: 'minmax(90px, 1fr)' },
  { key: 'count', title: 'Group size', width: '90px', numeric: true },
];

function groupColumns(comparing: boolean): Column[] {
  return [
    { key: 'count', title: 'Count', width: '80px', numeric: true },
    ...(comparing
      ? [{ key: 'change' as const, title: 'Change', width: '90px', numeric: true }]
      : []),
    { key: 'state', title: 'State', width: 'minmax(110px, 1fr)' },
    { key: 'wait', title: 'Wait', width: '80px', numeric: true },
    { key: 'top', title: 'Top function', width: 'minmax(160px, 2fr)' },
    { key: 'createdBy', title: 'Created by', width: 'minmax(140px, 1.5fr)' },
    { key: 'labels', title: 'Labels', width: 'minmax(90px, 1fr)' },
  ];
}

const host = connectToHost<GoroutinesMethods, GoroutinesPushes>();

function waitRange(w: { min: number; max: number }): string {
  if (w.max === 0) return '';
  return w.min === w.max ? `${w.min} min` : `${w.min}–${w.max} min`;
}

function changeCell(g: TableGroup): string {
  const c = g.change;
  if (!c) return '';
  switch (c.kind) {
    case 'new':
      return `new +${c.delta}`;
    case 'grew':
      return `+${c.delta}`;
    case 'shrank':
      return `−${-c.delta}`;
    case 'vanished':
      return 'gone';
    case 'unchanged':
      return '=';
  }
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

interface StackFrame {
  func: string;
  file: string;
  line: number;
  args?: string;
}

function stackOf(d: GoroutineTableData, stack: number): StackFrame[] {
  const out: StackFrame[] = [];
  for (let k = d.stacks.frameStart[stack]; k < d.stacks.frameStart[stack + 1]; k++) {
    const f = d.stacks.frameIndex[k];
    out.push({ func: d.frames.func[f], file: d.frames.file[f], line: d.frames.line[f] });
  }
  return out;
}

function frameOf(d: GoroutineTableData, f: number): StackFrame | undefined {
  return f >= 0
    ? { func: d.frames.func[f], file: d.frames.file[f], line: d.frames.line[f] }
    : undefined;
}

export function App() {
  const [persisted, setPersisted] = useState<PersistedState>(() => {
    const s = loadState<PersistedState>(DEFAULTS);
    // Older or partial saved states: fill what is missing.
    return {
      ...DEFAULTS,
      ...s,
      sort: { ...DEFAULTS.sort, ...s.sort },
      scrollTop: { ...DEFAULTS.scrollTop, ...s.scrollTop },
    };
  });
  const [loaded, setLoaded] = useState<Loaded>();
  const [loading, setLoading] = useState<string | undefined>('Loading goroutines…');
  const [empty, setEmpty] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [detail, setDetail] = useState<{
    version: number;
    row: number;
    goroutine: GoroutineView;
  }>();
  const persistedRef = useRef(persisted);
  persistedRef.current = persisted;
  // Bumped when the host asks to reveal a group, so the list remounts at the right place.
  const [listKey, setListKey] = useState(0);

  // Scroll positions are saved without re-rendering the app: a scroll must only re-render the
  // list's visible rows.
  const scrollRef = useRef(persisted.scrollTop);
  const update = useCallback((patch: Partial<PersistedState>) => {
    setPersisted((prev) => {
      const next = { ...prev, ...patch };
      saveState({ ...next, scrollTop: scrollRef.current });
      return next;
    });
  }, []);
  const saveScroll = useCallback((mode: TableMode, top: number) => {
    scrollRef.current = { ...scrollRef.current, [mode]: top };
    saveState({ ...persistedRef.current, scrollTop: scrollRef.current });
  }, []);

  useEffect(() => {
    const reveal = (signature: string) => {
      update({ mode: 'groups', selectedGroup: signature, filter: '' });
      setListKey((k) => k + 1);
    };
    const showError = (err: unknown) => {
      setError(err instanceof Error ? err.message : String(err));
      setLoading(undefined);
    };
    const offs = [
      host.on('loading', ({ message }) => setLoading(message)),
      host.on('empty', ({ message }) => {
        setEmpty(message);
        setLoaded(undefined);
        setLoading(undefined);
      }),
      host.on('table', (msg) => {
        setLoaded({ version: msg.version, source: msg.source, data: msg.data });
        setEmpty(undefined);
        setError(undefined);
        setLoading(undefined);
        setDetail(undefined);
        if (msg.reveal) reveal(msg.reveal);
      }),
      host.on('reveal', ({ signature }) => reveal(signature)),
    ];
    host.request('ready', {}).catch(showError);
    const off = () => offs.forEach((o) => o());
    return off;
  }, [update]);

  const data = loaded?.data;
  const mode = persisted.mode;
  const sort = persisted.sort[mode];
  const comparing = loaded?.source.comparing ?? false;
  const columns = mode === 'goroutines' ? GOROUTINE_COLUMNS : groupColumns(comparing);
  const template = columns.map((c) => c.width).join(' ');

  const order = useMemo(() => {
    if (!data) return new Uint32Array(0);
    return mode === 'goroutines'
      ? goroutineOrder(data, persisted.filter, sort)
      : groupOrder(data, persisted.filter, sort);
  }, [data, mode, persisted.filter, sort]);

  const selectedIndex = useMemo(() => {
    if (!data) return -1;
    if (mode === 'groups') {
      if (persisted.selectedGroup === null) return -1;
      for (let k = 0; k < order.length; k++)
        if (data.groups[order[k]].signature === persisted.selectedGroup) return k;
      return -1;
    }
    if (persisted.selectedId === null && persisted.selectedRow === null) return -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (
        persisted.selectedId !== null && persisted.selectedId >= 0
          ? data.id[i] === persisted.selectedId
          : data.row[i] === persisted.selectedRow
      )
        return k;
    }
    return -1;
  }, [data, mode, order, persisted.selectedGroup, persisted.selectedId, persisted.selectedRow]);

  const select = useCallback(
    (k: number) => {
      if (!data || k < 0 || k >= order.length) return;
      const i = order[k];
      if (mode === 'groups') update({ selectedGroup: data.groups[i].signature });
      else update({ selectedId: data.id[i], selectedRow: data.row[i] });
    },
    [data, mode, order, update],
  );

  // Ask for the selected goroutine's arguments (the table has its frames already).
  const selectedRow =
    mode === 'goroutines' && data && selectedIndex >= 0 ? data.row[order[selectedIndex]] : -1;
  useEffect(() => {
    if (!loaded || selectedRow < 0) return;
    const { version } = loaded;
    host.request('detail', { version, row: selectedRow }).then(
      (goroutine) => {
        if (goroutine) setDetail({ version, row: selectedRow, goroutine });
      },
      (err) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [loaded, selectedRow]);

  const openLocation = useCallback((f: StackFrame | undefined) => {
    if (!f) return;
    if (!f.file) {
      setNotice(`${f.func} has no source file in this dump.`);
      return;
    }
    const location: SourceLocation = { func: f.func, file: f.file, line: f.line };
    host.request('openSource', { location }).then(
      (r) => setNotice(r.ok ? `Opened ${r.message}` : r.message),
      (err) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);

  const openRow = useCallback(
    (k: number) => {
      if (!data || k < 0 || k >= order.length) return;
      const stack = mode === 'groups' ? data.groups[order[k]].stack : data.stack[order[k]];
      openLocation(frameOf(data, data.stacks.focus[stack]));
    },
    [data, mode, order, openLocation],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, page: number) => {
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    if (e.key in moves) {
      e.preventDefault();
      const from = selectedIndex < 0 ? -1 : selectedIndex;
      select(Math.max(0, Math.min(order.length - 1, from + moves[e.key])));
    } else if (e.key === 'Enter') {
      openRow(selectedIndex);
    }
  };

  const sortBy = (key: SortKey) => {
    const cur = persisted.sort[mode];
    const next: SortSpec =
      cur.key === key ? { key, dir: cur.dir === 1 ? -1 : 1 } : { key, dir: defaultDirection(key) };
    update({ sort: { ...persisted.sort, [mode]: next } });
  };

  const renderCell = (c: Column, i: number): string => {
    if (!data) return '';
    if (mode === 'groups') {
      const g = data.groups[i];
      switch (c.key) {
        case 'count':
          return num(g.count);
        case 'change':
          return changeCell(g);
        case 'state':
          return groupStates(g);
        case 'wait':
          return waitRange(g.waitMinutes);
        case 'top':
          return stackName(data, g.stack);
        case 'createdBy':
          return frameName(data, g.createdBy);
        case 'labels':
          return g.labels;
        default:
          return '';
      }
    }
    switch (c.key) {
      case 'id':
        return data.id[i] >= 0 ? String(data.id[i]) : data.count[i] > 1 ? `×${data.count[i]}` : '—';
      case 'state':
        return data.states[data.state[i]];
      case 'wait':
        return data.waitMinutes[i] > 0 ? `${data.waitMinutes[i]} min` : '';
      case 'top':
        return stackName(data, data.stack[i]);
      case 'createdBy':
        return frameName(data, data.createdBy[i]);
      case 'labels':
        return data.labels[i] >= 0 ? data.labelTexts[data.labels[i]] : '';
      case 'count':
        return num(data.groups[data.group[i]].count);
      default:
        return '';
    }
  };

  const renderRow = (k: number) => {
    const i = order[k];
    const g = data && mode === 'groups' ? data.groups[i] : undefined;
    const changeClass = g?.change ? ` change-${g.change.kind}` : '';
    return (
      <div
        className={`trow${k === selectedIndex ? ' selected' : ''}${changeClass}`}
        style={{ gridTemplateColumns: template }}
        role="row"
        aria-selected={k === selectedIndex}
        onClick={() => select(k)}
        onDoubleClick={() => openRow(k)}
      >
        {columns.map((c) => {
          const text = renderCell(c, i);
          return (
            <span
              key={c.key}
              className={`cell c-${c.key}${c.numeric ? ' num' : ''}`}
              role="gridcell"
              title={text}
            >
              {text}
            </span>
          );
        })}
      </div>
    );
  };

  const total = data ? data.rowCount : 0;
  const goroutineCount = data ? data.groups.reduce((n, g) => n + g.count, 0) : 0;
  const shown = order.length;

  return (
    <div className="view-root goroutines-root">
      <div className="toolbar">
        <span className="title" title={loaded?.source.title}>
          {loaded?.source.title ?? 'Goroutines'}
        </span>
        <VscodeSingleSelect
          className="mode"
          aria-label="Rows"
          value={mode}
          onChange={(e) =>
            update({
              mode:
                (e.target as HTMLSelectElement).value === 'goroutines' ? 'goroutines' : 'groups',
            })
          }
        >
          <VscodeOption value="groups">One row per group</VscodeOption>
          <VscodeOption value="goroutines">One row per goroutine</VscodeOption>
        </VscodeSingleSelect>
        <VscodeTextfield
          className="filter"
          placeholder="Filter: function, file, state, label, #id"
          aria-label="Filter goroutines"
          value={persisted.filter}
          onInput={(e) => update({ filter: (e.target as HTMLInputElement).value })}
        />
        <span className="counts" data-testid="counts">
          {data
            ? mode === 'groups'
              ? `${num(shown)} of ${num(data.groups.length)} groups · ${num(goroutineCount)} goroutines`
              : `${num(shown)} of ${num(total)} goroutines`
            : ''}
        </span>
      </div>
      {loaded && <div className="subtitle">{loaded.source.detail}</div>}
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {empty && <div className="empty">{empty}</div>}
      {loading && !error && !empty && <div className="loading">{loading}</div>}
      {data && !empty && (
        <>
          <div className="thead" style={{ gridTemplateColumns: template }} role="row">
            {columns.map((c) => (
              <button
                key={c.key}
                className={`th c-${c.key}${c.numeric ? ' num' : ''}${sort.key === c.key ? ' sorted' : ''}`}
                role="columnheader"
                aria-sort={
                  sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'
                }
                onClick={() => sortBy(c.key)}
                title={`Sort by ${c.title.toLowerCase()}`}
              >
                {c.title}
                {sort.key === c.key && (
                  <span className={`codicon codicon-arrow-${sort.dir === 1 ? 'up' : 'down'}`} />
                )}
              </button>
            ))}
          </div>
          {order.length === 0 ? (
            <div className="empty">
              No {mode === 'groups' ? 'group' : 'goroutine'} matches the filter “{persisted.filter}
              ”.{' '}
              <a href="#" onClick={(e) => (e.preventDefault(), update({ filter: '' }))}>
                Clear the filter
              </a>
            </div>
          ) : (
            <VirtualList
              key={`${mode}:${listKey}`}
              count={order.length}
              rowHeight={ROW_HEIGHT}
              renderRow={renderRow}
              initialScrollTop={scrollRef.current[mode]}
              onScroll={(t) => saveScroll(mode, t)}
              ensureVisible={selectedIndex}
              onKeyDown={onKeyDown}
              ariaLabel={mode === 'groups' ? 'Goroutine groups' : 'Goroutines'}
              className={mode}
            />
          )}
          <Details
            data={data}
            mode={mode}
            index={selectedIndex >= 0 ? order[selectedIndex] : -1}
            detail={
              detail && detail.version === loaded?.version && detail.row === selectedRow
                ? detail.goroutine
                : undefined
            }
            onOpen={openLocation}
          />
        </>
      )}
      {notice && <div className="notice-line">{notice}</div>}
    </div>
  );
}

interface DetailsProps {
  data: GoroutineTableData;
  mode: TableMode;
  /** Index into the table's rows (goroutines mode) or groups; -1 for none. */
  index: number;
  /** The selected goroutine with arguments, once the host answered. */
  detail: GoroutineView | undefined;
  onOpen: (f: StackFrame | undefined) => void;
}

/** Memoised: the list re-renders on scroll, the stack below it only when the selection changes. */
const Details = memo(function Details({ data, mode, index, detail, onOpen }: DetailsProps) {
  if (index < 0)
    return (
      <div className="details muted">
        Select a row to see its stack. Double-click or Enter opens the top frame's source.
      </div>
    );
  let heading: string;
  let frames: StackFrame[];
  let createdBy: StackFrame | undefined;
  let extra = '';
  if (mode === 'groups') {
    const g = data.groups[index];
    heading = `${num(g.count)} goroutine${g.count === 1 ? '' : 's'}${groupStates(g) ? ` · ${g.states.map((s) => `${s.state || 'state unknown'} (${s.count})`).join(', ')}` : ''}${waitRange(g.waitMinutes) ? ` · waiting ${waitRange(g.waitMinutes)}` : ''}`;
    frames = stackOf(data, g.stack);
    createdBy = frameOf(data, g.createdBy);
    const ids: number[] = [];
    for (let i = 0; i < data.rowCount && ids.length < 50; i++)
      if (data.group[i] === index && data.id[i] >= 0) ids.push(data.id[i]);
    extra = [
      g.labels ? `labels ${g.labels}` : '',
      ids.length
        ? `goroutine${ids.length > 1 ? 's' : ''} ${ids.join(', ')}${g.count > ids.length && ids.length === 50 ? ', …' : ''}`
        : '',
      g.flags.join(', '),
    ]
      .filter((x) => x)
      .join(' · ');
  } else {
    const id = data.id[index];
    const state = data.states[data.state[index]];
    const wait = data.waitMinutes[index];
    heading = `${id >= 0 ? `goroutine ${id}` : `${data.count[index]} goroutines (one record)`}${state ? ` · ${state}` : ''}${wait ? ` · ${wait} min` : ''}`;
    frames = stackOf(data, data.stack[index]);
    if (detail && detail.frames.length === frames.length)
      frames = frames.map((f, k) => ({ ...f, args: detail.frames[k].args }));
    createdBy = frameOf(data, data.createdBy[index]);
    const labels = data.labels[index] >= 0 ? data.labelTexts[data.labels[index]] : '';
    const flags = flagNames(data.flags[index]);
    extra = [
      labels
        ? `labels ${labels}`
        : detail && Object.keys(detail.labels).length
          ? `labels ${labelText(detail.labels)}`
          : '',
      detail?.createdBy?.goroutine != null
        ? `created by goroutine ${detail.createdBy.goroutine}`
        : '',
      flags.join(', '),
    ]
      .filter((x) => x)
      .join(' · ');
  }
  return (
    <div className="details" aria-label="Stack of the selected row">
      <div className="details-heading">{heading}</div>
      {extra && <div className="muted details-extra">{extra}</div>}
      <ol className="frames">
        {frames.map((f, k) => (
          <li key={k}>
            <a
              href="#"
              className="frame-link"
              title={`${f.file}:${f.line}`}
              onClick={(e) => (e.preventDefault(), onOpen(f))}
            >
              <span className="fn">{shortFuncName(f.func)}</span>
              {f.args !== undefined && <span className="args">({f.args})</span>}
              <span className="loc">
                {f.file ? `${baseName(f.file)}${f.line ? `:${f.line}` : ''}` : 'no source'}
              </span>
            </a>
          </li>
        ))}
        {createdBy && (
          <li className="created-by">
            <a
              href="#"
              className="frame-link"
              title={`${createdBy.file}:${createdBy.line}`}
              onClick={(e) => (e.preventDefault(), onOpen(createdBy))}
            >
              <span className="fn">created by {shortFuncName(createdBy.func)}</span>
              <span className="loc">
                {baseName(createdBy.file)}:{createdBy.line}
              </span>
            </a>
          </li>
        )}
      </ol>
    </div>
  );
});
