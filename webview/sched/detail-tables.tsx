// The scheduler state at one instant (a scheddetail block): P, M and G tables as the runtime
// printed them, with status numbers named. The G table lists every goroutine (dead ones too:
// the runtime prints allgs), which can be 100k rows, so only the rows in sight are rendered.
import { useMemo } from 'react';
import type { DetailRows } from '../../src/core/schedtrace';
import type { SchedDetailMessage } from '../../src/protocol/sched';
import { VirtualList } from '../common/virtual-list';
import { formatTime, G_STATUS, gStatusName, nil, pStatusName } from './format';
import { formatCount } from '../../src/core/format/units';

const ROW_HEIGHT = 20;

export interface DetailTablesProps {
  detail: SchedDetailMessage;
  gFilter: string;
  onGFilter(text: string): void;
  gScrollTop: number;
  onGScroll(top: number): void;
}

function PTable({ rows }: { rows: DetailRows['ps'] }) {
  const out = [];
  for (let i = 0; i < rows.count; i++) {
    out.push(
      <tr key={i} className={`p-status-${rows.status[i]}`}>
        <td>P{rows.id[i]}</td>
        <td>{pStatusName(rows.status[i])}</td>
        <td className="num">{formatCount(rows.schedtick[i])}</td>
        <td className="num">{formatCount(rows.syscalltick[i])}</td>
        <td className="num">{nil(rows.m[i])}</td>
        <td className="num">{rows.runqsize[i]}</td>
        <td className="num">{rows.gfreecnt[i]}</td>
        <td className="num">{rows.timerslen[i] < 0 ? '' : rows.timerslen[i]}</td>
      </tr>,
    );
  }
  return (
    <table className="grid p-table" data-testid="p-table">
      <thead>
        <tr>
          <th>P</th>
          <th>status</th>
          <th className="num">schedtick</th>
          <th className="num">syscalltick</th>
          <th className="num">m</th>
          <th className="num">runqsize</th>
          <th className="num">gfreecnt</th>
          <th className="num">timerslen</th>
        </tr>
      </thead>
      <tbody>{out}</tbody>
    </table>
  );
}

function MTable({ rows }: { rows: DetailRows['ms'] }) {
  const out = [];
  for (let i = 0; i < rows.count; i++) {
    out.push(
      <tr key={i}>
        <td>M{rows.id[i]}</td>
        <td className="num">{nil(rows.p[i])}</td>
        <td className="num">{nil(rows.curg[i])}</td>
        <td>{rows.spinning[i] ? 'spinning' : ''}</td>
        <td>{rows.blocked[i] ? 'blocked' : ''}</td>
        <td className="num">{nil(rows.lockedg[i])}</td>
        <td className="num">{rows.locks[i]}</td>
        <td className="num">{rows.mallocing[i]}</td>
        <td className="num">{rows.throwing[i]}</td>
        <td>{rows.preemptoff[i]}</td>
        <td className="num">{rows.dying[i]}</td>
      </tr>,
    );
  }
  return (
    <table className="grid m-table" data-testid="m-table">
      <thead>
        <tr>
          <th>M</th>
          <th className="num">p</th>
          <th className="num">curg</th>
          <th>spinning</th>
          <th>blocked</th>
          <th className="num">lockedg</th>
          <th className="num">locks</th>
          <th className="num">mallocing</th>
          <th className="num">throwing</th>
          <th>preemptoff</th>
          <th className="num">dying</th>
        </tr>
      </thead>
      <tbody>{out}</tbody>
    </table>
  );
}

/** Indices of the G rows matching `filter` (status name, wait reason or goid; case-insensitive). */
function filterGs(rows: DetailRows['gs'], filter: string): Int32Array | undefined {
  const f = filter.trim().toLowerCase();
  if (f === '') return undefined;
  const out: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    const text =
      `g${rows.goid[i]} ${gStatusName(rows.status[i])} ${rows.reasons[rows.reason[i]]}`.toLowerCase();
    if (text.includes(f)) out.push(i);
  }
  return Int32Array.from(out);
}

