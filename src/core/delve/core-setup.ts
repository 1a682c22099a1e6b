// What a Linux machine needs for a Go program's crash to leave a core, in words: the core
// size limit (RLIMIT_CORE, `ulimit -c`), the kernel's core_pattern (a file name pattern, or a
// pipe to systemd-coredump or apport), and GOTRACEBACK=crash in the program's environment.
import { formatCount } from '../format/units';

export interface CoreSetupFacts {
  /** The soft "Max core file size" of /proc/self/limits: 'unlimited' or bytes; undefined when unreadable. */
  coreLimit: 'unlimited' | number | undefined;
  /** /proc/sys/kernel/core_pattern; undefined when unreadable (not Linux). */
  corePattern: string | undefined;
  /** /proc/sys/kernel/core_uses_pid is 1. */
  coreUsesPid: boolean;
  /** GOTRACEBACK in the environment programs started from here inherit. */
  gotraceback: string | undefined;
}

export interface CoreSetupCheck {
  ok: boolean;
  title: string;
  detail: string;
}

/** Where core files go, from the pattern: 'cwd' (relative pattern), an absolute directory, or a handler program. */
export function coreDestination(
  pattern: string,
): { kind: 'cwd' | 'dir'; dir: string } | { kind: 'pipe'; handler: string } {
  if (pattern.startsWith('|'))
    return { kind: 'pipe', handler: pattern.slice(1).trim().split(/\s+/)[0] ?? '' };
  if (pattern.startsWith('/'))
    return { kind: 'dir', dir: pattern.slice(0, pattern.lastIndexOf('/')) || '/' };
  return { kind: 'cwd', dir: '' };
}

/** Checks and explanations, one per requirement. Pure. */
export function checkCoreSetup(f: CoreSetupFacts): CoreSetupCheck[] {
  const out: CoreSetupCheck[] = [];
  const crash = f.gotraceback === 'crash';
  out.push({
    ok: crash,
    title: crash
      ? 'GOTRACEBACK=crash is set here'
      : `GOTRACEBACK is ${f.gotraceback ? `"${f.gotraceback}"` : 'not set'}: Go programs write no core`,
    detail:
      'Without GOTRACEBACK=crash a Go program that panics or hits a fatal error exits with status 2 and writes no core. With GOTRACEBACK=crash the runtime prints every goroutine and then aborts (SIGABRT), and the kernel writes a core. Set it where the program starts (systemd unit Environment=, Kubernetes env, shell) or in the program with debug.SetTraceback("crash").',
  });
  if (f.coreLimit === undefined) {
    out.push({
      ok: false,
      title: 'Core size limit: unknown',
      detail: 'Could not read /proc/self/limits (cores are a Linux feature here).',
    });
  } else if (f.coreLimit === 'unlimited') {
    out.push({
      ok: true,
      title: 'Core size limit (ulimit -c): unlimited',
      detail:
        'Programs started from VS Code inherit it. A service started elsewhere has its own: LimitCORE=infinity in a systemd unit, ulimit -c unlimited in a shell.',
    });
  } else if (f.coreLimit === 0) {
    out.push({
      ok: false,
      title: 'Core size limit (ulimit -c): 0 — no core is written',
      detail:
        'Run `ulimit -c unlimited` in the shell that starts the program (or LimitCORE=infinity in its systemd unit; `* soft core unlimited` in /etc/security/limits.conf for logins).',
    });
  } else {
    out.push({
      ok: false,
      title: `Core size limit (ulimit -c): ${formatCount(f.coreLimit)} bytes — cores are cut short`,
      detail:
        "A Go program's core is at least its heap plus its stacks; a cut core cannot be read. Run `ulimit -c unlimited` before starting the program.",
    });
  }
  if (f.corePattern === undefined) {
    out.push({
      ok: false,
      title: 'core_pattern: unknown',
      detail: 'Could not read /proc/sys/kernel/core_pattern.',
    });
  } else {
    const d = coreDestination(f.corePattern);
    const pid =
      f.coreUsesPid && !f.corePattern.includes('%p')
        ? ' (with .PID appended: core_uses_pid is 1)'
        : '';
    if (d.kind === 'pipe' && /systemd-coredump/.test(d.handler)) {
      out.push({
        ok: true,
        title: `core_pattern: a pipe to systemd-coredump`,
        detail:
          'Cores are stored by systemd in /var/lib/systemd/coredump (compressed). List them with `coredumpctl list <program>`, and write one out as a plain file with `coredumpctl dump <program> -o core` (or `coredumpctl dump PID -o core`), then open that file with Go Lens: Open Core Dump…',
      });
    } else if (d.kind === 'pipe' && /apport/.test(d.handler)) {
      out.push({
        ok: false,
        title: 'core_pattern: a pipe to apport',
        detail:
          "Ubuntu's apport keeps crash reports in /var/crash and ignores programs that are not from a package. Unpack a report with `apport-unpack /var/crash/<report>.crash DIR` (the core is DIR/CoreDump), or set a file pattern: `sudo sysctl kernel.core_pattern=core.%e.%p`.",
      });
    } else if (d.kind === 'pipe') {
      out.push({
        ok: true,
        title: `core_pattern: a pipe to ${d.handler}`,
        detail: `Cores are handed to ${d.handler}; find where it stores them, and open the core file with Go Lens: Open Core Dump….`,
      });
    } else if (d.kind === 'dir') {
      out.push({
        ok: true,
        title: `core_pattern: files in ${d.dir}`,
        detail: `A crash writes ${f.corePattern}${pid}. The directory must be writable by the program's user.`,
      });
    } else {
      out.push({
        ok: true,
        title: `core_pattern: "${f.corePattern}" in the program's working directory`,
        detail: `A crash writes ${f.corePattern}${pid} in the working directory of the program (which must be writable), e.g. "core" or "core.12345".`,
      });
    }
  }
  return out;
}

/** Reads the soft core limit out of /proc/<pid>/limits text. */
export function parseCoreLimit(limits: string): 'unlimited' | number | undefined {
  const m = /^Max core file size\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  return m[1] === 'unlimited'
    ? 'unlimited'
    : Number.isFinite(Number(m[1]))
      ? Number(m[1])
      : undefined;
}
