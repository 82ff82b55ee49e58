// Pools sparse cells before the judge applies a chi-square limit. The limits in
// null-critical.ts need enough expected events per cell: with few (10 per decile at
// 100 events, under 1 in the rare categories of a skewed feature) PSI, Hellinger and the
// two-sample chi-square alarm well above α on null data (PSI ≥ its critical value in half
// of 100-event windows of a 30-label Zipf feature). Cochran's rule (Cochran 1954,
// Biometrics 10(4)) asks for expected counts of at least 5 for Pearson's X²; the
// divergences need more at α = 0.01 (Read & Cressie 1988, §5), so cells are pooled until
// each expects at least POOL_MIN_EXPECTED events.
//
// Expected events of cell i = n_eff·r_i, r_i the reference proportion: the pooling
// depends only on the reference and the window size, never on the window's counts, so
// the tests stay valid. Ordered cells (numerical bins) merge with their neighbours left
// to right; unordered cells (categories) merge smallest first. A remainder below the
// target joins the last group.

export const POOL_MIN_EXPECTED = 30;

/** Groups of cell indices, each expecting at least `target` events (unless all cells together expect fewer). */
export function poolGroups(referenceCounts: readonly number[], nEff: number, ordered: boolean, target = POOL_MIN_EXPECTED): number[][] {
  let total = 0;
  for (const r of referenceCounts) total += r;
  const expected = referenceCounts.map((r) => (nEff * r) / total);
  const order = referenceCounts.map((_, i) => i);
  if (!ordered) order.sort((a, b) => (expected[a] as number) - (expected[b] as number) || a - b);
  const groups: number[][] = [];
  let group: number[] = [];
  let sum = 0;
  for (const i of order) {
    group.push(i);
    sum += expected[i] as number;
    if (sum >= target) {
      groups.push(group);
      group = [];
      sum = 0;
    }
  }
  if (group.length > 0) {
    const last = groups[groups.length - 1];
    if (last === undefined) groups.push(group);
    else last.push(...group);
  }
  return groups;
}

/** Sums counts by group. */
export function poolCounts(counts: readonly number[], groups: readonly (readonly number[])[]): number[] {
  return groups.map((group) => group.reduce((sum, i) => sum + (counts[i] as number), 0));
}
