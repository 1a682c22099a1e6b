// The sidebar tree without VS Code: real dumps (committed fixtures of go1.26.8 programs) through
// the worker's handlers, into group → goroutine → frame nodes and their descriptions.
import { describe, expect, it } from 'vitest';
import {
  clockTime,
  GoroutineTreeModel,
  type ExplorerNode,
  type FrameNode,
  type GoroutineNode,
  type GroupNode,
  type ItemDescription,
  type MoreNode,
} from '../../../src/views/goroutines/tree-model';
import { fixture, hold, inProcessBackend, syntheticDump } from './support';

const groupsOf = (nodes: ExplorerNode[]) => nodes.filter((n): n is GroupNode => n.kind === 'group');

async function modelWith(text: string) {
  const backend = inProcessBackend();
  const model = new GoroutineTreeModel(backend);
  model.setCurrent(await hold(backend, text));
  return { backend, model };
}

function byLabel(
  model: GoroutineTreeModel,
  nodes: ExplorerNode[],
  pattern: RegExp,
): { node: ExplorerNode; item: ItemDescription }[] {
  return nodes
    .map((node) => ({ node, item: model.describe(node) }))
    .filter((x) => pattern.test(x.item.label));
}

describe('groups as tree items', () => {
  it('names each group by count and function, describes state, wait and location, biggest first', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    const roots = await model.roots();
    const groups = groupsOf(roots);
    expect(groups).toHaveLength(24);
    expect(roots).toHaveLength(24); // no headline, warnings or notes for a clean live dump
    const first = model.describe(groups[0]);
    expect(first.label).toBe('8 × dump-zoo.worker');
    expect(first.description).toBe('chan receive · 1 min · zoo.go:168');
    expect(first.collapsible).toBe('collapsed');
    expect(first.contextValue).toBe('goroutineGroup');
    expect(first.icon).toEqual({ id: 'debug-pause' });
    expect(first.tooltip).toContain('**8 goroutines**');
    expect(first.tooltip).toContain('created by golens.test/programs/dump-zoo.Start');
    expect(first.accessibilityLabel).toBe(
      '8 goroutines in dump-zoo.worker, chan receive · 1 min · zoo.go:168',
    );
    const counts = groups.map((g) => g.group.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(35);
    expect(model.message()).toBe('35 goroutines in 24 groups');
  });

  it('names a group by the innermost frame outside the standard library', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    const groups = groupsOf(await model.roots());
    const mutex = byLabel(model, groups, /mutexWaiter/)[0];
    expect(mutex.item.label).toBe('1 × dump-zoo.mutexWaiter');
    expect((mutex.node as GroupNode).group.top?.func).toBe('internal/sync.runtime_SemacquireMutex');
    expect(mutex.item.description).toMatch(/^sync\.Mutex\.Lock · 1 min · zoo\.go:\d+$/);
  });

  it('flags what stands out: the locked thread, the running goroutine', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    const items = groupsOf(await model.roots()).map((g) => model.describe(g));
    expect(items.find((i) => i.label.includes('lockedWaiter'))?.icon).toEqual({ id: 'lock' });
    expect(items.find((i) => i.description?.startsWith('running'))?.icon).toEqual({
      id: 'play',
      color: 'charts.green',
    });
  });

  it('relaxed grouping folds the same function at different lines', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    expect(byLabel(model, await model.roots(), /stage$/).map((x) => x.item.label)).toEqual([
      '2 × dump-zoo.stage',
      '2 × dump-zoo.stage',
    ]);
    model.setOptions({ similarity: 'relaxed' });
    expect(byLabel(model, await model.roots(), /stage$/).map((x) => x.item.label)).toEqual([
      '4 × dump-zoo.stage',
    ]);
    expect(model.message()).toBe('35 goroutines in 22 groups · grouped by function');
  });

  it('hides runtime goroutines by default and shows them on request', async () => {
    const { model } = await modelWith(fixture('sigquit.txt'));
    const hidden = groupsOf(await model.roots());
    expect(hidden.some((g) => g.group.system)).toBe(false);
    expect(model.message()).toBe('34 goroutines in 23 groups · 5 runtime hidden');
    model.setOptions({ hideSystem: false });
    const shown = groupsOf(await model.roots());
    const system = shown.filter((g) => g.group.system);
    expect(system.reduce((n, g) => n + g.group.count, 0)).toBe(5);
    expect(model.describe(system.find((g) => g.group.flags.length === 0)!).icon.id).toBe('gear');
    expect(model.message()).toBe('39 goroutines in 28 groups');
  });
});

