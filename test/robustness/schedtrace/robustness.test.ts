// Streams cut anywhere, chunked anyhow, with garbage and binary junk mixed in: the parser never
// throws, never loses program output, and never depends on how the bytes arrived.
import { describe, expect, it } from 'vitest';
import {
  collectEvents,
  parseSchedTraceLog,
  parseTraceLine,
  SchedModel,
  SchedTraceStream,
  type SchedEvent,
  type SchedTraceLog,
} from '../../../src/core/schedtrace';
import { fixtures, readFixture, type Fixture } from '../../unit/schedtrace/support';
import { rng } from '../../support/random';

const all = fixtures();
const pick = (version: string, name: string) =>
  all.find((f) => f.version === version && f.path.endsWith(name))!;
// Detail blocks at 16 Ps, a plain go1.21 log, the go1.25 log with a torn scav line, a go1.27 GC log.
const chosen: Fixture[] = [
  pick('go1.26.8', 'sched-block.p16.detail.log'),
  pick('go1.21.13', 'sched-gc.p4.log'),
  pick('go1.25.14', 'sched-gc.p4.log'),
  pick('go1.27.4', 'sched-gc.p4.detail.log'),
];

function parse(bytes: Uint8Array): SchedTraceLog {
  return parseSchedTraceLog(bytes, { allowEmpty: true });
}

const strip = <T extends { line: number }>(x: T) => ({ ...x, line: 0 });

