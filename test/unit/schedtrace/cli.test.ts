// `golens schedtrace` (dist/cli.js, rebuilt by vitest's global setup).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchedTraceLog } from '../../../src/core/schedtrace';
import { cliPath, run, runCli } from '../../support/go';
import { fixtures, readFixture } from './support';

describe('golens schedtrace', () => {
  const all = fixtures();
  const detail = all.find(
    (f) => f.version === 'go1.27.4' && f.program === 'sched-gc' && f.procs === 4 && f.detail,
  )!;
  const plain21 = all.find(
    (f) => f.version === 'go1.21.13' && f.program === 'sched-gc' && f.procs === 16 && !f.detail,
  )!;

  it('--json: snapshots (with detail), every gctrace field, scavenger, program line count, warnings', async () => {
    const r = await runCli(['schedtrace', detail.path, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const log = parseSchedTraceLog(readFixture(detail));
    expect(Object.keys(out)).toEqual([
      'snapshots',
      'gcCycles',
      'scavenger',
      'programOutputLines',
      'warnings',
    ]);
    expect(out.snapshots).toHaveLength(log.snapshots.length);
    const s = out.snapshots[0];
    expect(Object.keys(s)).toEqual([
      'timeMs',
      'gomaxprocs',
      'idleprocs',
      'threads',
      'spinningthreads',
      'needspinning',
      'idlethreads',
      'runqueue',
      'runqueues',
      'schedticks',
      'detail',
      'line',
    ]);
    expect(s.runqueues).toHaveLength(4);
    expect(Object.keys(s.detail)).toEqual([
      'gcwaiting',
      'nmidlelocked',
      'stopwait',
      'sysmonwait',
      'ps',
      'ms',
      'gs',
      'incomplete',
    ]);
    expect(Object.keys(s.detail.ps[0])).toEqual([
      'id',
      'status',
      'schedtick',
      'syscalltick',
      'm',
      'runqsize',
      'gfreecnt',
      'timerslen',
      'line',
    ]);
    expect(Object.keys(s.detail.gs[0])).toEqual([
      'goid',
      'status',
      'waitReason',
      'm',
      'lockedm',
      'line',
    ]);
    expect(out.gcCycles).toEqual(JSON.parse(JSON.stringify(log.gcCycles)));
    expect(out.gcCycles.filter((g: { forced: boolean }) => g.forced).length).toBeGreaterThan(0);
    expect(Object.keys(out.gcCycles[0])).toEqual([
      'n',
      'startS',
      'cpuPercent',
      'leakCheck',
      'clockSweepTermMs',
      'clockMarkMs',
      'clockMarkTermMs',
      'cpuSweepTermMs',
      'cpuAssistMs',
      'cpuBackgroundMs',
      'cpuIdleMs',
      'cpuMarkTermMs',
      'heapStartMB',
      'heapEndMB',
      'heapLiveMB',
      'heapGoalMB',
      'stacksMB',
      'globalsMB',
      'procs',
      'forced',
      'line',
    ]);
    expect(out.scavenger).toEqual(JSON.parse(JSON.stringify(log.scavenger)));
    expect(out.programOutputLines).toBe(log.programOutput.length);
    expect(out.warnings).toEqual(log.warnings);
  });

  it('--json on a go1.21 plain log: no schedticks, runqueues of every P', async () => {
    const r = await runCli(['schedtrace', plain21.path, '--json']);
    const out = JSON.parse(r.stdout);
    for (const s of out.snapshots) {
      expect(s.schedticks).toBeUndefined();
      expect(s.detail).toBeUndefined();
      expect(s.runqueues).toHaveLength(16);
    }
  });

  it('a readable summary without --json', async () => {
    const r = await runCli(['schedtrace', detail.path]);
    expect(r.code).toBe(0);
    const log = parseSchedTraceLog(readFixture(detail));
    expect(r.stdout).toContain(`schedtrace: ${log.snapshots.length} snapshots`);
    expect(r.stdout).toContain(`with scheddetail`);
    expect(r.stdout).toContain(
      `gctrace: ${log.gcCycles.length} cycles (${log.gcCycles.filter((g) => g.forced).length} forced)`,
    );
    expect(r.stdout).toContain('last scheddetail block: 4 Ps');
    expect(r.stdout).toMatch(/^scavtrace: \d+ lines/m);
  });

  it('reads stdin with "-"', async () => {
    const r = await run(process.execPath, [cliPath, 'schedtrace', '-', '--json'], {
      input: readFixture(plain21).toString('utf8'),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).snapshots.length).toBeGreaterThan(5);
  });

  it('errors: one line on stderr, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-schedtrace-'));
    const plain = join(dir, 'plain.log');
    writeFileSync(plain, 'hello from my program\nSCHED is a word\n');
    const cases: Array<[string[], RegExp]> = [
      [['schedtrace', plain], /no GODEBUG trace lines found .*GODEBUG=schedtrace=1000,gctrace=1/],
      [['schedtrace', join(dir, 'missing.log')], /cannot read .*missing\.log: ENOENT/],
      [['schedtrace'], /usage: golens schedtrace FILE \[--json\]/],
      [['schedtrace', plain, '--jsn'], /unknown flag --jsn/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
