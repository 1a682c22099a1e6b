// Several dumps in one text (a log with a panic per run, a runtime.Stack print then a SIGQUIT
// dump): a one-line title for each and the order a user wants to see them in, crash first.
import type { DumpHeader, GoroutineSnapshot } from './model';
import type { DumpInText } from './parse';

/** What a list of dumps shows for one of them. */
export interface DumpEntry {
  /** 1-based position in the text (what `golens goroutines --dump N` takes). */
  index: number;
  /** 1-based line where the dump starts. */
  startLine: number;
  /** `panic: …`, `fatal error: …`, `signal SIGSEGV`, `SIGQUIT`, or `goroutine dump`. */
  title: string;
  /** The program died here (panic, fatal error, fatal signal); SIGQUIT and plain dumps are not crashes. */
  crash: boolean;
  goroutines: number;
}

function headerTitle(h: DumpHeader | undefined): string {
  if (!h) return 'goroutine dump';
  const oneLine = (s: string) => (s.length > 80 ? s.slice(0, 79) + '…' : s).replace(/\n/g, ' ');
  if (h.panics.length) return `panic: ${oneLine(h.panics[h.panics.length - 1].value)}`;
  if (h.fatalError) return `fatal error: ${oneLine(h.fatalError)}`;
  if (h.signal)
    return h.signal.name === 'SIGQUIT'
      ? 'SIGQUIT dump'
      : `signal ${h.signal.name}${h.signal.description ? ': ' + h.signal.description : ''}`;
  return 'goroutine dump';
}

function isCrash(s: GoroutineSnapshot): boolean {
  const h = s.header;
  if (!h) return false;
  return (
    h.panics.length > 0 ||
    h.fatalError !== '' ||
    (h.signal !== undefined && h.signal.name !== 'SIGQUIT')
  );
}

/** One summary per dump, in text order. */
export function summarizeDumps(dumps: readonly DumpInText[]): DumpEntry[] {
  return dumps.map((d, i) => ({
    index: i + 1,
    startLine: d.startLine,
    title: headerTitle(d.snapshot.header),
    crash: isCrash(d.snapshot),
    goroutines: d.snapshot.totalGoroutines,
  }));
}

/** The summaries in the order to offer them: crashes first, then the rest, each in text order. */
export function crashFirst(summaries: readonly DumpEntry[]): DumpEntry[] {
  return [...summaries.filter((s) => s.crash), ...summaries.filter((s) => !s.crash)];
}

/** Index (0-based) of the dump to show when the user has not picked one: the first crash, else the first dump. */
export function defaultDumpIndex(dumps: readonly DumpInText[]): number {
  const i = dumps.findIndex((d) => isCrash(d.snapshot));
  return i >= 0 ? i : 0;
}
