// ROC AUC with DeLong's variance, from scores of positives and negatives.
//
// AUC = P(score of a positive > score of a negative) + ½ P(equal), the Mann-Whitney U
// statistic over m·n: U / (m n) with midranks for ties.
// DeLong, DeLong & Clarke-Pearson, "Comparing the areas under two or more correlated
// receiver operating characteristic curves: a nonparametric approach", Biometrics 44
// (1988): the structural components V10(x_i) = mean_j ψ(x_i, y_j) over negatives and
// V01(y_j) = mean_i ψ(x_i, y_j) over positives (ψ = 1, ½, 0 for >, =, <) give
// Var(AUC) = S10/m + S01/n with S10, S01 their sample variances (ddof 1). They are
// computed from midranks as in Sun & Xu, "Fast implementation of DeLong's algorithm",
// IEEE Signal Processing Letters 21 (2014): V10_i = (R_i − R⁺_i)/n and
// V01_j = 1 − (R_j − R⁻_j)/m, where R is a midrank among all scores and R⁺, R⁻ among the
// positives or negatives alone.

const Z_975 = 1.959963984540054;

export interface AucResult {
  auc: number;
  /** DeLong standard error. */
  standardError: number;
  /** Two-sided 95 % interval, clipped to [0, 1]. */
  ci95: [number, number];
}

/** Midranks (1-based, ties share their mean rank) of `values`. */
export function midranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}

/** AUC of positives against negatives, with DeLong's standard error and 95 % interval. */
export function aucWithDeLong(positives: Float64Array, negatives: Float64Array): AucResult {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) throw new RangeError("AUC needs at least one positive and one negative score");
  const all = new Float64Array(m + n);
  all.set(positives, 0);
  all.set(negatives, m);
  const rankAll = midranks(all);
  const rankPositive = midranks(positives);
  const rankNegative = midranks(negatives);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let rankSum = 0;
  for (let i = 0; i < m; i++) {
    rankSum += rankAll[i] as number;
    v10[i] = ((rankAll[i] as number) - (rankPositive[i] as number)) / n;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - ((rankAll[m + j] as number) - (rankNegative[j] as number)) / m;
  const auc = (rankSum - (m * (m + 1)) / 2) / (m * n);
  const variance = (m > 1 ? sampleVariance(v10) / m : 0) + (n > 1 ? sampleVariance(v01) / n : 0);
  const standardError = Math.sqrt(variance);
  return { auc, standardError, ci95: [Math.max(0, auc - Z_975 * standardError), Math.min(1, auc + Z_975 * standardError)] };
}

function sampleVariance(values: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] as number;
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += ((values[i] as number) - mean) ** 2;
  return sum / (values.length - 1);
}
