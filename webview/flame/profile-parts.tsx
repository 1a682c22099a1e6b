// The profile view's pieces around the graphs and tables: the pruned-tree notice, the hover
// tooltip and the details bar of the selected frame, and the small helpers they share.
import type { CallTree } from '../../src/core/flame/call-tree';
import { cutUnder } from '../../src/core/flame/view-tree';
import type { ProfileFilter } from '../../src/core/pprof/filter';
import { findByNamePath } from '../../src/core/layout/flame-layout';
import type { ProfileSummary } from '../../src/protocol/flame';
import { formatCount, formatPercent } from '../../src/core/format/units';
import { addToFilter, exactName } from './filter-bar';
import type { TreeData } from './flame-panel';

/** Search text as a case-insensitive regular expression, or a plain substring when it is not one. */
export function searchMatcher(text: string): ((name: string) => boolean) | undefined {
  if (text.trim() === '') return undefined;
  try {
    const re = new RegExp(text, 'i');
    return (name) => re.test(name);
  } catch {
    const lower = text.toLowerCase();
    return (name) => name.toLowerCase().includes(lower);
  }
}

/** Says how small the frames left out of a pruned tree are, relative to the zoomed frame. */
export function PrunedNotice({
  data,
  zoomPath,
  refining,
  inTable,
}: {
  data: TreeData;
  zoomPath: readonly string[];
  refining: boolean;
  inTable?: boolean;
}) {
  const node = findByNamePath(data.tree, zoomPath);
  const cut = cutUnder(data, node);
  if (cut === 0) return null;
  const of = node === 0 ? 'the profile' : data.tree.funcName[data.tree.func[node]];
  return (
    <div className="notice" data-testid="pruned-notice">
      {refining
        ? `Loading the frames under ${of} that are too small to see from the root…`
        : `Frames smaller than ${percent(cut, 1)} of ${of} are left out to keep the view fast.`}
      {inTable && ' Zoom into a frame in the Flame Graph to see the ones under it.'}
    </div>
  );
}

/** A share of a whole in the one percentage rule (src/core/format/units.ts). */
export const percent = formatPercent;

export function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(-2).join('/') : file;
}

/** The heaviest node of `name` (and `file`, when known) in a tree, or -1. */
export function nodeOfFunction(tree: CallTree, fn: { name: string; file?: string }): number {
  let best = -1;
  for (let i = 1; i < tree.nodeCount; i++) {
    const f = tree.func[i];
    if (tree.funcName[f] !== fn.name || (fn.file !== undefined && tree.funcFile[f] !== fn.file))
      continue;
    if (best < 0 || Math.abs(tree.total[i]) > Math.abs(tree.total[best])) best = i;
  }
  return best;
}

export interface Hover {
  tree: CallTree;
  node: number;
  x: number;
  y: number;
  diff?: { base: Float64Array; current: Float64Array };
}

/** What is known of the frame under the pointer. */
export function HoverTooltip({ hover, fmt }: { hover: Hover; fmt: (v: number) => string }) {
  const hoverTree = hover.tree;
  return (
    <div
      className="tooltip"
      style={{
        left: Math.min(hover.x + 14, window.innerWidth - 380),
        top: Math.min(hover.y + 16, window.innerHeight - 140),
      }}
      role="tooltip"
    >
      {hover.node === 0 ? (
        <div className="fn">all</div>
      ) : (
        <>
          <div className="fn">{hoverTree.funcName[hoverTree.func[hover.node]]}</div>
          <div className="file">
            {hoverTree.funcFile[hoverTree.func[hover.node]] || 'no file'}
            {hoverTree.line[hover.node] > 0 ? `:${hoverTree.line[hover.node]}` : ''}
          </div>
        </>
      )}
      {hover.diff ? (
        <div>
          {fmt(hover.diff.base[hover.node])} → {fmt(hover.diff.current[hover.node])} (
          {hover.diff.current[hover.node] - hover.diff.base[hover.node] >= 0 ? '+' : ''}
          {fmt(hover.diff.current[hover.node] - hover.diff.base[hover.node])})
        </div>
      ) : (
        <>
          <div>
            Total: {fmt(hoverTree.total[hover.node])} (
            {percent(hoverTree.total[hover.node], hoverTree.total[0])})
          </div>
          <div>
            Self: {fmt(hoverTree.self[hover.node])} (
            {percent(hoverTree.self[hover.node], hoverTree.total[0])})
          </div>
        </>
      )}
      {hover.node > 0 && (
        <div className="hint">
          Click to zoom · double-click or Ctrl/Cmd+click to open the source
        </div>
      )}
    </div>
  );
}

/** The selected (or hovered) frame: its source, totals and filter actions; else the profile's size. */
export function DetailsBar(props: {
  tree: CallTree | undefined;
  node: number;
  rootTotal: number;
  fmt: (v: number) => string;
  summary: ProfileSummary | undefined;
  filter: ProfileFilter;
  notice: string | undefined;
  openNode(tree: CallTree, node: number): void;
  setFilter(filter: ProfileFilter): void;
  showSandwich(): void;
}) {
  const {
    tree: detailTree,
    node: detailNode,
    rootTotal,
    fmt,
    summary,
    notice,
    openNode,
    setFilter,
  } = props;
  return (
    <div className="details">
      {detailTree && detailNode > 0 ? (
        <>
          <span className="fn">{detailTree.funcName[detailTree.func[detailNode]]}</span>
          {detailTree.funcFile[detailTree.func[detailNode]] && (
            <a
              href="#"
              className="source-link"
              onClick={(e) => (e.preventDefault(), openNode(detailTree, detailNode))}
            >
              {shortFile(detailTree.funcFile[detailTree.func[detailNode]])}
              {detailTree.line[detailNode] > 0 ? `:${detailTree.line[detailNode]}` : ''}
            </a>
          )}
          <span>
            total {fmt(detailTree.total[detailNode])} (
            {percent(detailTree.total[detailNode], rootTotal)}), self{' '}
            {fmt(detailTree.self[detailNode])}
          </span>
          <span className="actions">
            <a
              href="#"
              title="Keep only stacks through this function"
              onClick={(e) => (
                e.preventDefault(),
                setFilter(
                  addToFilter(
                    props.filter,
                    'focus',
                    exactName(detailTree.funcName[detailTree.func[detailNode]]),
                  ),
                )
              )}
            >
              Focus
            </a>
            <a
              href="#"
              title="Drop stacks through this function"
              onClick={(e) => (
                e.preventDefault(),
                setFilter(
                  addToFilter(
                    props.filter,
                    'ignore',
                    exactName(detailTree.funcName[detailTree.func[detailNode]]),
                  ),
                )
              )}
            >
              Ignore
            </a>
            <a
              href="#"
              title="Callers and callees of this function"
              onClick={(e) => (e.preventDefault(), props.showSandwich())}
            >
              Sandwich
            </a>
          </span>
        </>
      ) : (
        <span className="muted">
          {summary ? `${formatCount(summary.sampleCount)} samples · ${summary.kind} profile` : ''}
        </span>
      )}
      {notice && <span className="notice-inline">{notice}</span>}
    </div>
  );
}
