import { describe, expect, it } from "vitest";
import { snapshot, update, windowView } from "../testing/messages.ts";
import { estimatedMetric, keyMetric, mergeVolume, toSnapshot } from "./to-snapshot.ts";
import { applyRawMessage } from "./apply-message.ts";
import { createLiveRoom } from "../state/live-room.ts";

describe("toSnapshot", () => {
  it("maps windows, features, quality, latency and the key metric", () => {
    const s = toSnapshot(snapshot("m", "v1"), null);
    expect(s.eventRate).toBe(10);
    expect(s.totalEvents).toBe(1000);
    expect(s.hasBaseline).toBe(true);
    const w = s.windows["5m"]!;
    expect(w.features.map((x) => [x.feature, x.test, x.drifted])).toEqual([
      ["income", "wasserstein_normed", false],
      ["age", "wasserstein_normed", true],
      ["region", "jensen_shannon", false],
    ]);
    expect(w.latency).toEqual({ p50: 5, p95: 12, p99: 30 });
    expect(w.performance).toEqual({ metric: "roc_auc", value: 0.88, higherIsBetter: true });
    expect(w.quality).toEqual([{ feature: "income", missingRate: 0.02, outOfRangeRate: 0.01, newCategoryRate: null, typeViolationRate: null, absentRate: null }]);
    expect(w.unknownFeatures).toEqual([]);
    expect(Object.keys(w.distributions)).toEqual(["income", "age", "region"]);
    expect(w.distributions.region?.kind).toBe("categorical");
  });

  it("maps absent keys per feature and unknown keys, most frequent first", () => {
    const quality = { missingRate: { income: 0.3 }, newCategoryRate: {}, outOfRangeRate: {}, typeViolationRate: {}, absentRate: { income: 0.25 }, unknownFeatureRate: { promo: 0.2, annual_income: 0.9 } };
    const s = toSnapshot(snapshot("m", "v1", { windows: [windowView("5m", [], { quality })] }), null);
    const w = s.windows["5m"]!;
    expect(w.quality).toEqual([{ feature: "income", missingRate: 0.3, outOfRangeRate: null, newCategoryRate: null, typeViolationRate: null, absentRate: 0.25 }]);
    expect(w.unknownFeatures).toEqual([{ key: "annual_income", rate: 0.9 }, { key: "promo", rate: 0.2 }]);
  });

  it("replaces windows on update and merges volume by minute", () => {
    const first = toSnapshot(snapshot("m", "v1", { volume: [{ t: 0, events: 5 }, { t: 60_000, events: 7 }] }), null);
    const next = toSnapshot(update(1, 3, { volume: [{ t: 60_000, events: 9 }, { t: 120_000, events: 1 }] }), first);
    expect(next.volume).toEqual([
      { t: 0, events: 5 },
      { t: 60_000, events: 9 },
      { t: 120_000, events: 1 },
    ]);
    expect(Object.keys(next.windows)).toEqual(["5m"]);
    expect(next.eventRate).toBe(3);
  });

  it("keeps only the last hour of volume", () => {
    const points = Array.from({ length: 70 }, (_, i) => ({ t: i * 60_000, events: i }));
    expect(mergeVolume([], points)).toHaveLength(60);
    expect(mergeVolume([], points)[0]!.t).toBe(10 * 60_000);
  });

  it("picks RMSE for regression and says lower is better", () => {
    const p = windowView("5m", [], { performance: { task: "regression", labeled: 3, metrics: { mae: 1, rmse: 2 } } }).performance!;
    expect(keyMetric(p)).toEqual({ metric: "rmse", value: 2, higherIsBetter: false });
  });
});

describe("applyRawMessage", () => {
  it("charts each update once, and a reconnect's replayed snapshot does not duplicate points", () => {
    const room = createLiveRoom("m", "v1");
    applyRawMessage(room, JSON.stringify(snapshot("m", "v1")));
    applyRawMessage(room, JSON.stringify(update(1, 20)));
    applyRawMessage(room, JSON.stringify(update(2, 30)));
    expect(room.history.value["5m"].map((p) => p.eventRate)).toEqual([10, 20, 30]);
    // after a reconnect the server sends a snapshot of the current second again
    applyRawMessage(room, JSON.stringify(snapshot("m", "v1", { serverTime: update(2, 0).serverTime, eventRate: 31 })));
    expect(room.history.value["5m"].map((p) => p.eventRate)).toEqual([10, 20, 31]);
    expect(room.eventRateText.value).toBe("31/s");
  });

  it("rejects text that is not JSON or not a message, and keeps the last good state", () => {
    const room = createLiveRoom("m", "v1");
    applyRawMessage(room, JSON.stringify(snapshot("m", "v1")));
    expect(applyRawMessage(room, "{not json")).toBeUndefined();
    expect(room.error.value).toMatch(/protocol/);
    expect(applyRawMessage(room, JSON.stringify({ type: "snapshot", model: "m" }))).toBeUndefined();
    expect(room.snapshot.value?.eventRate).toBe(10);
    applyRawMessage(room, JSON.stringify({ type: "error", code: "bad_room", message: "room must be <model>:<version>" }));
    expect(room.error.value).toBe("room must be <model>:<version> (bad_room)");
  });
});

describe("estimatedMetric", () => {
  const estimate = {
    accuracy: 0.7, precision: 0.6, recall: 0.5, f1: 0.55, roc_auc: 0.81, roc_auc_bin_error: 0.001,
    ci95: { accuracy: [0.68, 0.72], precision: [0.5, 0.7], recall: [0.4, 0.6], f1: [0.5, 0.6], roc_auc: [0.79, 0.83] },
    count: 400, diverged: ["accuracy" as const],
  };

  it("estimates the metric the realised tile shows: ROC AUC, or accuracy when that is the realised one", () => {
    expect(estimatedMetric(windowView("5m", [], { performance: null, estimated_performance: estimate }))).toEqual({ metric: "roc_auc", value: 0.81, low: 0.79, high: 0.83, diverged: ["accuracy"] });
    const byAccuracy = windowView("5m", [], { performance: { task: "classification", labeled: 10, metrics: { accuracy: 0.9 } }, estimated_performance: estimate });
    expect(estimatedMetric(byAccuracy)).toMatchObject({ metric: "accuracy", value: 0.7, low: 0.68, high: 0.72 });
  });

  it("is null without an estimate", () => {
    expect(estimatedMetric(windowView("5m", [], {}))).toBeNull();
  });
});

