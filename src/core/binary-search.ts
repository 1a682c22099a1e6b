// Binary search over sorted data, written once: Go's sort.Search convention (the first index for
// which a predicate holds, the predicate false then true over the range), and the two bounds of a
// value in an ascending array. Every "where does t fall" in the models, layouts and views uses
// these. The bounds take no callback, so hot loops over typed arrays pay no closure call.

/** The first i in [lo, hi) for which `pred(i)` holds, `pred` being false then true over the range (Go's sort.Search); `hi` when none. */
export function searchFirst(lo: number, hi: number, pred: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first index in [lo, hi) of ascending `a` whose value is ≥ `x` (`hi` when none): where `x` goes before its equals. */
export function lowerBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [lo, hi) of ascending `a` whose value is > `x` (`hi` when none): where `x` goes after its equals. */
export function upperBound(a: ArrayLike<number>, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
