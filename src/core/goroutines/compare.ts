// The leak view: which groups grew, shrank, appeared or vanished between two snapshots of the
// same program. Groups are matched by signature (see `GoroutineGroup.signature`), so exact
// matching needs the same build (line numbers); use `similarity: 'relaxed'` across rebuilds.
// Compare snapshots of the same format: debug=1/0 stacks start at different frames than
// tracebacks (they keep runtime.gopark and friends, tracebacks hide them).
import { groupGoroutines, type GoroutineGroup, type GroupOptions } from './group';
import type { GoroutineSnapshot } from './model';

/** How a group's size changed from the previous snapshot to the current one. */
export type GroupChangeKind = 'new' | 'grew' | 'shrank' | 'vanished' | 'unchanged';

/** One group (matched by signature) in the comparison. */
export interface GroupChange {
  kind: GroupChangeKind;
  signature: string;
  /** Goroutines in the group before and after (0 when absent), and after − before. */
  before: number;
  after: number;
  delta: number;
  /** The group in each snapshot's grouping; undefined where absent. Indexes refer to that snapshot. */
  previous: GoroutineGroup | undefined;
  current: GoroutineGroup | undefined;
}

/** The result of `compareSnapshots`. */
export interface SnapshotComparison {
  /** Growth first (new and grew, largest increase first), then shrank and vanished (largest decrease first), then unchanged (largest first). */
  changes: GroupChange[];
  totalBefore: number;
  totalAfter: number;
}

const ORDER: Record<GroupChangeKind, number> = {
  new: 0,
  grew: 0,
  shrank: 1,
  vanished: 1,
  unchanged: 2,
};

/** Compares the groups of `previous` and `current` (grouped with the same options). */
export function compareSnapshots(
  previous: GoroutineSnapshot,
  current: GoroutineSnapshot,
  options: GroupOptions = {},
): SnapshotComparison {
  const before = groupGoroutines(previous, options);
  const after = groupGoroutines(current, options);
  const prevBySig = new Map<string, GoroutineGroup>();
  for (const g of before.groups) prevBySig.set(g.signature, g);
  const changes: GroupChange[] = [];
  let totalBefore = 0;
  let totalAfter = 0;
  for (const g of after.groups) {
    totalAfter += g.count;
    const p = prevBySig.get(g.signature);
    prevBySig.delete(g.signature);
    const b = p?.count ?? 0;
    const kind: GroupChangeKind = !p
      ? 'new'
      : g.count > b
        ? 'grew'
        : g.count < b
          ? 'shrank'
          : 'unchanged';
    changes.push({
      kind,
      signature: g.signature,
      before: b,
      after: g.count,
      delta: g.count - b,
      previous: p,
      current: g,
    });
  }
  for (const g of before.groups) totalBefore += g.count;
  for (const p of prevBySig.values()) {
    changes.push({
      kind: 'vanished',
      signature: p.signature,
      before: p.count,
      after: 0,
      delta: -p.count,
      previous: p,
      current: undefined,
    });
  }
  changes.sort(
    (x, y) =>
      ORDER[x.kind] - ORDER[y.kind] ||
      Math.abs(y.delta) - Math.abs(x.delta) ||
      y.after - x.after ||
      (x.signature < y.signature ? -1 : x.signature > y.signature ? 1 : 0),
  );
  return { changes, totalBefore, totalAfter };
}
