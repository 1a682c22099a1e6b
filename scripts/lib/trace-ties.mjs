// `go tool trace -d=parsed` is not deterministic on Go 1.11–1.21 (v1) traces: Go orders the P's
// of a v1 trace, and the goroutines it reports runnable at the start, by iterating maps, so
// events with the same raw timestamp on different P's come out in an order that changes from run
// to run (the times are then made strictly increasing, X, X+1, …). Comparisons with it check
// exact equality first, then against further runs of Go, and last with each run of events at
// consecutive nanoseconds taken as a set. Shared by the differential tests and the corpus check.

/** Splits -d=parsed text into events (an event's first line starts with "M="). */
function records(text) {
  const out = [];
  let cur = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('M=') && cur !== '') {
      out.push(cur);
      cur = '';
    }
    cur += line + '\n';
  }
  if (cur !== '') out.push(cur);
  return out;
}

const TIME = /Time=(-?\d+)/;

/**
 * The text with every run of events at consecutive nanoseconds (what simultaneous events
 * become) replaced by its sorted events without their times, plus the run's start and length.
 * @param {string} text
 * @returns {string}
 */
export function tieInsensitive(text) {
  const recs = records(text);
  const out = [];
  let i = 0;
  while (i < recs.length) {
    const t0 = Number(TIME.exec(recs[i])?.[1] ?? NaN);
    let j = i + 1;
    let t = t0;
    while (j < recs.length) {
      const tj = Number(TIME.exec(recs[j])?.[1] ?? NaN);
      if (tj !== t + 1) break;
      t = tj;
      j++;
    }
    if (j - i === 1) out.push(recs[i]);
    else {
      const group = recs.slice(i, j).map((r) => r.replace(TIME, 'Time=*'));
      group.sort();
      out.push(`[${j - i} events from ${t0}]\n`, ...group);
    }
    i = j;
  }
  return out.join('');
}

/** The Go release of a trace's header for v1 (Go 1.11–1.21) traces, else undefined. */
export function legacyTraceVersion(head) {
  const m = /^go 1\.(\d+) trace\0/.exec(Buffer.from(head).subarray(0, 16).toString('latin1'));
  const minor = m ? Number(m[1]) : NaN;
  return minor >= 11 && minor <= 21 ? minor : undefined;
}
