// Folded stacks (Brendan Gregg's flamegraph.pl input): one line per distinct stack of function
// names, root first, `a;b;c 123`. Frame names are escaped so a reader gets them back exactly:
// `\` → `\\`, `;` → `\;`, newline → `\n`, CR → `\r`, nothing else (the contract with the folded
// reader). Names without any of these four characters, i.e. almost all, are written unchanged.
// This file holds the text rules (escaping, numbers, how a frame without a name is named); the
// lines themselves are written from the profile index's tree (flame/folded-tree.ts).
import type { Profile } from './model';

/** Prints an integer-valued sum without exponent notation (values are int64 in the profile). */
export function formatInteger(v: number): string {
  if (Number.isSafeInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return BigInt(Math.round(v)).toString();
}

/** A frame name escaped for folded text (see the file comment). */
export function escapeFoldedFrame(name: string): string {
  if (!/[\\;\n\r]/.test(name)) return name;
  return name.replace(/[\\;\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\' + c));
}

/**
 * How pprof names a frame that has no function name (an unsymbolized location, a Line without a
 * function, a function without a name) when it keeps addresses apart, as
 * `go tool pprof -traces -addresses` prints it: the address in 16 hex digits and the mapping's
 * file name in brackets (`00000000004e356c [server]`), or `<unknown>` without a mapping. (At the
 * default granularity, as in `-top`, pprof drops the address and keeps only `[server]`.)
 */
export function pprofAddressName(address: number, mappingFile = ''): string {
  const hex = address.toString(16).padStart(16, '0');
  if (!mappingFile) return `${hex} <unknown>`;
  const slash = Math.max(mappingFile.lastIndexOf('/'), mappingFile.lastIndexOf('\\'));
  return `${hex} [${slash >= 0 ? mappingFile.slice(slash + 1) : mappingFile}]`;
}

/**
 * How a frame of location `l` without a function is named: as `go tool pprof -traces -addresses`
 * and `golens folded` name it (pprofAddressName: address and mapping file), so the views and
 * their Export… write the same folded text as the CLI.
 */
export function unnamedFrameName(p: Profile, l: number): string {
  const m = p.locations.mapping[l];
  return pprofAddressName(p.locations.address[l], m >= 0 ? p.mappings.filename[m] : '');
}
