// The net/http/pprof endpoints Go Lens collects from, and how to ask each one.
import type { CaptureKind } from './capture-name';

export interface EndpointSpec {
  kind: CaptureKind;
  /** Shown in progress and messages: "CPU profile". */
  title: string;
  /** What a correct answer is, for error messages: "a CPU profile". */
  expected: string;
  /** Whether the server records for `seconds` before answering (a countdown is shown). */
  timed: boolean;
  /** Path and query after the pprof base URL. */
  pathAndQuery(seconds: number): string;
}

export const ENDPOINTS: Record<'cpu', EndpointSpec> = {
  cpu: {
    kind: 'cpu',
    title: 'CPU profile',
    expected: 'a CPU profile',
    timed: true,
    pathAndQuery: (seconds) => `/profile?seconds=${seconds}`,
  },
};

/**
 * How long to wait for a timed endpoint beyond its duration: the server must stop profiling and
 * encode the answer, which takes a few seconds for a busy program.
 */
export const ANSWER_GRACE_SECONDS = 30;
