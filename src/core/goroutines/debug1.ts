// Reads the grouped legacy text of goroutine?debug=1 (runtime/pprof printCountProfile):
//
//   goroutine profile: total 35
//   8 @ 0x48476e 0x4181ce 0x417d12 0x5212e5 0x52101b 0x48b941
//   # labels: {"k":"v", "k2":"v2"}                 (only when the goroutines carry labels)
//   #	0x5212e4	pkg.worker+0x44	/path/zoo.go:154  (tabwriter pads with one or more TABs)
//   #	0x52101a	pkg.Start.func7+0x1a	/path/zoo.go:53
//   <empty line>
//
// Leading runtime.* frames and runtime.goexit are hidden by the writer; inlined calls appear as
// several `#` lines with the same PC. Each record becomes one row whose weight is its count.
// The goroutine leak profile (Go 1.26 GOEXPERIMENT, 1.27) writes the same text under
// `goroutineleak profile: total N`; its rows are marked leaked.
import type { SnapshotBuilder } from './builder';
import { readLabelMap } from './labels';
import { LEAK_PROFILE_MARKER, leakRowFlags } from './leak';

const TOTAL_LINE = /^goroutine(?:leak)? profile: total (\d+)\s*$/;
const RECORD_LINE = /^(\d+) @((?: 0x[0-9a-f]+)*)\s*$/;

/**
 * Index of the first `goroutine profile: total N` line that starts before `before`, or -1. The
 * caller passes the position of the first traceback header, so a 40 MB traceback is not
 * searched end to end for a line it cannot contain first.
 */
export function findDebug1Start(text: string, before = text.length): number {
  let first = -1;
  for (const marker of ['goroutine profile: total ', LEAK_PROFILE_MARKER]) {
    for (let i = text.indexOf(marker); i >= 0 && i < before; i = text.indexOf(marker, i + 1)) {
      if (i > 0 && text[i - 1] !== '\n') continue;
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      if (TOTAL_LINE.test(text.slice(i, end).replace(/\r$/, ''))) {
        if (first < 0 || i < first) first = i;
        break;
      }
    }
  }
  return first;
}

/** Parses the debug=1 text starting at `start` (a `goroutine profile: total N` line) into `b`. */
export function parseDebug1(text: string, start: number, b: SnapshotBuilder): void {
  const lines = text.slice(start).split('\n');
  // Line numbers in warnings count from the start of the whole input.
  let firstLineNo = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1))
    firstLineNo++;

  let count = -1;
  let recordLine = 0;
  let frames: number[] = [];
  let labels: [string, string][] = [];
  let sum = 0;
  let badLines = 0;
  let firstBad = 0;

  const rowFlags = leakRowFlags(text.startsWith(LEAK_PROFILE_MARKER, start));
  const flush = () => {
    if (count < 0) return;
    // A record without frame lines is legitimate: a goroutine created but not yet started has
    // only runtime.goexit on its stack, which the writer never prints.
    const stack = b.stack(frames, frames.length);
    b.row({
      id: -1,
      weight: count,
      state: '',
      waitMinutes: 0,
      flags: rowFlags,
      stack,
      createdBy: -1,
      parentId: -1,
      labels: b.labels(labels),
      line: recordLine,
    });
    sum += count;
    count = -1;
    frames = [];
    labels = [];
  };

  let lastRecord = 0;
  for (let i = lines.length - 1; i > 0; i--) {
    if (RECORD_LINE.test(lines[i].replace(/\r$/, ''))) {
      lastRecord = i;
      break;
    }
  }
  const total = TOTAL_LINE.exec(lines[0].replace(/\r$/, ''));
  b.declaredTotal = total ? Number(total[1]) : -1;
  for (let i = 1; i < lines.length; i++) {
    const s = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const lineNo = firstLineNo + i;
    if (s === '') {
      flush();
      continue;
    }
    if (s.startsWith('#')) {
      if (count < 0) {
        badLines++;
        firstBad ||= lineNo;
        continue;
      }
      if (s.startsWith('# labels: ')) {
        const lm = readLabelMap(s, '# labels: '.length);
        if (lm) labels = lm.pairs;
        else b.warn('bad-record', lineNo, `the labels at line ${lineNo} could not be read`);
        continue;
      }
      const parts = s.split(/\t+/);
      if (parts[0] !== '#' || parts.length < 2 || !parts[1].startsWith('0x')) {
        badLines++;
        firstBad ||= lineNo;
        continue;
      }
      const pc = parts[1];
      const fnOff = parts[2] ?? '';
      const loc = parts.slice(3).join('\t');
      frames.push(
        b.frame(`${pc}\u0000${fnOff}\u0000${loc}`, () => {
          const plus = fnOff.lastIndexOf('+0x');
          const func = plus > 0 ? fnOff.slice(0, plus) : fnOff;
          const offset = plus > 0 ? parseInt(fnOff.slice(plus + 3), 16) : -1;
          const colon = loc.lastIndexOf(':');
          const hasLine = colon > 0 && /^\d+$/.test(loc.slice(colon + 1));
          return {
            func: func || '?',
            file: hasLine ? loc.slice(0, colon) : loc,
            line: hasLine ? Number(loc.slice(colon + 1)) : 0,
            offset,
            pc,
            inlined: false,
          };
        }),
      );
      continue;
    }
    const rec = RECORD_LINE.exec(s);
    if (rec) {
      flush();
      count = Number(rec[1]);
      recordLine = lineNo;
      continue;
    }
    // Text after the profile (a pasted log) ends it; anything else inside is reported.
    if (count < 0 && i > lastRecord) break;
    badLines++;
    firstBad ||= lineNo;
  }
  const lastComplete = count < 0 || text.endsWith('\n');
  flush();
  if (badLines > 0)
    b.warn(
      'garbage',
      firstBad,
      `${badLines} line(s) that are not part of the profile, from line ${firstBad} (skipped)`,
    );
  if (!lastComplete)
    b.warn(
      'truncated',
      recordLine,
      `the input ends inside the record at line ${recordLine}: its stack may be incomplete`,
    );
  if (b.declaredTotal >= 0 && sum !== b.declaredTotal) {
    b.warn(
      'truncated',
      firstLineNo,
      `the profile says "total ${b.declaredTotal}" but its records add up to ${sum}${sum < b.declaredTotal ? ': records are missing (truncated input?)' : ''}`,
    );
  }
}
