// Confidence-based performance estimation (CBPE; NannyML, "Estimating performance without
// targets", docs/how_it_works/performance_estimation.rst in NannyML/nannyml): with a
// calibrated probability p_i that row i is positive, the realised confusion matrix of a
// window is a sum of independent Bernoulli outcomes whose expectations are known:
//
//   E[TP] = Σ_{ŷ=1} p_i   E[FP] = Σ_{ŷ=1} (1 − p_i)   E[FN] = Σ_{ŷ=0} p_i   E[TN] = Σ_{ŷ=0} (1 − p_i)
//
// and accuracy, precision, recall and F1 are estimated from them (precision = E[TP]/n₁,
// recall = E[TP]/(E[TP] + E[FN]), F1 = 2E[TP]/(2E[TP] + E[FP] + E[FN]), as NannyML does).
// ROC AUC: rows ranked by p; the expected positives and negatives at each rank give the
// expected ROC curve, whose area is the estimate. Here ranks are equal bins of p (1,000 by
// default; the live monitor keeps 200 per minute bucket), so
// the state is sums that merge exactly across minutes and shards; pairs in one bin count ½,
// which moves the estimate by at most `roc_auc_bin_error` (half their share of all pairs).
//
// The band `ci95` is where the *realised* metric should fall if the assumptions hold (the
// scores are calibrated and P(y | x) has not changed): realised TP and FN are sums of
// independent Bernoulli(p_i) (Poisson-binomial), with variances V₁ = Σ_{ŷ=1} p(1 − p) and
// V₀ = Σ_{ŷ=0} p(1 − p); accuracy's variance is (V₁ + V₀)/n², precision's V₁/n₁², and recall
// and F1 take the delta method (first-order Taylor expansion) in TP and FN:
//   Var(recall) ≈ (FN² V₁ + TP² V₀) / (TP + FN)⁴,
//   Var(F1) ≈ 4((n₁ + FN)² V₁ + TP² V₀) / (TP + n₁ + FN)⁴.
// ROC AUC's uses Hanley & McNeil, "The meaning and use of the area under a ROC curve",
// Radiology 143 (1982), with the expected positive and negative counts. Each band is the
// estimate ± 1.96 standard deviations, clipped to [0, 1]; the divergence warning uses 3.

export const CBPE_BINS = 1000;
const Z_975 = 1.959963984540054;

export interface EstimatedPerformance {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number;
  /** Upper bound on how far binning moved roc_auc. */
  roc_auc_bin_error: number;
  ci95: Record<"accuracy" | "precision" | "recall" | "f1" | "roc_auc", [number, number]>;
  /** The standard deviations behind the bands. */
  standard_error: Record<"accuracy" | "precision" | "recall" | "f1" | "roc_auc", number>;
  /** Rows the estimate covers. */
  count: number;
}

export type CbpeMetric = keyof EstimatedPerformance["ci95"];

interface CbpeJson {
  v: 1;
  n: [number, number];
  p: [number, number];
  var: [number, number];
  /** Bin count, then the non-empty bins as [index, rows, Σ p] (sparse: most are empty). */
  bins: number;
  filled: Array<[number, number, number]>;
}

/** Mergeable CBPE state of a window: sums over rows of calibrated probabilities. */
export class CbpeAccumulator {
  /** Rows predicted negative [0] and positive [1]. */
  readonly count = [0, 0];
  /** Σ p over rows predicted negative / positive. */
  readonly sumP = [0, 0];
  /** Σ p(1 − p) over rows predicted negative / positive. */
  readonly sumVariance = [0, 0];
  readonly bins: number;
  readonly binCount: Float64Array;
  readonly binP: Float64Array;