describe('a stream cut at every position on a grid', () => {
  for (const f of chosen) {
    it(f.name, () => {
      const bytes = readFixture(f);
      const ref = parse(bytes);
      // Line number of each byte offset, and the extent of each scheddetail block.
      const lineAt = new Int32Array(bytes.length + 1);
      for (let i = 0, l = 1; i <= bytes.length; i++) {
        lineAt[i] = l;
        if (bytes[i] === 0x0a) l++;
      }
      const step = Math.max(1, Math.ceil(bytes.length / 900));
      let checked = 0;
      for (let cut = 0; cut <= bytes.length; cut += step) {
        const log = parse(bytes.subarray(0, cut));
        // Everything that ended well before the cut (the parser looks ahead at most 8 lines for
        // the tail of a torn runtime line) is exactly as in the whole stream.
        const stable = lineAt[cut] - 9;
        const before = <T extends { line: number }>(xs: T[]) => xs.filter((x) => x.line < stable);
        expect(before(log.programOutput), `cut at ${cut}`).toEqual(before(ref.programOutput));
        expect(before(log.gcCycles)).toEqual(before(ref.gcCycles));
        expect(before(log.scavenger)).toEqual(before(ref.scavenger));
        // Snapshots before the last one are complete and as in the whole stream.
        const done = log.snapshots.slice(0, -1).filter((s) => s.line < stable);
        expect(done).toEqual(ref.snapshots.slice(0, done.length));
        // At most one program line lacks its newline, and only the last.
        expect(log.programOutput.slice(0, -1).every((p) => !p.noNewline)).toBe(true);
        // A scheddetail block cut before its first G line, or inside one of its lines, says so.
        const last = log.snapshots.at(-1);
        const refLast = last && ref.snapshots.find((s) => s.line === last.line);
        if (last?.detail && refLast?.detail) {
          const firstG = refLast.detail.gs[0].line;
          const lastG = refLast.detail.gs.at(-1)!.line;
          const atLineStart = cut === 0 || bytes[cut - 1] === 0x0a;
          const cutLine = lineAt[cut];
          if (cutLine <= firstG && !(atLineStart && cutLine === firstG + 1))
            expect(last.detail.incomplete, `cut at ${cut}`).toBe(true);
          if (!atLineStart && cutLine > last.line && cutLine <= lastG)
            expect(last.detail.incomplete, `cut at ${cut} inside a line`).toBe(true);
          if (last.detail.incomplete)
            expect(last.detail.incompleteReason).toMatch(/^cut off by the end of the stream: /);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(300);
    });
  }
});

describe('random chunking gives the same events as one-shot parsing', () => {
  it('every fixture, three chunkings each (1 byte … 4 KiB pieces, splitting UTF-8 sequences)', () => {
    const r = rng(42);
    for (const f of all) {
      const bytes = readFixture(f);
      const { stats: _s, ...want } = parse(bytes);
      for (let k = 0; k < 3; k++) {
        const s = new SchedTraceStream();
        const events: SchedEvent[] = [];
        const max = [2, 64, 4096][k];
        for (let i = 0; i < bytes.length;) {
          const n = 1 + Math.floor(r() * max);
          events.push(...s.push(bytes.subarray(i, i + n)));
          i += n;
        }
        events.push(...s.end());
        expect(collectEvents(events), `${f.name} chunking ${k}`).toEqual(want);
      }
    }
  });
});

describe('garbage lines', () => {
  for (const f of chosen) {
    it(f.name, () => {
      const r = rng(7);
      const text = readFixture(f).toString('utf8');
      const ref = parse(Buffer.from(text));
      const lines = text.split('\n');
      const traceLines = lines.filter((l) => /^(SCHED |gc \d|scav \d| {2}[PMG]\d)/.test(l));
      const garbage: string[] = [];
      const make = (): string => {
        switch (Math.floor(r() * 4)) {
          case 0:
            return Array.from({ length: 1 + Math.floor(r() * 80) }, () =>
              String.fromCharCode(32 + Math.floor(r() * 95)),
            ).join('');
          case 1:
            return 'ünïcödé ✓ 😀 ' + Math.floor(r() * 1e6);
          case 2: {
            // A runtime line with one character broken: must not pass as a runtime line.
            const l = traceLines[Math.floor(r() * traceLines.length)];
            const i = Math.floor(r() * l.length);
            return l.slice(0, i) + '#' + l.slice(i + 1);
          }
          default:
            return 'SCHED gc scav   P0:   M1:   G2: ' + Math.floor(r() * 100);
        }
      };
      // Garbage goes only right after a line that ended a program line: elsewhere it may land
      // between the two parts of a program line that a runtime line interrupted, and be joined
      // with the first part — right, but not what this test counts.
      const ends = new Set(ref.programOutput.map((p) => p.line));
      const out: string[] = [];
      lines.forEach((l, i) => {
        out.push(l);
        if (ends.has(i + 1) && i + 1 < lines.length && r() < 0.5) {
          const g = make();
          garbage.push(g);
          out.push(g);
        }
      });
      const log = parse(Buffer.from(out.join('\n')));
      // Every runtime record is still there, in order.
      expect(log.snapshots.map((s) => JSON.stringify(s, (k, v) => (k === 'line' ? 0 : v)))).toEqual(
        ref.snapshots.map((s) => JSON.stringify(s, (k, v) => (k === 'line' ? 0 : v))),
      );
      expect(log.gcCycles.map(strip)).toEqual(ref.gcCycles.map(strip));
      expect(log.scavenger.map(strip)).toEqual(ref.scavenger.map(strip));
      // Every garbage line and every original program line comes back, in order.
      const program = log.programOutput.map((p) => p.text);
      const expected = [...ref.programOutput.map((p) => p.text)];
      let gi = 0;
      let pi = 0;
      for (const p of program) {
        if (gi < garbage.length && p === garbage[gi]) gi++;
        else if (pi < expected.length && p === expected[pi]) pi++;
        else throw new Error(`unexpected program line ${JSON.stringify(p)}`);
      }
      expect([gi, pi]).toEqual([garbage.length, expected.length]);
      expect(garbage.length).toBeGreaterThan(10);
    });
  }
});

describe('binary junk', () => {
  it('junk lines at line starts: runtime records and program output intact', () => {
    const r = rng(99);
    for (const f of chosen) {
      const bytes = readFixture(f);
      const ref = parse(bytes);
      const parts: Buffer[] = [];
      let start = 0;
      let junkLines = 0;
      const ends = new Set(ref.programOutput.map((p) => p.line));
      for (let i = 0, line = 1; i < bytes.length; i++) {
        if (bytes[i] !== 0x0a) continue;
        parts.push(bytes.subarray(start, i + 1));
        start = i + 1;
        // After lines that ended a program line (see 'garbage lines').
        if (ends.has(line++) && r() < 0.5) {
          // Bytes of any value but "\n", then a newline: one junk line.
          const junk = Buffer.from(
            Array.from({ length: 1 + Math.floor(r() * 60) }, () => Math.floor(r() * 256)).map(
              (b) => (b === 0x0a ? 0x0b : b),
            ),
          );
          parts.push(junk, Buffer.from('\n'));
          junkLines++;
        }
      }
      parts.push(bytes.subarray(start));
      const log = parse(Buffer.concat(parts));
      expect(log.snapshots.length).toBe(ref.snapshots.length);
      expect(log.gcCycles.map(strip)).toEqual(ref.gcCycles.map(strip));
      expect(log.scavenger.map(strip)).toEqual(ref.scavenger.map(strip));
      expect(log.programOutput.length).toBe(ref.programOutput.length + junkLines);
      const texts = new Set(log.programOutput.map((p) => p.text));
      for (const p of ref.programOutput) expect(texts.has(p.text)).toBe(true);
    }
  });

  it('junk glued to the front of runtime lines (no newline): runtime lines recovered, junk kept as program text', () => {
    const r = rng(5);
    const f = chosen[0];
    const text = readFixture(f).toString('utf8');
    const ref = parse(Buffer.from(text));
    const lines = text.split('\n');
    let glued = 0;
    const out = lines.map((l) => {
      if (!/^(SCHED|gc \d|scav \d| {2}[PMG]\d)/.test(l) || r() > 0.3) return Buffer.from(l + '\n');
      glued++;
      // Junk without "\n" or the letters of a runtime line's first word, so it cannot look like one.
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(r() * 20) }, () => 0x80 + Math.floor(r() * 0x7f)),
      );
      return Buffer.concat([junk, Buffer.from(l + '\n')]);
    });
    const log = parse(Buffer.concat(out).subarray(0, Buffer.concat(out).length - 1));
    expect(glued).toBeGreaterThan(50);
    expect(log.snapshots.map((s) => JSON.stringify(s, (k, v) => (k === 'line' ? 0 : v)))).toEqual(
      ref.snapshots.map((s) => JSON.stringify(s, (k, v) => (k === 'line' ? 0 : v))),
    );
    expect(log.stats.midLineStarts).toBe(ref.stats.midLineStarts + glued);
    // The junk is program text (decoded with U+FFFD for invalid UTF-8), joined with the next program line.
    expect(log.programOutput.map((p) => p.text).join('')).toMatch(/\uFFFD/);
  });

  it('junk at random byte positions, and pure junk: no throw, no program line lost that junk did not touch', () => {
    const r = rng(11);
    for (const f of chosen) {
      const bytes = readFixture(f);
      const ref = parse(bytes);
      const touched = new Set<number>();
      const parts: Buffer[] = [];
      let prev = 0;
      let line = 1;
      for (let i = 0; i < bytes.length; i++) {
        if (r() < 0.002) {
          parts.push(bytes.subarray(prev, i));
          parts.push(
            Buffer.from(
              Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256)),
            ),
          );
          prev = i;
          for (let d = -5; d <= 25; d++) touched.add(line + d);
        }
        if (bytes[i] === 0x0a) line++;
      }
      parts.push(bytes.subarray(prev));
      const log = parse(Buffer.concat(parts));
      const texts = new Set(log.programOutput.map((p) => p.text));
      for (const p of ref.programOutput)
        if (!touched.has(p.line)) expect(texts.has(p.text), p.text).toBe(true);
      const model = new SchedModel();
      const s = new SchedTraceStream();
      model.add(s.push(Buffer.concat(parts)));
      model.add(s.end());
      expect(model.snapshotCount).toBe(log.snapshots.length);
    }
    for (let k = 0; k < 20; k++) {
      const junk = Buffer.from(Array.from({ length: 5000 }, () => Math.floor(r() * 256)));
      const log = parse(junk);
      const joined = log.programOutput.map((p) => p.text + (p.noNewline ? '' : '\n')).join('');
      expect(joined).toBe(new TextDecoder().decode(junk));
    }
  });
});

