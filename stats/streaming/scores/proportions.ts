// Shared input handling for the scores on fixed cells (reference bins or categories):
// both sides arrive as non-negative weights over the same cells and are compared as
// proportions, weight / total.

export function proportions(weights: readonly number[], side: string): number[] {
  let total = 0;
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`${side} weights must be finite and >= 0: ${w}`);
    total += w;
  }
  if (total === 0) throw new Error(`${side} weights are all zero: nothing to compare`);
  return weights.map((w) => w / total);
}

export function checkSameCells(reference: readonly number[], current: readonly number[]): void {
  if (reference.length !== current.length || reference.length === 0) {
    throw new Error(`reference and current must have the same non-zero number of cells: ${reference.length} vs ${current.length}`);
  }
}
