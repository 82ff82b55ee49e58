// L-infinity distance between category distributions: the largest absolute change in
// any one category's share. SageMaker Model Monitor's and Vertex AI's default
// categorical drift measure.
//
// Definition: L∞ = max_i |p_i − q_i|, p and q the reference and current proportions
// over the profile's cells (kept categories plus "__other__", which also receives
// categories never seen in the reference). Range [0, 1].
// Error bound: exact given the cells (the window counts them exactly).

import { checkSameCells, proportions } from "../../kernel/proportions.ts";

export function lInfinity(referenceWeights: readonly number[], currentWeights: readonly number[]): number {
  checkSameCells(referenceWeights, currentWeights);
  const p = proportions(referenceWeights, "reference");
  const q = proportions(currentWeights, "current");
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs((p[i] as number) - (q[i] as number)));
  return max;
}
