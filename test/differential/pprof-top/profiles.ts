// Shared by the pprof-top differential tests: real profiles of every kind made now by the
// machine's Go (test/go/pprof-kinds, run twice with different work for diffs, and the demo
// service over HTTP), a fast way to run `go tool pprof`, and a parser of its -top table.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goBuild, goEnv, repoRoot, run, startGoServer, type RunResult } from '../../support/go';

const execFileP = promisify(execFile);

/** The kinds pprof-kinds writes. */
export const KINDS = [
  'cpu',
  'heap',
  'allocs',
  'goroutine',
  'mutex',
  'block',
  'threadcreate',
] as const;

export interface Made {
  /** `<dir>/base/<kind>.pb.gz` (work 1) and `<dir>/new/<kind>.pb.gz` (work 3). */
  base: string;
  current: string;
  /** Profiles of the demo service: `<dir>/demo/<kind>.pb.gz` for cpu, heap, goroutine, mutex, block. */
  demo: string;
}

async function mustRun(cmd: string, args: string[]): Promise<void> {
  const r = await run(cmd, args, { env: goEnv(), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
}

/** Builds and runs the programs; `withDemo` also captures the demo service's profiles over HTTP. */
export async function makeProfiles(dir: string, withDemo: boolean): Promise<Made> {
  const made: Made = {
    base: join(dir, 'base'),
    current: join(dir, 'new'),
    demo: join(dir, 'demo'),
  };
  for (const d of [made.base, made.current, made.demo]) mkdirSync(d, { recursive: true });
  const kinds = await goBuild('pprof-kinds');
  const jobs: Promise<void>[] = [
    mustRun(kinds, ['-out', made.base, '-seconds', '1', '-work', '1']),
    mustRun(kinds, ['-out', made.current, '-seconds', '1', '-work', '3']),
  ];
  if (withDemo) {
    jobs.push(
      (async () => {
        const bin = join(dir, 'demo-server');
        await execFileP('go', ['build', '-o', bin, '.'], {
          cwd: join(repoRoot, 'demo'),
          env: goEnv(),
          maxBuffer: 64 << 20,
        });
        const server = await startGoServer(bin, ['-addr', '127.0.0.1:0']);
        try {
          const get = async (path: string, file: string): Promise<void> => {
            const r = await fetch(`${server.url}/debug/pprof/${path}`);
            if (!r.ok) throw new Error(`/debug/pprof/${path}: HTTP ${r.status}`);
            writeFileSync(join(made.demo, file), new Uint8Array(await r.arrayBuffer()));
          };
          await get('profile?seconds=1', 'cpu.pb.gz');
          await Promise.all(
            ['heap', 'goroutine', 'mutex', 'block'].map((k) => get(k, `${k}.pb.gz`)),
          );
        } finally {
          await server.stop();
        }
      })(),
    );
  }
  await Promise.all(jobs);
  return made;
}

let pprofCmd: Promise<string[]> | undefined;

/** Runs pprof itself when the go command can say where it is (a go process per call costs seconds here). */
export async function pprof(args: string[]): Promise<RunResult> {
  pprofCmd ??= (async () => {
    // Go ≥ 1.24 builds tools on first use: `go tool -n` names the binary, which may not exist yet.
    try {
      const { stdout } = await execFileP('go', ['tool', '-n', 'pprof'], { env: goEnv() });
      if (existsSync(stdout.trim())) return [stdout.trim()];
    } catch {
      // Older Go: no -n; go tool runs it.
    }
    return ['go', 'tool', 'pprof'];
  })();
  const [cmd, ...pre] = await pprofCmd;
  return run(cmd, [...pre, ...args], { env: goEnv(), timeoutMs: 120_000 });
}

/** The -unit that makes pprof print a sample type's values raw. */
export function baseUnit(unit: string): string {
  if (unit === 'nanoseconds') return 'ns';
  if (unit === 'bytes') return 'B';
  return unit;
}

export type TopRows = Map<string, { flat: number; cum: number }>;

const ROW = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*?)(?: \((?:partial-)?inline\))?$/;

/** A value as pprof prints it with a base -unit: an integer, maybe with the unit after it. */
function rawValue(text: string): number {
  const m = /^(-?\d+)(?:[A-Za-z]*)$/.exec(text);
  if (!m) throw new Error(`pprof printed a value that is not a raw integer: ${text}`);
  return Number(m[1]);
}

/** Parses the table of `go tool pprof -top` (everything after the flat/cum header). */
export function parsePprofTop(text: string): TopRows {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  if (header < 0) throw new Error(`no -top table in pprof output:\n${text.slice(0, 2000)}`);
  const rows: TopRows = new Map();
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    const m = ROW.exec(line);
    if (!m) throw new Error(`cannot parse a pprof -top row: ${JSON.stringify(line)}`);
    if (rows.has(m[3])) throw new Error(`pprof printed ${m[3]} twice`);
    rows.set(m[3], { flat: rawValue(m[1]), cum: rawValue(m[2]) });
  }
  return rows;
}

/** Rows as sorted `name flat cum` lines, for readable diffs. */
export function rowLines(rows: TopRows): string[] {
  return [...rows].map(([k, v]) => `${k} ${v.flat} ${v.cum}`).sort();
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
