// npm run test:corpus: every file of the real-world corpus (../shared/corpus beside the clone, or
// $GOLENS_CORPUS) through the golens readers, compared with Go's own tools where they read the
// same file:
//   pprof/       golens top --json  vs  go tool pprof -top (default sample type, every row)
//   traces/      golens trace-events  vs  go tool trace -d=parsed (byte for byte)
//   goroutines/  golens goroutines --json  vs  gostackparse's golden JSON (where there is one);
//                every other dump must read
//   schedtrace/  golens schedtrace must read
// A file golens refuses while Go's tool reads it (or that golens cannot read at all) must be in
// the reviewed table test/corpus/expected-refusals.json, with golens's message as it is now.
// Prints the agreement table; exits 1 on any disagreement not listed, and on a listed refusal
// that no longer happens (the fix landed: take it off the list, e.g. with --write-expected).
//
//   node scripts/corpus-check.mjs [--jobs N] [--only SUBSTRING] [--write-expected] [--verbose]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { legacyTraceVersion, tieInsensitive } from './lib/trace-ties.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.GOLENS_CORPUS
  ? resolve(process.env.GOLENS_CORPUS)
  : resolve(root, '../shared/corpus');
const expectedPath = join(root, 'test/corpus/expected-refusals.json');
const cli = join(root, 'dist/cli.js');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const valueOf = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
// Two at a time: CI machines have two cores, and each check runs two processes one after the other.
const jobs = Number(valueOf('jobs', '2'));
const only = valueOf('only', '');
const verbose = flag('verbose');

if (!existsSync(join(corpus, 'SOURCES.md'))) {
  console.error(
    `corpus-check: no corpus at ${corpus} (expected ../shared/corpus beside the clone, or set GOLENS_CORPUS)`,
  );
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('corpus-check: dist/cli.js is missing; run "npm run build" first');
  process.exit(2);
}

/** Runs a command; resolves to { code, stdout (Buffer), stderr }. Never rejects. */
function run(cmd, argv, timeoutMs = 120_000) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: -1, stdout: Buffer.alloc(0), stderr: String(e) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        code: signal ? -1 : code,
        stdout: Buffer.concat(out),
        stderr:
          Buffer.concat(err).toString('utf8') +
          (signal ? `\n(killed after ${timeoutMs / 1000} s)` : ''),
      });
    });
  });
}

const golens = (argv) => run(process.execPath, [cli, ...argv]);

// `go tool -n X` names the tool's binary (built on first use): running it directly saves the go
// command's start-up on each of hundreds of runs.
const toolCache = new Map();
async function goTool(tool, argv) {
  if (!toolCache.has(tool)) {
    const r = await run('go', ['tool', '-n', tool]);
    const path = r.stdout.toString().trim();
    toolCache.set(tool, r.code === 0 && existsSync(path) ? [path] : ['go', 'tool', tool]);
  }
  const [cmd, ...pre] = toolCache.get(tool);
  return run(cmd, [...pre, ...argv]);
}

/** golens's one-line message, with the corpus path made relative so the table is portable. */
function golensMessage(r, file) {
  return r.stderr
    .trim()
    .split('\n')[0]
    .replaceAll(file, relative(corpus, file))
    .replaceAll(corpus + '/', '');
}

function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

// ---- pprof --------------------------------------------------------------------------------

const TOP_ROW = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.*?)(?: \((?:partial-)?inline\))?$/;

function parsePprofTop(text) {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(l));
  if (header < 0) return new Map();
  const rows = new Map();
  let last;
  for (const line of lines.slice(header + 1)) {
    const m = TOP_ROW.exec(line);
    if (!m) {
      // A function name with a newline in it: pprof prints it as it is, over two lines.
      if (last !== undefined && line !== '') {
        const v = rows.get(last);
        rows.delete(last);
        last += '\n' + line;
        rows.set(last, v);
      }
      continue;
    }
    const num = (t) => Number(/^(-?\d+)/.exec(t)?.[1] ?? NaN);
    const prev = rows.get(m[3]);
    // pprof prints two rows for two functions of one name in different files; golens merges
    // them: flat adds up, cum cannot be told from the two rows (left out of the comparison).
    rows.set(m[3], { flat: num(m[1]) + (prev?.flat ?? 0), cum: prev ? undefined : num(m[2]) });
    last = m[3];
  }
  return rows;
}

