// Race reports in the text people really paste: CI logs with timestamps, prefixes, ANSI
// colours and CRLF; reports interleaved line by line; garbage between reports; a report cut
// inside a stack; any split of the stream; a 50 MB log of 10,000 reports. Nothing read is lost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RaceReportParser,
  RaceSet,
  parseRaceReports,
  siteKey,
  type RaceReport,
} from '../../../src/core/races';
import { rng } from '../../support/random';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../fixtures/races/go1.26.8', name), 'utf8');
const sites = (r: RaceReport) => r.accesses.map(siteKey);

describe('reports inside other text', () => {
  const map = fixture('map.txt');
  const plain = parseRaceReports(map).reports;

  it('GitHub Actions timestamps, ANSI colours and CRLF are stripped per line', () => {
    let t = 0;
    const ci = map
      .split('\n')
      .map(
        (l) =>
          `2026-12-05T08:${String(10 + (t++ % 50)).padStart(2, '0')}:0${t % 10}.${1000000 + t * 37}Z \x1b[36m${l}\x1b[0m`,
      )
      .join('\r\n');
    const { reports, warnings, runEnds } = parseRaceReports(ci);
    expect(warnings).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(sites(reports[0])).toEqual(sites(plain[0]));
    expect(reports[0].goroutines).toEqual(plain[0].goroutines);
    expect(runEnds[0]).toMatchObject({ found: 1, exitCode: 66 });
  });

  it("two jobs' reports interleaved line by line stay apart by their prefixes", () => {
    const a = fixture('field.txt').split('\n');
    const b = fixture('nested.txt').split('\n');
    const lines: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) lines.push(`[job-a] ${a[i]}`);
      if (i < b.length) lines.push(`[job-b] ${b[i]}`);
    }
    const { reports, warnings } = parseRaceReports(lines.join('\n'));
    expect(warnings).toEqual([]);
    expect(reports.map(sites)).toEqual(
      [
        parseRaceReports(fixture('field.txt')).reports[0],
        parseRaceReports(fixture('nested.txt')).reports[0],
      ].map(sites),
    );
  });

  it('go test -json events of two packages interleaved stay apart', () => {
    const ev = (pkg: string, out: string) =>
      JSON.stringify({ Action: 'output', Package: pkg, Output: out + '\n' });
    const a = fixture('field.txt').split('\n');
    const b = fixture('map.txt').split('\n');
    const lines: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) lines.push(ev('example.com/a', a[i]));
      if (i < b.length) lines.push(ev('example.com/b', b[i]));
    }
    const { reports } = parseRaceReports(lines.join('\n'));
    expect(reports.map((r) => r.package)).toEqual(['example.com/a', 'example.com/b']);
    expect(reports[1].accesses[0].frames[0].func).toBe('runtime.mapassign_faststr');
  });

  it('garbage between and around reports is skipped', () => {
    const noise = [
      '\u0000\u0001binary',
      '{"not":"an event"}',
      'goroutine 1 [running]:',
      '  main.main()',
      '=====',
      'Write at nowhere',
      'Found many data race(s)',
    ];
    const text = [...noise, fixture('field.txt'), ...noise, fixture('map.txt'), ...noise].join(
      '\n',
    );
    const { reports } = parseRaceReports(text);
    expect(reports).toHaveLength(2);
    expect(reports.every((r) => !r.truncated && r.accesses.length === 2)).toBe(true);
  });

  it('a report cut inside a stack keeps what was read and says it was cut', () => {
    const whole = fixture('nested.txt');
    const cut = whole.slice(0, whole.indexOf('Goroutine 8 (finished)') + 40);
    const { reports, warnings } = parseRaceReports(cut);
    expect(reports).toHaveLength(1);
    expect(reports[0].truncated).toBe(true);
    expect(sites(reports[0])).toEqual(sites(parseRaceReports(whole).reports[0]));
    expect(reports[0].goroutines).toHaveLength(2);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/ends inside a race report/),
    );
  });

  it('a report followed by another without its closing line is kept, marked truncated', () => {
    const field = fixture('field.txt');
    const first = field.slice(0, field.indexOf('Goroutine'));
    const { reports, warnings } = parseRaceReports(first + fixture('map.txt'));
    expect(reports.map((r) => r.truncated)).toEqual([true, false]);
    expect(warnings[0].message).toMatch(/another report begins/);
  });

  it('any split of the stream reads the same', () => {
    const text = fixture('parallel-test.json') + fixture('slice.txt').replace(/\n/g, '\r\n');
    const whole = parseRaceReports(text);
    const rnd = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const p = new RaceReportParser();
      for (let i = 0; i < text.length;) {
        const n = 1 + Math.floor(rnd() * 40);
        p.push(text.slice(i, i + n));
        i += n;
      }
      p.end();
      expect(p.reports).toEqual(whole.reports);
      expect(p.runEnds).toEqual(whole.runEnds);
    }
  });
});

