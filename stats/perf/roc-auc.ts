// Streaming ROC AUC from per-class score histograms with fixed bins on [0, 1].
//
// AUC = P(S⁺ > S⁻) + ½·P(S⁺ = S⁻), the Mann–Whitney U statistic over n⁺·n⁻ pairs
// (Hanley & McNeil 1982, "The meaning and use of the area under a ROC curve",
// Radiology 143; equal to sklearn.metrics.roc_auc_score). With scores binned by
// b = min(⌊s·B⌋, B − 1):
//   AUC_hist = Σ_b pos_b·(neg_{<b} + ½·neg_b) / (n⁺·n⁻)
// Pairs in different bins are ordered exactly as their scores. Pairs in the same bin
// are counted ½ where the truth is 0, ½ or 1, so
//   |AUC_hist − AUC| ≤ ½·s,   s = Σ_b pos_b·neg_b / (n⁺·n⁻)
// (the brief's looser "≤ s" holds too), and [AUC_hist − ½s, AUC_hist + ½s] always
// contains the exact AUC. s is computed and reported with every estimate.
// Multiclass: one-vs-rest per class on that class's probability, and the unweighted
// mean over classes (sklearn roc_auc_score(multi_class="ovr", average="macro")).
import { binaryLabel, checkProbability, normalizedRow, readCount, readCountArray, readObject } from "./json-fields.ts";

export const ROC_AUC_VERSION = 1;
export const DEFAULT_AUC_BINS = 1000;
const WHAT = "roc auc";

export interface AucResult {
  /** NaN unless there is at least one positive and one negative. */
  auc: number;
  /** Guaranteed: |auc − exact AUC| ≤ errorBound = ½·sameBinPairFraction. */
  errorBound: number;
  sameBinPairFraction: number;
  positives: number;
  negatives: number;
}

export interface BinaryRocAucJSON {
  version: number;
  bins: number;
  positive: number[];
  negative: number[];
}

export class BinaryRocAuc {
  readonly bins: number;
  #positive: Float64Array;
  #negative: Float64Array;

  constructor(bins: number = DEFAULT_AUC_BINS) {
    if (!Number.isInteger(bins) || bins < 1 || bins > 1_000_000) throw new Error(`bins must be >= 1 and <= 1000000: ${bins}`);
    this.bins = bins;
    this.#positive = new Float64Array(bins);
    this.#negative = new Float64Array(bins);
  }

  /** `score` is the predicted probability of the positive class, within [0, 1]. */
  update(actual: boolean | number, score: number): void {
    const y = binaryLabel(actual, WHAT);
    checkProbability(score, WHAT);
    const bin = Math.min(Math.floor(score * this.bins), this.bins - 1);
    const hist = y === 1 ? this.#positive : this.#negative;
    hist[bin]!++;
  }

  merge(other: BinaryRocAuc): void {
    if (other.bins !== this.bins) throw new Error(`cannot merge ROC AUC histograms with different bins: ${this.bins} and ${other.bins}`);
    for (let b = 0; b < this.bins; b++) {
      this.#positive[b]! += other.#positive[b]!;
      this.#negative[b]! += other.#negative[b]!;
    }
  }

  result(): AucResult {
    let positives = 0;
    let negatives = 0;
    let below = 0;
    let concordant = 0;
    let same = 0;
    for (let b = 0; b < this.bins; b++) {
      const pos = this.#positive[b]!;
      const neg = this.#negative[b]!;
      concordant += pos * (below + 0.5 * neg);
      same += pos * neg;
      below += neg;
      positives += pos;
      negatives += neg;
    }
    const pairs = positives * negatives;
    if (pairs === 0) return { auc: Number.NaN, errorBound: Number.NaN, sameBinPairFraction: Number.NaN, positives, negatives };
    const sameBinPairFraction = same / pairs;
    return { auc: concordant / pairs, errorBound: 0.5 * sameBinPairFraction, sameBinPairFraction, positives, negatives };
  }