function GTable({
  rows,
  filter,
  onFilter,
  scrollTop,
  onScroll,
}: {
  rows: DetailRows['gs'];
  filter: string;
  onFilter(t: string): void;
  scrollTop: number;
  onScroll(t: number): void;
}) {
  const matches = useMemo(() => filterGs(rows, filter), [rows, filter]);
  const count = matches ? matches.length : rows.count;
  const renderRow = (k: number) => {
    const i = matches ? matches[k] : k;
    const st = rows.status[i];
    const waiting = (st & 0xfff) === 4;
    return (
      <div className={`g-row g-status-${st & 0xfff}`} role="row">
        <span className="c-goid">G{rows.goid[i]}</span>
        <span className="c-status">{gStatusName(st)}</span>
        {/* The runtime leaves a woken G's last reason in place: shown only for waiting Gs. */}
        <span className="c-reason">{waiting ? rows.reasons[rows.reason[i]] : ''}</span>
        <span className="c-m num">{nil(rows.m[i])}</span>
        <span className="c-lockedm num">{nil(rows.lockedm[i])}</span>
      </div>
    );
  };
  return (
    <div className="g-table">
      <div className="g-tools">
        <input
          className="g-filter"
          type="search"
          placeholder="Filter goroutines (status, wait reason, G id)"
          aria-label="Filter goroutines"
          value={filter}
          onChange={(e) => onFilter(e.target.value)}
        />
        <span className="muted">
          {matches
            ? `${formatCount(count)} of ${formatCount(rows.count)}`
            : `${formatCount(rows.count)} goroutines`}
        </span>
      </div>
      <div className="vhead" role="row">
        <span className="c-goid">G</span>
        <span className="c-status">status</span>
        <span className="c-reason">wait reason</span>
        <span className="c-m num">m</span>
        <span className="c-lockedm num">lockedm</span>
      </div>
      <VirtualList
        count={count}
        rowHeight={ROW_HEIGHT}
        renderRow={renderRow}
        initialScrollTop={scrollTop}
        onScroll={onScroll}
        ensureVisible={-1}
        ariaLabel="Goroutines"
        testId="g-table"
      />
    </div>
  );
}

export function DetailTables({
  detail,
  gFilter,
  onGFilter,
  gScrollTop,
  onGScroll,
}: DetailTablesProps) {
  const d = detail.detail;
  const s = detail.snapshot;
  const rows = d?.rows;
  const counts = d?.counts;
  return (
    <section className="detail" data-testid="detail" data-detail-time={d ? d.timeMs : ''}>
      <h2>
        Scheduler at {formatTime(d?.timeMs ?? s?.timeMs ?? detail.requestedMs, 0, true)}
        {s && (
          <span className="muted">
            {' '}
            · gomaxprocs {s.gomaxprocs} · idle Ps {s.idleprocs} · threads {s.threads} · spinning{' '}
            {s.spinningthreads} · idle threads {s.idlethreads} · global run queue {s.runqueue}
          </span>
        )}
      </h2>
      {detail.note && <div className="notice">{detail.note}</div>}
      {d && (
        <div className="detail-flags muted">
          gcwaiting={String(d.gcwaiting)} nmidlelocked={d.nmidlelocked} stopwait={d.stopwait}{' '}
          sysmonwait={String(d.sysmonwait)}
          {d.incomplete && (
            <span className="warning-inline">
              {' '}
              · incomplete block: {d.incompleteReason ?? 'lines missing'}
            </span>
          )}
        </div>
      )}
      {counts && (
        <div className="counts">
          <span>
            Gs by status:{' '}
            {counts.gByStatus
              .map((n, st) => [n, st] as const)
              .filter(([n]) => n > 0)
              .map(([n, st]) => `${G_STATUS[st] ?? st} ${formatCount(n)}`)
              .join(' · ')}
          </span>
          {counts.waitReasons.length > 0 && (
            <span>
              Waiting on:{' '}
              {counts.waitReasons
                .slice(0, 8)
                .map((w) => `${w.reason || '(none)'} ${formatCount(w.count)}`)
                .join(' · ')}
            </span>
          )}
          <span>
            Ms: {counts.ms} · spinning {counts.mSpinning} · blocked {counts.mBlocked} · with a P{' '}
            {counts.mWithP}
          </span>
        </div>
      )}
      {rows && (
        <div className="tables">
          <div className="table-box">
            <h3>Ps ({rows.ps.count})</h3>
            <PTable rows={rows.ps} />
          </div>
          <div className="table-box">
            <h3>Ms ({rows.ms.count})</h3>
            <MTable rows={rows.ms} />
          </div>
          <div className="table-box wide">
            <h3>Gs ({formatCount(rows.gs.count)})</h3>
            <GTable
              rows={rows.gs}
              filter={gFilter}
              onFilter={onGFilter}
              scrollTop={gScrollTop}
              onScroll={onGScroll}
            />
          </div>
        </div>
      )}
    </section>
  );
}
