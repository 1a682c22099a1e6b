// A minimal Debug Adapter Protocol client over TCP, enough to drive `dlv dap` the way VS Code
// does (initialize, launch, configurationDone, setBreakpoints, pause, threads, stackTrace) in a
// test, without VS Code. Messages are `Content-Length: N\r\n\r\n` + JSON.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goEnv } from '../../support/go';

const execFileP = promisify(execFile);

export interface DapEvent {
  event: string;
  body?: Record<string, unknown>;
}

export class DapClient {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  readonly events: DapEvent[] = [];
  private waiters: { match(e: DapEvent): boolean; resolve(e: DapEvent): void }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
  }

  static connect(port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new DapClient(s)));
      s.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!m) throw new Error('DAP message without Content-Length');
      const end = headerEnd + 4 + Number(m[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(headerEnd + 4, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end);
      if (msg.type === 'response') {
        const p = this.pending.get(msg.request_seq);
        this.pending.delete(msg.request_seq);
        if (msg.success) p?.resolve(msg.body ?? {});
        else
          p?.reject(new Error(msg.body?.error?.format ?? msg.message ?? `${msg.command} failed`));
      } else if (msg.type === 'event') {
        const e: DapEvent = { event: msg.event, body: msg.body };
        this.events.push(e);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(e)) return true;
          w.resolve(e);
          return false;
        });
      }
    }
  }

  /** Sends a request; resolves to the response body, rejects with the adapter's error text. */
  request = (command: string, args?: Record<string, unknown>): Promise<unknown> => {
    const seq = this.seq++;
    const body = Buffer.from(
      JSON.stringify({ seq, type: 'request', command, arguments: args ?? {} }),
      'utf8',
    );
    this.socket.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.socket.write(body);
    return new Promise((resolve, reject) => this.pending.set(seq, { resolve, reject }));
  };

  /** Resolves with the first event (already received or future) that matches. */
  waitForEvent(match: (e: DapEvent) => boolean, timeoutMs = 60_000): Promise<DapEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching DAP event in ${timeoutMs} ms; got: ${this.events.map((e) => e.event).join(', ')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The Delve release the tests are written against (its DAP server's 1024-goroutine cap included). */
export const DELVE_VERSION = 'v1.27.2';

/**
 * The `dlv` binary: from PATH or GOPATH/bin when present, else installed once through the Go
 * module proxy into a cache under the OS temp dir (about a minute).
 */
export async function findOrInstallDlv(): Promise<string> {
  const gopath = (await execFileP('go', ['env', 'GOPATH'], { env: goEnv() })).stdout.trim();
  const candidates = [
    ...(process.env.PATH ?? '').split(':').map((p) => join(p, 'dlv')),
    join(gopath, 'bin', 'dlv'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const gobin = join(tmpdir(), 'golens-test-bin', 'delve');
  mkdirSync(gobin, { recursive: true });
  const installed = join(gobin, 'dlv');
  if (!existsSync(installed)) {
    await execFileP('go', ['install', `github.com/go-delve/delve/cmd/dlv@${DELVE_VERSION}`], {
      env: { ...goEnv(), GOFLAGS: '', GOBIN: gobin },
      maxBuffer: 64 << 20,
    });
  }
  return installed;
}

export interface DlvDap {
  client: DapClient;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `dlv dap` on a free port and connects to it. */
export async function startDlvDap(dlv: string): Promise<DlvDap> {
  const child = spawn(dlv, ['dap', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: goEnv(),
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /DAP server listening at: [^\s]*:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`dlv dap exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`dlv dap did not start: ${out}`)), 60_000);
  });
  const client = await DapClient.connect(port);
  return {
    client,
    process: child,
    stop: async () => {
      await client.request('disconnect', { terminateDebuggee: true }).catch(() => undefined);
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
