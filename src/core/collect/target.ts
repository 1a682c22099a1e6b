// Turning what a user types into the base URL of a net/http/pprof server.

/** A net/http/pprof server to collect from. */
export interface Target {
  /** Base URL ending in the pprof prefix, without a trailing slash: `http://127.0.0.1:6060/debug/pprof`. */
  baseUrl: string;
  /** `127.0.0.1:6060`, or the name from the `goLens.targets` setting. */
  label: string;
  /** A file-name-safe form of host and port, used to group saved captures: `127.0.0.1_6060`. */
  slug: string;
  /**
   * Where the program serves a flight recorder snapshot (`goLens.targets[].flightRecorder`): a
   * full URL, a path on the same host, or a path relative to `baseUrl`; see
   * resolveFlightRecorderUrl in ./flight-recorder.
   */
  flightRecorder?: string;
}

/** Input that cannot be a pprof server address. The message says what was wrong. */
export class TargetError extends Error {
  override name = 'TargetError';
}

const PPROF_PREFIX = '/debug/pprof';

/**
 * Accepts `host:port`, `:port`, a bare port, `http(s)://host:port`, and any of those followed by
 * a path that ends in (or contains) `/debug/pprof` — the forms people copy from their code, logs
 * and browser. Query strings and fragments are dropped.
 */
export function parseTarget(input: string, name?: string): Target {
  let text = input.trim();
  if (text === '')
    throw new TargetError(
      'No target given. Enter the address of a program that imports net/http/pprof, for example localhost:6060.',
    );
  if (/^\d+$/.test(text)) text = `localhost:${text}`;
  if (text.startsWith(':')) text = `localhost${text}`;
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  let scheme = 'http';
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw new TargetError(
        `"${input}" uses ${scheme}://; net/http/pprof is served over http:// or https://.`,
      );
    }
    text = text.slice(schemeMatch[0].length);
  }
  text = text.replace(/[?#].*$/, '');
  const slash = text.indexOf('/');
  const authority = slash >= 0 ? text.slice(0, slash) : text;
  let path = slash >= 0 ? text.slice(slash) : '';
  const hostPort = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9._-]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hostPort)
    throw new TargetError(
      `"${input}" is not a host:port or URL. Example: localhost:6060 or http://localhost:6060/debug/pprof.`,
    );
  const port = hostPort[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new TargetError(`Port ${port} in "${input}" is out of range (1–65535).`);
  }
  const at = path.indexOf(PPROF_PREFIX);
  if (at >= 0) path = path.slice(0, at + PPROF_PREFIX.length);
  else path = path.replace(/\/+$/, '') + PPROF_PREFIX;
  const host = hostPort[1].toLowerCase();
  const hostAndPort = port ? `${host}:${port}` : host;
  return {
    baseUrl: `${scheme}://${hostAndPort}${path}`,
    label: name ?? hostAndPort,
    slug: hostAndPort.replace(/[^a-zA-Z0-9.-]+/g, '_'),
  };
}
