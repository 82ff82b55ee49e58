// Shared binning of psi, kl_div and jensenshannon (docs/drift-tests.md "Shared binning and zero filling";
// Evidently legacy stattests/utils.py get_binned_data) and the Sturges edges hellinger
// uses. Edges reproduce numpy.histogram_bin_edges(x, "sturges"): width = ptp/(log2 n + 1),
// bins = ceil((max − min)/width) (1 when the width is 0), edges = linspace(min, max,
// bins + 1); a constant sample spans [v − 0.5, v + 0.5]. Counting follows
// numpy.histogram with explicit edges: bin i holds e_i ≤ x < e_{i+1}, the last bin also
// holds its right edge.
//
// numpy forces width ≥ 1 for integer-dtype arrays; a column counts as integer-typed when
// pandas would hold it as int64 (CleanColumn.integer: all values integers, none missing).

import { zeroFill } from "../kernel/zero-fill.ts";
import { categoryCounts } from "./distinct.ts";
import { sortedOf } from "./sorted.ts";
import type { CleanColumn, DriftTestDescription } from "./types.ts";

/** numpy.histogram_bin_edges(data, "sturges") from the data's min, max and size. */
export function sturgesEdges(min: number, max: number, size: number, integer = false): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let width = (max - min) / (Math.log2(size) + 1);
  if (integer && width && width < 1) width = 1;
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** First index whose value is ≥ x (left) or > x (right) in an ascending array. */
function searchSorted(a: Float64Array, x: number, right: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid] as number;
    if (v < x || (right && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy.histogram(values, edges)[0] for an ascending array. */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let prev = searchSorted(sorted, edges[0] as number, false);
  for (let i = 0; i < bins; i++) {
    const next = searchSorted(sorted, edges[i + 1] as number, i === bins - 1);
    counts[i] = next - prev;
    prev = next;
  }
  return counts;
}

/** Whether numpy would see the concatenation of both columns as an integer array. */
export function bothInteger(reference: CleanColumn, current: CleanColumn): boolean {
  return reference.kind === "numerical" && current.kind === "numerical" && !!reference.integer && !!current.integer;
}

export interface BinnedPercents {
  reference: Float64Array;
  current: Float64Array;
}

/** Percent of each side per bin: Sturges histogram or one bin per distinct value. */
export function binnedPercents(reference: CleanColumn, current: CleanColumn): BinnedPercents {
  if (reference.kind === "numerical" && current.kind === "numerical") {
    const ref = sortedOf(reference.values);
    const cur = sortedOf(current.values);
    let refDistinct = 0;
    for (let i = 0; i < ref.length && refDistinct <= 20; i++) if (i === 0 || ref[i] !== ref[i - 1]) refDistinct++;
    if (refDistinct > 20) {
      const min = Math.min(ref[0] as number, cur[0] as number);
      const max = Math.max(ref[ref.length - 1] as number, cur[cur.length - 1] as number);
      const edges = sturgesEdges(min, max, ref.length + cur.length, bothInteger(reference, current));
      return {
        reference: histogramCounts(ref, edges).map((c) => c / ref.length),
        current: histogramCounts(cur, edges).map((c) => c / cur.length),
      };
    }
  }
  const counts = categoryCounts(reference, current);
  return {
    reference: counts.reference.map((c) => c / counts.nReference),
    current: counts.current.map((c) => c / counts.nCurrent),
  };
}

/**
 * Binned shares for a test, zero-filled when its description says so (psi, kl_div):
 * zeros become eps = min(nonzero)/1e6 when min(nonzero) ≤ 1e-4, else 1e-4; each array
 * separately, no renormalisation (stats/kernel/zero-fill.ts).
 */
export function binnedFor(test: DriftTestDescription, reference: CleanColumn, current: CleanColumn): BinnedPercents {
  const binned = binnedPercents(reference, current);
  if (!test.zeroFilling) return binned;
  return { reference: zeroFill(binned.reference), current: zeroFill(binned.current) };
}
