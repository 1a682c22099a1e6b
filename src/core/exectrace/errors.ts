/**
 * What went wrong, for callers that react differently (e.g. offer `go tool trace` for legacy
 * traces, or show "partial trace" when it was truncated):
 * - `not-a-trace`: the bytes do not start with a Go execution trace header;
 * - `legacy-version`: a Go 1.5–1.10 trace, which neither this parser nor Go 1.23+ reads;
 * - `unsupported-version`: a header this parser does not know (e.g. a future Go);
 * - `truncated`: the file ends in the middle of a generation;
 * - `corrupt`: the data contradicts the format or the runtime's own rules;
 * - `cancelled`: the caller's signal asked to stop;
 * - `too-large`: a limit meant to keep memory bounded was exceeded.
 */
export type TraceErrorCode =
  | 'not-a-trace'
  | 'legacy-version'
  | 'unsupported-version'
  | 'truncated'
  | 'corrupt'
  | 'cancelled'
  | 'too-large';

/** The only error the execution-trace parser throws. Its message is meant for users as it is. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
  constructor(
    readonly code: TraceErrorCode,
    message: string,
    /** Byte offset in the file where the problem was found, when known. */
    readonly offset?: number,
  ) {
    super(message);
  }
}
