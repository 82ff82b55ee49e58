// Drift over a report's whole range, judged by the same rule the live windows use
// (stats/streaming/judge.ts: normed Wasserstein ≥ max(0.1, its null critical value) for
// numerical features, two-sample chi-square p < 0.01 for categorical ones, α = 0.01).
// The monitor merges its stored sketches over the range into a profile
// (ModelMonitor.profileForRange); this rebuilds the live window's parts from it:
//   - numerical: the range's KLL sketch as it is, and its counts in the reference's bins
//     read off that sketch's CDF at the reference edges (within the sketch's rank error,
//     given as `rank_error`), rounded to whole events by largest remainder;
//   - categorical: the range's kept categories counted into the reference's cells, the
//     rest into "__other__" (exact while the range kept every category it saw).
import { DEFAULT_ALPHA, judgeFeature, type FeatureJudgement } from "../../../stats/streaming/judge.ts";
import { CategoricalWindow, categoryIndex } from "../../../stats/streaming/categorical-window.ts";
import { NumericalWindow } from "../../../stats/streaming/numerical-window.ts";
import { scoreFeature } from "../../../stats/streaming/score-window.ts";
import { KllSketch } from "../../../stats/sketch/kll.ts";
import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile } from "../../../stats/profile/schema.ts";
import { formatNumber } from "../render/format.ts";

export interface RangeDistribution {
  kind: "numerical" | "categorical";
  /** Numerical: the reference's interior bin edges; cell i is (edges[i-1], edges[i]]. */
  edges?: number[];
  /** Categorical: the reference's kept categories, then "__other__". */
  categories?: string[];
  reference: number[];
  current: number[];
}

export interface RangeFeatureDrift {
  feature: string;
  kind: "numerical" | "categorical";
  /** The deciding score, as the live monitor names it. */
  method: string | null;
  direction: "distance" | "p_value" | null;
  score: number | null;
  threshold: number | null;
  effective_threshold: number | null;
  drifted: boolean;
  /** Values of the feature in the range. */
  count: number;
  /** Every verdict's value, by score name. */
  scores: Record<string, number>;
  reason: string | null;
  distribution: RangeDistribution | null;
}

/** Integer counts summing to `total` whose shares are as close as possible to `shares` (largest remainder). */
export function apportion(shares: number[], total: number): number[] {
  const raw = shares.map((s) => Math.max(0, s) * total);
  const counts = raw.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) counts[order[k]![1]]! += 1;
  return counts;
}

function numericalWindow(reference: NumericalFeatureProfile, current: NumericalFeatureProfile): NumericalWindow {
  const sketch = KllSketch.fromBase64(current.sketch.base64);
  const cdf = sketch.cdf(reference.bins.edges);
  const shares = cdf.map((c, i) => c - (i === 0 ? 0 : cdf[i - 1]!));
  const n = current.moments.count;
  const window = new NumericalWindow(reference.name, reference.bins.edges, sketch, undefined, Float64Array.from(apportion(shares, n)));
  window.moments.count = n;
  window.moments.missing = current.moments.missing;
  return window;
}

function categoricalWindow(reference: CategoricalFeatureProfile, current: CategoricalFeatureProfile): CategoricalWindow {
  const index = categoryIndex(reference);
  const window = new CategoricalWindow(reference.name, index);
  current.categories.values.forEach((value, i) => {
    const cell = index.get(value) ?? index.size;
    window.cells[cell] = window.cells[cell]! + current.categories.counts[i]!;
  });
  window.cells[index.size] = window.cells[index.size]! + current.categories.other_count;
  window.moments.count = current.moments.count;
  window.moments.missing = current.moments.missing;
  return window;
}

const shares = (counts: ArrayLike<number>) => {
  const total = Array.from(counts).reduce((a, b) => a + b, 0);
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
};

function fromJudgement(j: FeatureJudgement, distribution: RangeDistribution | null): RangeFeatureDrift {
  if (!("verdicts" in j)) {
    return { feature: j.feature, kind: j.kind, method: null, direction: null, score: null, threshold: null, effective_threshold: null, drifted: false, count: 0, scores: {}, reason: j.reason, distribution };
  }
  const deciding = j.verdicts.find((v) => v.score === j.decided_by)!;
  return {
    feature: j.feature,
    kind: j.kind,
    method: j.decided_by,
    direction: deciding.direction,
    score: deciding.value,
    threshold: deciding.threshold,
    effective_threshold: deciding.effective_threshold,
    drifted: j.drifted,
    count: j.count,
    scores: Object.fromEntries(j.verdicts.map((v) => [v.score, v.value])),
    reason: null,
    distribution,
  };
}

/** One feature of the reference against the same feature of the range's profile (absent: no values in the range). */
export function judgeRangeFeature(reference: FeatureProfile, current: FeatureProfile | undefined): RangeFeatureDrift {
  if (current === undefined || current.kind !== reference.kind) {
    const reason = current === undefined ? "no values in the range" : `the range profiles it as ${current.kind}, the baseline as ${reference.kind}`;
    return fromJudgement({ feature: reference.name, kind: reference.kind, count: 0, drifted: false, reason }, null);
  }
  if (reference.kind === "numerical" && current.kind === "numerical") {
    const window = numericalWindow(reference, current);
    const distribution: RangeDistribution = { kind: "numerical", edges: reference.bins.edges, reference: reference.bins.proportions, current: shares(window.bins) };
    return fromJudgement(judgeFeature(reference, window, scoreFeature(reference, window)), distribution);
  }
  const ref = reference as CategoricalFeatureProfile;
  const window = categoricalWindow(ref, current as CategoricalFeatureProfile);
  const distribution: RangeDistribution = {
    kind: "categorical",
    categories: [...ref.categories.values, "__other__"],
    reference: shares([...ref.categories.counts, ref.categories.other_count]),
    current: shares(window.cells),
  };
  return fromJudgement(judgeFeature(ref, window, scoreFeature(ref, window)), distribution);
}

/** The x-axis labels of a distribution: each bin's upper edge (the last "> max edge"), or the categories. */
export function distributionLabels(d: RangeDistribution): string[] {
  if (d.kind === "categorical") return d.categories ?? [];
  const edges = d.edges ?? [];
  return [...edges.map((e) => `≤${formatNumber(e)}`), `>${formatNumber(edges[edges.length - 1] ?? 0)}`];
}

export const RANGE_ALPHA = DEFAULT_ALPHA;
