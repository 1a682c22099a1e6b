// The trace view's host side (src/editors/trace-editor.ts) against a mocked VS Code API (only
// here, in a unit test) and a scripted worker: the load starts when the view opens, before its
// page is up; nothing is pushed to a page that is not listening yet; the page's `ready` is
// answered with what is loaded by then — the complete trace when the rest came first — and the
// worker is told not to hold the rest for a page that cannot ask for lanes yet. The real flow is
// proven in VS Code by test/e2e/trace-progressive.e2e.mjs and measured by
// `npm run bench -- trace-vscode`.
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('../../support/fake-vscode')).fakeVscode());

const { TraceEditorProvider } = await import('../../../src/editors/trace-editor');
import type { LoadedTrace } from '../../../src/worker/trace-protocol';
import { fakeWebviewPanel, type PostedMessage } from '../../support/fake-webview-panel';
import { fileUri } from '../../support/fake-vscode';

/** What a loaded trace answer holds; `partial` marks a preview. */
function loaded(handle: number, events: number, partial?: LoadedTrace['partial']): LoadedTrace {
  return {
    handle,
    version: 26,
    timeBase: '0',
    start: 0,
    end: 1e9,
    eventCount: events,
    spanCount: 0,
    goroutineCount: 1,
    procs: [],
    groups: [],
    cpuSamples: 0,
    gcCycles: 0,
    stwCount: 0,
    parseMs: 1,
    indexMs: 1,
    partial,
  } as unknown as LoadedTrace;
}

/** A worker whose progressive load answers when the test says: the preview, then the rest. */
function scriptedWorker() {
  const calls: string[] = [];
  let preview!: (t: LoadedTrace) => void;
  let rest!: (t: LoadedTrace) => void;
  const worker = {
    generation: 1,
    calls,
    preview: (t: LoadedTrace) => preview(t),
    rest: (t: LoadedTrace) => rest(t),
    request(method: string, params: { handle?: number }) {
      calls.push(params.handle === undefined ? method : `${method} ${params.handle}`);
      switch (method) {
        case 'loadTrace':
          return new Promise((r) => (preview = r));
        case 'finishTraceLoad':
          return new Promise((r) => (rest = r));
        case 'traceLoadStatus':
          return Promise.resolve({ fraction: 0.5, parsedNs: 1 });
        default:
          return Promise.resolve(undefined);
      }
    },
  };
  return worker;
}

const settle = () => new Promise((r) => setTimeout(r, 20));

function open() {
  const worker = scriptedWorker();
  const view = fakeWebviewPanel();
  const services = { context: { extensionUri: { path: '/ext' } }, worker };
  new TraceEditorProvider(services as never).resolveCustomEditor(
    { uri: fileUri('/t/big.trace') } as never,
    view.panel as never,
  );
  return { worker, view };
}

const eventCount = (m: unknown) => (m as { eventCount?: number } | undefined)?.eventCount;
const pushes = (posted: PostedMessage[], event: string) => posted.filter((m) => m.event === event);

describe('trace view opening', () => {
  it('starts the load when the view opens, before its page asks', async () => {
    const { worker } = open();
    await settle();
    expect(worker.calls).toContain('loadTrace');
  });

  it('answers a page that comes up after the whole trace with the whole trace, pushing nothing before', async () => {
    const { worker, view } = open();
    await settle();
    worker.preview(loaded(1, 100, { fraction: 0.1, generations: 1, readyMs: 5 }));
    await settle();
    // The page is not up: the worker parses on at once rather than wait for its lanes.
    expect(worker.calls).toContain('endPreviewHold 1');
    worker.rest(loaded(2, 1000));
    await settle();
    expect([...pushes(view.posted, 'summary'), ...pushes(view.posted, 'loading')]).toEqual([]);
    const ready = view.request('ready');
    await settle();
    expect(eventCount(view.answer(ready))).toBe(1000);
  });

  it('answers a page that comes up during the rest with the preview, then pushes the whole trace', async () => {
    const { worker, view } = open();
    await settle();
    const ready = view.request('ready');
    await settle();
    worker.preview(loaded(1, 100, { fraction: 0.1, generations: 1, readyMs: 5 }));
    await settle();
    // The page asked in time: the worker's wait for its first lanes is left alone.
    expect(worker.calls).not.toContain('endPreviewHold 1');
    expect(eventCount(view.answer(ready))).toBe(100);
    worker.rest(loaded(2, 1000));
    await settle();
    const summaries = pushes(view.posted, 'summary');
    expect(summaries.length).toBe(1);
    expect(eventCount(summaries[0].data)).toBe(1000);
  });
});
