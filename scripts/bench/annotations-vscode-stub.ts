// Just enough of the `vscode` API for the editor annotations to run in plain Node, for
// scripts/bench/annotations.mjs: decoration types, the visible-editors event the benchmark fires,
// settings (defaults), and the value classes. Nothing here draws: the benchmark times the
// extension's own work from the event to its setDecorations calls.
type Listener<T> = (e: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: unknown,
  ) {}
}
export class MarkdownString {
  constructor(readonly value: string) {}
}
export class Hover {
  constructor(
    readonly contents: unknown,
    readonly range?: Range,
  ) {}
}
export const Uri = {
  parse: (s: string) => ({ scheme: s.slice(0, s.indexOf(':')), toString: () => s }),
  file: (p: string) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` }),
};
export const OverviewRulerLane = { Left: 1, Center: 2, Right: 4, Full: 7 };
export const DecorationRangeBehavior = {
  OpenOpen: 0,
  ClosedClosed: 1,
  OpenClosed: 2,
  ClosedOpen: 3,
};

const visibleEditors = new EventEmitter<unknown[]>();
export const window = {
  visibleTextEditors: [] as unknown[],
  onDidChangeVisibleTextEditors: visibleEditors.event,
  createTextEditorDecorationType: (options: unknown) => ({ options, dispose() {} }),
  showInformationMessage: (message: string) => {
    console.error(`[message] ${message}`);
    return Promise.resolve(undefined);
  },
};
/** The benchmark's handle on the event VS Code fires when an editor opens. */
export function showEditors(editors: unknown[]): void {
  window.visibleTextEditors = editors;
  visibleEditors.fire(editors);
}

export const workspace = {
  onDidChangeConfiguration: new EventEmitter<unknown>().event,
  getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
};
