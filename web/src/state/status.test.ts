import { describe, expect, it } from "vitest";
import type { FeatureScore, LiveSnapshot, WindowSnapshot } from "./live-types.ts";
import { severity, statusOf } from "./status.ts";

const f = (feature: string, drifted: boolean, score = drifted ? 0.3 : 0.01): FeatureScore => ({ feature, kind: "numerical", test: "psi", score, threshold: 0.1, direction: "distance", drifted });

function snap(w: Partial<WindowSnapshot>): LiveSnapshot {
  const window: WindowSnapshot = { window: "5m", events: 10, features: [], prediction: null, driftShare: null, latency: null, performance: null, quality: [], unknownFeatures: [], distributions: {}, ...w };
  return { at: 0, eventRate: 1, totalEvents: 10, lastEventAt: 0, windows: { "5m": window }, hasBaseline: true, baseline: null, volume: [], openAlerts: null };
}

describe("statusOf", () => {
  it("says no data without a snapshot or without events", () => {
    expect(statusOf(null)).toBe("no_data");
    expect(statusOf(snap({ events: 0, features: [f("a", true)] }))).toBe("no_data");
  });
  it("grades by drift share and prediction drift", () => {
    expect(statusOf(snap({ features: [f("a", false), f("b", false)] }))).toBe("healthy");
    expect(statusOf(snap({ features: [f("a", true), f("b", false), f("c", false)] }))).toBe("warning");
    expect(statusOf(snap({ features: [f("a", true), f("b", false)] }))).toBe("drifting");
    expect(statusOf(snap({ features: [f("a", false)], prediction: f("prediction", true) }))).toBe("drifting");
    expect(statusOf(snap({ features: [f("a", true)], prediction: f("prediction", true) }))).toBe("degraded");
  });
  it("prefers the server's drift share when it sends one", () => {
    expect(statusOf(snap({ features: [f("a", true), f("b", false), f("c", false)], driftShare: 0.6 }))).toBe("drifting");
  });
});

describe("severity", () => {
  it("is above 1 exactly when past the threshold, for distances and p-values alike", () => {
    expect(severity(f("a", true, 0.3))).toBeCloseTo(3);
    expect(severity(f("a", false, 0.05))).toBeCloseTo(0.5);
    const p = (score: number): FeatureScore => ({ ...f("p", score < 0.05, score), direction: "p_value", threshold: 0.05 });
    expect(severity(p(0.5))).toBeLessThan(1);
    expect(severity(p(0.01))).toBeGreaterThan(1);
    expect(severity(p(1e-12))).toBeGreaterThan(severity(p(0.01)));
    expect(severity(p(0))).toBeGreaterThan(100);
  });
});
