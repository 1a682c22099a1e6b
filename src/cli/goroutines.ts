// golens goroutines FILE [--json] [--relaxed] [--system] [--leaked] [--dump N] [--compare PREVIOUS]:
// a goroutine dump (any format, the goroutine leak profile's too) as goroutines and groups; with
// --compare, what grew or shrank since PREVIOUS; with --leaked, only the goroutines the runtime
// marked leaked, grouped by leak site. A file with several dumps lists them and shows one (the
// first crash unless --dump N picks it).
import { readFileSync } from 'node:fs';
import {
  compareSnapshots,
  countLeaked,
  defaultDumpIndex,
  describeLeakSite,
  frameAt,
  parseGoroutineDumps,
  summarizeDumps,
  type DumpInText,
  type DumpEntry,
  goroutineAt,
  groupGoroutines,
  leakSites,
  stackFrames,
  type DumpHeader,
  type FrameView,
  type GoroutineGroup,
  type GoroutineSnapshot,
  type GroupOptions,
} from '../core/goroutines';
import { gunzip } from '../node/inflate';
import { CliError, intFlag, parseArgs, writeLines, type CliCommand } from './command';

const USAGE =
  'usage: golens goroutines FILE [--json] [--relaxed] [--system] [--leaked] [--dump N] [--compare PREVIOUS]';

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a goroutine dump`);
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function loadAll(path: string): DumpInText[] {
  try {
    return parseGoroutineDumps(readInput(path), { inflate: gunzip });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The dump `--dump N` (1-based) names, or the default one (the first crash). */
function pick(path: string, dumps: DumpInText[], n: number | undefined): number {
  if (n === undefined) return defaultDumpIndex(dumps);
  if (n < 1 || n > dumps.length) {
    throw new CliError(
      `${path} holds ${dumps.length} dump${dumps.length === 1 ? '' : 's'}; --dump takes 1 to ${dumps.length}, not ${n}`,
    );
  }
  return n - 1;
}

function load(path: string, n?: number): GoroutineSnapshot {
  const dumps = loadAll(path);
  return dumps[pick(path, dumps, n)].snapshot;
}

function* dumpListLines(summaries: DumpEntry[], shown: number): Generator<string> {
  yield `${summaries.length} dumps in this file (--dump N shows another):`;
  for (const d of summaries) {
    yield `${d.index === shown + 1 ? '*' : ' '} ${String(d.index).padStart(3)}  line ${String(d.startLine).padEnd(7)} ${String(d.goroutines).padStart(6)} goroutines  ${d.title}`;
  }
  yield '';
}

const brief = (f: FrameView) => ({ func: f.func, file: f.file, line: f.line });

function headerJson(h: DumpHeader, s: GoroutineSnapshot) {
  return {
    kind: h.kind,
    panics: h.panics,
    fatalError: h.fatalError || null,
    signal: h.signal ?? null,
    runtimeMessages: h.runtimeMessages,
    runtimeStack: h.runtimeStack >= 0 ? stackFrames(s, h.runtimeStack).map(brief) : null,
    testTimeout: h.testTimeout ?? null,
    currentGoroutine: h.currentGoroutine >= 0 ? s.goroutines.id[h.currentGoroutine] : null,
  };
}

function groupJson(s: GoroutineSnapshot, g: GoroutineGroup) {
  const ids: number[] = [];
  for (const r of g.rows) if (s.goroutines.id[r] >= 0) ids.push(s.goroutines.id[r]);
  return {
    ids,
    count: g.count,
    state: g.states[0]?.state ?? '',
    states: g.states,
    waitMinutes: g.waitMinutes,
    lockedToThread: g.lockedToThread,
    stack: stackFrames(s, g.stack).map(brief),
    createdBy: g.createdBy >= 0 ? brief(frameAt(s, g.createdBy)) : null,
    labels: g.labels,
    system: g.system,
    flags: g.flags,
    signature: g.signature,
  };
}

/**
 * `dumps`: the file's dumps and which one this is, when it holds several; `extra` adds top-level
 * fields (`golens core` adds `crashed` and `signal`).
 */
export function* jsonLines(
  s: GoroutineSnapshot,
  groupOptions: GroupOptions,
  dumps?: { list: DumpEntry[]; shown: number },
  extra: Record<string, unknown> = {},
): Generator<string> {
  const grouping = groupGoroutines(s, groupOptions);
  // Several dumps: which one this is and the list of all (one object, so scripts parse it alike).
  const several = dumps ? `"dump":${dumps.shown + 1},"dumps":${JSON.stringify(dumps.list)},` : '';
  // Streamed one goroutine per line: a 100k-goroutine dump is too big for one JSON.stringify.
  yield `{${several}"format":${JSON.stringify(s.format)},"totalGoroutines":${s.totalGoroutines},"goroutines":[`;
  for (let row = 0; row < s.goroutines.count; row++) {
    const v = goroutineAt(s, row);
    const o = {
      id: v.id >= 0 ? v.id : null,
      count: v.count,
      state: v.state,
      waitMinutes: v.waitMinutes,
      lockedToThread: v.lockedToThread,
      frames: v.frames.map(brief),
      elided: v.elided,
      createdBy: v.createdBy ? { ...brief(v.createdBy), goroutine: v.createdBy.goroutine } : null,
      labels: v.labels,
      system: v.system,
      flags: v.flags,
      ...(v.ancestors.length
        ? {
            ancestors: v.ancestors.map((a) => ({
              id: a.id,
              frames: a.frames.map(brief),
              createdBy: a.createdBy ? brief(a.createdBy) : null,
            })),
          }
        : {}),
    };
    yield JSON.stringify(o) + (row + 1 < s.goroutines.count ? ',' : '');
  }
  yield `],"groups":[`;
  for (let i = 0; i < grouping.groups.length; i++) {
    yield (
      JSON.stringify(groupJson(s, grouping.groups[i])) + (i + 1 < grouping.groups.length ? ',' : '')
    );
  }
  const sites = leakSites(s).map((site) => ({
    count: site.count,
    reason: site.reason,
    frame: site.frame >= 0 ? brief(frameAt(s, site.frame)) : null,
    createdAt: site.createdAt.map((c) => ({ ...brief(frameAt(s, c.frame)), count: c.count })),
    labels: site.labels,
    message: describeLeakSite(s, site),
  }));
  yield (
    `],"leaked":${countLeaked(s)},"leakSites":${JSON.stringify(sites)},"hiddenSystemGoroutines":${grouping.hiddenSystem},` +
    (s.header ? `"header":${JSON.stringify(headerJson(s.header, s))},` : '') +
    `"warnings":${JSON.stringify(s.warnings)}` +
    Object.entries(extra)
      .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join('') +
    '}'
  );
}

function describeHeader(h: DumpHeader, s: GoroutineSnapshot): string[] {
  const out: string[] = [];
  for (const m of h.runtimeMessages) out.push(m);
  h.panics.forEach((p, i) => {
    const marks = p.repanicked ? ' [recovered, repanicked]' : p.recovered ? ' [recovered]' : '';
    out.push(`${i === 0 ? '' : '  then '}panic: ${p.value.replace(/\n/g, '\n    ')}${marks}`);
  });
  if (h.fatalError) out.push(`fatal error: ${h.fatalError}`);
  if (h.signal) {
    const fields = Object.entries(h.signal.fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    out.push(
      `signal ${h.signal.name}${h.signal.description ? ': ' + h.signal.description : ''}${fields ? ' ' + fields : ''}`,
    );
  }
  if (h.currentGoroutine >= 0) out.push(`on goroutine ${s.goroutines.id[h.currentGoroutine]}`);
  return out;
}

function location(f: FrameView): string {
  return f.file ? `${f.file}:${f.line}` : '';
}

export function* textLines(s: GoroutineSnapshot, groupOptions: GroupOptions): Generator<string> {
  const grouping = groupGoroutines(s, groupOptions);
  const shown = grouping.groups.reduce((n, g) => n + g.count, 0);
  const hidden = grouping.hiddenSystem
    ? ` (${grouping.hiddenSystem} runtime goroutines hidden; --system shows them)`
    : '';
  yield `${s.format} dump: ${s.totalGoroutines} goroutines, ${grouping.groups.length} groups of ${shown}${hidden}`;
  yield* leakLines(s, groupOptions);
  if (s.header) for (const l of describeHeader(s.header, s)) yield l;
  for (const w of s.warnings) yield `warning: ${w.message}`;
  for (const g of grouping.groups) {
    yield '';
    const states = g.states
      .map((x) => (g.states.length > 1 ? `${x.state || '?'} ×${x.count}` : x.state))
      .filter(Boolean)
      .join(', ');
    const wait =
      g.waitMinutes.max > 0
        ? g.waitMinutes.min === g.waitMinutes.max
          ? `, ${g.waitMinutes.max} min`
          : `, ${g.waitMinutes.min}–${g.waitMinutes.max} min`
        : '';
    const flags = g.flags.length ? `  !${g.flags.join(' !')}` : '';
    // debug=0/1 record no states: no empty brackets for them.
    yield `${g.count} ×${states || wait ? ` [${states}${wait}]` : ''}${flags}`;
    for (const { labels, count } of g.labels)
      yield `    labels ${JSON.stringify(labels)}${g.labels.length > 1 || count !== g.count ? ` ×${count}` : ''}`;
    for (const f of stackFrames(s, g.stack)) yield `    ${f.func}  ${location(f)}`;
    if (s.stacks.elided[g.stack] !== 0)
      yield `    (${s.stacks.elided[g.stack] > 0 ? s.stacks.elided[g.stack] : 'some'} frames elided)`;
    if (g.createdBy >= 0) {
      const cb = frameAt(s, g.createdBy);
      yield `    created by ${cb.func}  ${location(cb)}`;
    }
  }
}

/** The leak summary: one line per leak site, when the runtime marked any goroutine leaked. */
function* leakLines(s: GoroutineSnapshot, groupOptions: GroupOptions): Generator<string> {
  const leaked = countLeaked(s);
  if (leaked === 0) return;
  const sites = leakSites(s);
  yield `${leaked} leaked goroutine${leaked === 1 ? '' : 's'} at ${sites.length} site${sites.length === 1 ? '' : 's'}${groupOptions.onlyLeaked ? '' : ' (--leaked groups only them)'}:`;
  for (const site of sites) {
    const at = site.frame >= 0 ? frameAt(s, site.frame) : undefined;
    yield `  ${at ? `${location(at)}  ` : ''}${describeLeakSite(s, site)}`;
  }
}

function* compareLines(
  prev: GoroutineSnapshot,
  cur: GoroutineSnapshot,
  options: GroupOptions,
  json: boolean,
): Generator<string> {
  const cmp = compareSnapshots(prev, cur, options);
  if (json) {
    yield JSON.stringify({
      totalBefore: cmp.totalBefore,
      totalAfter: cmp.totalAfter,
      changes: cmp.changes.map((c) => ({
        kind: c.kind,
        before: c.before,
        after: c.after,
        delta: c.delta,
        stack: c.current
          ? stackFrames(cur, c.current.stack).map(brief)
          : stackFrames(prev, c.previous!.stack).map(brief),
        signature: c.signature,
      })),
    });
    return;
  }
  yield `goroutines: ${cmp.totalBefore} → ${cmp.totalAfter} (${cmp.totalAfter - cmp.totalBefore >= 0 ? '+' : ''}${cmp.totalAfter - cmp.totalBefore})`;
  for (const c of cmp.changes) {
    if (c.kind === 'unchanged') continue;
    const g = (c.current ?? c.previous)!;
    const snap = c.current ? cur : prev;
    const top = g.topFrame >= 0 ? frameAt(snap, g.topFrame) : undefined;
    const sign = c.delta > 0 ? '+' : '';
    yield `${c.kind.padEnd(8)} ${String(c.before).padStart(6)} → ${String(c.after).padEnd(6)} (${sign}${c.delta})  ${top ? `${top.func}  ${location(top)}` : '(no frames)'}`;
  }
}

export const goroutinesCommand: CliCommand = {
  summary:
    'read a goroutine dump (panic, SIGQUIT, goroutine?debug=0/1/2) and group goroutines by stack',
  usage: USAGE,
  async run(args) {
    const parsed = parseArgs(args, ['compare', 'dump'], ['json', 'relaxed', 'system', 'leaked']);
    if (parsed.positional.length !== 1) throw new CliError(USAGE);
    const options: GroupOptions = {
      similarity: parsed.flags.has('relaxed') ? 'relaxed' : 'exact',
      hideSystem: !parsed.flags.has('system'),
      onlyLeaked: parsed.flags.has('leaked'),
    };
    const json = parsed.flags.has('json');
    const path = parsed.positional[0];
    const dumps = loadAll(path);
    const shown = pick(path, dumps, intFlag(parsed, 'dump'));
    const snapshot = dumps[shown].snapshot;
    const previousPath = parsed.flags.get('compare');
    if (typeof previousPath === 'string') {
      await writeLines(compareLines(load(previousPath), snapshot, options, json));
      return 0;
    }
    const list = dumps.length > 1 ? { list: summarizeDumps(dumps), shown } : undefined;
    if (json) {
      await writeLines(jsonLines(snapshot, options, list));
      return 0;
    }
    await writeLines(
      list
        ? (function* () {
            yield* dumpListLines(list.list, shown);
            yield* textLines(snapshot, options);
          })()
        : textLines(snapshot, options),
    );
    return 0;
  },
};
