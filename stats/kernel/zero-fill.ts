// Evidently's zero filling of bin shares, the one implementation for the batch stattests
// (stats/drift/binning.ts: psi, kl_div) and the streaming PSI (stats/streaming/scores/psi.ts).
//
// Definition (Evidently legacy stattests/utils.py, get_binned_data with feel_zeroes=True):
//   in each array separately, zero shares become eps, where
//   eps = min(nonzero)/1e6 if min(nonzero) ≤ 1e-4, else 1e-4;
//   the other shares are unchanged and nothing is renormalised.
// Input: shares ≥ 0 (count / n). An all-zero array has no nonzero minimum, so eps = 1e-4.

/** The eps that replaces a zero share (see header). */
export function zeroFillEps(shares: ArrayLike<number>): number {
  let minNonZero = Infinity;
  for (let i = 0; i < shares.length; i++) {
    const p = shares[i] as number;
    if (p > 0 && p < minNonZero) minNonZero = p;
  }
  return minNonZero <= 1e-4 ? minNonZero / 1e6 : 1e-4;
}

/** Zero shares become eps, in the same kind of array as given. */
export function zeroFill(shares: Float64Array): Float64Array;
export function zeroFill(shares: readonly number[]): number[];
export function zeroFill(shares: Float64Array | readonly number[]): Float64Array | number[] {
  const eps = zeroFillEps(shares);
  const fill = (p: number): number => (p === 0 ? eps : p);
  return shares instanceof Float64Array ? shares.map(fill) : shares.map(fill);
}
