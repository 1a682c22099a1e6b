// Golden test over every committed fixture (Go 1.21 … 1.27, GOMAXPROCS 1/4/16, with and
// without scheddetail): every runtime line is found independently (a loose regex per physical
// line), checked against that release's printing grammar (support.ts, written from the
// runtime source of the release), and compared field by field with what the parser made of it;
// and the program output handed back is exactly what the program printed, nothing more or less.
import { describe, expect, it } from 'vitest';
import {
  parseSchedTraceLog,
  type GcCycle,
  type GRecord,
  type MRecord,
  type PRecord,
  type ScavRecord,
  type SchedSnapshot,
} from '../../../src/core/schedtrace';
import {
  chatterRound,
  fixtures,
  grammar,
  LOOSE,
  NEAR_MISSES,
  readFixture,
  statuses,
  WAIT_REASONS,
  type Fixture,
} from './support';

const all = fixtures();
const STARTS = ['SCHED ', 'gc ', 'scav ', '  P', '  M', '  G'];

type Expected =
  | { kind: 'sched'; fields: Record<string, unknown> }
  | { kind: 'p' | 'm' | 'g' | 'gc' | 'scav'; fields: Record<string, unknown> };

const nil = (s: string) => (s === 'nil' ? null : Number(s));
const list = (s: string) => s.trim().split(' ').map(Number);

/** Finds the runtime line in a physical line with the release's strict grammar. */
function expectedOf(f: Fixture, text: string): { pos: number; exp: Expected } | undefined {
  const g = grammar(f.minor);
  const positions = [0];
  for (const s of STARTS)
    for (let i = text.indexOf(s, 1); i >= 0; i = text.indexOf(s, i + 1)) positions.push(i);
  positions.sort((a, b) => a - b);
  for (const pos of positions) {
    const t = text.slice(pos);
    let m: RegExpExecArray | null;
    const head = (m: RegExpExecArray) => ({
      timeMs: Number(m[1]),
      gomaxprocs: Number(m[2]),
      idleprocs: Number(m[3]),
      threads: Number(m[4]),
      spinningthreads: Number(m[5]),
      needspinning: Number(m[6]),
      idlethreads: Number(m[7]),
      runqueue: Number(m[8]),
    });
    if (!f.detail && (m = g.sched.exec(t))) {
      const fields: Record<string, unknown> = { ...head(m), runqueues: list(m[9]) };
      if (f.minor >= 25) fields.schedticks = list(m[10]);
      return { pos, exp: { kind: 'sched', fields } };
    }
    if (f.detail && (m = g.schedDetail.exec(t))) {
      return {
        pos,
        exp: {
          kind: 'sched',
          fields: {
            ...head(m),
            gcwaiting: m[9] === 'true',
            nmidlelocked: Number(m[10]),
            stopwait: Number(m[11]),
            sysmonwait: m[12] === 'true',
          },
        },
      };
    }
    if (f.detail && (m = g.p.exec(t))) {
      const fields = {
        id: Number(m[1]),
        status: Number(m[2]),
        schedtick: Number(m[3]),
        syscalltick: Number(m[4]),
        m: nil(m[5]),
        runqsize: Number(m[6]),
        gfreecnt: Number(m[7]),
        timerslen: Number(m[8]),
      };
      return { pos, exp: { kind: 'p', fields } };
    }
    if (f.detail && (m = g.m.exec(t))) {
      const fields = {
        id: Number(m[1]),
        p: nil(m[2]),
        curg: nil(m[3]),
        mallocing: Number(m[4]),
        throwing: Number(m[5]),
        preemptoff: m[6],
        locks: Number(m[7]),
        dying: Number(m[8]),
        spinning: m[9] === 'true',
        blocked: m[10] === 'true',
        lockedg: nil(m[11]),
      };
      return { pos, exp: { kind: 'm', fields } };
    }
    if (f.detail && (m = g.g.exec(t))) {
      return {
        pos,
        exp: {
          kind: 'g',
          fields: {
            goid: Number(m[1]),
            status: Number(m[2]),
            waitReason: m[3],
            m: nil(m[4]),
            lockedm: nil(m[5]),
          },
        },
      };
    }
    if ((m = g.gc.exec(t))) {
      const n = (i: number) => Number(m![i]);
      const fields = {
        n: n(1),
        startS: n(2),
        cpuPercent: n(3),
        leakCheck: m[4] !== undefined && m[4] !== '',
        clockSweepTermMs: n(5),
        clockMarkMs: n(6),
        clockMarkTermMs: n(7),
        cpuSweepTermMs: n(8),
        cpuAssistMs: n(9),
        cpuBackgroundMs: n(10),
        cpuIdleMs: n(11),
        cpuMarkTermMs: n(12),
        heapStartMB: n(13),
        heapEndMB: n(14),
        heapLiveMB: n(15),
        heapGoalMB: n(16),
        stacksMB: n(17),
        globalsMB: n(18),
        procs: n(19),
        forced: m[20] !== undefined,
      };
      return { pos, exp: { kind: 'gc', fields } };
    }
    if ((m = g.scav.exec(t))) {
      const fields = {
        bgKiB: Number(m[1]),
        eagerKiB: Number(m[2]),
        releasedKiB: Number(m[3]),
        utilPercent: Number(m[4]),
        forced: m[5] === ' (forced)',
        controllerReset: m[5] === ' [controller reset]',
      };
      return { pos, exp: { kind: 'scav', fields } };
    }
  }
  return undefined;
}

