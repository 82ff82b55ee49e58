// Streaming Brier score, Brier (1950), "Verification of forecasts expressed in terms of
// probability", Monthly Weather Review 78(1):
//   binary:      (1/n) Σ (p_i − y_i)²                 (sklearn.metrics.brier_score_loss)
//   multiclass:  (1/n) Σ_i Σ_k (p_ik − 1[y_i = k])²   (Brier's original form; range [0, 2])
// Multiclass rows are normalized to sum to 1. Kept as (Σ, n) so windows merge by addition.
import { binaryLabel, checkProbability, normalizedRow, readCount, readNonNegative, readObject } from "./json-fields.ts";

export const BRIER_VERSION = 1;
const WHAT = "brier score";

export interface BrierJSON {
  version: number;
  n: number;
  sum: number;
}

export class BrierScore {
  #n = 0;
  #sum = 0;

  get n(): number { return this.#n; }

  /** `p` is the predicted probability of the positive class. */
  updateBinary(actual: boolean | number, p: number): void {
    const y = binaryLabel(actual, WHAT);
    checkProbability(p, WHAT);
    this.#sum += (p - y) ** 2;
    this.#n++;
  }

  /** `probs` maps class labels to probabilities; the actual label may be absent (probability 0). */
  updateMulticlass(actual: string, probs: Readonly<Record<string, number>>): void {
    const row = normalizedRow(probs, WHAT);
    let s = row.has(actual) ? 0 : 1;
    for (const [label, p] of row) s += (p - (label === actual ? 1 : 0)) ** 2;
    this.#sum += s;
    this.#n++;
  }

  /** Mean score; NaN when empty. */
  value(): number {
    return this.#n === 0 ? Number.NaN : this.#sum / this.#n;
  }

  merge(other: BrierScore): void {
    this.#n += other.#n;
    this.#sum += other.#sum;
  }

  toJSON(): BrierJSON {
    return { version: BRIER_VERSION, n: this.#n, sum: this.#sum };
  }

  static fromJSON(value: unknown): BrierScore {
    const v = readObject(value, WHAT, BRIER_VERSION);
    const out = new BrierScore();
    out.#n = readCount(v, "n", WHAT);
    out.#sum = readNonNegative(v, "sum", WHAT);
    return out;
  }
}
