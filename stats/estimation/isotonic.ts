// Isotonic calibration: the non-decreasing function of the score closest to the labels in
// squared error, as scikit-learn's IsotonicRegression(out_of_bounds="clip"), which NannyML's
// CBPE uses to calibrate scores on the reference.
//
// Fit: scores are sorted and equal scores pooled (weight = count, value = mean label), then
// the pool-adjacent-violators algorithm (Ayer et al., "An empirical distribution function
// for sampling with incomplete information", Ann. Math. Statist. 26, 1955; Best & Chakravarti,
// Math. Programming 47, 1990) merges neighbouring blocks while a later mean is below an
// earlier one. Predict: linear interpolation between the fitted points, clipped to the
// first and last value outside them (numpy.interp, as scikit-learn's predict does).

export interface IsotonicFit {
  /** Distinct scores, ascending. */
  x: Float64Array;
  /** Fitted calibrated probability at each of them (non-decreasing). */
  y: Float64Array;
}

/** Fits the calibration map from scores and 0/1 labels. */
export function fitIsotonic(scores: Float64Array, labels: Uint8Array): IsotonicFit {
  const n = scores.length;
  if (n === 0 || labels.length !== n) throw new RangeError("isotonic calibration needs as many labels as scores, at least one");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const index of order) {
    const score = scores[index] as number;
    if (xs.length > 0 && xs[xs.length - 1] === score) {
      sums[sums.length - 1] = (sums[sums.length - 1] as number) + (labels[index] as number);
      weights[weights.length - 1] = (weights[weights.length - 1] as number) + 1;
    } else {
      xs.push(score);
      sums.push(labels[index] as number);
      weights.push(1);
    }
  }
  // PAV over the pooled points: a stack of blocks (sum, weight, first point).
  const blockSum: number[] = [];
  const blockWeight: number[] = [];
  const blockStart: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    blockSum.push(sums[i] as number);
    blockWeight.push(weights[i] as number);
    blockStart.push(i);
    while (blockSum.length > 1) {
      const last = blockSum.length - 1;
      if ((blockSum[last - 1] as number) / (blockWeight[last - 1] as number) <= (blockSum[last] as number) / (blockWeight[last] as number)) break;
      blockSum[last - 1] = (blockSum[last - 1] as number) + (blockSum[last] as number);
      blockWeight[last - 1] = (blockWeight[last - 1] as number) + (blockWeight[last] as number);
      blockSum.pop();
      blockWeight.pop();
      blockStart.pop();
    }
  }
  const y = new Float64Array(xs.length);
  for (let block = 0; block < blockStart.length; block++) {
    const end = block + 1 < blockStart.length ? (blockStart[block + 1] as number) : xs.length;
    const value = (blockSum[block] as number) / (blockWeight[block] as number);
    for (let i = blockStart[block] as number; i < end; i++) y[i] = value;
  }
  return { x: Float64Array.from(xs), y };
}

/** The calibrated probability of `score`. */
export function calibrate(fit: IsotonicFit, score: number): number {
  const { x, y } = fit;
  const last = x.length - 1;
  if (score <= (x[0] as number)) return y[0] as number;
  if (score >= (x[last] as number)) return y[last] as number;
  // Binary search for x[i] <= score < x[i + 1].
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if ((x[middle] as number) <= score) low = middle;
    else high = middle;
  }
  const x0 = x[low] as number;
  const x1 = x[high] as number;
  const y0 = y[low] as number;
  const y1 = y[high] as number;
  return y0 + ((score - x0) * (y1 - y0)) / (x1 - x0);
}

/**
 * The same map with the interior points of every flat run dropped: linear interpolation
 * between a run's first and last point gives the same values, so predictions do not change,
 * and a map fitted on many rows shrinks to about two points per step.
 */
export function compactIsotonic(fit: IsotonicFit): IsotonicFit {
  const keep: number[] = [];
  const n = fit.x.length;
  for (let i = 0; i < n; i++) {
    const flatBefore = i > 0 && fit.y[i - 1] === fit.y[i];
    const flatAfter = i < n - 1 && fit.y[i + 1] === fit.y[i];
    if (!(flatBefore && flatAfter)) keep.push(i);
  }
  return { x: Float64Array.from(keep, (i) => fit.x[i] as number), y: Float64Array.from(keep, (i) => fit.y[i] as number) };
}
