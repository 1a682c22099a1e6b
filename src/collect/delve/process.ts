// Starting a headless Delve (`dlv core …` or `dlv attach …`) on a loopback port it picks
// itself, and ending it. Node only (no vscode): the CLI, the parse worker and the extension
// host all start Delve through here.
import { spawn, type ChildProcess } from 'node:child_process';
import { DelveRpcClient } from './rpc';

/** Delve could not start; `output` is what it printed (its own reason). */
export class DelveStartError extends Error {
  override name = 'DelveStartError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export interface DelveProcess {
  client: DelveRpcClient;
  child: ChildProcess;
  /** Everything Delve printed so far (warnings such as an unsupported Go version land here). */
  output(): string;
  /** Closes the connection and ends Delve (SIGKILL after 2 s if it lingers). */
  close(): Promise<void>;
}

/**
 * Runs Delve (`$0 "$@"`) and kills it when our end of its stdin closes: when Go Lens closes it,
 * and also when the parse worker is terminated (a cancel) or the extension host dies, which
 * close the pipe without running any of our code. A headless Delve on a core does not exit
 * when its client disconnects, so without this it would outlive us.
 */
const WATCHDOG = [
  'exec 3<&0 0</dev/null',
  '"$0" "$@" 3<&- &',
  'p=$!',
  '{ cat <&3 >/dev/null 2>&1; kill -9 $p 2>/dev/null; } &',
  'w=$!',
  'exec 3<&-',
  'wait $p; s=$?',
  'kill $w 2>/dev/null',
  'exit $s',
].join('\n');

/** How long Delve may take to load a big binary's debug info and print its address. */
const START_TIMEOUT_MS = 120_000;

/**
 * Runs `dlv <args…> --headless --api-version=2 --listen=127.0.0.1:0` and connects to the
 * address it prints. `args` is e.g. `['core', exe, core]` or `['attach', pid, exe]`.
 */
export function startDelve(
  dlv: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal } = {},
): Promise<DelveProcess> {
  return new Promise((resolve, reject) => {
    const dlvArgs = [
      ...args,
      '--headless',
      '--api-version=2',
      '--listen=127.0.0.1:0',
      '--log-dest=2',
    ];
    // Through the watchdog on Unix, so Delve ends with us (see WATCHDOG).
    const child =
      process.platform === 'win32'
        ? spawn(dlv, dlvArgs, {
            env: options.env ?? process.env,
            cwd: options.cwd,
            stdio: ['ignore', 'pipe', 'pipe'],
          })
        : spawn('/bin/sh', ['-c', WATCHDOG, dlv, ...dlvArgs], {
            env: options.env ?? process.env,
            cwd: options.cwd,
            stdio: ['pipe', 'pipe', 'pipe'],
          });
    const end = () => {
      child.stdin?.destroy();
      if (process.platform === 'win32') child.kill('SIGKILL');
    };
    let output = '';
    let settled = false;
    const finish = (err: Error | undefined, value?: DelveProcess) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) {
        end();
        reject(err);
      } else resolve(value!);
    };
    const onAbort = () => finish(new DelveStartError('cancelled', output));
    options.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(
      () =>
        finish(
          new DelveStartError(`Delve did not start within ${START_TIMEOUT_MS / 1000} s`, output),
        ),
      START_TIMEOUT_MS,
    );
    const onData = (d: Buffer) => {
      output += d.toString('utf8');
      if (output.length > 1 << 20) output = output.slice(-(1 << 19));
      const m = /API server listening at:\s*(\S+)/.exec(output);
      if (!m || settled) return;
      DelveRpcClient.connect(m[1]).then(
        (client) => {
          const exited = new Promise<void>((r) => {
            if (child.exitCode !== null || child.signalCode !== null) r();
            else child.once('exit', () => r());
          });
          finish(undefined, {
            client,
            child,
            output: () => output,
            close: async () => {
              client.close();
              const t = setTimeout(() => child.kill('SIGKILL'), 5000);
              end();
              if (process.platform === 'win32') child.kill('SIGTERM');
              await exited;
              clearTimeout(t);
            },
          });
        },
        (e: Error) =>
          finish(new DelveStartError(`could not connect to Delve: ${e.message}`, output)),
      );
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish(
        new DelveStartError(
          e.code === 'ENOENT'
            ? `Delve (${dlv}) was not found`
            : `could not run ${dlv}: ${e.message}`,
          output,
        ),
      ),
    );
    child.on('exit', (code, sig) =>
      // 127 and 126: the watchdog's shell could not find or run dlv.
      finish(
        new DelveStartError(
          code === 127 || code === 126
            ? `Delve (${dlv}) was not found`
            : `Delve exited (${sig ?? `code ${code}`}) before it was ready`,
          output,
        ),
      ),
    );
  });
}