/** The unit that makes pprof print raw integers, from the default sample type in -raw's header. */
function baseUnitOf(rawText) {
  const lines = rawText.split('\n');
  const i = lines.indexOf('Samples:');
  if (i < 0) return undefined;
  const types = lines[i + 1].trim().split(/\s+/).filter(Boolean);
  if (types.length === 0) return undefined;
  const dflt = types.find((t) => t.endsWith('[dflt]')) ?? types[types.length - 1];
  const unit = dflt.replace(/\[dflt\]$/, '').split('/')[1] ?? 'count';
  return unit === 'nanoseconds' ? 'ns' : unit === 'bytes' ? 'B' : unit;
}

async function checkPprof(file) {
  const raw = await goTool('pprof', ['-raw', file]);
  const ours = await golens(['top', file, '--json']);
  if (raw.code !== 0) {
    if (ours.code !== 0) return { outcome: 'both refuse', message: golensMessage(ours, file) };
    return {
      outcome: 'disagree',
      detail: `go tool pprof refuses (${raw.stderr.trim().split('\n').pop()}) but golens reads it`,
    };
  }
  if (ours.code !== 0) return { outcome: 'refused', message: golensMessage(ours, file) };
  const unit = baseUnitOf(raw.stdout.toString());
  const top = await goTool('pprof', [
    '-top',
    '-nodefraction=0',
    '-nodecount=10000000',
    '-edgefraction=0',
    ...(unit ? [`-unit=${unit}`] : []),
    file,
  ]);
  if (top.code !== 0)
    return {
      outcome: 'disagree',
      detail: `go tool pprof -top failed: ${top.stderr.trim().split('\n').pop()}`,
    };
  let theirs;
  try {
    theirs = parsePprofTop(top.stdout.toString());
  } catch (e) {
    return { outcome: 'disagree', detail: String(e) };
  }
  const mine = new Map();
  for (const r of JSON.parse(ours.stdout.toString()))
    mine.set(r.func, { flat: r.flat, cum: r.cum });
  const diffs = [];
  for (const [name, v] of theirs) {
    const m = mine.get(name);
    // pprof rounds a value it prints with a unit suffix; compare within 0.5 of its last digit.
    if (!m || Math.abs(m.flat - v.flat) > 1 || (v.cum !== undefined && Math.abs(m.cum - v.cum) > 1))
      diffs.push(
        `${name}: pprof ${v.flat}/${v.cum}, golens ${m ? `${m.flat}/${m.cum}` : 'missing'}`,
      );
  }
  for (const [name, m] of mine)
    if (!theirs.has(name) && (m.flat !== 0 || m.cum !== 0))
      diffs.push(`${name}: golens ${m.flat}/${m.cum}, pprof missing`);
  if (diffs.length)
    return {
      outcome: 'disagree',
      detail: `${diffs.length} top rows differ: ${diffs.slice(0, 3).join('; ')}`,
    };
  return { outcome: 'agree', detail: `${theirs.size} rows` };
}

// ---- execution traces ------------------------------------------------------------------------

const digest = (b) => createHash('sha256').update(b).digest('hex');

async function checkTrace(file) {
  const theirs = await goTool('trace', ['-d=parsed', file]);
  const ours = await golens(['trace-events', file]);
  const goReads = theirs.code === 0;
  if (!goReads && ours.code !== 0)
    return { outcome: 'both refuse', message: golensMessage(ours, file) };
  if (goReads && ours.code !== 0) return { outcome: 'refused', message: golensMessage(ours, file) };
  if (!goReads)
    return {
      outcome: 'disagree',
      detail: `go tool trace refuses (${theirs.stderr.trim().split('\n').pop()}) but golens reads it`,
    };
  if (
    digest(theirs.stdout) !== digest(ours.stdout) &&
    legacyTraceVersion(readFileSync(file).subarray(0, 16)) !== undefined
  ) {
    // Go's own output on v1 traces varies from run to run (lib/trace-ties.mjs): one of its runs,
    // or the same events with simultaneous ones in another order, is agreement.
    for (let attempt = 0; attempt < 5; attempt++) {
      const again = await goTool('trace', ['-d=parsed', file]);
      if (again.code === 0 && digest(again.stdout) === digest(ours.stdout))
        return {
          outcome: 'agree',
          detail: `identical to one of Go's runs (its order of simultaneous events varies)`,
        };
    }
    if (
      tieInsensitive(theirs.stdout.toString('latin1')) ===
      tieInsensitive(ours.stdout.toString('latin1'))
    ) {
      return {
        outcome: 'agree',
        detail: 'identical but for the order of simultaneous events, which Go varies run to run',
      };
    }
  }
  if (digest(theirs.stdout) !== digest(ours.stdout)) {
    const a = theirs.stdout.toString().split('\n');
    const b = ours.stdout.toString().split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return {
      outcome: 'disagree',
      detail: `-d=parsed differs at line ${i + 1}: go ${JSON.stringify(a[i]?.slice(0, 100))}, golens ${JSON.stringify(b[i]?.slice(0, 100))}`,
    };
  }
  return { outcome: 'agree', detail: `${theirs.stdout.length} bytes identical` };
}

