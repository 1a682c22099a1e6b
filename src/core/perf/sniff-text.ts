// Tells the text profile formats apart by their first lines, so opening a file or piping one to
// the CLI needs no flag: `perf script` output, folded stacks, or neither. perf.data files are
// recognised by their magic.

/** A text profile format Go Lens reads. */
export type TextProfileFormat = 'perf-script' | 'folded';

/** perf.data starts with the magic "PERFILE2" (or its byte-swapped form on the other endianness). */
export function isPerfData(data: Uint8Array): boolean {
  if (data.length < 8) return false;
  const head = String.fromCharCode(...data.subarray(0, 8));
  return head === 'PERFILE2' || head === '2ELIFREP';
}

const PERF_HEADER =
  /^\S.*?\s+(?:\d+\/)?\d+\s+(?:\[\d+\]\s+)?(?:\d+\.\d+:\s+)?(?:\d+\s+)?\S+:(?:\s|$)/;
const PERF_FRAME = /^\s+[0-9a-fA-F]+(\s|$)/;
const FOLDED_LINE = /^[^\s#].*\s[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\r?$/;

/**
 * The text profile format of `head` (the first few KB of a file, decoded), or undefined. perf
 * script: a `#` header or a sample header line followed by a frame line (or a blank line, for a
 * recording without callchains). Folded: the first lines all end in a count.
 */
export function sniffTextProfile(head: string): TextProfileFormat | undefined {
  const lines = head.replace(/^\uFEFF/, '').split('\n');
  // The last piece may be cut off by the head's end.
  if (lines.length > 1) lines.pop();
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (i >= lines.length) return undefined;
  if (lines[i].startsWith('# ========') || lines[i].startsWith('# captured on'))
    return 'perf-script';
  while (i < lines.length && lines[i].startsWith('#')) i++;
  if (i >= lines.length) return undefined;
  const first = lines[i].replace(/\r$/, '').trimStart();
  const next = lines[i + 1];
  if (
    PERF_HEADER.test(first) &&
    (next === undefined ||
      PERF_FRAME.test(next) ||
      next.trim() === '' ||
      PERF_HEADER.test(next.trimStart()))
  )
    return 'perf-script';
  // Folded: the first line and most of the next ones end in a count (a few bad lines are the
  // reader's to report, not a reason to call the file something else).
  if (!FOLDED_LINE.test(lines[i])) return undefined;
  let folded = 0;
  let other = 0;
  for (let k = i; k < lines.length && folded + other < 50; k++) {
    if (lines[k].trim() === '') continue;
    if (FOLDED_LINE.test(lines[k])) folded++;
    else other++;
  }
  return folded >= 2 * other ? 'folded' : undefined;
}
