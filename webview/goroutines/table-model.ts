// The goroutine table's rows: which goroutines (or groups) pass the filter, in which order.
// No DOM: the view renders the order this returns. Built for 100k rows: strings are compared
// once per distinct value (states, functions, label sets) and rows are sorted by number.
import {
  shortFuncName,
  type GoroutineTableData,
  type TableGroup,
} from '../../src/core/goroutines/explorer';

export type TableMode = 'goroutines' | 'groups';

/** Sortable columns; `group` is the explorer's own order (biggest and unusual groups first). */
export type SortKey =
  'group' | 'id' | 'state' | 'wait' | 'top' | 'createdBy' | 'labels' | 'count' | 'change';

export interface SortSpec {
  key: SortKey;
  /** 1 ascending, -1 descending. */
  dir: 1 | -1;
}

/** The direction a column sorts in when first clicked: numbers that matter most when large go first. */
export function defaultDirection(key: SortKey): 1 | -1 {
  return key === 'wait' || key === 'count' || key === 'change' ? -1 : 1;
}

/** `chan receive`, or `chan receive +2` when members differ. */
export function groupStates(g: TableGroup): string {
  const known = g.states.filter((s) => s.state !== '');
  if (known.length === 0) return '';
  return known.length === 1 ? known[0].state : `${known[0].state} +${known.length - 1}`;
}

/** The text of a frame for filtering: function and `file:line`, lower case. */
function frameText(d: GoroutineTableData, f: number): string {
  return `${d.frames.func[f]} ${d.frames.file[f]}:${d.frames.line[f]}`.toLowerCase();
}

/** Ranks of distinct strings (0 = first in locale order), so rows sort by number. */
function ranks(values: string[]): Uint32Array {
  const order = values
    .map((_, i) => i)
    .sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  const r = new Uint32Array(values.length);
  order.forEach((v, i) => (r[v] = i));
  return r;
}

/** Per-term matching of the shared tables (stacks, frames, states, label sets), memoised. */
class Matcher {
  readonly terms: string[];
  private readonly ids: number[];
  private readonly stackMemo: Uint8Array[];
  private readonly frameMemo: Uint8Array[];
  private readonly stateText: string[];
  private readonly labelText: string[];
  private readonly frameCache: (string | undefined)[];

