// The vertical layout of the scrolled lanes: a section of P lanes, then goroutine lanes grouped
// by start function (collapsible). Computed arithmetically from the groups' sizes, never as a
// list of rows: a trace can have 600K goroutines in one group, and only the ~50 rows on screen
// are ever materialized.
import { searchFirst } from '../../src/core/binary-search';

export const ROW_H = { section: 22, p: 24, group: 22, g: 18 } as const;

/** Rows of the fixed header, top to bottom (CSS pixels). */
export const HEADER = {
  overview: { top: 0, h: 30 },
  axis: { top: 30, h: 26 },
  gc: { top: 56, h: 16 },
  stw: { top: 72, h: 16 },
  heap: { top: 88, h: 46 },
  goroutines: { top: 134, h: 46 },
  height: 182,
} as const;

export type Row =
  | { kind: 'section'; section: 'procs' | 'goroutines'; top: number; height: number }
  | { kind: 'p'; index: number; top: number; height: number }
  | { kind: 'group'; group: number; top: number; height: number }
  | { kind: 'g'; group: number; member: number; top: number; height: number };

export class RowLayout {
  /** y of each group's header; groupTop[groupCount] is the total height. */
  readonly groupTop: Float64Array;
  readonly procsTop = 0;
  readonly goroutinesTop: number;
  readonly height: number;

  constructor(
    readonly procCount: number,
    readonly groupSizes: readonly number[],
    readonly expanded: ReadonlySet<number>,
  ) {
    this.goroutinesTop = ROW_H.section + procCount * ROW_H.p;
    const top = new Float64Array(groupSizes.length + 1);
    let y = this.goroutinesTop + ROW_H.section;
    for (let g = 0; g < groupSizes.length; g++) {
      top[g] = y;
      y += ROW_H.group + (expanded.has(g) ? groupSizes[g] * ROW_H.g : 0);
    }
    top[groupSizes.length] = y;
    this.groupTop = top;
    this.height = y;
  }

  /** The group whose block (header and members) contains y, or −1 above the first. */
  private groupAt(y: number): number {
    const lo = searchFirst(0, this.groupSizes.length, (g) => this.groupTop[g + 1] > y);
    return lo < this.groupSizes.length && this.groupTop[lo] <= y ? lo : -1;
  }

  /** The row at y, if any. */
  rowAt(y: number): Row | undefined {
    if (y < 0 || y >= this.height) return undefined;
    return this.rowsIn(y, y + 0.5)[0];
  }

  /** Rows overlapping [y0, y1), top to bottom. */
  rowsIn(y0: number, y1: number): Row[] {
    const rows: Row[] = [];
    y0 = Math.max(0, y0);
    if (y1 <= y0) return rows;
    if (y0 < ROW_H.section)
      rows.push({ kind: 'section', section: 'procs', top: 0, height: ROW_H.section });
    for (let p = Math.max(0, Math.floor((y0 - ROW_H.section) / ROW_H.p)); p < this.procCount; p++) {
      const top = ROW_H.section + p * ROW_H.p;
      if (top >= y1) return rows;
      if (top + ROW_H.p > y0) rows.push({ kind: 'p', index: p, top, height: ROW_H.p });
    }
    const gs = this.goroutinesTop;
    if (gs >= y1) return rows;
    if (gs + ROW_H.section > y0)
      rows.push({ kind: 'section', section: 'goroutines', top: gs, height: ROW_H.section });
    let g = this.groupAt(y0);
    if (g < 0) g = 0;
    for (; g < this.groupSizes.length; g++) {
      const top = this.groupTop[g];
      if (top >= y1) break;
      if (top + ROW_H.group > y0) rows.push({ kind: 'group', group: g, top, height: ROW_H.group });
      if (!this.expanded.has(g)) continue;
      const first = top + ROW_H.group;
      const from = Math.max(0, Math.floor((y0 - first) / ROW_H.g));
      for (let m = from; m < this.groupSizes[g]; m++) {
        const t = first + m * ROW_H.g;
        if (t >= y1) return rows;
        rows.push({ kind: 'g', group: g, member: m, top: t, height: ROW_H.g });
      }
    }
    return rows;
  }

  /** y of a group's header, or of one of its member lanes. */
  topOf(group: number, member?: number): number {
    const top = this.groupTop[group] ?? 0;
    return member === undefined ? top : top + ROW_H.group + member * ROW_H.g;
  }
}
