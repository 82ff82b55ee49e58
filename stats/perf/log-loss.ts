// Streaming log loss (cross-entropy), sklearn.metrics.log_loss:
//   binary:      −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)]
//   multiclass:  −(1/n) Σ ln p_{i, y_i}
// with p clipped to [ε, 1 − ε], ε = 2^−52 (sklearn's eps="auto" for float64), and
// multiclass rows normalized to sum to 1 as sklearn does. Kept as (Σ loss, n) so
// windows merge by addition (mean-loss.ts).
import { binaryLabel, checkProbability, normalizedRow } from "./json-fields.ts";
import { MeanLoss, type MeanLossJSON } from "./mean-loss.ts";

export const LOG_LOSS_VERSION = 1;
export const LOG_LOSS_EPS = 2 ** -52;
const WHAT = "log loss";

export type LogLossJSON = MeanLossJSON;

function clippedLn(p: number): number {
  return Math.log(Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
}

export class LogLoss extends MeanLoss {
  protected readonly what = WHAT;
  protected readonly version = LOG_LOSS_VERSION;

  /** `p` is the predicted probability of the positive class. */
  updateBinary(actual: boolean | number, p: number): void {
    const y = binaryLabel(actual, WHAT);
    checkProbability(p, WHAT);
    this.add(-(y === 1 ? clippedLn(p) : clippedLn(1 - p)));
  }

  /** `probs` maps class labels to probabilities; a label absent from it has probability 0. */
  updateMulticlass(actual: string, probs: Readonly<Record<string, number>>): void {
    const row = normalizedRow(probs, WHAT);
    this.add(-clippedLn(row.get(actual) ?? 0));
  }

  static fromJSON(value: unknown): LogLoss {
    return new LogLoss().restore(value);
  }
}
