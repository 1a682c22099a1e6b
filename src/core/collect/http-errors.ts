// What to tell a user when a request to a pprof endpoint fails. Kept pure so every case is
// unit-tested; the host maps Node's errors to `NetworkFailure` and shows the message.
import { formatMs } from '../format/units';

/** A failure below HTTP: the request never got an answer. */
export interface NetworkFailure {
  /** Node's error code (`ECONNREFUSED`, `ENOTFOUND`, …) or `TIMEOUT` for our own deadline. */
  code: string;
  url: string;
  /** For `TIMEOUT`: how long we waited. */
  waitedSeconds?: number;
}

function hostOf(url: string): string {
  const m = /^[a-z]+:\/\/([^/]+)/i.exec(url);
  return m ? m[1] : url;
}

/** A sentence or two naming what went wrong and what to do about it. */
export function describeNetworkFailure(f: NetworkFailure): string {
  const host = hostOf(f.url);
  switch (f.code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${host}. Start the Go program, and check that it serves net/http/pprof on that address (import _ "net/http/pprof" and call http.ListenAndServe("${host}", nil)).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host in ${host} could not be found. Check the target address (for a program on this machine use localhost:PORT).`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${host} cannot be reached from this machine (${f.code}). Check the address and that no firewall is in the way.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${host} closed the connection before answering. Did the program exit or crash? Check its output and start it again.`;
    case 'TIMEOUT':
      return `${f.url} sent no answer within ${f.waitedSeconds === undefined ? '?s' : formatMs(f.waitedSeconds * 1000)}. The program may be hung or overloaded; if it is being debugged, resume it.`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `${host} does not speak the protocol in the URL. Use http:// for a plain net/http server.`;
    default:
      return `Could not reach ${host} (${f.code}). Check the target address and that the program is running.`;
  }
}

/** An HTTP answer that is not the data asked for. */
export interface BadResponse {
  url: string;
  status: number;
  contentType: string;
  /** The first bytes of the body, decoded as text. */
  bodyStart: string;
  /** What the endpoint should have returned, e.g. "a CPU profile". */
  expected: string;
}

/** Explains an HTTP answer that cannot be used; undefined when the answer looks right. */
export function describeBadResponse(r: BadResponse): string | undefined {
  const firstLine =
    r.bodyStart
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0)
      ?.slice(0, 200) ?? '';
  if (r.status === 404) {
    return `${r.url} answered 404 Not Found: the program does not serve net/http/pprof at this address. Add import _ "net/http/pprof" (it registers on http.DefaultServeMux, so serve that mux) or mount the pprof handlers, then try again.`;
  }
  if (r.status === 401 || r.status === 403) {
    return `${r.url} answered ${r.status}: the server refuses this request (${firstLine || 'no reason given'}). Go Lens sends no credentials; expose pprof on a local port without authentication.`;
  }
  if (r.status >= 400) {
    return `${r.url} answered ${r.status}${firstLine ? `: ${firstLine}` : ''}.`;
  }
  if (/text\/html/i.test(r.contentType) || /^\s*<(!doctype|html)/i.test(r.bodyStart)) {
    return `${r.url} answered with an HTML page instead of ${r.expected}. The address is probably not a net/http/pprof server (a web app or proxy answered); check the port.`;
  }
  return undefined;
}
