// Which delay between a model metric and a KPI correlates best. Both series sit on one
// regular grid of time buckets (null where a bucket has no value); at lag L the metric of
// bucket i is paired with the KPI of bucket i + L, so a positive lag means the KPI moves
// L buckets after the metric. Each lag's r is Pearson's (correlation.ts) over the pairs
// where both are present, and a lag needs MIN_PAIRS pairs to compete.
//
// Picking the largest |r| among 2·maxLag + 1 candidates favours chance: `p_bonferroni`
// multiplies the chosen lag's p-value by the number of lags tried (Bonferroni's bound),
// which is what to compare with a significance level.
import { MIN_PAIRS, pearson } from "./correlation.ts";

export interface LagResult {
  lag: number;
  r: number;
  n: number;
  p: number;
  p_bonferroni: number;
  /** r at every lag that had enough pairs, lag → r. */
  by_lag: { lag: number; r: number; n: number }[];
}

/** Aligned (metric[i], kpi[i + lag]) pairs over the grid. */
export function lagPairs(metric: readonly (number | null)[], kpi: readonly (number | null)[], lag: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < metric.length; i++) {
    const j = i + lag;
    if (j < 0 || j >= kpi.length) continue;
    const a = metric[i];
    const b = kpi[j];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    x.push(a);
    y.push(b);
  }
  return { x, y };
}

/** The lag in [−maxLag, maxLag] with the largest |r| (ties: the smaller |lag|, then the earlier), or why none. */
export function bestLag(metric: readonly (number | null)[], kpi: readonly (number | null)[], maxLag = 6): { ok: true; value: LagResult } | { ok: false; reason: string } {
  if (metric.length !== kpi.length) throw new RangeError(`series lengths differ: ${metric.length} and ${kpi.length}`);
  const byLag: LagResult["by_lag"] = [];
  let best: { lag: number; r: number; n: number; p: number } | null = null;
  const lags = [0];
  for (let k = 1; k <= maxLag; k++) lags.push(-k, k);
  for (const lag of lags) {
    const { x, y } = lagPairs(metric, kpi, lag);
    const c = pearson(x, y);
    if (!c.ok) continue;
    byLag.push({ lag, r: c.value.r, n: c.value.n });
    if (best === null || Math.abs(c.value.r) > Math.abs(best.r)) best = { lag, r: c.value.r, n: c.value.n, p: c.value.p };
  }
  if (best === null) return { ok: false, reason: `no lag in −${maxLag}…+${maxLag} buckets has ${MIN_PAIRS} aligned points with both series varying` };
  byLag.sort((a, b) => a.lag - b.lag);
  return { ok: true, value: { ...best, p_bonferroni: Math.min(1, best.p * lags.length), by_lag: byLag } };
}