  toJSON(): BinaryRocAucJSON {
    return { version: ROC_AUC_VERSION, bins: this.bins, positive: Array.from(this.#positive), negative: Array.from(this.#negative) };
  }

  static fromJSON(value: unknown): BinaryRocAuc {
    const v = readObject(value, WHAT, ROC_AUC_VERSION);
    const out = new BinaryRocAuc(readCount(v, "bins", WHAT));
    out.#positive = readCountArray(v, "positive", out.bins, WHAT);
    out.#negative = readCountArray(v, "negative", out.bins, WHAT);
    return out;
  }
}

export interface MulticlassAucResult {
  /** Mean of the per-class AUCs; NaN if any class lacks positives or negatives (sklearn raises there). */
  macro: number;
  /** Mean of the per-class bounds: |macro − exact macro AUC| ≤ errorBound. */
  errorBound: number;
  perClass: Record<string, AucResult>;
}

export interface MulticlassRocAucJSON {
  version: number;
  labels: string[];
  perClass: BinaryRocAucJSON[];
}

export class MulticlassRocAuc {
  readonly labels: readonly string[];
  readonly #perClass: BinaryRocAuc[];

  constructor(labels: readonly string[], bins: number = DEFAULT_AUC_BINS) {
    if (labels.length < 2) throw new Error(`${WHAT}: need at least 2 class labels, got ${labels.length}`);
    if (new Set(labels).size !== labels.length) throw new Error(`${WHAT}: class labels must be distinct`);
    this.labels = [...labels];
    this.#perClass = labels.map(() => new BinaryRocAuc(bins));
  }

  /** `probs` maps each class label to its probability; rows are normalized to sum to 1. */
  update(actual: string, probs: Readonly<Record<string, number>>): void {
    if (!this.labels.includes(actual)) throw new Error(`${WHAT}: unknown class ${actual}; known: ${this.labels.join(", ")}`);
    const row = normalizedRow(probs, WHAT);
    for (const label of row.keys()) {
      if (!this.labels.includes(label)) throw new Error(`${WHAT}: unknown class ${label} in probabilities`);
    }
    this.labels.forEach((label, i) => this.#perClass[i]!.update(actual === label, Math.min(1, row.get(label) ?? 0)));
  }

  merge(other: MulticlassRocAuc): void {
    if (other.labels.join("\u0000") !== this.labels.join("\u0000")) throw new Error(`${WHAT}: cannot merge different class labels`);
    this.#perClass.forEach((h, i) => h.merge(other.#perClass[i]!));
  }

  result(): MulticlassAucResult {
    const perClass: Record<string, AucResult> = {};
    let sum = 0;
    let bound = 0;
    this.labels.forEach((label, i) => {
      const r = this.#perClass[i]!.result();
      perClass[label] = r;
      sum += r.auc;
      bound += r.errorBound;
    });
    return { macro: sum / this.labels.length, errorBound: bound / this.labels.length, perClass };
  }

  toJSON(): MulticlassRocAucJSON {
    return { version: ROC_AUC_VERSION, labels: [...this.labels], perClass: this.#perClass.map((h) => h.toJSON()) };
  }

  static fromJSON(value: unknown): MulticlassRocAuc {
    const v = readObject(value, WHAT, ROC_AUC_VERSION);
    if (!Array.isArray(v.labels) || !v.labels.every((l) => typeof l === "string")) throw new Error(`${WHAT}: labels must be strings`);
    if (!Array.isArray(v.perClass) || v.perClass.length !== v.labels.length) throw new Error(`${WHAT}: perClass must match labels`);
    const parts = v.perClass.map((p) => BinaryRocAuc.fromJSON(p));
    const out = new MulticlassRocAuc(v.labels as string[], parts[0]!.bins);
    parts.forEach((p, i) => out.#perClass[i]!.merge(p));
    return out;
  }
}