describe('goroutines and frames', () => {
  it('expands a group into goroutines and a goroutine into frames that open their source', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    const worker = groupsOf(await model.roots())[0];
    const goroutines = (await model.children(worker)) as GoroutineNode[];
    expect(goroutines).toHaveLength(8);
    expect(goroutines.every((g) => g.kind === 'goroutine')).toBe(true);
    const g = model.describe(goroutines[0]);
    expect(g.label).toMatch(/^goroutine \d+$/);
    expect(g.description).toBe('chan receive · 1 min');
    expect(g.collapsible).toBe('collapsed');

    const frames = (await model.children(goroutines[0])) as FrameNode[];
    expect(frames.map((f) => model.describe(f).label)).toEqual([
      'dump-zoo.worker',
      'created by dump-zoo.Start',
    ]);
    const top = model.describe(frames[0]);
    expect(top.description).toBe('zoo.go:168');
    expect(top.command).toEqual({
      command: 'goLens.goroutines.openFrame',
      title: 'Open Source',
      arguments: [
        {
          func: 'golens.test/programs/dump-zoo.worker',
          // The fixture's dump names the path of the checkout it was made in.
          file: expect.stringMatching(/\/dump-zoo\/zoo\.go$/),
          line: 168,
        },
      ],
    });
    // Arguments are per goroutine: in the tooltip, not the label.
    expect(top.tooltip).toMatch(
      /^`golens\.test\/programs\/dump-zoo\.worker\(0x[0-9a-f]+\??, 0x[0-9a-f]+\??\)`/,
    );
    expect(model.describe(frames[1]).icon.id).toBe('debug-step-out');
  });

  it('pages a big group: 200 goroutines, then "show more" adds 200 at a time', async () => {
    const { model, backend } = await modelWith(syntheticDump(1, 450));
    const group = groupsOf(await model.roots())[0];
    expect(model.describe(group).label).toBe('450 × main.f0');
    let kids = await model.children(group);
    expect(kids).toHaveLength(201);
    const more = kids[200] as MoreNode;
    expect(more.kind).toBe('more');
    expect(model.describe(more)).toMatchObject({
      label: 'Show 200 more goroutines (250 not shown)',
      command: { command: 'goLens.goroutines.showMore', arguments: [more] },
    });
    const pages = backend.calls.filter((c) => c === 'goroutinePage').length;
    expect(await model.loadMore(group)).toBe(group);
    kids = await model.children(group);
    expect(kids).toHaveLength(401);
    expect(model.describe(kids[400]).label).toBe('Show 50 more goroutines (50 not shown)');
    await model.loadMore(group);
    kids = await model.children(group);
    expect(kids).toHaveLength(450);
    expect(kids.every((k) => k.kind === 'goroutine')).toBe(true);
    // One request per page, none repeated for pages already shown.
    expect(backend.calls.filter((c) => c === 'goroutinePage').length).toBe(pages + 2);
    const ids = (kids as GoroutineNode[]).map((k) => k.goroutine.id);
    expect(new Set(ids).size).toBe(450);
  });

  it('pages the groups themselves when there are more than 200', async () => {
    const { model } = await modelWith(syntheticDump(230, 1));
    let roots = await model.roots();
    expect(groupsOf(roots)).toHaveLength(200);
    const more = roots.at(-1) as MoreNode;
    expect(model.describe(more).label).toBe('Show 30 more groups (30 not shown)');
    expect(await model.loadMore(undefined)).toBeUndefined();
    roots = await model.roots();
    expect(groupsOf(roots)).toHaveLength(230);
    expect(roots.some((n) => n.kind === 'more')).toBe(false);
  });

  it('nodes of an older view have no children once the view changed', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    const group = groupsOf(await model.roots())[0];
    model.setOptions({ filter: 'stage' });
    expect(await model.children(group)).toEqual([]);
    expect(await model.loadMore(group)).toBeNull();
  });
});

