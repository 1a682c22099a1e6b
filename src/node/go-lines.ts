// Resolves perf frames of Go binaries to file:line with the binary's own tables: `go tool nm`
// gives each symbol's address, `go tool addr2line` the line of symbol + offset. Binaries that are
// gone, are not Go, or fail are skipped (their frames keep no line).
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { readGoFunctionTable, type GoFunctionTable } from '../core/perf/go-pclntab';
import type { FramesAnswer, LineAnswer, LineQuery } from '../core/perf/source-lines';

export interface GoTool {
  binary: string;
  env?: NodeJS.ProcessEnv;
}

function runTool(
  go: GoTool,
  args: string[],
  input: string,
  timeoutMs = 60_000,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(go.binary, args, {
      env: go.env ?? process.env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? Buffer.concat(out).toString('utf8') : undefined);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function groupByBinary(queries: LineQuery[]): Map<string, LineQuery[]> {
  const byBinary = new Map<string, LineQuery[]>();
  for (const q of queries) {
    let list = byBinary.get(q.binary);
    if (!list) byBinary.set(q.binary, (list = []));
    list.push(q);
  }
  return byBinary;
}

/**
 * The frames of `queries` from each binary's own function table, inlined calls included (read
 * here, nothing run), and the queries of binaries that table reader cannot read (not ELF, Go
 * before 1.20, not Go at all), for resolveGoLines. Binaries that are gone are dropped.
 */
export async function resolveGoFrames(
  queries: LineQuery[],
): Promise<{ answers: FramesAnswer[]; rest: LineQuery[] }> {
  const answers: FramesAnswer[] = [];
  const rest: LineQuery[] = [];
  for (const [binary, list] of groupByBinary(queries)) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(binary);
    } catch {
      continue;
    }
    let table: GoFunctionTable;
    try {
      table = readGoFunctionTable(bytes);
    } catch {
      rest.push(...list);
      continue;
    }
    try {
      for (const q of list) {
        const entry = table.entry(q.symbol);
        if (entry === undefined) continue;
        const frames = table.frames(entry + q.offset);
        if (frames.length > 0) answers.push({ location: q.location, frames });
      }
    } catch {
      // A damaged table (read past its end): its frames keep the names perf gave them.
    }
  }
  return { answers, rest };
}

/** The answers for `queries`, binary by binary. */
export async function resolveGoLines(go: GoTool, queries: LineQuery[]): Promise<LineAnswer[]> {
  const byBinary = groupByBinary(queries);
  const answers: LineAnswer[] = [];
  for (const [binary, list] of byBinary) {
    try {
      await access(binary);
    } catch {
      continue;
    }
    const nm = await runTool(go, ['tool', 'nm', binary], '');
    if (!nm) continue;
    const symbols = new Map<string, number>();
    for (const line of nm.split('\n')) {
      const m = /^\s*([0-9a-f]+)\s+[TtR]\s+(.+)$/.exec(line);
      if (m && !symbols.has(m[2])) symbols.set(m[2], parseInt(m[1], 16));
    }
    // Each pc, and each function's first pc (its own file and first line).
    const asked: { q: LineQuery; pc: number }[] = [];
    const starts = new Map<string, number>();
    for (const q of list) {
      const start = symbols.get(q.symbol);
      if (start === undefined) continue;
      asked.push({ q, pc: start + q.offset });
      starts.set(q.symbol, start);
    }
    if (asked.length === 0) continue;
    const startList = [...starts];
    const pcs = [...asked.map((a) => a.pc), ...startList.map(([, pc]) => pc)];
    const out = await runTool(
      go,
      ['tool', 'addr2line', binary],
      pcs.map((pc) => '0x' + pc.toString(16)).join('\n') + '\n',
    );
    if (!out) continue;
    const lines = out.split('\n');
    const position = (i: number): { file: string; line: number } | undefined => {
      const m = /^(.*):(\d+)$/.exec(lines[2 * i + 1] ?? '');
      return m ? { file: m[1], line: Number(m[2]) } : undefined;
    };
    const home = new Map<string, { file: string; line: number }>();
    startList.forEach(([sym], k) => {
      const p = position(asked.length + k);
      if (p) home.set(sym, p);
    });
    for (let i = 0; i < asked.length; i++) {
      const p = position(i);
      const own = home.get(asked[i].q.symbol);
      if (!p) continue;
      // The line table gives the innermost inlined position, and addr2line names only the outer
      // function: a pc in code inlined from another file is given the function's own first line
      // instead (the frame then opens at the top of the right function, not in the inlined callee).
      answers.push({ location: asked[i].q.location, ...(own && own.file !== p.file ? own : p) });
    }
  }
  return answers;
}
