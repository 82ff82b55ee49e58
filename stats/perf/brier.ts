// Streaming Brier score, Brier (1950), "Verification of forecasts expressed in terms of
// probability", Monthly Weather Review 78(1):
//   binary:      (1/n) Σ (p_i − y_i)²                 (sklearn.metrics.brier_score_loss)
//   multiclass:  (1/n) Σ_i Σ_k (p_ik − 1[y_i = k])²   (Brier's original form; range [0, 2])
// Multiclass rows are normalized to sum to 1. Kept as (Σ, n) so windows merge by addition
// (mean-loss.ts).
import { binaryLabel, checkProbability, normalizedRow } from "./json-fields.ts";
import { MeanLoss, type MeanLossJSON } from "./mean-loss.ts";

export const BRIER_VERSION = 1;
const WHAT = "brier score";

export type BrierJSON = MeanLossJSON;

export class BrierScore extends MeanLoss {
  protected readonly what = WHAT;
  protected readonly version = BRIER_VERSION;

  /** `p` is the predicted probability of the positive class. */
  updateBinary(actual: boolean | number, p: number): void {
    const y = binaryLabel(actual, WHAT);
    checkProbability(p, WHAT);
    this.add((p - y) ** 2);
  }

  /** `probs` maps class labels to probabilities; the actual label may be absent (probability 0). */
  updateMulticlass(actual: string, probs: Readonly<Record<string, number>>): void {
    const row = normalizedRow(probs, WHAT);
    let s = row.has(actual) ? 0 : 1;
    for (const [label, p] of row) s += (p - (label === actual ? 1 : 0)) ** 2;
    this.add(s);
  }

  static fromJSON(value: unknown): BrierScore {
    return new BrierScore().restore(value);
  }
}
