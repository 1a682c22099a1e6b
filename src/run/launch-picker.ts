// What Go Lens: Run… offers to run — the active file's package (main, or its tests), entries of
// goLens.runConfigurations, `go` configurations of .vscode/launch.json (configure once) and the
// scheduler trace's command lines — and the options of a run, remembered per configuration.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_LAUNCH_OPTIONS,
  perfAvailable,
  targetLabel,
  type LaunchOptions,
  type LaunchTarget,
  type RunConfiguration,
} from './launch';
import { asRunConfiguration, fromLaunchJson } from './run-configurations';

export { asRunConfiguration, fromLaunchJson, splitCommandLine } from './run-configurations';

const OPTIONS_KEY = 'goLens.run.options';

/** A stable key for a target, under which its options are remembered. */
export function targetKey(t: LaunchTarget): string {
  switch (t.kind) {
    case 'package':
      return `package:${t.dir}`;
    case 'test':
      return `test:${t.dir}`;
    case 'configuration':
      return `configuration:${t.folder?.name ?? ''}:${t.configuration.name}`;
  }
}

export function rememberedOptions(state: vscode.Memento, t: LaunchTarget): LaunchOptions {
  const all = state.get<Record<string, Partial<LaunchOptions>>>(OPTIONS_KEY) ?? {};
  return { ...DEFAULT_LAUNCH_OPTIONS, ...all[targetKey(t)] };
}

export async function rememberOptions(
  state: vscode.Memento,
  t: LaunchTarget,
  options: LaunchOptions,
): Promise<void> {
  const all = state.get<Record<string, Partial<LaunchOptions>>>(OPTIONS_KEY) ?? {};
  await state.update(OPTIONS_KEY, { ...all, [targetKey(t)]: options });
}

type Item = vscode.QuickPickItem & { target?: LaunchTarget; openSettings?: boolean };

/** Asks what to run. `title` names the command. */
export async function pickLaunchTarget(title: string): Promise<LaunchTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  const goFile =
    editor && editor.document.uri.scheme === 'file' && editor.document.languageId === 'go'
      ? editor.document.uri
      : undefined;
  const items: Item[] = [];
  if (goFile) {
    const dir = dirname(goFile.fsPath);
    const folder = vscode.workspace.getWorkspaceFolder(goFile);
    const rel = folder ? vscode.workspace.asRelativePath(dir, false) : dir;
    const shown = `./${rel === dir ? basename(dir) : rel}`;
    const isTest = goFile.fsPath.endsWith('_test.go');
    const pkg: Item = {
      label: '$(play) Run this package',
      description: shown,
      target: { kind: 'package', dir, folder },
    };
    const tests: Item = {
      label: "$(beaker) Run this package's tests",
      description: shown,
      target: { kind: 'test', dir, folder },
    };
    items.push(...(isTest ? [tests, pkg] : [pkg, tests]));
  }
  for (const folder of vscode.workspace.workspaceFolders ?? [undefined]) {
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? folder?.name : undefined;
    const add = (configuration: RunConfiguration | undefined, icon: string, from: string) => {
      if (!configuration) return;
      items.push({
        label: `${icon} ${configuration.name}`,
        description: [
          configuration.mode === 'test' ? 'go test' : '',
          configuration.program,
          ...(configuration.args ?? []),
        ]
          .filter(Boolean)
          .join(' '),
        detail: [from, multi].filter(Boolean).join(' · '),
        target: { kind: 'configuration', configuration, folder },
      });
    };
    const cfg = (section: string, key: string) =>
      vscode.workspace.getConfiguration(section, folder?.uri).get<unknown[]>(key) ?? [];
    for (const c of cfg('goLens', 'runConfigurations'))
      add(asRunConfiguration(c), '$(gear)', 'goLens.runConfigurations');
    for (const c of cfg('launch', 'configurations'))
      add(fromLaunchJson(c), '$(debug-alt)', 'launch.json');
    for (const c of cfg('goLens.schedTrace', 'configurations'))
      add(asRunConfiguration(c), '$(pulse)', 'goLens.schedTrace.configurations');
  }
  items.push({
    label: '$(settings-gear) Add a run configuration…',
    description: 'goLens.runConfigurations',
    openSettings: true,
  });
  if (items.length === 1) {
    void vscode.window.showInformationMessage(
      'Go Lens: open a Go file of the package to run, or add a configuration to goLens.runConfigurations or .vscode/launch.json.',
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder:
      'What to run (profiling endpoints are added at build time; your files are not changed)',
    ignoreFocusOut: true,
  });
  if (picked?.openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', {
      revealSetting: { key: 'goLens.runConfigurations', edit: true },
    });
    return undefined;
  }
  return picked?.target;
}

type OptionItem = vscode.QuickPickItem & { option: keyof LaunchOptions };

/** Asks which options the run gets, starting from the remembered ones; undefined when dismissed. */
export async function pickLaunchOptions(
  target: LaunchTarget,
  current: LaunchOptions,
): Promise<LaunchOptions | undefined> {
  const items: OptionItem[] = [
    {
      option: 'profiling',
      label: 'Profiling endpoints',
      description:
        'capture CPU, heap, goroutines, traces from the run (a file added at build time)',
    },
    {
      option: 'flightRecorder',
      label: 'Flight recorder',
      description: 'Go 1.25+: the last seconds of execution trace, snapshot on demand',
    },
    {
      option: 'schedTrace',
      label: 'Scheduler/GC trace',
      description: 'GODEBUG=schedtrace,gctrace with the live scheduler dashboard',
    },
    {
      option: 'race',
      label: 'Race detector',
      description: 'build with -race (needs cgo); set GORACE in the configuration env',
    },
    {
      option: 'crash',
      label: 'Core dump on crash',
      description:
        'GOTRACEBACK=crash and ulimit -c unlimited; the core is offered to Open Core Dump',
    },
  ];
  if (perfAvailable())
    items.push({
      option: 'perf',
      label: 'perf record',
      description: 'record with Linux perf (-g); opens in the profile viewer when the run ends',
    });
  const qp = vscode.window.createQuickPick<OptionItem>();
  qp.title = `Go Lens: Run ${targetLabel(target)} with…`;
  qp.placeholder = 'Options for this run (remembered for this configuration); Enter to run';
  qp.canSelectMany = true;
  qp.ignoreFocusOut = true;
  qp.items = items;
  qp.selectedItems = items.filter((i) => current[i.option]);
  return new Promise((resolve) => {
    let result: LaunchOptions | undefined;
    qp.onDidAccept(() => {
      const chosen = new Set(qp.selectedItems.map((i) => i.option));
      result = {
        profiling: chosen.has('profiling'),
        flightRecorder: chosen.has('flightRecorder'),
        schedTrace: chosen.has('schedTrace'),
        race: chosen.has('race'),
        crash: chosen.has('crash'),
        perf: chosen.has('perf'),
      };
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}