  /** `bins` equal bins of the probability for ROC AUC (more: a smaller bin error, a larger state). */
  constructor(bins = CBPE_BINS) {
    if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`CBPE needs at least 2 bins, not ${bins}`);
    this.bins = bins;
    this.binCount = new Float64Array(bins);
    this.binP = new Float64Array(bins);
  }

  /** One row: its calibrated probability of the positive class and whether it was predicted positive. */
  add(probability: number, predictedPositive: boolean): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`a calibrated probability must be in [0, 1], not ${probability}`);
    const side = predictedPositive ? 1 : 0;
    this.count[side] = (this.count[side] as number) + 1;
    this.sumP[side] = (this.sumP[side] as number) + probability;
    this.sumVariance[side] = (this.sumVariance[side] as number) + probability * (1 - probability);
    const bin = Math.min(this.bins - 1, Math.floor(probability * this.bins));
    this.binCount[bin] = (this.binCount[bin] as number) + 1;
    this.binP[bin] = (this.binP[bin] as number) + probability;
  }

  merge(other: CbpeAccumulator): void {
    if (other.bins !== this.bins) throw new RangeError(`cannot merge CBPE states with ${other.bins} and ${this.bins} bins`);
    for (const side of [0, 1]) {
      this.count[side] = (this.count[side] as number) + (other.count[side] as number);
      this.sumP[side] = (this.sumP[side] as number) + (other.sumP[side] as number);
      this.sumVariance[side] = (this.sumVariance[side] as number) + (other.sumVariance[side] as number);
    }
    for (let bin = 0; bin < this.bins; bin++) {
      this.binCount[bin] = (this.binCount[bin] as number) + (other.binCount[bin] as number);
      this.binP[bin] = (this.binP[bin] as number) + (other.binP[bin] as number);
    }
  }

  get rows(): number {
    return (this.count[0] as number) + (this.count[1] as number);
  }

  /** The estimate, or undefined for an empty window. */
  estimate(): EstimatedPerformance | undefined {
    const n = this.rows;
    if (n === 0) return undefined;
    const n1 = this.count[1] as number;
    const tp = this.sumP[1] as number;
    const fp = n1 - tp;
    const fn = this.sumP[0] as number;
    const tn = (this.count[0] as number) - fn;
    const v1 = this.sumVariance[1] as number;
    const v0 = this.sumVariance[0] as number;
    const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);

    const accuracy = (tp + tn) / n;
    const precision = ratio(tp, n1);
    const recall = ratio(tp, tp + fn);
    const f1 = ratio(2 * tp, 2 * tp + fp + fn);
    const { auc, binError } = this.#rocAuc();
    const positives = tp + fn;
    const negatives = n - positives;

    const q1 = auc / (2 - auc);
    const q2 = (2 * auc * auc) / (1 + auc);
    const variances = {
      accuracy: (v1 + v0) / (n * n),
      precision: n1 > 0 ? v1 / (n1 * n1) : 0,
      recall: positives > 0 ? (fn * fn * v1 + tp * tp * v0) / positives ** 4 : 0,
      f1: tp + n1 + fn > 0 ? (4 * ((n1 + fn) ** 2 * v1 + tp * tp * v0)) / (tp + n1 + fn) ** 4 : 0,
      roc_auc:
        positives > 0 && negatives > 0 ? (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives) : 0,
    };
    const values = { accuracy, precision, recall, f1, roc_auc: auc };
    const standard_error = {} as EstimatedPerformance["standard_error"];
    const ci95 = {} as EstimatedPerformance["ci95"];
    for (const metric of Object.keys(values) as CbpeMetric[]) {
      const sd = Math.sqrt(Math.max(variances[metric], 0));
      standard_error[metric] = sd;
      ci95[metric] = [Math.max(0, values[metric] - Z_975 * sd), Math.min(1, values[metric] + Z_975 * sd)];
    }
    return {
      accuracy,
      precision,
      recall,
      f1,
      roc_auc: auc,
      roc_auc_bin_error: binError,
      ci95,
      standard_error,
      count: n,
    };
  }

  /** Expected ROC AUC over the bins: Σ_b P_b (N below b + ½ N_b) / (P N). */
  #rocAuc(): { auc: number; binError: number } {
    let positives = 0;
    let negatives = 0;
    for (let bin = 0; bin < this.bins; bin++) {
      positives += this.binP[bin] as number;
      negatives += (this.binCount[bin] as number) - (this.binP[bin] as number);
    }
    if (!(positives > 0 && negatives > 0)) return { auc: 0.5, binError: 0.5 };
    let below = 0;
    let pairs = 0;
    let tied = 0;
    for (let bin = 0; bin < this.bins; bin++) {
      const p = this.binP[bin] as number;
      const q = (this.binCount[bin] as number) - p;
      pairs += p * (below + 0.5 * q);
      tied += p * q;
      below += q;
    }
    return { auc: pairs / (positives * negatives), binError: (0.5 * tied) / (positives * negatives) };
  }

  toJSON(): CbpeJson {
    return {
      v: 1,
      n: [this.count[0] as number, this.count[1] as number],
      p: [this.sumP[0] as number, this.sumP[1] as number],
      var: [this.sumVariance[0] as number, this.sumVariance[1] as number],
      bins: this.bins,
      filled: Array.from(this.binCount.keys())
        .filter((bin) => (this.binCount[bin] as number) > 0)
        .map((bin): [number, number, number] => [bin, this.binCount[bin] as number, this.binP[bin] as number]),
    };
  }

  static fromJSON(json: CbpeJson): CbpeAccumulator {
    if (json.v !== 1) throw new RangeError(`unknown CBPE state version ${String(json.v)}`);
    const accumulator = new CbpeAccumulator(json.bins);
    for (const side of [0, 1]) {
      accumulator.count[side] = json.n[side] as number;
      accumulator.sumP[side] = json.p[side] as number;
      accumulator.sumVariance[side] = json.var[side] as number;
    }
    for (const [bin, rows, sum] of json.filled) {
      if (!(Number.isInteger(bin) && bin >= 0 && bin < json.bins)) throw new RangeError(`CBPE bin ${bin} is outside 0..${json.bins - 1}`);
      accumulator.binCount[bin] = rows;
      accumulator.binP[bin] = sum;
    }
    return accumulator;
  }
}

/**
 * The metrics whose realised value is more than `sigmas` standard deviations from the
 * estimate (3 by default: a false warning on about 0.3 % of windows per metric when the
 * assumptions hold): a sign that they broke (scores no longer calibrated, or P(y | x)
 * changed: concept shift). The 95 % band is for display; a warning needs more.
 */
export function divergedMetrics(estimated: EstimatedPerformance, realised: Partial<Record<CbpeMetric, number>>, sigmas = 3): CbpeMetric[] {
  return (Object.keys(estimated.ci95) as CbpeMetric[]).filter((metric) => {
    const value = realised[metric];
    if (value === undefined || !Number.isFinite(value)) return false;
    const slack = metric === "roc_auc" ? estimated.roc_auc_bin_error : 0;
    return Math.abs(value - estimated[metric]) > sigmas * estimated.standard_error[metric] + slack;
  });
}
