// What went wrong with `perf record`, from its stderr and the kernel's settings, in words that
// name the fix.

/** What `perf record` printed at the end: `[ perf record: Captured and wrote 0.019 MB perf.data (113 samples) ]`. */
export function recordedSamples(stderr: string): number | undefined {
  const m = /Captured and wrote [\d.]+ MB .*?\((\d+) samples?\)/.exec(stderr);
  if (m) return Number(m[1]);
  // perf leaves the count out when there is none (stopped before it attached, or an idle process).
  return /Captured and wrote/.test(stderr) ? 0 : undefined;
}

/**
 * A message for a failed `perf record`: permission (with the perf_event_paranoid value and the
 * sysctl or capability that helps), a process that does not exist, an event the machine lacks;
 * otherwise perf's own last lines.
 */
export function explainPerfRecordFailure(
  stderr: string,
  paranoid: number | undefined,
  isRoot: boolean,
  pid?: number,
): string {
  const text = stderr.replace(/\s+/g, ' ');
  if (
    /perf_event_paranoid|Permission denied|Access to performance monitoring|not permitted|No permission/i.test(
      text,
    )
  ) {
    const level = paranoid === undefined ? 'unknown' : String(paranoid);
    const who = isRoot
      ? ''
      : ' Or give perf the capabilities: sudo setcap cap_perfmon,cap_sys_ptrace,cap_syslog=ep "$(command -v perf)".';
    return (
      `perf may not record this process: the kernel's perf_event_paranoid is ${level}` +
      (paranoid !== undefined && paranoid >= 2
        ? ' (2 and above: only your own processes, user space only; 3 or 4: nothing for non-root users)'
        : '') +
      '. Allow it with: sudo sysctl kernel.perf_event_paranoid=1 (add -w kernel.perf_event_paranoid=1 to /etc/sysctl.d/ to keep it), or -1 to also see kernel frames.' +
      who +
      (pid !== undefined
        ? ' A process of another user also needs CAP_SYS_PTRACE (or running VS Code as that user).'
        : '')
    );
  }
  if (/No such process|Couldn't find process|ESRCH|doesn't exist/i.test(text))
    return `the process${pid !== undefined ? ` ${pid}` : ''} is gone: it exited before perf could attach. Pick a running process.`;
  if (/event syntax error|not supported|unknown event/i.test(text))
    return `perf cannot use its CPU clock event on this machine: ${lastLines(stderr)}`;
  if (/lbr/i.test(text) && /call-graph|callchain/i.test(text))
    return `this CPU has no Last Branch Record: set goLens.perf.callGraph to "fp" or "dwarf". perf said: ${lastLines(stderr)}`;
  return `perf record failed: ${lastLines(stderr) || 'no message'}`;
}

function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('[ perf record'))
    .slice(-3)
    .join(' ');
}

/** The message for a recording that holds no sample. */
export function noSamplesAdvice(seconds: number): string {
  return `perf recorded no samples in ${seconds} s: the process used no CPU while it was recorded (it was idle or blocked). Record while it is busy (send it load), or for longer (goLens.cpuProfileSeconds).`;
}