function withoutLine<T extends { line: number }>(r: T): Omit<T, 'line'> {
  const { line: _line, ...rest } = r;
  return rest;
}

describe('committed fixtures', () => {
  it('cover every release from 1.21 to 1.27 at GOMAXPROCS 1, 4 and 16, with and without scheddetail', () => {
    const versions = [...new Set(all.map((f) => f.minor))].sort((a, b) => a - b);
    expect(versions).toEqual([21, 22, 23, 24, 25, 26, 27]);
    for (const minor of versions) {
      const here = all.filter((f) => f.minor === minor);
      expect(here.length).toBe(3 * 3 * 2);
      expect(new Set(here.map((f) => f.procs))).toEqual(new Set([1, 4, 16]));
    }
  });

  for (const f of all) {
    it(`${f.name}: every runtime line parsed into the right fields, every program line handed back`, () => {
      const bytes = readFixture(f);
      const text = new TextDecoder().decode(bytes);
      const lines = text.split('\n');
      expect(lines.pop()).toBe(''); // the programs end with a newline
      const log = parseSchedTraceLog(bytes);

      // What the parser produced, by physical line.
      const byLine = new Map<number, Array<{ kind: string; rec: object }>>();
      const put = (line: number, kind: string, rec: object) => {
        if (!byLine.has(line)) byLine.set(line, []);
        byLine.get(line)!.push({ kind, rec });
      };
      const snapshotHeader = (s: SchedSnapshot) => {
        const { detail, line: _l, ...rest } = s;
        if (!detail) return rest;
        const {
          ps: _ps,
          ms: _ms,
          gs: _gs,
          incomplete: _i,
          incompleteReason: _r,
          ...header
        } = detail;
        const { runqueues: _q, schedticks: _t, ...summary } = rest;
        return { ...summary, ...header };
      };
      for (const s of log.snapshots) {
        put(s.line, 'sched', snapshotHeader(s));
        for (const p of s.detail?.ps ?? []) put(p.line, 'p', withoutLine<PRecord>(p));
        for (const m of s.detail?.ms ?? []) put(m.line, 'm', withoutLine<MRecord>(m));
        for (const g of s.detail?.gs ?? []) put(g.line, 'g', withoutLine<GRecord>(g));
      }
      for (const g of log.gcCycles) put(g.line, 'gc', withoutLine<GcCycle>(g));
      for (const s of log.scavenger) put(s.line, 'scav', withoutLine<ScavRecord>(s));

      // Independently: each physical line with a runtime line in it, checked against the
      // release's grammar.
      const { g: gStatuses, p: pStatuses } = statuses(f.minor);
      const reasons = new Set(WAIT_REASONS[f.version]);
      let runtimeLines = 0;
      // A program write that landed between two print pieces of a runtime line tears it: the
      // head ("scav ") ends with the program's line, the tail ("0 KiB work (bg), …") comes on a
      // later line. Find such heads (a runtime line's first piece on a line the loose test does
      // not take) and check the parser rebuilt exactly head + tail, by this release's grammar.
      const tails = new Set<number>();
      lines.forEach((line, i) => {
        if (LOOSE.test(line) || NEAR_MISSES.includes(line)) return;
        const starts = STARTS.map((s) => line.indexOf(s)).filter((x) => x >= 0);
        if (starts.length === 0) return;
        const s = Math.min(...starts);
        let ok = false;
        for (let j = i + 1; j <= i + 4 && j < lines.length && !ok; j++) {
          const got = byLine.get(j + 1);
          if (!got || got.length !== 1) continue;
          for (let k = s + 1; k <= line.length && !ok; k++) {
            const found = expectedOf(f, line.slice(s, k) + lines[j]);
            if (
              found &&
              found.pos === 0 &&
              found.exp.kind === got[0].kind &&
              JSON.stringify(found.exp.fields) === JSON.stringify(got[0].rec)
            ) {
              ok = true;
              tails.add(j + 1);
            }
          }
        }
        expect(
          ok,
          `line ${i + 1} holds the head of a torn runtime line that was not rebuilt: ${line}`,
        ).toBe(true);
        runtimeLines++;
      });
      lines.forEach((line, i) => {
        const lineNo = i + 1;
        if (tails.has(lineNo)) return;
        if (!LOOSE.test(line) || NEAR_MISSES.includes(line)) {
          expect(byLine.get(lineNo), `line ${lineNo} is program output: ${line}`).toBeUndefined();
          return;
        }
        runtimeLines++;
        const found = expectedOf(f, line);
        expect(
          found,
          `line ${lineNo} does not follow the ${f.version} grammar: ${line}`,
        ).toBeDefined();
        const got = byLine.get(lineNo);
        expect(got, `line ${lineNo} was not parsed: ${line}`).toHaveLength(1);
        expect(got![0].kind).toBe(found!.exp.kind);
        expect(got![0].rec, `line ${lineNo}: ${line}`).toEqual(found!.exp.fields);
        if (found!.exp.kind === 'g') {
          expect(gStatuses.has((found!.exp.fields.status as number) & 0xfff), line).toBe(true);
          expect(
            reasons.has(found!.exp.fields.waitReason as string),
            `wait reason of ${f.version}: ${line}`,
          ).toBe(true);
        }
        if (found!.exp.kind === 'p')
          expect(pStatuses.has(found!.exp.fields.status as number), line).toBe(true);
      });
      expect(log.stats.traceLines).toBe(runtimeLines);
      for (const s of log.snapshots) {
        expect(s.gomaxprocs).toBe(f.procs);
        if (s.detail) {
          expect(s.detail.incomplete, s.detail.incompleteReason).toBe(false);
          expect(s.runqueues).toEqual(s.detail.ps.map((p) => p.runqsize));
          expect(s.schedticks).toEqual(s.detail.ps.map((p) => p.schedtick));
        } else {
          expect(s.runqueues).toHaveLength(f.procs);
          if (f.minor >= 25) expect(s.schedticks).toHaveLength(f.procs);
          else expect(s.schedticks).toBeUndefined();
        }
      }

      // Program output: exactly the chatter rounds in order, then the exit report — lines split
      // by a runtime line joined back together, no runtime text left in them.
      const got = log.programOutput.map((p) => p.text);
      expect(log.programOutput.every((p) => !p.noNewline)).toBe(true);
      const exit = got[got.length - 1];
      expect(exit).toMatch(/^golens-sched-exit gomaxprocs=\d+ numgc=\d+ /);
      const want: string[] = [];
      for (let i = 0; want.length < got.length - 1; i++) want.push(...chatterRound(i));
      expect(got.slice(0, -1)).toEqual(want);
      // The only warnings are about the near misses.
      for (const w of log.warnings) expect(NEAR_MISSES).toContain(lines[w.line - 1]);
    });
  }
});
