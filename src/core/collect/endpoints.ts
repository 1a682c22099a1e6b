// The net/http/pprof endpoints Go Lens collects from, and how to ask each one.
import type { CaptureKind } from './capture-name';

export interface EndpointSpec {
  kind: CaptureKind;
  /** Shown in progress and messages: "CPU profile". */
  title: string;
  /** What a correct answer is, for error messages: "a CPU profile". */
  expected: string;
  /** Setting (under `goLens.`) holding how many seconds the server records; absent for instant snapshots. */
  secondsSetting?: 'cpuProfileSeconds' | 'traceSeconds';
  /** Path and query after the pprof base URL. */
  pathAndQuery(seconds: number): string;
}

export const ENDPOINTS: Record<CaptureKind, EndpointSpec> = {
  cpu: {
    kind: 'cpu',
    title: 'CPU profile',
    expected: 'a CPU profile',
    secondsSetting: 'cpuProfileSeconds',
    pathAndQuery: (seconds) => `/profile?seconds=${seconds}`,
  },
  // gc=1 runs a collection first, so in-use figures describe live memory, as `go tool pprof` users expect.
  heap: {
    kind: 'heap',
    title: 'heap profile',
    expected: 'a heap profile',
    pathAndQuery: () => '/heap?gc=1',
  },
  allocs: {
    kind: 'allocs',
    title: 'allocations profile',
    expected: 'an allocations profile',
    pathAndQuery: () => '/allocs',
  },
  goroutine: {
    kind: 'goroutine',
    title: 'goroutine profile',
    expected: 'a goroutine profile',
    pathAndQuery: () => '/goroutine',
  },
  mutex: {
    kind: 'mutex',
    title: 'mutex profile',
    expected: 'a mutex profile',
    pathAndQuery: () => '/mutex',
  },
  block: {
    kind: 'block',
    title: 'block profile',
    expected: 'a block profile',
    pathAndQuery: () => '/block',
  },
  threadcreate: {
    kind: 'threadcreate',
    title: 'thread creation profile',
    expected: 'a threadcreate profile',
    pathAndQuery: () => '/threadcreate',
  },
  trace: {
    kind: 'trace',
    title: 'execution trace',
    expected: 'an execution trace',
    secondsSetting: 'traceSeconds',
    pathAndQuery: (seconds) => `/trace?seconds=${seconds}`,
  },
  'goroutine-dump': {
    kind: 'goroutine-dump',
    title: 'goroutine dump',
    expected: 'a goroutine dump',
    pathAndQuery: () => '/goroutine?debug=2',
  },
  // Named by the program: use customProfileEndpoint(name); this entry asks for the index.
  custom: {
    kind: 'custom',
    title: 'profile',
    expected: 'a pprof profile',
    pathAndQuery: () => '/',
  },
};

/**
 * A profile the target's index lists by `name` (pprof.NewProfile ones included), asked for in
 * its protobuf form (debug=0), which runtime/pprof writes for every profile.
 */
export function customProfileEndpoint(name: string): EndpointSpec {
  return {
    kind: 'custom',
    title: `${name} profile`,
    expected: `the ${name} profile`,
    pathAndQuery: () => `/${encodeURI(name)}`,
  };
}

/**
 * How long to wait for an endpoint beyond its recording time: the server must stop recording
 * and encode the answer, which takes a few seconds for a busy program.
 */
export const ANSWER_GRACE_SECONDS = 30;