describe('filter', () => {
  it('keeps groups with matching goroutines and counts the matches', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    model.setOptions({ filter: 'stage' });
    const labels = groupsOf(await model.roots()).map((g) => model.describe(g).label);
    expect(labels).toEqual(['2 × dump-zoo.stage', '2 × dump-zoo.stage']);
    expect(model.message()).toBe('35 goroutines · filter "stage": 4 in 2 groups');
  });

  it('matches states, files, labels and ids; all words must match', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    model.setOptions({ filter: 'select' });
    expect(groupsOf(await model.roots()).map((g) => model.describe(g).label)).toEqual([
      '1 × dump-zoo.selectNoCases',
      '1 × dump-zoo.selecter',
    ]);
    // Go prints pprof labels in debug=2 dumps when GODEBUG asks for them (labels-debug2.txt).
    const labelled = (await modelWith(fixture('labels-debug2.txt'))).model;
    labelled.setOptions({ filter: 'role=labelled' });
    const items = groupsOf(await labelled.roots()).map((g) => labelled.describe(g));
    expect(items.map((i) => i.label)).toEqual(['1 × dump-zoo.labelledWaiter']);
    expect(items[0].description).toContain('role=labelled');
    model.setOptions({ filter: 'zoo.go:168' });
    expect(groupsOf(await model.roots()).map((g) => g.group.count)).toEqual([8]);

    model.setOptions({ filter: '' });
    const worker = groupsOf(await model.roots())[0];
    const one = ((await model.children(worker)) as GoroutineNode[])[3].goroutine.id;
    model.setOptions({ filter: `#${one}` });
    const only = groupsOf(await model.roots());
    expect(only.map((g) => model.describe(g).label)).toEqual(['1 of 8 × dump-zoo.worker']);
    expect(((await model.children(only[0])) as GoroutineNode[]).map((g) => g.goroutine.id)).toEqual(
      [one],
    );

    model.setOptions({ filter: 'worker chan' });
    expect(groupsOf(await model.roots())).toHaveLength(1);
    model.setOptions({ filter: 'worker select' });
    expect(groupsOf(await model.roots())).toHaveLength(0);
  });

  it('says when nothing matches', async () => {
    const { model } = await modelWith(fixture('blocked-debug2.txt'));
    model.setOptions({ filter: 'no-such-function' });
    const roots = await model.roots();
    expect(roots).toHaveLength(1);
    expect(model.describe(roots[0])).toMatchObject({
      label: 'No goroutine matches "no-such-function"',
      icon: { id: 'filter' },
    });
  });
});

describe('compare with a previous snapshot', () => {
  it('marks grown and new groups with "+N since <time>", lists vanished ones, and counts them for the badge', async () => {
    const backend = inProcessBackend();
    const model = new GoroutineTreeModel(backend);
    const before = await hold(backend, fixture('leak-1.txt'), new Date(2026, 10, 21, 10, 41, 3));
    const after = await hold(backend, fixture('leak-3.txt'), new Date(2026, 10, 21, 10, 45, 0));
    model.setCurrent(after);
    model.setBaseline(before);
    const roots = await model.roots();
    const items = groupsOf(roots).map((g) => model.describe(g));
    // Growth first, largest first.
    expect(items[0].label).toBe('60 × main.handleRequest.func1');
    expect(items[0].description).toMatch(/^\+50 since 10:41:03 · chan send · main\.go:\d+$/);
    expect(items[0].icon).toEqual({ id: 'arrow-circle-up', color: 'charts.red' });
    expect(items[1].label).toBe('1 × main.cacheRefresher');
    expect(items[1].description).toMatch(/^new \(\+1\) since 10:41:03 · sleep · main\.go:\d+$/);
    expect(items[1].icon).toEqual({ id: 'diff-added', color: 'charts.red' });
    const gone = items.find((i) => i.label === 'main.batchJob');
    expect(gone).toMatchObject({
      description: expect.stringMatching(/^gone \(was 6\) since 10:41:03/),
      collapsible: 'none',
      contextValue: 'goroutineGroupVanished',
    });
    const pool = items.find((i) => i.label === '4 × main.poolWorker');
    expect(pool?.description).toMatch(/^unchanged since 10:41:03/);
    expect(model.grownGroups()).toBe(2);
    expect(model.message()).toBe('66 goroutines in 5 groups · +45 since 10:41:03');
    expect(clockTime(before.takenAt)).toBe('10:41:03');

    model.setBaseline(undefined);
    const plain = groupsOf(await model.roots()).map((g) => model.describe(g));
    expect(plain.every((i) => !/since/.test(i.description ?? ''))).toBe(true);
    expect(model.grownGroups()).toBe(0);
  });
});

