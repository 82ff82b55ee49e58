// hellinger: Hellinger distance, as Evidently's legacy hellinger_distance.py.
// Categorical: √(1 − clip(Σ √(p·q), 0, 1)) over category shares.
// Numerical: Sturges edges over the distinct values of ref ∪ cur; density histograms
// h1, h2 (count / (n · bin width)); BC = Σ √(h1·h2)·w with w = (last − first edge)/bins;
// score √(1 − clip(BC, 0, 1)).

import { bothInteger, histogramCounts, sturgesEdges } from "../binning.ts";
import { categoryCounts } from "../distinct.ts";
import { scored } from "../outcome.ts";
import { sortedOf, tieGroupsOf } from "../sorted.ts";
import type { DriftTest } from "../types.ts";

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function densities(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = histogramCounts(sorted, edges);
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c, i) => c / ((edges[i + 1] as number) - (edges[i] as number)) / total);
}

export const hellinger: DriftTest = {
  id: "hellinger",
  kinds: ["numerical", "categorical"],
  defaultThreshold: 0.1,
  direction: "distance",
  drifts: "gte",
  run(reference, current) {
    if (reference.kind === "numerical" && current.kind === "numerical") {
      const keys = tieGroupsOf(reference.values, current.values).values;
      const edges = sturgesEdges(keys[0] as number, keys[keys.length - 1] as number, keys.length, bothInteger(reference, current));
      const h1 = densities(sortedOf(reference.values), edges);
      const h2 = densities(sortedOf(current.values), edges);
      const bins = edges.length - 1;
      const width = ((edges[bins] as number) - (edges[0] as number)) / bins;
      let bc = 0;
      for (let i = 0; i < bins; i++) bc += Math.sqrt((h1[i] as number) * (h2[i] as number)) * width;
      return scored(Math.sqrt(1 - clip01(bc)));
    }
    const counts = categoryCounts(reference, current);
    let bc = 0;
    for (let i = 0; i < counts.keys.length; i++) {
      const p = (counts.reference[i] as number) / counts.nReference;
      const q = (counts.current[i] as number) / counts.nCurrent;
      bc += Math.sqrt(p * q);
    }
    return scored(Math.sqrt(1 - clip01(bc)));
  },
};
