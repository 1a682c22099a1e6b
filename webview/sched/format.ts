// Time and count formatting for the dashboard. Times are ms on the trace's own axis (since the
// runtime's first SCHED line), shown as the runtime prints them: seconds, or m:ss for long runs.

/** `ms` as a time-axis label; `span` (the range shown) picks the precision. */
export function formatTime(ms: number, span: number, precise = false): string {
  const neg = ms < 0;
  const a = Math.abs(ms);
  let text: string;
  if (span >= 120_000 && !precise) {
    const s = Math.round(a / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = String(s % 60).padStart(2, '0');
    text = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
  } else if (span >= 20_000 && !precise) {
    text = `${Math.round(a / 1000)} s`;
  } else if (span >= 2_000 || precise) {
    text = `${(a / 1000).toFixed(a >= 100_000 ? 1 : 2).replace(/\.?0+$/, '')} s`;
  } else {
    text = `${Math.round(a)} ms`;
  }
  return neg ? `−${text}` : text;
}

/** A duration for the window picker and notices ("5 min", "30 s"). */
export function formatSpan(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** P status numbers as the runtime names them (runtime2.go). */
export const P_STATUS = ['idle', 'running', 'syscall', 'gcstop', 'dead'];

/** G status numbers (runtime2.go); 5 and 7 are unused since Go 1.x but kept for old logs. */
export const G_STATUS = [
  'idle',
  'runnable',
  'running',
  'syscall',
  'waiting',
  'moribund',
  'dead',
  'enqueue',
  'copystack',
  'preempted',
  'leaked',
  'deadextra',
];

export function pStatusName(s: number): string {
  return P_STATUS[s] ?? `status ${s}`;
}

/** G status with the GC's scan bit (0x1000) shown as "+scan". */
export function gStatusName(s: number): string {
  const base = s & 0xfff;
  const name = G_STATUS[base] ?? `status ${base}`;
  return s & 0x1000 ? `${name}+scan` : name;
}

/** -1 (the model's nil) as the runtime prints it. */
export function nil(v: number): string {
  return v < 0 ? 'nil' : String(v);
}
