// Fixed reference bins for numerical features. The profile stores only the interior
// edges e_0 < e_1 < … < e_{m-1}; the outer edges are −∞ and +∞, so every live value
// lands in some bin, however far outside the reference range it falls.
//
// Bins are right-closed: bin 0 = (−∞, e_0], bin i = (e_{i−1}, e_i], bin m = (e_{m−1}, +∞),
// i.e. a value's bin is numpy.searchsorted(edges, x, side="left"). Right-closed bins
// keep a tied quantile's mass with the value itself: for discrete data whose decile is
// exactly 3, all the 3s share the bin that ends at 3.

export type Binning = "quantile" | "equal_width";

/**
 * numpy.quantile(sorted, q) with the default "linear" method (Hyndman & Fan type 7):
 * h = (n − 1)·q, result = lerp(x[⌊h⌋], x[⌊h⌋+1], h − ⌊h⌋), using numpy's two-sided lerp
 * (numpy/lib/_function_base_impl.py `_lerp`) so edges match numpy to the last bit.
 */
export function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error("quantile of an empty sample");
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo >= n - 1) return sorted[n - 1] as number;
  const b = sorted[lo + 1] as number;
  const t = h - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Keeps the first of each run of equal edges (ties happen when quantiles coincide). */
function strictlyIncreasing(edges: readonly number[]): number[] {
  const out: number[] = [];
  for (const edge of edges) {
    if (out.length === 0 || edge > (out[out.length - 1] as number)) out.push(edge);
  }
  return out;
}

/**
 * Interior edges at the reference quantiles i/bins, i = 1 … bins−1, deduplicated when
 * quantiles tie (so a discrete or constant feature gets fewer, non-empty-width bins).
 * A constant feature keeps one edge, its value, giving the bins (−∞, c] and (c, +∞).
 */
export function quantileEdges(sorted: Float64Array, bins: number): number[] {
  checkBinCount(bins);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) edges.push(linearQuantile(sorted, i / bins));
  return strictlyIncreasing(edges);
}

/**
 * Interior edges min + (max − min)·i/bins, i = 1 … bins−1: equal-width bins over the
 * reference range, with the outer bins open so out-of-range values are still counted.
 */
export function equalWidthEdges(min: number, max: number, bins: number): number[] {
  checkBinCount(bins);
  if (!(min <= max)) throw new Error(`equal-width bins need min <= max: ${min} > ${max}`);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) edges.push(min + ((max - min) * i) / bins);
  if (min === max) return [min];
  return strictlyIncreasing(edges);
}

function checkBinCount(bins: number): void {
  if (!Number.isInteger(bins) || bins < 2 || bins > 1000) {
    throw new Error(`bins must be an integer >= 2 and <= 1000: ${bins}`);
  }
}

/** The bin of x: the number of edges strictly below x (binary search, O(log m)). */
export function binIndex(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exact counts of the values in the edges.length + 1 bins. */
export function binCounts(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = binIndex(edges, values[i] as number);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}
