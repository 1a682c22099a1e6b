// Names of saved captures: `<target slug>/<kind>-<YYYYMMDD-HHMMSS>[-partial].<ext>`, so a folder
// listing sorts by target, then kind, then time, and a name says what the file is.

/** Every kind of data Go Lens captures from a target. */
export type CaptureKind =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'goroutine'
  | 'mutex'
  | 'block'
  | 'threadcreate'
  | 'trace'
  | 'goroutine-dump'
  | 'custom';

/** What Go Lens records beside each capture (in `<capture file>.json`). */
export interface CaptureMeta {
  kind: CaptureKind;
  /** Base URL of the target, e.g. `http://127.0.0.1:6060/debug/pprof`. */
  target: string;
  targetLabel: string;
  /** URL actually requested. */
  url: string;
  /** ISO time the request started. */
  startedAt: string;
  /** Seconds asked for (CPU profiles, traces). */
  seconds?: number;
  bytes: number;
  /** False when the transfer ended early: the file holds only what arrived. */
  complete: boolean;
  /** Why the capture is incomplete, for the warning shown with it. */
  error?: string;
}

const EXTENSIONS: Record<CaptureKind, string> = {
  cpu: 'pb.gz',
  heap: 'pb.gz',
  allocs: 'pb.gz',
  goroutine: 'pb.gz',
  mutex: 'pb.gz',
  block: 'pb.gz',
  threadcreate: 'pb.gz',
  trace: 'trace',
  'goroutine-dump': 'txt',
  /** A profile the program registered itself (pprof.NewProfile), or any other the index lists. */
  custom: 'pb.gz',
};

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `20261121-231500` in local time: people read these names. */
export function timestampForName(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Relative path of a capture inside the captures folder. */
export function captureFileName(
  slug: string,
  kind: CaptureKind,
  when: Date,
  complete = true,
): string {
  return `${slug}/${kind}-${timestampForName(when)}${complete ? '' : '-partial'}.${EXTENSIONS[kind]}`;
}
