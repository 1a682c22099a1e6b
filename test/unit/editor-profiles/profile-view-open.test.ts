// The profile view's host side (src/editors/profile-editor.ts) against a mocked VS Code API
// (only here, in a unit test) and a scripted worker: the profile's load starts when the view
// opens, before its page asks (the parse overlaps the webview's start), the page's `ready` is
// answered from that same load, and a view closed while its profile loads releases it when it
// arrives. The views themselves are proven in VS Code by test/e2e/profile-editor.e2e.mjs.
import { describe, expect, it, vi } from 'vitest';

// Untrusted: no perf or go tool is looked up for the file.
vi.mock('vscode', async () =>
  (await import('../../support/fake-vscode')).fakeVscode({ trusted: false }),
);

const { showProfileIn } = await import('../../../src/editors/profile-editor');
import type { LoadedProfile } from '../../../src/worker/profile-protocol';
import { fakeWebviewPanel } from '../../support/fake-webview-panel';
import { fileUri } from '../../support/fake-vscode';

const profile = (handle: number) =>
  ({
    handle,
    sampleTypes: [{ type: 'samples', unit: 'count' }],
    defaultSampleType: 0,
    totals: [7],
    sampleCount: 7,
    durationNanos: 0,
    timeNanos: 0,
    comments: [],
    kind: 'cpu',
    labels: [],
    hasLines: true,
  }) satisfies LoadedProfile;

/** A worker whose loads answer when the test says. */
function scriptedWorker() {
  const calls: string[] = [];
  let answer!: (p: LoadedProfile) => void;
  return {
    generation: 1,
    calls,
    loaded: (p: LoadedProfile) => answer(p),
    request(method: string, params: { handle?: number }) {
      calls.push(params.handle === undefined ? method : `${method} ${params.handle}`);
      if (method === 'loadProfile') return new Promise((r) => (answer = r));
      return Promise.resolve(undefined);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

function open() {
  const worker = scriptedWorker();
  const view = fakeWebviewPanel();
  const services = {
    context: { extensionUri: { path: '/ext' } },
    worker,
    activeProfiles: { clear() {} },
  };
  showProfileIn(view.panel as never, { uri: fileUri('/p/cpu.pprof') as never }, services as never);
  return { worker, view };
}

describe('profile view opening', () => {
  it('starts the load when the view opens, and answers the page from it', async () => {
    const { worker, view } = open();
    await settle();
    expect(worker.calls).toEqual(['loadProfile']);
    const ready = view.request('ready');
    worker.loaded(profile(3));
    await settle();
    expect(view.answer(ready)).toMatchObject({ summary: { kind: 'cpu', sampleCount: 7 } });
    // One load: the page's ready took the one started at open.
    expect(worker.calls.filter((c) => c === 'loadProfile')).toHaveLength(1);
  });

  it('releases a profile that arrives after its view was closed', async () => {
    const { worker, view } = open();
    await settle();
    view.close();
    worker.loaded(profile(4));
    await settle();
    expect(worker.calls).toContain('release 4');
  });
});
