// Reading go tool trace's goroutine analysis from its HTTP UI (`go tool trace -http`): the
// /goroutines page (groups by start function: count, execution time) and the /goroutine?name=
// pages (every goroutine's time in each state, and in GC ranges).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { goEnv } from '../../../support/go';

/** Exact ns of a Go time.Duration string ("1.5ms", "2m3.000000001s", "0s"). */
export function parseDuration(s: string): number {
  s = s.trim();
  if (s === '0s') return 0;
  const units: Record<string, number> = {
    h: 3.6e12,
    m: 6e10,
    s: 1e9,
    ms: 1e6,
    µs: 1e3,
    us: 1e3,
    ns: 1,
  };
  let total = 0;
  const re = /(\d+)(?:\.(\d+))?(h|ms|m|s|µs|us|ns)/g;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const unit = units[m[3]];
    const frac = m[2] ?? '';
    total += Number(m[1]) * unit + (frac ? (Number(frac) * unit) / 10 ** frac.length : 0);
    consumed += m[0].length;
  }
  if (consumed !== s.length) throw new Error(`bad duration ${s}`);
  return Math.round(total);
}

export const decodeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Starts `go tool trace -http` on a file; returns its base URL and the server process. */
export async function serve(file: string): Promise<{ base: string; server: ChildProcess }> {
  // The tool binary itself (not `go tool trace`, which would leave it running as a child).
  const tool = execFileSync('go', ['tool', '-n', 'trace'], { env: goEnv() }).toString().trim();
  const server = spawn(tool, ['-http=127.0.0.1:0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`go tool trace did not start:\n${out}`)),
      120_000,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`go tool trace exited with ${code}:\n${out}`)));
  });
  return { base, server };
}

/** The /goroutines page's rows: start function ("" for Go's "(Inactive, no stack trace sampled)") → count and execution time. */
export function parseGoroutineGroups(html: string): Map<string, { count: number; exec: number }> {
  const rows = [
    ...html.matchAll(
      /<tr>\s*<td><code><a href="[^"]*">([^<]*)<\/a><\/code><\/td>\s*<td>(\d+)<\/td>\s*<td>([^<]*)<\/td>/g,
    ),
  ];
  return new Map(
    rows.map((m) => [
      decodeHtml(m[1]) === '(Inactive, no stack trace sampled)' ? '' : decodeHtml(m[1]),
      { count: Number(m[2]), exec: parseDuration(m[3]) },
    ]),
  );
}

/** A details table of a /goroutine?name= page section: goroutine ID → column title → ns. */
export function parseGoroutineTable(section: string): Map<number, Record<string, number>> {
  const table = section.slice(section.indexOf('<table class="details">'));
  const headers = [
    ...table.slice(0, table.indexOf('</tr>')).matchAll(/<th[^>]*>\s*([^<]*)<\/th>/g),
  ].map((m) => decodeHtml(m[1].trim()));
  const rows = new Map<number, Record<string, number>>();
  for (const m of table.matchAll(
    /<a href="\/trace\?goid=(\d+)">\d+<\/a>\s*<\/td>([\s\S]*?)<\/tr>/g,
  )) {
    const cells = [
      ...m[2]
        .replace(/<div class="stacked-bar-graph">[\s\S]*?<\/div>/, '')
        .matchAll(/<td>\s*([^<]*?)\s*<\/td>/g),
    ]
      .map((c) => c[1])
      .filter((c) => c !== '');
    const values: Record<string, number> = {};
    headers
      .slice(1)
      .filter((h) => h !== '')
      .forEach((h, i) => (values[h] = parseDuration(cells[i])));
    rows.set(Number(m[1]), values);
  }
  return rows;
}
