// Pieces of "Record CPU Profile with perf": messages for perf's failures, Go process detection,
// the colours of kernel and native frames.
import { describe, expect, it } from 'vitest';
import {
  explainPerfRecordFailure,
  noSamplesAdvice,
  recordedSamples,
} from '../../../src/core/perf/record-errors';
import {
  frameKindOfFile,
  goFunctionName,
  looksLikeGoSymbol,
} from '../../../src/core/perf/frame-names';
import { perfRecordArgs } from '../../../src/node/perf-record';
import { isGoBinary, listProcesses } from '../../../src/node/processes';
import { nonGoHue } from '../../../webview/flame/palette';
import { buildPerfProgram } from '../../support/perf';

describe('perf record messages', () => {
  it('reads the sample count perf prints at the end', () => {
    expect(
      recordedSamples(
        '[ perf record: Woken up 1 times to write data ]\n[ perf record: Captured and wrote 0.019 MB perf.data (113 samples) ]\n',
      ),
    ).toBe(113);
    expect(
      recordedSamples(
        '[ perf record: Woken up 0 times to write data ]\n[ perf record: Captured and wrote 0.001 MB /tmp/x/perf.data ]',
      ),
    ).toBe(0);
    expect(recordedSamples('Error: something')).toBeUndefined();
  });

  it('names perf_event_paranoid, its value and the sysctl and capability that help', () => {
    const stderr =
      'Error:\nAccess to performance monitoring and observability operations is limited.\nConsider adjusting /proc/sys/kernel/perf_event_paranoid setting';
    const m = explainPerfRecordFailure(stderr, 3, false, 42);
    expect(m).toMatch(/perf_event_paranoid is 3/);
    expect(m).toMatch(/sudo sysctl kernel.perf_event_paranoid=1/);
    expect(m).toMatch(/cap_perfmon/);
    expect(explainPerfRecordFailure('Permission denied', 2, true)).not.toMatch(/setcap/);
  });

  it('says when the process is gone, and otherwise quotes perf', () => {
    expect(
      explainPerfRecordFailure(
        'Error: The sys_perf_event_open() syscall returned with 3 (No such process)',
        1,
        true,
        7,
      ),
    ).toMatch(/process 7 is gone/);
    expect(explainPerfRecordFailure('something odd\nhappened here\n', 1, true)).toBe(
      'perf record failed: something odd happened here',
    );
    expect(noSamplesAdvice(30)).toMatch(/no samples in 30 s.*goLens.cpuProfileSeconds/);
  });

  it('builds the perf record command from the settings', () => {
    expect(
      perfRecordArgs({ pid: 5, frequency: 999, callGraph: 'dwarf', output: 'p.data' }),
    ).toEqual([
      'record',
      '-e',
      'cpu-clock',
      '-F',
      '999',
      '--call-graph',
      'dwarf,16384',
      '-p',
      '5',
      '-o',
      'p.data',
    ]);
    expect(perfRecordArgs({ pid: 5, frequency: 99, callGraph: 'fp', output: 'p.data' })).toContain(
      'fp',
    );
  });
});

describe('Go processes and frame kinds', () => {
  it('tells Go binaries from others by their sections', async () => {
    expect(await isGoBinary(await buildPerfProgram('perf-cpu'))).toBe(true);
    expect(await isGoBinary(process.execPath)).toBe(false);
    expect(await isGoBinary('/nonexistent')).toBe(false);
  });

  it('lists running processes with this one among them', async () => {
    const list = await listProcesses();
    const me = list.find((p) => p.pid === process.pid);
    expect(me?.isGo).toBe(false);
    expect(me?.cmdline).toContain('node');
  });

  it('names Go symbols as pprof does and tells frame kinds apart for the palette', () => {
    for (const s of [
      'main.main',
      'net/http.(*conn).serve',
      'main.main.func1',
      'slices.Sort[...]',
      'gopkg.in/yaml%2ev3.Unmarshal',
    ])
      expect(looksLikeGoSymbol(s), s).toBe(true);
    for (const s of [
      'c_spin',
      '_cgo_123_Cfunc_x',
      '__libc_start_main',
      'std::vector<int>::push_back',
      'memcpy@plt',
      'foo.constprop.0',
      '[unknown]',
    ])
      expect(looksLikeGoSymbol(s), s).toBe(false);
    expect(goFunctionName('runtime.goexit.abi0')).toBe('runtime.goexit');
    expect(frameKindOfFile('[kernel.kallsyms]')).toBe('kernel');
    expect(frameKindOfFile('[/usr/lib/libc.so.6]')).toBe('native');
    expect(frameKindOfFile('/src/main.go')).toBe('go');
    expect(frameKindOfFile('')).toBe('go');
    // Sources perf's srcline names: C and gas are native, Go's own assembly is Go.
    expect(frameKindOfFile('arena.c')).toBe('native');
    expect(frameKindOfFile('clone3.S')).toBe('native');
    expect(frameKindOfFile('/usr/src/lib/foo.cpp')).toBe('native');
    expect(frameKindOfFile('/usr/local/go/src/runtime/asm_amd64.s')).toBe('go');
    expect(nonGoHue('kernel')).not.toEqual(nonGoHue('native'));
    expect(nonGoHue('go')).toBeUndefined();
  });
});
