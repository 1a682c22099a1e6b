// The annotation controller and the test lenses against a mocked VS Code API (only here, in a
// unit test), with the parse worker's real handlers in process: decorations follow the active
// profile, its sample type and the setting, go when annotations are cleared, and a file that
// shrank since the capture gets one message; lenses and hovers come from the same costs; the
// "profile CPU" lenses vanish in Restricted Mode.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const mock = vi.hoisted(() => {
  class EventEmitter<T> {
    listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
    };
    fire(e: T) {
      for (const l of [...this.listeners]) l(e);
    }
    dispose() {}
  }
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    start: Position;
    end: Position;
    constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
      this.start = typeof a === 'number' ? new Position(a, b as number) : a;
      this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    }
  }
  const state = {
    enabled: true,
    trusted: true,
    messages: [] as string[],
    visibleEditors: new EventEmitter<unknown[]>(),
    config: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
    visible: [] as unknown[],
  };
  const vscode = {
    EventEmitter,
    Position,
    Range,
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    CodeLens: class {
      constructor(
        readonly range: Range,
        readonly command?: { title: string; command: string; arguments?: unknown[] },
      ) {}
    },
    MarkdownString: class {
      constructor(readonly value: string) {}
    },
    Hover: class {
      constructor(
        readonly contents: { value: string },
        readonly range?: Range,
      ) {}
    },
    Uri: {
      parse: (s: string) => ({ scheme: 'data', toString: () => s }),
      file: (p: string) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` }),
    },
    OverviewRulerLane: { Right: 4 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    DecorationRangeBehavior: { ClosedClosed: 1 },
    window: {
      get visibleTextEditors() {
        return state.visible;
      },
      onDidChangeVisibleTextEditors: state.visibleEditors.event,
      createTextEditorDecorationType: (options: unknown) => ({ options, dispose() {} }),
      showInformationMessage: (m: string) => {
        state.messages.push(m);
        return Promise.resolve(undefined);
      },
    },
    workspace: {
      get isTrusted() {
        return state.trusted;
      },
      onDidChangeConfiguration: state.config.event,
      getConfiguration: () => ({
        get: <T>(key: string, fallback: T) =>
          key === 'annotations.enabled' ? (state.enabled as T) : fallback,
      }),
    },
  };
  return { state, vscode };
});
vi.mock('vscode', () => mock.vscode);

const { ActiveProfiles } = await import('../../../src/editors/active-profile');
const { ProfileAnnotations } = await import('../../../src/editors/annotations/controller');
const { TestProfileLenses } = await import('../../../src/commands/profile-test');
const { profileHandlers } = await import('../../../src/worker/profile-handlers');
const { encodeProfile } = await import('../pprof/encode');
import type { ParseWorkerClient } from '../../../src/worker/client';
import type { LoadedProfile } from '../../../src/worker/profile-protocol';

const MS = 1e6;
/** f.go: f (from line 3) with costs on lines 5 and 40. */
const bytes = encodeProfile({
  sampleTypes: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  samples: [
    { locations: [1, 3], values: [30, 300 * MS] },
    { locations: [2, 3], values: [10, 100 * MS] },
  ],
  functions: [
    { id: 1, name: 'main.f', file: 'example.com/m/f.go', startLine: 3 },
    { id: 2, name: 'main.main', file: 'example.com/m/main.go', startLine: 1 },
  ],
  locations: [
    { id: 1, lines: [{ function: 1, line: 5 }] },
    { id: 2, lines: [{ function: 1, line: 40 }] },
    { id: 3, lines: [{ function: 2, line: 2 }] },
  ],
});

/** The worker's handlers in process, with the client's shape. */
const worker = {
  generation: 0,
  calls: 0,
  request(method: keyof typeof profileHandlers, params: never) {
    this.calls++;
    return Promise.resolve(
      (profileHandlers[method] as (p: never, progress: () => void) => unknown)(
        params,
        () => undefined,
      ),
    );
  },
};
const client = worker as unknown as ParseWorkerClient;

function doc(path: string, lineCount: number) {
  return {
    uri: mock.vscode.Uri.file(path),
    languageId: 'go',
    lineCount,
    getText: () => '',
    lineAt: (line: number) => ({ range: new mock.vscode.Range(line, 0, line, 20) }),
  };
}
function editor(d: ReturnType<typeof doc>) {
  const set = new Map<
    unknown,
    { range: { end: { line: number } }; renderOptions: { after: { contentText: string } } }[]
  >();
  return {
    document: d,
    setDecorations: (type: unknown, options: never[]) => set.set(type, options),
    /** Every after-line text, by 0-based line. */
    texts: () =>
      [...set.values()]
        .flat()
        .map((o) => [o.range.end.line, o.renderOptions.after.contentText] as const)
        .sort((a, b) => a[0] - b[0]),
  };
}

let profile: LoadedProfile;
let active: InstanceType<typeof ActiveProfiles>;
let annotations: InstanceType<typeof ProfileAnnotations>;
const settle = () => new Promise((r) => setTimeout(r, 10));

beforeEach(async () => {
  mock.state.enabled = true;
  mock.state.messages = [];
  mock.state.visible = [];
  profile = await profileHandlers.loadProfile({ bytes }, () => undefined);
  active = new ActiveProfiles(client);
  annotations = new ProfileAnnotations(active, client);
  return () => annotations.dispose();
});

function activate(sampleType = 1, extra: Partial<LoadedProfile> = {}) {
  active.set({
    uri: mock.vscode.Uri.file('/c/cpu.pb.gz') as never,
    title: 'cpu.pb.gz',
    profile: { ...profile, ...extra },
    generation: 0,
    query: { sampleType, filter: {} },
  });
}

describe('editor annotations follow the active profile', () => {
  it('decorate a Go editor when it becomes visible, and from the cache the second time', async () => {
    activate();
    const e = editor(doc('/src/m/f.go', 50));
    mock.state.visible = [e];
    const seen: boolean[] = [];
    annotations.onDidAnnotate((i) => seen.push(i.fromCache));
    mock.state.visibleEditors.fire([e]);
    await settle();
    expect(e.texts()).toEqual([
      [4, 'flat 300ms · cum 300ms (75.00%)'],
      [39, 'flat 100ms · cum 100ms (25.00%)'],
    ]);
    mock.state.visibleEditors.fire([e]);
    await settle();
    expect(seen).toEqual([false, true]);
  });

  it('switch with the sample type, and go when cleared or switched off', async () => {
    const e = editor(doc('/src/m/f.go', 50));
    mock.state.visible = [e];
    activate(0);
    await settle();
    expect(e.texts()[0]).toEqual([4, 'flat 30 · cum 30 (75.00%)']);
    active.clearAll();
    await settle();
    expect(e.texts()).toEqual([]);
    activate(1);
    await settle();
    expect(e.texts()).toHaveLength(2);
    mock.state.enabled = false;
    mock.state.config.fire({ affectsConfiguration: (s) => s === 'goLens.annotations.enabled' });
    await settle();
    expect(e.texts()).toEqual([]);
    expect(await annotations.provideCodeLenses(e.document as never)).toEqual([]);
  });

  it('leave out lines past the end of a shrunk file and say so once', async () => {
    activate();
    const e = editor(doc('/src/m/f.go', 20));
    mock.state.visible = [e];
    mock.state.visibleEditors.fire([e]);
    await settle();
    mock.state.visibleEditors.fire([e]);
    await settle();
    expect(e.texts()).toEqual([[4, 'flat 300ms · cum 300ms (75.00%)']]);
    expect(mock.state.messages).toHaveLength(1);
    expect(mock.state.messages[0]).toMatch(
      /1 line\(s\) with costs in cpu\.pb\.gz lie past the end of f\.go \(20 lines\): the file has changed since the profile was taken/,
    );
  });

  it('annotate nothing for a profile without line numbers, and say why once', async () => {
    activate(1, { hasLines: false });
    const e = editor(doc('/src/m/f.go', 50));
    mock.state.visible = [e];
    mock.state.visibleEditors.fire([e]);
    await settle();
    expect(e.texts()).toEqual([]);
    await annotations.provideCodeLenses(e.document as never);
    expect(mock.state.messages).toEqual([
      'Go Lens: cpu.pb.gz records no line numbers, so the editor shows no line costs for it. Its functions and stacks are in the profile view.',
    ]);
  });

  it('give a CodeLens per function and a hover on annotated lines only', async () => {
    activate();
    const d = doc('/src/m/f.go', 50);
    const lenses = await annotations.provideCodeLenses(d as never);
    expect(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command])).toEqual([
      [2, '$(flame) self 400ms (100%) · total 400ms (100%)', ''],
    ]);
    const hover = await annotations.provideHover(
      d as never,
      new mock.vscode.Position(4, 3) as never,
    );
    expect((hover!.contents as unknown as { value: string }).value).toMatch(
      /line 5: flat \*\*300ms\*\*[\s\S]*`main\.main` — 300ms/,
    );
    expect(
      await annotations.provideHover(d as never, new mock.vscode.Position(5, 0) as never),
    ).toBeUndefined();
    // Not Go, or not on disk: nothing.
    expect(
      await annotations.provideCodeLenses({
        ...d,
        languageId: 'plaintext',
        uri: mock.vscode.Uri.file('/src/m/notes.txt'),
      } as never),
    ).toEqual([]);
  });

  it('show deltas for a diff view', async () => {
    const base = await profileHandlers.loadProfile({ bytes }, () => undefined);
    active.set({
      uri: mock.vscode.Uri.file('/c/cpu2.pb.gz') as never,
      title: 'cpu1 → cpu2',
      profile,
      generation: 0,
      query: { sampleType: 1, filter: {} },
      base: {
        uri: mock.vscode.Uri.file('/c/cpu1.pb.gz') as never,
        profile: base,
        handle: base.handle,
        normalize: false,
      },
    });
    const e = editor(doc('/src/m/f.go', 50));
    mock.state.visible = [e];
    mock.state.visibleEditors.fire([e]);
    await settle();
    // The same profile twice: nothing changed, nothing to show.
    expect(e.texts()).toEqual([]);
  });
});

describe('profile-a-test lenses', () => {
  const text =
    'package m\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n\nfunc BenchmarkB(b *testing.B) {}\n';
  const testDoc = { uri: mock.vscode.Uri.file('/src/m/a_test.go'), getText: () => text };

  it('offers CPU, memory and trace on a test, and mutex/block too on a benchmark', () => {
    mock.state.trusted = true;
    const lenses = new TestProfileLenses().provideCodeLenses(testDoc as never);
    expect(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments?.slice(1)]),
    ).toEqual([
      [4, '$(flame) profile CPU', ['TestA', 'cpu']],
      [4, 'profile memory', ['TestA', 'memory']],
      [4, 'trace', ['TestA', 'trace']],
      [6, '$(flame) profile CPU', ['BenchmarkB', 'cpu']],
      [6, 'profile memory', ['BenchmarkB', 'memory']],
      [6, 'trace', ['BenchmarkB', 'trace']],
      [6, 'mutex/block…', ['BenchmarkB', undefined]],
    ]);
  });

  it('offers nothing in Restricted Mode, or outside _test.go files', () => {
    mock.state.trusted = false;
    expect(new TestProfileLenses().provideCodeLenses(testDoc as never)).toEqual([]);
    mock.state.trusted = true;
    expect(
      new TestProfileLenses().provideCodeLenses({
        ...testDoc,
        uri: mock.vscode.Uri.file('/src/m/a.go'),
      } as never),
    ).toEqual([]);
  });
});
