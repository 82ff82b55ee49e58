import { describe, expect, it } from "vitest";
import { toHistoryPoints } from "./history.ts";

describe("toHistoryPoints", () => {
  it("joins window aggregates and per-feature scores by time, oldest first", () => {
    const points = toHistoryPoints({
      window: "5m",
      points: [
        { at: "2026-11-26T10:00:05Z", rows: 10, drift_share: 0.5, drifted_features: 1, summary: { latency: { p50: 5, p95: 9, p99: 12, count: 10 } } },
        { at: "2026-11-26T10:00:00Z", rows: 5, drift_share: null, drifted_features: 0, summary: {} },
      ],
      features: {
        income: [
          { at: "2026-11-26T10:00:00Z", method: "psi", score: 0.01, threshold: 0.1, drifted: false },
          { at: "2026-11-26T10:00:05Z", method: "psi", score: 0.3, threshold: 0.1, drifted: true },
        ],
        age: [{ at: "2026-11-26T10:00:10Z", method: "psi", score: null, threshold: 0.1, drifted: false }],
      },
    });
    expect(points.map((p) => [new Date(p.t).toISOString(), p.driftShare, p.features])).toEqual([
      ["2026-11-26T10:00:00.000Z", null, { income: 0.01 }],
      ["2026-11-26T10:00:05.000Z", 0.5, { income: 0.3 }],
      ["2026-11-26T10:00:10.000Z", null, { age: null }],
    ]);
    expect(points.every((p) => p.eventRate === null)).toBe(true);
    expect([points[1]!.p50, points[1]!.p95, points[1]!.p99]).toEqual([5, 9, 12]);
    expect(points[0]!.p95).toBeNull();
  });
});
