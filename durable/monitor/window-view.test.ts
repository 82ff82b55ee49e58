import { describe, expect, it } from "vitest";
import { buildProfile } from "../../stats/profile/build.ts";
import type { NumericalFeatureProfile } from "../../stats/profile/schema.ts";
import type { NumericalWindow } from "../../stats/streaming/numerical-window.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { Aggregate } from "./aggregate.ts";
import { PerfState } from "./perf.ts";
import { windowView } from "./window-view.ts";

// Reference: x uniform on [20, 60) (min and max a little inside), c from three labels.
const rand = mulberry32(7);
const reference = Array.from({ length: 5_000 }, () => ({ x: 20 + rand() * 40, c: ["a", "b", "c"][Math.floor(rand() * 3)], score: rand() }));
const profile = buildProfile(reference, { prediction: "score" });
const x = profile.features.find((f) => f.name === "x") as NumericalFeatureProfile;
const { min, max } = x.moments;

/**
 * A window of 50,000 events: 8,000 exactly at the reference min and 8,000 exactly at its
 * max (inside the range), 37 just below min and 23 just above max, the rest inside.
 * The KLL sketch has compacted many times at this size, so ranks at min and max are
 * off by up to its rank error; the exact counts are not.
 */
function aggregate(): Aggregate {
  const out = new Aggregate(profile);
  const r = mulberry32(11);
  const state = out.window!;
  const n = 50_000;
  for (let i = 0; i < n; i++) {
    let value: number | string = min + r() * (max - min);
    if (i < 8_000) value = min;
    else if (i < 16_000) value = max;
    else if (i < 16_037) value = min - 1e-9 * Math.abs(min) - r();
    else if (i < 16_060) value = max + 1e-9 * Math.abs(max) + r();
    else if (i >= 20_000 && i % 30 === 0) value = "not a number"; // 1,000 type violations
    state.updateRow({ x: value, c: i % 100 === 1 ? "zzz" : "a" }, r());
  }
  out.events = n;
  return out;
}

describe("windowView data quality", () => {
  it("reports the exact out-of-range rate, counting values at the reference min and max as inside", () => {
    const a = aggregate();
    const w = a.window!.features[0] as NumericalWindow;
    expect(w.moments.count).toBe(49_000);
    expect([w.belowRange, w.aboveRange]).toEqual([37, 23]);
    const view = windowView("5m", 0, 300_000, a, new PerfState(), profile);
    expect(view.quality!.outOfRangeRate.x).toBe(60 / 49_000);
    expect(view.quality!.typeViolationRate.x).toBe(1_000 / 50_000);
    expect(view.quality!.missingRate.x).toBe(0);
    // New categories: "zzz" on every hundredth event, over the labels counted.
    expect(view.quality!.newCategoryRate.c).toBe(500 / 50_000);
  });

  it("is 0 when every value lies on the range's ends", () => {
    const a = new Aggregate(profile);
    for (let i = 0; i < 40_000; i++) a.window!.updateRow({ x: i % 2 === 0 ? min : max, c: "a" }, 0.5);
    a.events = 40_000;
    const view = windowView("5m", 0, 300_000, a, new PerfState(), profile);
    expect(view.quality!.outOfRangeRate.x).toBe(0);
  });

  it("falls back to the sketch for a window holding events read from version 1 bytes", () => {
    const a = aggregate();
    const w = a.window!.features[0] as NumericalWindow;
    const exact = (w.belowRange + w.aboveRange) / w.moments.count;
    // What a version 1 window reads as: no range counts, every event unchecked.
    w.belowRange = 0;
    w.aboveRange = 0;
    a.window!.presence.uncheckedRows = a.window!.rows;
    const rate = windowView("5m", 0, 300_000, a, new PerfState(), profile).quality!.outOfRangeRate.x!;
    expect(Math.abs(rate - exact)).toBeLessThan(0.02);
  });
});
