// Running `perf record` on a process for a while: stoppable early (SIGINT, so perf writes what it
// has), and telling apart a process that exited while it was recorded.
import { spawn } from 'node:child_process';

export interface PerfRecordOptions {
  perf: string;
  pid: number;
  frequency: number;
  callGraph: 'fp' | 'dwarf' | 'lbr';
  output: string;
}

export interface PerfRecordResult {
  code: number | null;
  stderr: string;
  /** perf stopped by itself before it was asked to: the process exited. */
  endedByItself: boolean;
}

export interface PerfRecording {
  /** Asks perf to stop and write the recording (SIGINT). */
  stop(): void;
  done: Promise<PerfRecordResult>;
}

/** The arguments of the `perf record` Go Lens runs, for the command and for messages. */
export function perfRecordArgs(o: Omit<PerfRecordOptions, 'perf'>): string[] {
  const callGraph = o.callGraph === 'dwarf' ? 'dwarf,16384' : o.callGraph;
  return [
    'record',
    '-e',
    'cpu-clock',
    '-F',
    String(o.frequency),
    '--call-graph',
    callGraph,
    '-p',
    String(o.pid),
    '-o',
    o.output,
  ];
}

export function startPerfRecord(o: PerfRecordOptions): PerfRecording {
  const child = spawn(o.perf, perfRecordArgs(o), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let stopping = false;
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 16384) stderr += c.toString('utf8');
  });
  const done = new Promise<PerfRecordResult>((resolve) => {
    child.on('error', (e) => resolve({ code: -1, stderr: e.message, endedByItself: true }));
    child.on('close', (code) => resolve({ code, stderr, endedByItself: !stopping }));
  });
  return {
    stop() {
      if (stopping) return;
      stopping = true;
      child.kill('SIGINT');
    },
    done,
  };
}
