// Cells compared as proportions, weight / total: the one implementation for the streaming
// scores on fixed cells (reference bins or categories; stats/streaming/scores/) and the
// window view's histograms (durable/monitor/window-view.ts).
//
// Two entry points, one division:
// - `proportions` is for scores. Both sides must be finite, non-negative weights with a
//   positive total, or it throws naming the side, since a score of nothing is no score.
// - `shares` is for display. An empty side (total 0) shows as all zeros instead.

/** weight / total per cell; every cell 0 when the total is 0. Unchecked: for display. */
export function shares(weights: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  return divided(weights, total);
}

/** weight / total per cell, for scores: throws on a negative, non-finite or all-zero side. */
export function proportions(weights: ArrayLike<number>, side: string): number[] {
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`${side} weights must be finite and >= 0: ${w}`);
    total += w;
  }
  if (total === 0) throw new Error(`${side} weights are all zero: nothing to compare`);
  return divided(weights, total);
}

function divided(weights: ArrayLike<number>, total: number): number[] {
  return Array.from(weights, (w) => (total > 0 ? w / total : 0));
}

export function checkSameCells(reference: readonly number[], current: readonly number[]): void {
  if (reference.length !== current.length || reference.length === 0) {
    throw new Error(`reference and current must have the same non-zero number of cells: ${reference.length} vs ${current.length}`);
  }
}
