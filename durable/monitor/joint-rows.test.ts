// The live multivariate scores: a correlation flip that leaves every feature's own
// distribution alone is invisible to the per-feature drift, and caught here.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import type { MonitorEvent } from "./calls.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { RecentRows, sampleBatches } from "./joint-rows.ts";
import { ingestCall, TEST_FEATURES } from "./testing.ts";

let counter = 0;
function freshMonitor(): DurableObjectStub<ModelMonitor> {
  counter++;
  return testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:joint${counter}-${Date.now()}:v1`);
}

/** age and income with correlation `rho`, region independent: the marginals never change. */
function correlated(n: number, rho: number, seed: number, prefix: string): MonitorEvent[] {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  return Array.from({ length: n }, (_, i) => {
    const a = normal();
    const b = rho * a + Math.sqrt(1 - rho * rho) * normal();
    return {
      prediction_id: `${prefix}-${i}`,
      timestamp: Date.now(),
      features: { age: 40 + 10 * a, income: 50_000 + 10_000 * b, region: ["north", "south", "east"][Math.floor(uniform() * 3)]! },
      prediction: 0,
    };
  });
}

describe("multivariate scores in the live monitor", () => {
  it("flags a correlation flip against the first-events baseline while no feature drifts alone", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(2_000);
    await stub.ingest(ingestCall("ref", correlated(2_000, 0.8, 1, "r")));
    await runDurableObjectAlarm(stub);
    let live = await stub.live();
    expect(live.baseline.status).toBe("ready");
    expect(live.multivariate).toMatchObject({ reference: "first_events", rows: { reference: 2_000, current: 2_000 } });
    expect(live.multivariate!.domain_classifier.drifted).toBe(false);

    await stub.ingest(ingestCall("flip", correlated(5_000, -0.8, 2, "f")));
    await runDurableObjectAlarm(stub);
    const scored = await runInDurableObject(stub, (instance: ModelMonitor) => instance.monitor.scoreJointNow(Date.now()));
    expect(scored!.rows).toEqual({ reference: 2_000, current: 5_000 });
    expect(scored!.domain_classifier.drifted).toBe(true);
    expect(scored!.domain_classifier.auc).toBeGreaterThan(0.8);
    expect(scored!.domain_classifier.top_features.slice(0, 2).map((f) => f.feature).sort()).toEqual(["age", "income"]);
    expect(scored!.reconstruction.drifted).toBe(true);

    live = await stub.live();
    expect(live.multivariate!.computed_at).toBe(scored!.computed_at);
    const fiveMinutes = live.windows.find((w) => w.window === "5m")!;
    expect(fiveMinutes.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
  });

  it("takes the first rows after a baseline that came without rows, and says so", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(500);
    await stub.ingest(ingestCall("ref", correlated(500, 0.8, 3, "r")));
    await runDurableObjectAlarm(stub);
    const profile = await runInDurableObject(stub, (instance: ModelMonitor) => instance.monitor.profile);
    await stub.setBaseline(profile);
    expect((await stub.live()).multivariate ?? null).toBeNull();
    await stub.ingest(ingestCall("after", correlated(6_000, 0.8, 4, "a")));
    await runDurableObjectAlarm(stub);
    const live = await stub.live();
    expect(live.multivariate).toMatchObject({ reference: "after_baseline", rows: { reference: 5_000 } });
  });

  it("uses the rows an upload sends with its profile", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(300);
    await stub.ingest(ingestCall("ref", correlated(300, 0.8, 5, "r")));
    await runDurableObjectAlarm(stub);
    const profile = await runInDurableObject(stub, (instance: ModelMonitor) => instance.monitor.profile);
    const rows = correlated(400, 0.8, 6, "u");
    await stub.setBaseline(profile, {
      age: rows.map((e) => e.features.age as number),
      income: rows.map((e) => e.features.income as number),
      region: rows.map((e) => e.features.region as string),
    });
    await stub.ingest(ingestCall("now", correlated(400, 0.8, 7, "n")));
    await runDurableObjectAlarm(stub);
    // The current rows are traffic, whichever baseline is in force: the 300 before it and the 400 after.
    expect((await stub.live()).multivariate).toMatchObject({ reference: "upload", rows: { reference: 400, current: 700 } });
  });
});

describe("RecentRows and sampleBatches", () => {
  const batch = (from: number, n: number) => columnsFromEvents(correlated(n, 0.5, from + 1, `b${from}`).map((e, i) => ({ ...e, features: { ...e.features, age: from + i } })), TEST_FEATURES);

  it("keeps the most recent rows, oldest first, or only the first ones", () => {
    const ring = new RecentRows(5);
    ring.add(batch(0, 3), TEST_FEATURES);
    ring.add(batch(100, 4), TEST_FEATURES);
    expect(ring.columns().age).toEqual([2, 100, 101, 102, 103]);
    const first = new RecentRows(5);
    first.add(batch(0, 3), TEST_FEATURES, true);
    first.add(batch(100, 4), TEST_FEATURES, true);
    expect(first.columns().age).toEqual([0, 1, 2, 100, 101]);
  });

  it("thins to about the asked share of rows", () => {
    const ring = new RecentRows(100_000);
    for (let i = 0; i < 20; i++) ring.add(batch(i * 1_000, 1_000), TEST_FEATURES, false, 0.1);
    expect(ring.size).toBeGreaterThan(1_800);
    expect(ring.size).toBeLessThan(2_200);
  });

  it("samples batches uniformly, up to the cap, in arrival order", () => {
    const sample = sampleBatches([batch(0, 3_000), batch(10_000, 3_000)], TEST_FEATURES, 1_000);
    const ages = sample.age as number[];
    expect(ages).toHaveLength(1_000);
    expect([...ages].sort((a, b) => a - b)).toEqual(ages);
    const fromSecond = ages.filter((age) => age >= 10_000).length;
    expect(fromSecond).toBeGreaterThan(420);
    expect(fromSecond).toBeLessThan(580);
  });
});

