// Flight recorder snapshots: where a target serves one, what is wrong with an answer that is
// not a trace, and the Go file "Add Flight Recorder Endpoint" puts into a main package.
// There is no standard endpoint: each program exposes its own (Go Lens's launcher serves
// `/debug/golens/flightrecorder`, the path the inserted file uses too).

/** The path Go Lens's launcher and its inserted endpoint serve snapshots at. */
export const DEFAULT_FLIGHT_RECORDER_PATH = '/debug/golens/flightrecorder';

/**
 * The snapshot URL of a target: `value` as a full http(s) URL, an absolute path on the
 * target's host (`/debug/golens/flightrecorder`), or a path relative to its pprof base URL.
 */
export function resolveFlightRecorderUrl(baseUrl: string, value: string): string {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) return v;
  const origin = /^[a-z]+:\/\/[^/]+/i.exec(baseUrl)?.[0] ?? baseUrl;
  if (v.startsWith('/')) return origin + v;
  return `${baseUrl.replace(/\/+$/, '')}/${v}`;
}

/** An answer from a flight recorder URL. */
export interface FlightRecorderAnswer {
  url: string;
  status: number;
  contentType: string;
  /** The first bytes of the body (at least 16 for the trace header check). */
  bodyStart: Uint8Array;
  /** Whether the answer carried `X-Go-Pprof` (net/http/pprof's errors do): a Go pprof server answered. */
  goPprof?: boolean;
}

const TRACE_MAGIC = /^go 1\.(\d+) trace\0/;

/**
 * Explains an answer that is not a flight recorder snapshot (an execution trace); undefined
 * when it looks like one. Names what came instead and what to do.
 */
export function describeFlightRecorderAnswer(a: FlightRecorderAnswer): string | undefined {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(a.bodyStart.subarray(0, 512));
  const firstLine =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0)
      ?.slice(0, 120) ?? '';
  const fix = `Check the URL (goLens.targets[].flightRecorder), or add an endpoint to the program with "Go Lens: Add Flight Recorder Endpoint".`;
  if (a.status === 404)
    return `${a.url} answered 404 Not Found: the program serves no flight recorder snapshot there. ${fix}`;
  if (a.status >= 400) {
    const busy =
      a.status === 503 || /flight recorder|snapshot/i.test(firstLine)
        ? ' (a snapshot may already be being written, or the recorder is not running)'
        : '';
    return `${a.url} answered ${a.status}${firstLine ? `: ${firstLine}` : ''}${busy}.`;
  }
  if (/text\/html/i.test(a.contentType) || /^\s*<(!doctype|html)/i.test(text)) {
    return `${a.url} answered with an HTML page (${firstLine || 'no title'}), not a flight recorder snapshot: the URL points at a web page. ${fix}`;
  }
  if (a.bodyStart.length === 0)
    return `${a.url} answered with an empty body: the flight recorder wrote nothing (was it started?).`;
  const m = TRACE_MAGIC.exec(String.fromCharCode(...a.bodyStart.subarray(0, 16)));
  if (!m) {
    const shown =
      firstLine && /^[\x20-\x7e]+$/.test(firstLine) ? ` (it starts "${firstLine}")` : '';
    return `${a.url} answered with something that is not a Go execution trace${shown}. A flight recorder endpoint writes FlightRecorder.WriteTo's bytes, which start "go 1.NN trace". ${fix}`;
  }
  return undefined;
}

/** `go 1.NN` of a go.mod, or undefined. */
export function goModVersion(goMod: string): { major: number; minor: number } | undefined {
  const m = /^\s*go\s+(\d+)\.(\d+)/m.exec(goMod);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** What "Add Flight Recorder Endpoint" writes. */
export interface FlightRecorderEndpointCode {
  /** File name in the main package's directory. */
  fileName: string;
  source: string;
  /** runtime/trace (Go 1.25+) or golang.org/x/exp/trace (older modules: needs `go get golang.org/x/exp`). */
  library: 'runtime/trace' | 'golang.org/x/exp/trace';
}

/**
 * The Go file that starts a flight recorder when the program starts and serves its snapshot at
 * `path` on http.DefaultServeMux (the mux net/http/pprof registers on). A module whose go.mod
 * says Go 1.25 or newer gets runtime/trace; an older one golang.org/x/exp/trace, whose API is the
 * one runtime/trace's grew from.
 */
export function flightRecorderEndpoint(
  goVersion: { major: number; minor: number } | undefined,
  path = DEFAULT_FLIGHT_RECORDER_PATH,
): FlightRecorderEndpointCode {
  const modern = !goVersion || goVersion.major > 1 || goVersion.minor >= 25;
  const library = modern ? 'runtime/trace' : 'golang.org/x/exp/trace';
  const start = modern
    ? `	// Keep at least the last 10 s of execution, in at most 64 MiB.
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 10 * time.Second, MaxBytes: 64 << 20})`
    : `	// Keep at least the last 10 s of execution, in about 64 MiB.
	fr := trace.NewFlightRecorder()
	fr.SetPeriod(10 * time.Second)
	fr.SetSize(64 << 20)`;
  // gofmt's grouping: the standard library sorted, then other modules after a blank line.
  const std = ['bytes', 'log', 'net/http', 'time', ...(modern ? ['runtime/trace'] : [])].sort();
  const imports = std.map((p) => `\t"${p}"`).join('\n') + (modern ? '' : `\n\n\t"${library}"`);
  const source = `// Code added by Go Lens ("Add Flight Recorder Endpoint"). It keeps the last seconds of the
// program's execution trace in memory (${library} flight recorder) and serves a snapshot at
// ${path} on http.DefaultServeMux, next to net/http/pprof. Go Lens's "Capture Flight
// Recorder Snapshot" reads it. Delete this file to remove the endpoint.

package main

import (
${imports}
)

func init() {
${start}
	if err := fr.Start(); err != nil {
		log.Printf("flight recorder not started: %v", err)
		return
	}
	http.HandleFunc(${JSON.stringify(path)}, func(w http.ResponseWriter, r *http.Request) {
		// Buffered, so that a failed snapshot is an HTTP error rather than a cut-off trace.
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			http.Error(w, "flight recorder snapshot failed: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", \`attachment; filename="flightrecorder.trace"\`)
		w.Write(buf.Bytes())
	})
}
`;
  return { fileName: 'golens_flightrecorder.go', source, library };
}
