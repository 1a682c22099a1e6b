// The call tree as an expandable table (total, self and their shares per node), like pprof's
// tree view and the JS profiler's "call tree": the same top-down tree the flame graph draws.
import { useEffect, useMemo, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import { formatPercent } from '../../src/core/format/units';
import { VirtualList } from '../common/virtual-list';

export interface CallTreeTableProps {
  tree: CallTree;
  format(v: number): string;
  /** Per node: 1 when it matches the search (undefined: no search). */
  matched: Uint8Array | undefined;
  selected: number;
  onSelect(node: number): void;
  onOpen(node: number): void;
  /** Diff: per node base and current totals. */
  diff?: { base: Float64Array; current: Float64Array };
}

const ROW = 22;
/** A child taking at least this share of its parent is opened with it, so the hot path shows at once. */
const AUTO_EXPAND_SHARE = 0.5;

function children(tree: CallTree, node: number): number[] {
  const out: number[] = [];
  for (let c = node + 1; c < node + tree.subtreeSize[node]; c += tree.subtreeSize[c]) out.push(c);
  // Heaviest first, as call-tree views list them.
  return out.sort((a, b) => Math.abs(tree.total[b]) - Math.abs(tree.total[a]));
}

/** The root, and down the hot path every child with at least half its parent. */
function initialExpanded(tree: CallTree): Set<number> {
  const open = new Set<number>([0]);
  let node = 0;
  for (;;) {
    const kids = children(tree, node);
    if (
      kids.length === 0 ||
      Math.abs(tree.total[kids[0]]) < Math.abs(tree.total[node]) * AUTO_EXPAND_SHARE
    )
      break;
    node = kids[0];
    open.add(node);
  }
  return open;
}

export function CallTreeTable(props: CallTreeTableProps) {
  const { tree, format } = props;
  const [expanded, setExpanded] = useState(() => initialExpanded(tree));
  useEffect(() => setExpanded(initialExpanded(tree)), [tree]);
  // Opening the path to the selected node, so a selection from another view is visible here.
  useEffect(() => {
    if (props.selected <= 0) return;
    setExpanded((prev) => {
      const next = new Set(prev);
      for (let p = tree.parent[props.selected]; p >= 0; p = tree.parent[p]) next.add(p);
      return next.size === prev.size ? prev : next;
    });
  }, [props.selected, tree]);

  const rows = useMemo(() => {
    const out: number[] = [];
    const walk = (node: number) => {
      out.push(node);
      if (expanded.has(node)) for (const c of children(tree, node)) walk(c);
    };
    walk(0);
    return out;
  }, [tree, expanded]);
  const root = Math.abs(tree.total[0]) || 1;
  const selectedIndex = rows.indexOf(props.selected);
  const toggle = (node: number, open?: boolean) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(node)) next.add(node);
      else next.delete(node);
      return next;
    });

  return (
    <div className="tree-table" data-testid="call-tree" data-rows={rows.length}>
      <div className="thead tree-row">
        <span className="th num">{props.diff ? 'Change' : 'Total'}</span>
        <span className="th num">%</span>
        <span className="th num">Self</span>
        <span className="th num">%</span>
        <span className="th name">Function</span>
      </div>
      <VirtualList
        count={rows.length}
        rowHeight={ROW}
        ariaLabel="Call tree"
        initialScrollTop={0}
        onScroll={() => undefined}
        ensureVisible={selectedIndex}
        onKeyDown={(e) => {
          const node = rows[selectedIndex];
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            const next =
              rows[
                Math.max(
                  0,
                  Math.min(rows.length - 1, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)),
                )
              ];
            if (next !== undefined) props.onSelect(next);
            e.preventDefault();
          } else if (e.key === 'ArrowRight' && node !== undefined) {
            if (!expanded.has(node)) toggle(node, true);
            else if (children(tree, node)[0] !== undefined) props.onSelect(children(tree, node)[0]);
          } else if (e.key === 'ArrowLeft' && node !== undefined) {
            if (expanded.has(node) && node !== 0) toggle(node, false);
            else if (tree.parent[node] >= 0) props.onSelect(tree.parent[node]);
          } else if (e.key === 'Enter' && node > 0) {
            props.onOpen(node);
          }
        }}
        renderRow={(i) => {
          const node = rows[i];
          const hasKids = tree.subtreeSize[node] > 1;
          const name = node === 0 ? 'all' : tree.funcName[tree.func[node]];
          const dim = props.matched !== undefined && node !== 0 && props.matched[node] === 0;
          const change = props.diff ? props.diff.current[node] - props.diff.base[node] : 0;
          return (
            <div
              className={`trow tree-row ${i === selectedIndex ? 'selected' : ''} ${dim ? 'dim' : ''}`}
              onClick={() => props.onSelect(node)}
              onDoubleClick={() => node > 0 && props.onOpen(node)}
              title={name}
            >
              <span className="cell num">
                {props.diff
                  ? `${change > 0 ? '+' : ''}${format(change)}`
                  : format(tree.total[node])}
              </span>
              <span className="cell num">
                {formatPercent(Math.abs(props.diff ? change : tree.total[node]), root)}
              </span>
              <span className="cell num">{format(tree.self[node])}</span>
              <span className="cell num">{formatPercent(Math.abs(tree.self[node]), root)}</span>
              <span className="cell name" style={{ paddingLeft: 8 + tree.depth[node] * 14 }}>
                <span
                  className={`twisty ${hasKids ? (expanded.has(node) ? 'open' : 'closed') : ''}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    if (hasKids) toggle(node);
                  }}
                />
                {name}
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}
