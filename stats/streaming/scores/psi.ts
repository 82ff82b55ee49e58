// Population Stability Index on the profile's fixed cells (numerical reference bins,
// or categories with "__other__").
//
// Definition (Evidently legacy `psi` stattest, docs/drift-tests.md "Shared binning and zero filling"):
//   r_i = reference proportion, c_i = current proportion, both count / n;
//   in each array separately, zero proportions become eps, where
//   eps = min(nonzero)/1e6 if min(nonzero) <= 1e-4 else 1e-4 (no renormalisation;
//   stats/kernel/zero-fill.ts, shared with the batch stattests);
//   PSI = Σ (r_i − c_i)·ln(r_i / c_i).
// Error bound: none beyond floating point. The bins are fixed by the profile and the
// live window counts them exactly, so the streaming PSI equals the batch PSI computed
// on the same bins (tests assert 1e-9, against numpy).

import { zeroFill } from "../../kernel/zero-fill.ts";
import { checkSameCells, proportions } from "../../kernel/proportions.ts";

export function psi(referenceWeights: readonly number[], currentWeights: readonly number[]): number {
  checkSameCells(referenceWeights, currentWeights);
  const r = zeroFill(proportions(referenceWeights, "reference"));
  const c = zeroFill(proportions(currentWeights, "current"));
  let sum = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i] as number;
    const ci = c[i] as number;
    sum += (ri - ci) * Math.log(ri / ci);
  }
  return sum;
}
