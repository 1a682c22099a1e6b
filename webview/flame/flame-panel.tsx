// One flame graph with its zoom breadcrumb and tooltip: the Flame Graph view (top-down) and the
// Icicle view (bottom-up, leaf functions first) are both this panel.
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { CallTree } from '../../src/core/flame/call-tree';
import { findByNamePath, namePath, pathTo } from '../../src/core/layout/flame-layout';
import { FlameGraph, type FlameGraphHandle } from './flame-graph';

export interface TreeData {
  /** The query the tree answers (sample type, filter, normalize, inverted). */
  key: string;
  tree: CallTree;
  start: Float64Array;
  prunedBelow: number;
  /** The zoomed node the tree was fitted to: what was left out under it is relative to it. */
  focusPath: readonly string[];
  diff?: { base: Float64Array; current: Float64Array; scale: number };
}

export interface FlamePanelProps {
  data: TreeData;
  /** Names from the root to the zoomed node, persisted by the app. */
  focusPath: string[];
  onFocusPath(path: string[]): void;
  matched: Uint8Array | undefined;
  /** The node the app has selected (-1: none). */
  selected: number;
  onSelect(node: number): void;
  onOpenSource(node: number): void;
  onHover(node: number, x: number, y: number): void;
  initialScrollTop: number;
  onScroll(top: number): void;
  handle: { current: FlameGraphHandle | null };
  label: string;
}

export const FlamePanel = memo(function FlamePanel(props: FlamePanelProps) {
  const { data } = props;
  const { tree } = data;
  const focus = useMemo(() => findByNamePath(tree, props.focusPath), [tree, props.focusPath]);
  const [, force] = useState(0);
  useEffect(() => force((n) => n + 1), [tree]);
  const { onFocusPath, onSelect } = props;
  const zoomTo = useCallback(
    (node: number) => {
      onFocusPath(namePath(tree, node));
      onSelect(node === 0 ? -1 : node);
    },
    [tree, onFocusPath, onSelect],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && focus > 0 && document.activeElement?.tagName === 'CANVAS')
        zoomTo(tree.parent[focus]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus, tree, zoomTo]);
  return (
    <>
      <nav className="breadcrumb" aria-label="Zoom path">
        {pathTo(tree, focus).map((n, i, all) => (
          <span key={n}>
            <a
              href="#"
              onClick={(e) => (e.preventDefault(), zoomTo(n))}
              aria-current={i === all.length - 1 ? 'location' : undefined}
            >
              {n === 0 ? 'all' : tree.funcName[tree.func[n]]}
            </a>
            {i < all.length - 1 && <span className="sep"> › </span>}
          </span>
        ))}
      </nav>
      <FlameGraph
        tree={tree}
        start={data.start}
        focus={focus}
        matched={props.matched}
        selected={props.selected}
        onFocus={zoomTo}
        onOpenSource={props.onOpenSource}
        onHover={props.onHover}
        initialScrollTop={props.initialScrollTop}
        onScroll={props.onScroll}
        diff={data.diff}
        handle={props.handle}
        ariaLabel={props.label}
      />
    </>
  );
});
