// GODEBUG schedtrace/scheddetail/gctrace/scavtrace logs, parsed as `golens schedtrace` does and
// fed to the dashboard's model as a live run is.
import { parseSchedTraceLog, SchedModel, SchedTraceError } from '../../../src/core/schedtrace';
import type { FuzzTarget } from '../target';

const target: FuzzTarget = {
  name: 'schedtrace',
  run(input) {
    const log = parseSchedTraceLog(input, { allowEmpty: true });
    const model = new SchedModel();
    model.add(log.snapshots.map((snapshot) => ({ kind: 'snapshot' as const, snapshot })));
    model.add(log.gcCycles.map((gc) => ({ kind: 'gc' as const, gc })));
    return model.snapshotCount;
  },
  isTypedError: (e) => e instanceof SchedTraceError,
  seeds: [
    'test/fixtures/schedtrace',
    '../shared/corpus/schedtrace',
    '../shared/fuzz-repro/schedtrace',
  ],
  seedFilter: /\.(log|txt|md)$/,
  // Runtime lines are under 1 KB (a SCHED line of 1024 Ps ~17 KB): 16 KiB holds torn lines,
  // blocks and long program lines, and the duplicating mutations still build longer ones.
  maxLen: 16 << 10,
  dictionary: [
    'SCHED ',
    'ms: gomaxprocs=',
    ' idleprocs=',
    ' threads=',
    ' spinningthreads=',
    ' needspinning=',
    ' idlethreads=',
    ' runqueue=',
    ' gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false',
    ' [0 0 0 0]',
    ' [ 0 0 ] schedticks=[ 1 2 ]',
    '  P0: status=1 schedtick=1 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0',
    '  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil',
    '  G1: status=4(select) m=nil lockedm=nil',
    'gc 1 @0.010s 2%: 0.010+0.20+0.003 ms clock, 0.040+0.1/0.2/0.3+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
    'scav 0 KiB work (bg), 0 KiB work (eager), 100 KiB now, 99% util',
    'gc1(1): 0+0+0 ms, 0 -> 0 MB 16 -> 17 (17-0) objects',
    'scvg0: inuse: 3, idle: 0, sys: 3, released: 0, consumed: 3 (MB)',
    '\n',
    ' (forced)',
    '18446744073709551615',
  ],
};
export default target;
