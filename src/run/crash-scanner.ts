// Spotting a panic or a fatal error in a program's stderr as it arrives, and keeping the text
// from that line on (the goroutine dump the runtime prints before it exits). No vscode here.

/** Lines that begin the runtime's crash output (runtime/panic.go, runtime/signal_unix.go). */
const CRASH_START =
  /^(panic: |fatal error: |SIGQUIT: quit|SIGABRT: abort|SIGSEGV: |SIGBUS: |SIGILL: |SIGFPE: |SIGTRAP: |unexpected fault address )/;

/** The most crash text kept: a dump of a million goroutines is cut, as its reader allows. */
const MAX_CRASH_BYTES = 64 << 20;

/**
 * Lines between a crash's first line and its first goroutine header: the panic value (possibly
 * several lines, and `[recovered]` re-panics) and the signal line. A "panic: " line of the
 * program's own with no goroutine header this soon after is not a crash.
 */
const MAX_LINES_TO_FIRST_GOROUTINE = 50;

const GOROUTINE_HEADER = /^goroutine \d+ (gp=\S+ m=\S+ (mp=\S+ )?)?\[/;

export class CrashScanner {
  private partial = '';
  /** Lines from a possible crash start, before its first goroutine header confirms it. */
  private candidate: string[] | undefined;
  private crash: string[] | undefined;
  private kept = 0;
  /** The first crash line, once confirmed. */
  headline: string | undefined;

  /**
   * Feeds decoded stderr text. Returns the headline the first time a crash is confirmed (so
   * the caller can say so at once), else undefined.
   */
  push(text: string): string | undefined {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    let confirmed: string | undefined;
    for (const line of lines) {
      if (this.crash) {
        if (this.kept < MAX_CRASH_BYTES) {
          this.crash.push(line);
          this.kept += line.length + 1;
        }
        continue;
      }
      if (!this.candidate) {
        if (CRASH_START.test(line)) this.candidate = [line];
        continue;
      }
      this.candidate.push(line);
      if (GOROUTINE_HEADER.test(line)) {
        this.crash = this.candidate;
        this.kept = this.crash.reduce((n, l) => n + l.length + 1, 0);
        this.candidate = undefined;
        this.headline = this.crash[0].trim();
        confirmed = this.headline;
      } else if (this.candidate.length > MAX_LINES_TO_FIRST_GOROUTINE) {
        this.candidate = undefined;
      }
    }
    return confirmed;
  }

  /**
   * Feeds the program lines the scheduler trace parser split off a run's stderr (its GODEBUG
   * lines taken out, so a SCHED line printed in the middle of a dump does not break it).
   */
  pushLines(lines: readonly { text: string; noNewline?: boolean }[]): string | undefined {
    let confirmed: string | undefined;
    for (const l of lines) confirmed = this.push(l.noNewline ? l.text : `${l.text}\n`) ?? confirmed;
    return confirmed;
  }

  /** The crash text (from its first line to the end of the output), once the output has ended. */
  end(): string | undefined {
    if (this.partial !== '') {
      const last = this.partial;
      this.partial = '';
      this.push(last + '\n');
    }
    return this.crash ? this.crash.join('\n') + '\n' : undefined;
  }
}