describe('crash dumps, damage, sources', () => {
  it('puts the panic first: a headline row, then the group of the goroutine that crashed', async () => {
    const { model } = await modelWith(fixture('panic-nilptr.txt'));
    const roots = await model.roots();
    expect(model.describe(roots[0])).toMatchObject({
      label: 'panic: runtime error: invalid memory address or nil pointer dereference',
      icon: { id: 'error', color: 'errorForeground' },
      command: { command: 'goLens.goroutines.showHeadline' },
    });
    const crashed = model.describe(roots[1]);
    expect(crashed.label).toBe('1 × main.(*point).norm');
    expect(crashed.icon).toEqual({ id: 'error', color: 'errorForeground' });
    const g = ((await model.children(roots[1])) as GoroutineNode[])[0];
    expect(model.describe(g).description).toBe('running · crashed here');
  });

  it('shows what parsed of a truncated dump, with a warning row', async () => {
    const text = fixture('blocked-debug2.txt');
    // Cut in the middle of a line, as a dump copied from a scrolled-off terminal is.
    const cut = text.slice(0, Math.floor(text.length / 2));
    const { model } = await modelWith(cut);
    const roots = await model.roots();
    const warn = model.describe(roots[0]);
    expect(warn.label).toMatch(/^Truncated dump: showing the \d+ goroutines that parsed$/);
    expect(warn.icon.id).toBe('warning');
    expect(groupsOf(roots).length).toBeGreaterThan(3);
  });

  it("rejects a text that is not a dump with the parser's explanation", async () => {
    const backend = inProcessBackend();
    await expect(
      backend.request('loadGoroutineDump', { text: '<!DOCTYPE html><html>login</html>' }),
    ).rejects.toMatchObject({
      name: 'GoroutineDumpError',
      message: expect.stringContaining('this is an HTML page'),
    });
  });

  it('notes a capped debugger listing and explains how to see everything', async () => {
    const backend = inProcessBackend();
    const model = new GoroutineTreeModel(backend);
    model.setCurrent(
      await hold(backend, syntheticDump(2, 3), new Date(), {
        kind: 'debug',
        sessionId: 's',
        sessionName: 'Launch',
        listed: 1025,
        capped: true,
      }),
    );
    const note = model.describe((await model.roots())[0]);
    expect(note.label).toBe('Delve listed only 1,025 goroutines: there may be more');
    expect(note.tooltip).toContain('Capture Goroutine Dump');
    expect(note.tooltip).toContain('golang/vscode-go#2041');
  });

  it('loads held snapshots again after the worker restarted', async () => {
    const backend = inProcessBackend();
    let generation = 0;
    const model = new GoroutineTreeModel(backend, () => generation);
    const snap = await hold(backend, fixture('blocked-debug2.txt'));
    model.setCurrent(snap);
    await model.roots();
    const handle = snap.handle;
    await backend.request('releaseGoroutines', { handle }); // what a restart does to the worker's memory
    generation++;
    model.invalidate();
    expect(groupsOf(await model.roots())).toHaveLength(24);
    expect(snap.handle).not.toBe(handle);
  });
});