// ---- goroutine dumps -------------------------------------------------------------------------

/** Our JSON in gostackparse's golden shape. */
function asGostackparse(out) {
  const frame = (f) => ({ Func: f.func, File: f.file, Line: f.line });
  // GODEBUG=tracebackancestors sections, creator first, nest as Ancestor.Ancestor….
  const ancestor = (list, i) => {
    if (i >= list.length) return {};
    const a = list[i];
    const nested = ancestor(list, i + 1);
    return {
      Ancestor: {
        ID: a.id,
        State: '',
        Wait: 0,
        LockedToThread: false,
        Stack: a.frames.map(frame),
        FramesElided: false,
        CreatedBy: a.createdBy ? frame(a.createdBy) : null,
        ...nested,
      },
    };
  };
  return out.goroutines.map((g) => ({
    ID: g.id,
    State: g.state,
    // gostackparse's Wait is a time.Duration (nanoseconds); the runtime prints whole minutes.
    Wait: g.waitMinutes * 60e9,
    LockedToThread: g.lockedToThread,
    Stack: g.frames.map(frame),
    FramesElided: g.elided !== null && g.elided !== undefined && g.elided.count !== 0,
    CreatedBy: g.createdBy ? frame(g.createdBy) : null,
    ...ancestor(g.ancestors ?? [], 0),
  }));
}

async function checkGoroutines(file) {
  const ours = await golens(['goroutines', file, '--json', '--system']);
  const golden = file.replace(/\.txt$/, '.golden.json');
  if (file.endsWith('.txt') && existsSync(golden)) {
    const want = JSON.parse(readFileSync(golden, 'utf8'));
    const wantGs = want.Goroutines ?? [];
    if (ours.code !== 0) {
      if (wantGs.length === 0)
        return { outcome: 'both refuse', message: golensMessage(ours, file) };
      return { outcome: 'refused', message: golensMessage(ours, file) };
    }
    const out = JSON.parse(ours.stdout.toString());
    if (want.Errors && want.Errors.length > 0) {
      // gostackparse gives up on these; we read what parses and warn.
      return out.warnings.length > 0
        ? {
            outcome: 'both flag',
            detail: `gostackparse: ${want.Errors.length} error(s); golens: ${out.warnings.length} warning(s)`,
          }
        : {
            outcome: 'disagree',
            detail: 'gostackparse reports errors, golens reads it without a warning',
          };
    }
    const got = asGostackparse(out);
    const a = JSON.stringify(wantGs);
    const b = JSON.stringify(got);
    if (a !== b)
      return {
        outcome: 'disagree',
        detail: `golden JSON differs: want ${a.slice(0, 160)}… got ${b.slice(0, 160)}…`,
      };
    return { outcome: 'agree', detail: `${got.length} goroutines as the golden JSON` };
  }
  if (ours.code !== 0) return { outcome: 'refused', message: golensMessage(ours, file) };
  const out = JSON.parse(ours.stdout.toString());
  return {
    outcome: 'read',
    detail: `${out.totalGoroutines} goroutines${out.dumps ? ` in ${out.dumps.length} dumps` : ''}`,
  };
}

async function checkSchedtrace(file) {
  const ours = await golens(['schedtrace', file]);
  if (ours.code !== 0) return { outcome: 'refused', message: golensMessage(ours, file) };
  return { outcome: 'read', detail: `${ours.stdout.toString().split('\n').length} lines` };
}

// ---- the run ---------------------------------------------------------------------------------

const CHECKS = {
  pprof: checkPprof,
  traces: checkTrace,
  goroutines: checkGoroutines,
  schedtrace: checkSchedtrace,
};

const files = listFiles(corpus)
  .map((f) => ({ path: f, rel: relative(corpus, f), area: relative(corpus, f).split('/')[0] }))
  .filter((f) => CHECKS[f.area] && !f.rel.endsWith('.golden.json') && f.rel.includes(only));

const expected = existsSync(expectedPath)
  ? JSON.parse(readFileSync(expectedPath, 'utf8'))
  : { refusals: {} };
