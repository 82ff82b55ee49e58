// What the sketch-based scores (KS, Wasserstein) need from a quantile sketch: a
// weighted sorted view, n, the value range and a rank-error bound. stats/sketch's
// KllSketch provides all of them; any other sketch with a rank-error guarantee could.

export interface QuantileSummary {
  readonly n: number;
  min(): number;
  max(): number;
  /** Items ascending with inclusive cumulative weights (the last equals n). */
  sortedView(): { items: Float64Array; cumWeights: Float64Array };
  /** ε such that |estimated rank − true rank| ≤ ε (99% confidence); pmf=false is single-sided. */
  normalizedRankError(pmf?: boolean): number;
}

/** The sketch's CDF as a step function: distinct values and F(x) = weight(≤ x) / n. */
export interface StepCdf {
  xs: Float64Array;
  cdf: Float64Array;
}

// Keyed by the sorted view object: KllSketch returns the same view until it changes, so
// a frozen reference sketch is collapsed once, and a live one again after each update.
const stepCache = new WeakMap<object, StepCdf>();

export function stepCdf(summary: QuantileSummary): StepCdf {
  const view = summary.sortedView();
  const cached = stepCache.get(view);
  if (cached !== undefined) return cached;
  const { items, cumWeights } = view;
  const xs: number[] = [];
  const cdf: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const x = items[i] as number;
    const f = (cumWeights[i] as number) / summary.n;
    if (xs.length > 0 && xs[xs.length - 1] === x) cdf[cdf.length - 1] = f;
    else {
      xs.push(x);
      cdf.push(f);
    }
  }
  const step = { xs: Float64Array.from(xs), cdf: Float64Array.from(cdf) };
  stepCache.set(view, step);
  return step;
}

/**
 * Walks the two summaries' step CDFs together, over the union of their points in
 * ascending order: at each point x, `visit(x, F̂_a(x), F̂_b(x))` with both CDFs inclusive
 * at x (0 before a CDF's first point, 1 from its last). Both CDFs are constant between
 * consecutive points, so KS (ks.ts) takes its sup of |F̂_a − F̂_b| over these points and
 * Wasserstein (wasserstein.ts) integrates it exactly between them.
 */
export function walkStepCdfs(a: QuantileSummary, b: QuantileSummary, visit: (x: number, fa: number, fb: number) => void): void {
  const sa = stepCdf(a);
  const sb = stepCdf(b);
  let i = 0;
  let j = 0;
  while (i < sa.xs.length || j < sb.xs.length) {
    const xa = i < sa.xs.length ? (sa.xs[i] as number) : Infinity;
    const xb = j < sb.xs.length ? (sb.xs[j] as number) : Infinity;
    const x = Math.min(xa, xb);
    if (xa === x) i++;
    if (xb === x) j++;
    visit(x, i === 0 ? 0 : (sa.cdf[i - 1] as number), j === 0 ? 0 : (sb.cdf[j - 1] as number));
  }
}

/**
 * The rank error to charge a summary: 0 when it still holds every value with weight 1
 * (a KLL sketch before its first compaction is exact), else its single-sided ε.
 * Small live windows (under a few hundred events) are therefore scored exactly.
 */
export function rankErrorOf(summary: QuantileSummary): number {
  return summary.sortedView().items.length === summary.n ? 0 : summary.normalizedRankError(false);
}
