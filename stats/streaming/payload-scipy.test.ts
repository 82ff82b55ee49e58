// Every score the live payload shows (durable/monitor/drift-decision.ts flattens these)
// against its exact batch counterpart from scipy on the same data
// (scripts/fixtures/gen_grid.py), within the bound each score states (issue 18).
import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { drawLabels, drawSample } from "../testing/arith-samples.ts";
import type { SampleSpec } from "../testing/arith-samples.ts";
import grid from "./fixtures/grid.json" with { type: "json" };
import { scoreFeature } from "./score-window.ts";
import { ksAsymptoticP } from "./scores/grid-ks.ts";
import { featureWindowFor } from "./window.ts";

function checksum(x: Float64Array) {
  return { first: Array.from(x.slice(0, 3)), sum: x.reduce((a, b) => a + b, 0) };
}

/**
 * The stream counted in one window, or in three minute-sized parts merged into an empty window
 * the way the monitor builds its 5m/1h/24h windows from minute buckets (a merge that once kept
 * only the last part's grid cells with the whole total passed the one-pass check).
 */
function countInto(feature: Parameters<typeof featureWindowFor>[0], cur: Float64Array, parts: number) {
  if (parts === 1) {
    const window = featureWindowFor(feature);
    for (const x of cur) window.update(x);
    return window;
  }
  const merged = featureWindowFor(feature);
  const size = Math.ceil(cur.length / parts);
  for (let p = 0; p < parts; p++) {
    const part = featureWindowFor(feature);
    for (const x of cur.subarray(p * size, (p + 1) * size)) part.update(x);
    if (merged.kind !== "numerical" || part.kind !== "numerical") throw new Error("numerical windows expected");
    merged.merge(part);
  }
  return merged;
}

describe("live numerical scores against scipy on the same samples", () => {
  it.each(grid.numerical.flatMap((c) => [[c.name, 1, c], [c.name, 3, c]] as const))("%s, counted in %i part(s)", (_name, parts, c) => {
    const ref = drawSample(c.reference as SampleSpec);
    const cur = drawSample(c.current as SampleSpec);
    expect(checksum(ref).first).toEqual(c.ref_checksum.first);
    expect(checksum(cur).sum).toBeCloseTo(c.cur_checksum.sum, 6);
    const profile = buildProfile({ columns: ["x"], get: () => Array.from(ref) }, { features: [{ name: "x", kind: "numerical" }], gridBins: grid.bins });
    const feature = profile.features[0]!;
    const scored = scoreFeature(feature, countInto(feature, cur, parts));
    if (scored.kind !== "numerical" || scored.scores === null) throw new Error("numerical scores expected");
    const s = scored.scores;
    expect(s.source).toBe("grid");
    // The grid itself is numpy's: same edge count, same ends, same statistic at the edges.
    if (feature.kind !== "numerical" || feature.grid === undefined) throw new Error("grid expected");
    expect([feature.moments.min, feature.moments.max]).toEqual(c.grid_first_last);
    expect(s.ks.d).toBeCloseTo(c.grid_ks_d, 12);
    // ks_d: scipy's exact statistic lies in [ks_d, ks_d_upper].
    expect(s.ks.d).toBeLessThanOrEqual(c.ks_d + 1e-12);
    expect(s.ks.d_upper).toBeGreaterThanOrEqual(c.ks_d - 1e-12);
    // ks_p_value: scipy ks_2samp(method="asymp") at ks_d to 1e-9 relative, and so between
    // the p-values of the bounds on the exact statistic: never below scipy's on the raw data.
    expect(Math.abs(s.ks.p_value - c.grid_ks_p)).toBeLessThanOrEqual(1e-9 * Math.max(c.grid_ks_p, 1e-300) + 1e-300);
    expect(s.ks.p_value).toBeGreaterThanOrEqual(c.ks_p_asymp * (1 - 1e-9));
    expect(ksAsymptoticP(s.ks.d_upper, ref.length, cur.length)).toBeLessThanOrEqual(c.ks_p_asymp * (1 + 1e-9));
    // wasserstein_normed: within its stated bound of scipy's, and within 3% of it on these cases (10% on the heavy tail, whose outer cells are wide).
    expect(Math.abs(s.wasserstein_normed - c.wasserstein_normed)).toBeLessThanOrEqual(s.wasserstein_error_bound + 1e-12);
    expect(Math.abs(s.wasserstein_normed - c.wasserstein_normed)).toBeLessThanOrEqual(c.name.startsWith("heavy") ? 0.1 * c.wasserstein_normed : 0.03 * c.wasserstein_normed);
  });
});

describe("live categorical scores against scipy on the same labels", () => {
  it.each(grid.categorical.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const ref = drawLabels(c.ref_seed, c.n_ref, c.labels, c.ref_weights);
    const cur = drawLabels(c.cur_seed, c.n_cur, c.labels, c.cur_weights);
    const profile = buildProfile({ columns: ["c"], get: () => ref }, { features: [{ name: "c", kind: "categorical" }] });
    const feature = profile.features[0]!;
    const window = featureWindowFor(feature);
    for (const label of cur) window.update(label);
    const scored = scoreFeature(feature, window);
    if (scored.kind !== "categorical" || scored.scores === null) throw new Error("categorical scores expected");
    const s = scored.scores;
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.abs(b) + 1e-12);
    close(s.chi_square.statistic, c.chi_square_gof);
    close(s.chi_square.p_value, c.chi_square_gof_p_value);
    close(s.chi_square_two_sample.statistic, c.chi_square_two_sample);
    close(s.chi_square_two_sample.p_value, c.chi_square_two_sample_p_value);
  });
});
