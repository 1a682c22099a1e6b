// A windowed list: fixed row height, only the rows in sight (plus a few) are in the DOM, so
// 100k goroutines scroll like 100. Rows are absolutely positioned inside a spacer as tall as
// the whole list; the scroll handler renders synchronously (flushSync) so a fast scroll never
// paints a blank frame.
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';

/** Rows rendered beyond each edge of the viewport: covers a wheel step without re-rendering first. */
const OVERSCAN = 8;

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Renders row `index` (0-based); the list positions it. */
  renderRow: (index: number) => ReactNode;
  initialScrollTop: number;
  onScroll: (scrollTop: number) => void;
  /** Index to keep in view (the selection); scrolled to when it changes. */
  ensureVisible: number;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>, visibleRows: number) => void;
  ariaLabel: string;
  className?: string;
  /** `data-testid` of the scrolling element, for e2e tests. */
  testId?: string;
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(props.initialScrollTop);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = props.initialScrollTop;
    setTop(el.scrollTop);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
    // Only on mount: later scroll positions come from the user.
    // oxlint-disable-next-line react-hooks/exhaustive-deps -- mount-only, see above
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    const i = props.ensureVisible;
    if (!el || i < 0 || i >= count) return;
    const rowTop = i * rowHeight;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = rowTop + rowHeight - el.clientHeight;
    setTop(el.scrollTop);
  }, [props.ensureVisible, count, rowHeight]);

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className="vrow"
        style={{ top: i * rowHeight, height: rowHeight }}
        data-index={i}
      >
        {props.renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      tabIndex={0}
      role="grid"
      aria-label={props.ariaLabel}
      aria-rowcount={count}
      data-testid={props.testId}
      data-first={first}
      data-last={last}
      onScroll={(e) => {
        const t = e.currentTarget.scrollTop;
        flushSync(() => setTop(t));
        props.onScroll(t);
      }}
      onKeyDown={(e) => props.onKeyDown?.(e, Math.max(1, Math.floor(height / rowHeight)))}
    >
      <div className="vspacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
