// The parse worker's core dump methods (see ./core-protocol): Delve runs here, next to the
// snapshot it produced, so neither its JSON (100k stacks) nor the conversion touch the
// extension host's event loop.
import { formatVariable, snapshotFromDelve } from '../core/delve/snapshot';
import type { DelveVariable } from '../core/delve/api';
import { openCore, delveFrameIndex, frameVariables } from '../collect/delve/session';
import type { DelveProcess } from '../collect/delve/process';
import { keepSnapshot, onSnapshotReleased } from './goroutine-handlers';
import type { CoreWorkerMethods, FrameVariable } from './core-protocol';

const delves = new Map<number, DelveProcess>();

onSnapshotReleased((handle) => {
  const d = delves.get(handle);
  delves.delete(handle);
  void d?.close();
});

function variable(v: DelveVariable): FrameVariable {
  return { name: v.name, type: v.type, value: formatVariable(v, 2000) };
}

type Handlers = {
  [M in keyof CoreWorkerMethods]: (
    params: CoreWorkerMethods[M]['params'],
    progress: (message: string, fraction?: number) => void,
  ) => Promise<CoreWorkerMethods[M]['result']>;
};

export const coreHandlers: Handlers = {
  async loadCoreDump(params, progress) {
    const opened = await openCore(params.dlv, params.executable, params.core, { progress });
    try {
      progress('grouping');
      const { snapshot, crashed } = snapshotFromDelve(opened.data);
      const loaded = keepSnapshot(snapshot);
      delves.set(loaded.handle, opened.delve);
      return { ...loaded, crashed, goVersion: opened.data.goVersion };
    } catch (e) {
      await opened.delve.close();
      throw e;
    }
  },
  async coreFrameVariables(params) {
    const d = delves.get(params.handle);
    if (!d) throw new Error('Delve is no longer running for this core; open the core again');
    const { index, frames } = await delveFrameIndex(d.client, params.goroutine, params);
    if (index < 0)
      return {
        frame: -1,
        func: params.func,
        file: params.file,
        line: params.line,
        args: [],
        locals: [],
      };
    const { args, locals } = await frameVariables(d.client, params.goroutine, index);
    const f = frames[index];
    return {
      frame: index,
      func: f.function?.name ?? params.func,
      file: f.file,
      line: f.line,
      args: args.map(variable),
      locals: locals.map(variable),
    };
  },
};
