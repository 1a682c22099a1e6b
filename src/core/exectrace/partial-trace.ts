// The warning shown above a trace that could only be read in part (cut off mid-transfer, or
// damaged): what was read, where it stopped, and how much is missing when that is known.

import type { TraceErrorCode } from './errors';
import { formatDuration } from '../format/units';

/** What is known about a trace that failed part-way. Times in ns. */
export interface PartialTraceInfo {
  code: TraceErrorCode;
  /** The parser's message (a TraceError's, meant for users as it is). */
  message: string;
  /** Number of the last generation that was (at least partly) read; undefined if none. */
  lastGeneration: number | undefined;
  /** Time covered by what was read. */
  parsedNs: number;
  /** How long the capture asked the program to trace, when known (a capture's `seconds`). */
  requestedNs?: number;
}

/**
 * "The trace is truncated after generation 7: <why>. Showing the first 812 ms; the last 188 ms
 * are missing." The missing time is stated only when the requested length is known: a file
 * alone does not say how long it was meant to be.
 */
export function partialTraceWarning(info: PartialTraceInfo): string {
  const where = info.lastGeneration === undefined ? '' : ` after generation ${info.lastGeneration}`;
  // The parser's own "trace is truncated: …" would repeat what the sentence already says.
  const why = info.message.replace(/^trace is truncated:\s*/i, '').replace(/\.$/, '');
  const head =
    info.code === 'truncated'
      ? `The trace is truncated${where}: ${why}.`
      : `The trace is damaged${where}: ${why}.`;
  let tail = ` Showing the first ${formatDuration(info.parsedNs)} that could be read`;
  if (info.requestedNs !== undefined && info.requestedNs > info.parsedNs)
    tail += `; the last ${formatDuration(info.requestedNs - info.parsedNs)} are missing.`;
  else
    tail +=
      info.code === 'truncated'
        ? '; what followed is missing.'
        : '; nothing after the damage is shown.';
  return head + tail;
}
