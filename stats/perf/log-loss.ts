// Streaming log loss (cross-entropy), sklearn.metrics.log_loss:
//   binary:      −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)]
//   multiclass:  −(1/n) Σ ln p_{i, y_i}
// with p clipped to [ε, 1 − ε], ε = 2^−52 (sklearn's eps="auto" for float64), and
// multiclass rows normalized to sum to 1 as sklearn does. Kept as (Σ loss, n) so
// windows merge by addition.
import { binaryLabel, checkProbability, normalizedRow, readCount, readNonNegative, readObject } from "./json-fields.ts";

export const LOG_LOSS_VERSION = 1;
export const LOG_LOSS_EPS = 2 ** -52;
const WHAT = "log loss";

export interface LogLossJSON {
  version: number;
  n: number;
  sum: number;
}

function clippedLn(p: number): number {
  return Math.log(Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
}

export class LogLoss {
  #n = 0;
  #sum = 0;

  get n(): number { return this.#n; }

  /** `p` is the predicted probability of the positive class. */
  updateBinary(actual: boolean | number, p: number): void {
    const y = binaryLabel(actual, WHAT);
    checkProbability(p, WHAT);
    this.#sum -= y === 1 ? clippedLn(p) : clippedLn(1 - p);
    this.#n++;
  }

  /** `probs` maps class labels to probabilities; a label absent from it has probability 0. */
  updateMulticlass(actual: string, probs: Readonly<Record<string, number>>): void {
    const row = normalizedRow(probs, WHAT);
    this.#sum -= clippedLn(row.get(actual) ?? 0);
    this.#n++;
  }

  /** Mean loss; NaN when empty. */
  value(): number {
    return this.#n === 0 ? Number.NaN : this.#sum / this.#n;
  }

  merge(other: LogLoss): void {
    this.#n += other.#n;
    this.#sum += other.#sum;
  }

  toJSON(): LogLossJSON {
    return { version: LOG_LOSS_VERSION, n: this.#n, sum: this.#sum };
  }

  static fromJSON(value: unknown): LogLoss {
    const v = readObject(value, WHAT, LOG_LOSS_VERSION);
    const out = new LogLoss();
    out.#n = readCount(v, "n", WHAT);
    out.#sum = readNonNegative(v, "sum", WHAT);
    return out;
  }
}