describe('program writes landing between the print pieces of runtime lines', () => {
  // The runtime writes each printed value with its own write(2): "gc ", "5", " @", "0.100",
  // "s ", … and the newline separately. This builds streams the way that interleaving does:
  // runtime lines from real logs, cut into those pieces, with program writes (whole lines,
  // several lines, text without newline continued later) dropped between pieces and between
  // lines. The parser must give back exactly the runtime-only lines and the program-only text.
  const pieces = (line: string): string[] => {
    const g = /^( {2}G)(\d+)(: status=)(\d+)(\()(.*)(\) m=)(nil|\d+)( lockedm=)(nil|\d+)$/.exec(
      line,
    );
    const parts = g ? g.slice(1) : line.split(/(-?\d+(?:\.\d+)?|\bnil\b|\btrue\b|\bfalse\b)/);
    return [...parts.filter((x) => x !== ''), '\n'];
  };
  const sources = [
    pick('go1.26.8', 'sched-block.p16.detail.log'),
    pick('go1.21.13', 'sched-block.p4.detail.log'),
    pick('go1.24.13', 'sched-gc.p16.log'),
    pick('go1.27.4', 'sched-gc.p4.detail.log'),
    pick('go1.23.12', 'sched-cpu.p4.detail.log'),
  ];
  for (const f of sources) {
    it(f.name, () => {
      // The runtime lines of the log, without the program text some of them start after.
      const runtime: string[] = [];
      for (const l of readFixture(f).toString('utf8').split('\n')) {
        for (let i = 0; i < l.length; i++) {
          if (
            i > 0 &&
            !['SCHED ', 'gc ', 'scav ', '  P', '  M', '  G'].some((t) => l.startsWith(t, i))
          )
            continue;
          if (parseTraceLine(l.slice(i)) === undefined) continue;
          runtime.push(l.slice(i));
          break;
        }
      }
      for (let seed = 1; seed <= 20; seed++) {
        const r = rng(seed * 7919);
        let n = 0;
        // Program writes: whole lines, two lines at once, or text whose newline comes later.
        // Whole lines, two lines at once, and lines that start like runtime lines (the chatter's
        // near misses; seen live inside a G line). Not inside runtime lines: two lines whose
        // second starts like the runtime line ("gc " + "SCHED is a word\ngc is not\n" + "5 @…")
        // read just as well as the program's first line, then the runtime's "gc ", then the
        // program's "is not" — the parser takes the latter (fewer program lines inside).
        const whole = (inside: boolean) =>
          inside
            ? [
                `stderr line ${n++}\n`,
                `ünïcödé ✓ ${n++}\n`,
                `a${n++}\nb${n++}\n`,
                `scav hunt ${n++}\n`,
              ][Math.floor(r() * 4)]
            : [
                `stderr line ${n++}\n`,
                `SCHED is a word ${n++}\ngc is not ${n++}\n`,
                `scav hunt ${n++}\n`,
              ][Math.floor(r() * 3)];
        let open = false; // a write without newline waits for its rest
        const partial = () => {
          open = true;
          return [`progress ${n++}%`, `partial ${n++}: working...`][Math.floor(r() * 2)];
        };
        // The rest does not start with a space: " done" after "[0 0" can be split as "[0 0" +
        // " done" or "[0 0 " + "done" when the runtime's next piece is " " — the bytes cannot
        // tell, and the parser gives the space to the runtime line.
        const rest = () => {
          open = false;
          return 'done.\n';
        };
        const combined: string[] = [];
        const program: string[] = [];
        const write = (s: string) => {
          combined.push(s);
          program.push(s);
        };
        for (const line of runtime) {
          if (r() < 0.2) write(open ? rest() : r() < 0.7 ? whole(false) : partial());
          const ps = pieces(line);
          const torn = r() < 0.4;
          // Where program writes land inside this line: one write without newline (it stays on
          // the line), or up to two writes that end with a newline.
          const at = new Map<number, string>();
          if (torn) {
            const i = 1 + Math.floor(r() * (ps.length - 1));
            if (!open && r() < 0.3) {
              at.set(i, partial());
            } else {
              at.set(i, open ? rest() : whole(true));
              if (r() < 0.3) {
                const j = 1 + Math.floor(r() * (ps.length - 1));
                if (j !== i) at.set(j, open ? rest() : whole(true));
              }
            }
          }
          ps.forEach((p, i) => {
            const w = at.get(i);
            if (w !== undefined) write(w);
            combined.push(p);
          });
        }
        if (open) write(rest());
        const got = parse(Buffer.from(combined.join('')));
        const want = parse(Buffer.from(runtime.join('\n') + '\n'));
        const noLines = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'line' ? 0 : v));
        expect(noLines(got.snapshots), `${f.name} seed ${seed}`).toBe(noLines(want.snapshots));
        expect(noLines(got.gcCycles), `${f.name} seed ${seed}`).toBe(noLines(want.gcCycles));
        expect(noLines(got.scavenger), `${f.name} seed ${seed}`).toBe(noLines(want.scavenger));
        const text = program.join('');
        expect(
          got.programOutput.map((p) => p.text),
          `${f.name} seed ${seed}`,
        ).toEqual(text.split('\n').slice(0, -1));
        expect(got.warnings, `${f.name} seed ${seed}`).toEqual([]);
      }
    });
  }
});
