// The net/http/pprof index page (`/debug/pprof/`): which profiles a target serves, custom ones
// (pprof.NewProfile) included, with their counts. net/http/pprof's Index writes one table row
// per profile: `<tr><td>COUNT</td><td><a href='NAME?debug=1'>NAME</a></td></tr>`.

/** One profile the index lists. */
export interface IndexedProfile {
  /** As registered: `goroutine`, `heap`, `goroutineleak`, `mycompany.com/open-files`, … */
  name: string;
  /** The count the index shows (goroutines, samples, records); 0 for cmdline/profile/symbol/trace. */
  count: number;
  /** The link's path relative to the index, unescaped (`name`). */
  path: string;
}

/** Served by net/http/pprof itself rather than runtime/pprof: not profiles one reads as such. */
export const HANDLER_ENDPOINTS: ReadonlySet<string> = new Set([
  'cmdline',
  'profile',
  'symbol',
  'trace',
]);

const ROW =
  /<tr>\s*<td>\s*(\d+)\s*<\/td>\s*<td>\s*<a href=(['"])([^'"]*)\2>([^<]*)<\/a>\s*<\/td>\s*<\/tr>/gi;

function unescapeHtml(s: string): string {
  return s.replace(
    /&(lt|gt|amp|quot|#34|#39);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#34': '"', '#39': "'" })[e] ?? _,
  );
}

/**
 * The profiles listed by a net/http/pprof index page, in page order; undefined when `html` is
 * not such a page (no table rows of that shape).
 */
export function parsePprofIndex(html: string): IndexedProfile[] | undefined {
  const out: IndexedProfile[] = [];
  for (const m of html.matchAll(ROW)) {
    const href = unescapeHtml(m[3]).replace(/\?.*$/, '');
    let path = href;
    try {
      path = decodeURIComponent(href);
    } catch {
      // A malformed escape: keep the link as written.
    }
    out.push({ name: unescapeHtml(m[4]), count: Number(m[1]), path });
  }
  return out.length > 0 ? out : undefined;
}

/** The message for a target whose pprof server does not serve `goroutineleak`. */
export function leakProfileUnavailable(baseUrl: string): string {
  return (
    `${baseUrl} serves net/http/pprof but no goroutineleak profile. The goroutine leak profile needs Go 1.27, ` +
    'or Go 1.26 with the program built with GOEXPERIMENT=goroutineleakprofile (e.g. GOEXPERIMENT=goroutineleakprofile go build). Rebuild the program that way and try again.'
  );
}
