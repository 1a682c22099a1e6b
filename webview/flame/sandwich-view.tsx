// The sandwich view of one function: who calls it (above, growing upwards towards the roots)
// and what it calls (below), each as a flame graph with the function where the two meet.
import { useMemo } from 'react';
import type { Sandwich } from '../../src/core/flame/sandwich';
import { formatPercent } from '../../src/core/format/units';
import { layoutStarts } from '../../src/core/layout/flame-layout';
import { FlameGraph } from './flame-graph';

export interface SandwichViewProps {
  fn: { name: string; file?: string };
  sandwich: Sandwich;
  format(v: number): string;
  total: number;
  onOpenSource(tree: 'callers' | 'callees', node: number): void;
  onHover(tree: 'callers' | 'callees', node: number, x: number, y: number): void;
  onPick(tree: 'callers' | 'callees', node: number): void;
}

const noop = () => undefined;

export function SandwichView(props: SandwichViewProps) {
  const { sandwich } = props;
  const callersStart = useMemo(() => layoutStarts(sandwich.callers), [sandwich.callers]);
  const calleesStart = useMemo(() => layoutStarts(sandwich.callees), [sandwich.callees]);
  const share = (v: number) => (props.total ? ` (${formatPercent(v, props.total)})` : '');
  return (
    <div className="sandwich" data-testid="sandwich">
      <div className="sandwich-title">
        <span className="fn">{props.fn.name}</span> — self {props.format(sandwich.flat)}
        {share(sandwich.flat)}, total {props.format(sandwich.cum)}
        {share(sandwich.cum)}
      </div>
      <div className="sandwich-half callers">
        <div className="half-label">Callers</div>
        <FlameGraph
          tree={sandwich.callers}
          start={callersStart}
          focus={0}
          matched={undefined}
          selected={-1}
          flipped
          hideRoot
          onFocus={(n) => props.onPick('callers', n)}
          onOpenSource={(n) => props.onOpenSource('callers', n)}
          onHover={(n, x, y) => props.onHover('callers', n, x, y)}
          initialScrollTop={Number.MAX_SAFE_INTEGER}
          onScroll={noop}
          ariaLabel="Callers of the function"
        />
      </div>
      <div className="sandwich-half callees">
        <div className="half-label">Callees</div>
        <FlameGraph
          tree={sandwich.callees}
          start={calleesStart}
          focus={0}
          matched={undefined}
          selected={-1}
          hideRoot
          onFocus={(n) => props.onPick('callees', n)}
          onOpenSource={(n) => props.onOpenSource('callees', n)}
          onHover={(n, x, y) => props.onHover('callees', n, x, y)}
          initialScrollTop={0}
          onScroll={noop}
          ariaLabel="Functions called by the function"
        />
      </div>
    </div>
  );
}