const started = Date.now();
const results = new Array(files.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.max(1, jobs) }, async () => {
    while (next < files.length) {
      const i = next++;
      const f = files[i];
      const t0 = Date.now();
      let r;
      try {
        r = await CHECKS[f.area](f.path);
      } catch (e) {
        r = {
          outcome: 'disagree',
          detail: `check failed: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
      // `raw`: what the check found, before the reviewed list is applied.
      results[i] = { ...f, ...r, raw: { ...r }, ms: Date.now() - t0 };
      if (verbose) console.log(`${r.outcome.padEnd(16)} ${f.rel}  ${r.detail ?? r.message ?? ''}`);
    }
  }),
);

// Refusals against the reviewed table. --write-expected gives a new entry this reason; a run
// fails until a reviewer has written the real one.
const UNREVIEWED = 'UNREVIEWED: say why, or fix it';
const problems = [];
const nowRefused = {};
for (const r of results) {
  const listed = expected.refusals[r.rel];
  const known = expected.differences?.[r.rel];
  if (known && r.outcome === 'disagree') {
    // A reviewed difference from Go's tool (see its reason); still a failure if it changes.
    if (known.detail === r.detail) r.outcome = 'known difference';
    else
      r.detail = `listed difference changed: now ${JSON.stringify(r.detail)}, listed ${JSON.stringify(known.detail)}`;
  } else if (known) {
    r.detail = `listed as a known difference but now ${r.outcome}: take it off test/corpus/expected-refusals.json`;
    r.outcome = 'disagree';
  }
  if (r.outcome === 'refused') {
    nowRefused[r.rel] = { message: r.message, reason: listed?.reason ?? UNREVIEWED };
    if (!listed) {
      r.outcome = 'disagree';
      r.detail = `golens refuses a file ${r.area === 'pprof' ? 'go tool pprof' : r.area === 'traces' ? 'go tool trace' : 'the field'} reads: ${r.message}`;
    } else if (listed.message !== r.message) {
      r.outcome = 'disagree';
      r.detail = `listed refusal, but the message changed: now ${JSON.stringify(r.message)}, listed ${JSON.stringify(listed.message)}`;
    } else r.outcome = 'expected refusal';
  } else if (listed && r.outcome !== 'disagree') {
    r.detail = `listed as an expected refusal but golens now reads it (${r.outcome}): take it off test/corpus/expected-refusals.json`;
    r.outcome = 'disagree';
  }
  if ((listed?.reason ?? known?.reason) === UNREVIEWED && r.outcome !== 'disagree') {
    r.detail = `listed in test/corpus/expected-refusals.json without a reviewed reason: write why it is expected`;
    r.outcome = 'disagree';
  }
  if (r.outcome === 'disagree') problems.push(r);
}

if (flag('write-expected')) {
  // Rewrites both lists from this run, keeping the reasons already written; new entries get the
  // UNREVIEWED reason, which fails the next run until a reviewer replaces it.
  const differences = {};
  for (const r of results) {
    if (r.raw.outcome !== 'disagree') continue;
    differences[r.rel] = {
      detail: r.raw.detail,
      reason: expected.differences?.[r.rel]?.reason ?? UNREVIEWED,
    };
  }
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const table = { ...expected, refusals: sorted(nowRefused), differences: sorted(differences) };
  writeFileSync(expectedPath, JSON.stringify(table, null, 2) + '\n');
  console.log(
    `wrote ${Object.keys(nowRefused).length} expected refusals to ${relative(root, expectedPath)}`,
  );
}

// The agreement table: outcome counts per area.
const OUTCOMES = [
  'agree',
  'both refuse',
  'both flag',
  'read',
  'expected refusal',
  'known difference',
  'disagree',
];
const areas = Object.keys(CHECKS);
const pad = (s, n) => String(s).padStart(n);
console.log(
  `\n${'area'.padEnd(12)}${OUTCOMES.map((o) => pad(o, 17)).join('')}${pad('files', 8)}${pad('seconds', 9)}`,
);
for (const a of [...areas, 'total']) {
  const rs = results.filter((r) => a === 'total' || r.area === a);
  const secs = rs.reduce((n, r) => n + r.ms, 0) / 1000;
  console.log(
    `${a.padEnd(12)}${OUTCOMES.map((o) => pad(rs.filter((r) => r.outcome === o).length, 17)).join('')}${pad(rs.length, 8)}${pad(secs.toFixed(1), 9)}`,
  );
}
console.log(
  `\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s wall time, ${jobs} at a time (agree: same output as Go's tool or the golden file; read: no oracle, golens reads it)`,
);
for (const p of problems) console.log(`DISAGREE ${p.rel}: ${p.detail}`);
process.exit(problems.length > 0 && !flag('write-expected') ? 1 : 0);