describe('the forms of tsan reports Go programs print less often', () => {
  // Laid out as ThreadSanitizer prints them (compiler-rt tsan_report.cpp): C accesses under cgo
  // with sizes and held mutexes, locations, a stack the history could not restore.
  const text = [
    '==================',
    'WARNING: DATA RACE',
    'Atomic write of size 8 at 0x00c000012345 by thread T3 (mutexes: write M1, read M2):',
    '  main.cwrite()',
    '      /src/app/c.go:12 +0x1a',
    '',
    'Previous read at 0x00c000012345 by goroutine 12:',
    '  [failed to restore the stack]',
    '',
    'Location is heap block of size 16 at 0x00c000012340 allocated by main goroutine:',
    '  main.newBuf()',
    '      /src/app/buf.go:7 +0x2f',
    '',
    'Mutex M1 (0x00c0000a0000) created at:',
    '  sync.(*Mutex).Lock()',
    '      /usr/lib/go/src/sync/mutex.go:81 +0x31',
    '',
    'Goroutine 12 (finished) created at:',
    '  main.main()',
    '      /src/app/main.go:30 +0x88',
    '==================',
    '==================',
    'WARNING: DATA RACE',
    'Write at 0x000000620518 by goroutine 7:',
    '  main.record()',
    '      /src/app/main.go:13 +0x3c',
    '',
    'Previous read at 0x000000620518 by main goroutine:',
    '  main.main()',
    '      /src/app/main.go:23 +0xa9',
    '',
    "Location is global 'main.requests' of size 8 at 0x000000620518 (app+0x000000620518)",
    '==================',
  ].join('\n');

  it('reads sizes, atomics, C threads, mutexes, locations and unrestored stacks', () => {
    const { reports, warnings } = parseRaceReports(text);
    expect(warnings).toEqual([]);
    const [c, g] = reports;
    expect(c.accesses[0]).toMatchObject({
      kind: 'write',
      atomic: true,
      size: 8,
      mutexes: ['write M1', 'read M2'],
      stackRestored: true,
    });
    expect(c.accesses[0].goroutine).toBeUndefined();
    expect(c.accesses[1]).toMatchObject({
      kind: 'read',
      previous: true,
      goroutine: 12,
      stackRestored: false,
      frames: [],
    });
    expect(c.location).toMatchObject({
      kind: 'heap',
      size: 16,
      address: '0x00c000012340',
      goroutine: 1,
    });
    expect(c.location!.allocatedAt.map((f) => `${f.func} ${f.line}`)).toEqual(['main.newBuf 7']);
    expect(c.mutexes).toEqual([
      {
        name: 'M1',
        address: '0x00c0000a0000',
        createdAt: [expect.objectContaining({ func: 'sync.(*Mutex).Lock', line: 81 })],
      },
    ]);
    expect(c.goroutines).toEqual([
      {
        id: 12,
        state: 'finished',
        createdAt: [
          expect.objectContaining({ func: 'main.main', file: '/src/app/main.go', line: 30 }),
        ],
      },
    ]);
    expect(g.location).toMatchObject({ kind: 'global', name: 'main.requests', size: 8 });
  });

  it('an unrestored stack still makes a distinct race with a count', () => {
    const set = new RaceSet();
    const { reports } = parseRaceReports(text + '\n' + text);
    for (const r of reports) set.add(r, 'x#0');
    expect(set.races().map((r) => r.count)).toEqual([2, 2]);
  });
});

describe('a 50 MB log with 10,000 reports', () => {
  it('reads every report, dedupes them, and a cut anywhere keeps what parsed', () => {
    const reports = ['map.txt', 'field.txt', 'nested.txt', 'parallel-test.txt', 'atomic.txt'].map(
      fixture,
    );
    const rnd = rng(1);
    const filler =
      'ok  \texample.com/some/package/with/a/long/name\t0.123s  log line noise noise noise noise noise noise noise noise noise\n';
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = reports[i % reports.length];
      parts.push(r);
      size += r.length;
      const fill = filler.repeat(30 + Math.floor(rnd() * 10));
      parts.push(fill);
      size += fill.length;
    }
    const text = parts.join('');
    expect(size).toBeGreaterThan(40 << 20);
    const p = new RaceReportParser();
    const set = new RaceSet();
    for (let i = 0; i < text.length; i += 1 << 20)
      for (const e of p.push(text.slice(i, i + (1 << 20))))
        if (e.kind === 'report') set.add(e.report, `log#${e.report.run}`);
    p.end();
    expect(p.reports).toHaveLength(10_000);
    expect(set.size).toBe(5);
    expect(set.races().map((r) => r.count)).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(set.races()[0].runs).toBe(2000);
    const cut = parseRaceReports(text.slice(0, Math.floor(text.length * 0.37)));
    expect(cut.reports.length).toBeGreaterThan(3000);
  });
});
