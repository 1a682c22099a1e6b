// What can be wrong with a core dump, its executable or Delve, each with what to do about it.

export type CoreDumpProblem =
  | 'not-found'
  | 'not-core'
  | 'truncated'
  | 'other-executable'
  | 'stripped'
  | 'not-go'
  | 'delve-too-old'
  | 'go-too-old'
  | 'delve-missing'
  | 'delve-failed';

/** A core dump Go Lens cannot open; the message names what is wrong and what to do. */
export class CoreDumpError extends Error {
  override name = 'CoreDumpError';
  constructor(
    readonly problem: CoreDumpProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Turns Delve's own complaint (what it printed before exiting) into a CoreDumpError, or
 * undefined when the text is not one Go Lens knows.
 */
export function explainDelveOutput(output: string, dlv: string): CoreDumpError | undefined {
  let m =
    /Version of Delve is too old for Go version (\S+) \(maximum supported version ([\d.]+)/.exec(
      output,
    );
  if (m) {
    return new CoreDumpError(
      'delve-too-old',
      `the program was built with Go ${m[1].replace(/^go/, '')}, newer than this Delve (${dlv}) reads (up to Go ${m[2]}). Install a newer Delve: go install github.com/go-delve/delve/cmd/dlv@latest`,
    );
  }
  m =
    /Go version (\S+) is too old for this version of Delve \(minimum supported version ([\d.]+)/.exec(
      output,
    );
  if (m) {
    return new CoreDumpError(
      'go-too-old',
      `the program was built with Go ${m[1].replace(/^go/, '')}, older than this Delve (${dlv}) reads (Go ${m[2]} or newer). Install a Delve of that Go's time (e.g. go install github.com/go-delve/delve/cmd/dlv@v1.23.1 for Go 1.21–1.23) and set go.alternateTools.dlv to it`,
    );
  }
  if (/could not open debug info|no debug info found|decoding dwarf section info/i.test(output)) {
    return new CoreDumpError(
      'stripped',
      'the executable has no debug information (built with -ldflags="-s -w"). Rebuild it without -s -w (the same source and Go version), or keep an unstripped copy of each release for reading cores',
    );
  }
  if (/unrecognized core format|not a core file/i.test(output)) {
    return new CoreDumpError('not-core', 'Delve does not recognise the file as a core dump');
  }
  if (/short read|unexpected EOF/i.test(output)) {
    return new CoreDumpError(
      'truncated',
      'the core dump is cut short (the disk filled up, or the core size limit was hit while it was written). Raise the limit with ulimit -c unlimited and capture another',
    );
  }
  return undefined;
}
