// The TreeDataProvider is a thin adapter over the tree model; with a mocked VS Code API (only
// here, in a unit test) this checks that every ItemDescription field lands on the TreeItem, and
// that a failing request is reported instead of breaking the tree.
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => {
  class EventEmitter<T> {
    listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return { dispose() {} };
    };
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  return {
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    TreeItem: class {
      constructor(
        public label: string,
        public collapsibleState: number,
      ) {}
    },
    ThemeIcon: class {
      constructor(
        public id: string,
        public color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(public id: string) {}
    },
    MarkdownString: class {
      supportThemeIcons = true;
      constructor(public value: string) {}
    },
    EventEmitter,
  };
});

const { GoroutineTreeProvider, toTreeItem } =
  await import('../../../src/views/goroutines/tree-provider');
const { GoroutineTreeModel } = await import('../../../src/views/goroutines/tree-model');
const { fixture, hold, inProcessBackend } = await import('./support');

describe('GoroutineTreeProvider', () => {
  it('maps every field of a description onto a TreeItem', () => {
    const item = toTreeItem({
      id: 'group:x',
      label: '8 × dump-zoo.worker',
      description: 'chan receive',
      tooltip: '**8 goroutines**',
      icon: { id: 'arrow-circle-up', color: 'charts.red' },
      collapsible: 'collapsed',
      contextValue: 'goroutineGroup',
      command: { command: 'c', title: 't', arguments: [1] },
      accessibilityLabel: '8 goroutines in dump-zoo.worker',
    }) as unknown as Record<string, unknown>;
    expect(item).toMatchObject({
      label: '8 × dump-zoo.worker',
      collapsibleState: 1,
      id: 'group:x',
      description: 'chan receive',
      tooltip: { value: '**8 goroutines**', supportThemeIcons: false },
      iconPath: { id: 'arrow-circle-up', color: { id: 'charts.red' } },
      contextValue: 'goroutineGroup',
      command: { command: 'c', title: 't', arguments: [1] },
      accessibilityInformation: { label: '8 goroutines in dump-zoo.worker' },
    });
  });

  it('reads roots then children through the model, and tells when the top level was read', async () => {
    const backend = inProcessBackend();
    const model = new GoroutineTreeModel(backend);
    model.setCurrent(await hold(backend, fixture('blocked-debug2.txt')));
    const onRoots = vi.fn();
    const provider = new GoroutineTreeProvider(model, () => undefined, onRoots);
    const roots = await provider.getChildren();
    expect(onRoots).toHaveBeenCalledTimes(1);
    expect((provider.getTreeItem(roots[0]) as unknown as { label: string }).label).toBe(
      '8 × dump-zoo.worker',
    );
    const goroutines = await provider.getChildren(roots[0]);
    expect(goroutines).toHaveLength(8);
    expect(provider.getParent(goroutines[0])).toBe(roots[0]);
    const changed = vi.fn();
    provider.onDidChangeTreeData(changed);
    provider.refresh(roots[0]);
    expect(changed).toHaveBeenCalledWith(roots[0]);
  });

  it('reports a failing request and shows nothing rather than throwing into VS Code', async () => {
    const model = new GoroutineTreeModel({
      request: () => Promise.reject(new Error('worker gone')),
    });
    model.setCurrent({
      handle: 1,
      summary: {} as never,
      source: { kind: 'clipboard' },
      takenAt: new Date(),
      reload: () => Promise.reject(new Error('x')),
    });
    const errors: unknown[] = [];
    const provider = new GoroutineTreeProvider(model, (e) => errors.push(e));
    expect(await provider.getChildren()).toEqual([]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('worker gone');
  });
});