  constructor(
    private readonly d: GoroutineTableData,
    filter: string,
  ) {
    this.terms = filter
      .toLowerCase()
      .split(/\s+/)
      .filter((t) => t !== '');
    this.ids = this.terms.map((t) => (/^#?\d+$/.test(t) ? Number(t.replace('#', '')) : -2));
    const stacks = d.stacks.frameStart.length - 1;
    this.stackMemo = this.terms.map(() => new Uint8Array(stacks));
    this.frameMemo = this.terms.map(() => new Uint8Array(d.frames.func.length));
    this.stateText = d.states.map((s) => s.toLowerCase());
    this.labelText = d.labelTexts.map((s) => s.toLowerCase());
    this.frameCache = new Array(d.frames.func.length);
  }

  private frame(f: number): string {
    return (this.frameCache[f] ??= frameText(this.d, f));
  }

  stackHas(k: number, stack: number): boolean {
    let m = this.stackMemo[k][stack];
    if (m === 0) {
      m = 2;
      const { frameStart, frameIndex } = this.d.stacks;
      for (let i = frameStart[stack]; i < frameStart[stack + 1]; i++) {
        if (this.frame(frameIndex[i]).includes(this.terms[k])) {
          m = 1;
          break;
        }
      }
      this.stackMemo[k][stack] = m;
    }
    return m === 1;
  }

  frameHas(k: number, f: number): boolean {
    if (f < 0) return false;
    let m = this.frameMemo[k][f];
    if (m === 0) this.frameMemo[k][f] = m = this.frame(f).includes(this.terms[k]) ? 1 : 2;
    return m === 1;
  }

  row(i: number): boolean {
    const d = this.d;
    for (let k = 0; k < this.terms.length; k++) {
      const t = this.terms[k];
      if (this.ids[k] === d.id[i]) continue;
      if (this.stateText[d.state[i]].includes(t)) continue;
      if (d.labels[i] >= 0 && this.labelText[d.labels[i]].includes(t)) continue;
      if (this.stackHas(k, d.stack[i])) continue;
      if (this.frameHas(k, d.createdBy[i])) continue;
      return false;
    }
    return true;
  }

  group(g: TableGroup): boolean {
    for (let k = 0; k < this.terms.length; k++) {
      const t = this.terms[k];
      if (g.states.some((s) => s.state.toLowerCase().includes(t))) continue;
      if (g.labels.toLowerCase().includes(t)) continue;
      if (this.stackHas(k, g.stack)) continue;
      if (this.frameHas(k, g.createdBy)) continue;
      return false;
    }
    return true;
  }
}

/** The function a stack is named by (`dump-zoo.worker`), '' for an empty stack. */
export function stackName(d: GoroutineTableData, stack: number): string {
  const f = d.stacks.focus[stack];
  return f >= 0 ? shortFuncName(d.frames.func[f]) : '';
}

export function frameName(d: GoroutineTableData, frame: number): string {
  return frame >= 0 ? shortFuncName(d.frames.func[frame]) : '';
}

/** Goroutine rows (indexes into the table's columns) passing `filter`, sorted by `sort`. */
export function goroutineOrder(d: GoroutineTableData, filter: string, sort: SortSpec): Uint32Array {
  const m = new Matcher(d, filter);
  let rows: Uint32Array;
  if (m.terms.length === 0) {
    rows = new Uint32Array(d.rowCount);
    for (let i = 0; i < d.rowCount; i++) rows[i] = i;
  } else {
    const keep: number[] = [];
    for (let i = 0; i < d.rowCount; i++) if (m.row(i)) keep.push(i);
    rows = Uint32Array.from(keep);
  }
  const key = goroutineKey(d, sort.key);
  const dir = sort.dir;
  // Ties fall back to the explorer's order (group, then input order), so a sort is stable and
  // members of a group stay together.
  const arr = Array.from(rows);
  arr.sort((a, b) => (key[a] - key[b]) * dir || d.group[a] - d.group[b] || a - b);
  return Uint32Array.from(arr);
}

function goroutineKey(d: GoroutineTableData, key: SortKey): ArrayLike<number> {
  const n = d.rowCount;
  switch (key) {
    case 'id':
      return d.id;
    case 'wait':
      return d.waitMinutes;
    case 'count': {
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++) k[i] = d.groups[d.group[i]].count;
      return k;
    }
    case 'state':
      return remap(d.state, ranks(d.states));
    case 'labels': {
      // Unlabelled rows last when ascending.
      const r = ranks(d.labelTexts);
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++)
        k[i] = d.labels[i] >= 0 ? r[d.labels[i]] : Number.MAX_SAFE_INTEGER;
      return k;
    }
    case 'top': {
      const stacks = d.stacks.frameStart.length - 1;
      const r = ranks(Array.from({ length: stacks }, (_, s) => stackName(d, s)));
      return remap(d.stack, r);
    }
    case 'createdBy': {
      const r = ranks(d.frames.func.map((_, f) => frameName(d, f)));
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++)
        k[i] = d.createdBy[i] >= 0 ? r[d.createdBy[i]] : Number.MAX_SAFE_INTEGER;
      return k;
    }
    case 'change': {
      const k = new Float64Array(n);
      for (let i = 0; i < n; i++) k[i] = d.groups[d.group[i]].change?.delta ?? 0;
      return k;
    }
    case 'group':
      return d.group;
  }
}

function remap(index: ArrayLike<number>, rank: Uint32Array): Float64Array {
  const k = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) k[i] = rank[index[i]];
  return k;
}

/** Group rows (indexes into `d.groups`) passing `filter`, sorted by `sort`. */
export function groupOrder(d: GoroutineTableData, filter: string, sort: SortSpec): Uint32Array {
  const m = new Matcher(d, filter);
  const idx: number[] = [];
  d.groups.forEach((g, i) => {
    if (m.terms.length === 0 || m.group(g)) idx.push(i);
  });
  const text = (i: number): string => {
    const g = d.groups[i];
    switch (sort.key) {
      case 'state':
        return groupStates(g);
      case 'top':
        return stackName(d, g.stack);
      case 'createdBy':
        return frameName(d, g.createdBy);
      case 'labels':
        return g.labels === '' ? '\uffff' : g.labels;
      default:
        return '';
    }
  };
  const num = (i: number): number => {
    const g = d.groups[i];
    switch (sort.key) {
      case 'count':
        return g.count;
      case 'wait':
        return g.waitMinutes.max;
      case 'change':
        return g.change?.delta ?? 0;
      case 'id':
      case 'group':
        return i;
      default:
        return 0;
    }
  };
  const numeric = ['count', 'wait', 'change', 'id', 'group'].includes(sort.key);
  idx.sort((a, b) => {
    if (numeric) return (num(a) - num(b)) * sort.dir || a - b;
    const x = text(a);
    const y = text(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sort.dir || a - b;
  });
  return Uint32Array.from(idx);
}

/** Goroutine rows of group `g` (for "show this group's goroutines"), in table order. */
export function rowsOfGroup(d: GoroutineTableData, g: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.rowCount; i++) if (d.group[i] === g) out.push(i);
  return out;
}
