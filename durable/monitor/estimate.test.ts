// The label-free performance estimate (CBPE) in a live ModelMonitor: computed from the
// scores at ingest, kept in the stored buckets (it survives eviction), and flagged as
// diverged once labels show the scores were wrong.

import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import type { WindowView } from "../protocol.ts";
import { ingestCall, testEvents, testIdentity } from "./testing.ts";

let counter = 0;
function freshMonitor(): DurableObjectStub<ModelMonitor> {
  counter++;
  return testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:estimate${counter}-${Date.now()}:v1`);
}

const fiveMinutes = (views: WindowView[]) => views.find((w) => w.window === "5m")!;

describe("estimated_performance", () => {
  it("is the expected accuracy of the scores, before any label, and survives eviction", async () => {
    const stub = freshMonitor();
    const events = testEvents(2_000, { seed: 11 });
    await stub.ingest(ingestCall("b", events));
    await runDurableObjectAlarm(stub);
    // With p the score and the prediction p > 0.5, each row is right with probability max(p, 1 − p).
    const expected = events.reduce((sum, e) => sum + (e.prediction === 1 ? (e.score as number) : 1 - (e.score as number)), 0) / events.length;
    const estimate = fiveMinutes((await stub.live()).windows).estimated_performance!;
    expect(estimate.count).toBe(2_000);
    expect(estimate.accuracy).toBeCloseTo(expected, 12);
    expect(estimate.ci95.accuracy[0]).toBeLessThan(expected);
    expect(estimate.ci95.accuracy[1]).toBeGreaterThan(expected);
    expect(estimate.roc_auc).toBeGreaterThan(0.7);
    expect(estimate.diverged).toEqual([]);
    expect(fiveMinutes((await stub.live()).windows).performance).toBeNull();

    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    expect(fiveMinutes((await stub.live()).windows).estimated_performance!.accuracy).toBeCloseTo(expected, 12);
  });

  it("names the metrics whose realised value left the band when labels contradict the scores", async () => {
    const stub = freshMonitor();
    const events = testEvents(1_000, { seed: 12 });
    await stub.ingest(ingestCall("b", events));
    // Concept shift: every actual is the opposite of what the confident score said.
    const actuals = events.map((e) => ({ prediction_id: e.prediction_id, actual: e.prediction === 1 ? 0 : 1, timestamp: Date.now() }));
    await stub.actuals({ identity: testIdentity(), actuals });
    await runDurableObjectAlarm(stub);
    const view = fiveMinutes((await stub.live()).windows);
    expect(view.performance!.metrics.accuracy).toBe(0);
    expect(view.estimated_performance!.diverged).toContain("accuracy");
  });

  it("leaves it out for predictions without a probability score", async () => {
    const stub = freshMonitor();
    const events = testEvents(50, { seed: 13 }).map(({ score: _score, ...rest }) => rest);
    await stub.ingest(ingestCall("b", events));
    await runDurableObjectAlarm(stub);
    expect(fiveMinutes((await stub.live()).windows).estimated_performance ?? null).toBeNull();
  });
});
