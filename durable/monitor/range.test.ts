import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readProfile } from "../../stats/profile/io.ts";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { Aggregate } from "./aggregate.ts";
import { HOUR, KEEP_HOURS_MS, STORE_HOURS_MS, hourOf } from "./buckets.ts";
import { ingestCall, testEvents } from "./testing.ts";

let counter = 0;
function freshMonitor(): DurableObjectStub<ModelMonitor> {
  counter++;
  return testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:range${counter}-${Date.now()}:v1`);
}

/** A monitor whose first 500 events became its baseline. */
async function withBaseline(): Promise<DurableObjectStub<ModelMonitor>> {
  const stub = freshMonitor();
  await stub.setAutoBaselineTarget(500);
  await stub.ingest(ingestCall("ref", testEvents(500, { seed: 1, idPrefix: "r" })));
  await runDurableObjectAlarm(stub);
  expect((await stub.live()).baseline.status).toBe("ready");
  return stub;
}

/** Writes an hour roll-up of `n` test events at hour `t` straight to SQLite, as roll() would have. */
function storeHour(instance: ModelMonitor, t: number, n: number, seed: number): void {
  const m = instance.monitor;
  const aggregate = new Aggregate(m.profile);
  for (const e of testEvents(n, { seed, idPrefix: `h${t}` })) {
    aggregate.events++;
    aggregate.window!.updateRow(e.features, e.prediction);
  }
  m.store.saveBucket("hours", { t, ...aggregate.toRow(), perf: null });
}

describe("ModelMonitor.profileForRange", () => {
  it("merges the minute buckets in range into a profile of every counted event", async () => {
    const stub = await withBaseline();
    await stub.ingest(ingestCall("b1", testEvents(2_000, { seed: 2, idPrefix: "a" })));
    const now = Date.now();
    // Not folded yet: the call counts stored batches first.
    const result = await stub.profileForRange(now - 10 * 60_000, now + 1_000);
    if (!result.ok) throw new Error(result.message);
    expect(result.rows).toBe(2_500);
    expect(result.events).toBe(2_500);
    expect(result.profile.rows).toBe(2_500);
    expect(result.hours).toBe(0);
    expect(result.minutes).toBeGreaterThanOrEqual(1);
    expect(result.coveredFrom).toBeLessThanOrEqual(now);
    expect(result.coveredTo).toBeLessThanOrEqual(Date.now());
    expect(result.profile.features.map((f) => f.name)).toEqual(["age", "income", "region"]);
    expect(result.profile.prediction?.name).toBe("prediction");
    expect(result.rankError).toBeGreaterThan(0);
    expect(readProfile(result.profile).rows).toBe(2_500);
    // A range that ends before any traffic has nothing counted.
    const before = await stub.profileForRange(now - 30 * 60_000, now - 20 * 60_000);
    expect(before).toMatchObject({ ok: false, reason: "no_traffic", events: 0 });
  });

  it("reads hour roll-ups older than memory holds from SQLite, and keeps them 7 days", async () => {
    const stub = await withBaseline();
    const now = Date.now();
    const old = hourOf(now - 3 * 24 * HOUR);
    const older = hourOf(now - 6 * 24 * HOUR);
    const expired = hourOf(now - STORE_HOURS_MS - 2 * HOUR);
    await runInDurableObject(stub, (instance: ModelMonitor) => {
      // Pretend the baseline was set 4 days ago, so the 3-day-old hour counted against it.
      instance.monitor.baseline = { source: "upload", frozenAt: now - 4 * 24 * HOUR };
      storeHour(instance, old, 300, 3);
      storeHour(instance, older, 200, 4);
      storeHour(instance, expired, 100, 5);
      instance.monitor.buckets.roll(now, instance.monitor.store);
      expect(instance.monitor.buckets.hours.has(old)).toBe(false);
    });
    const result = await stub.profileForRange(old - 30 * 60_000, old + 2 * HOUR);
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ rows: 300, events: 300, hours: 1, minutes: 0, coveredFrom: old, coveredTo: old + HOUR });
    readProfile(result.profile);
    // Counted before the baseline was set: the bytes would decode, but not on its bins.
    const stale = await stub.profileForRange(older, older + HOUR);
    expect(stale).toMatchObject({ ok: false, reason: "no_traffic", events: 200 });
    if (!stale.ok) expect(stale.message).toMatch(/before the current baseline/);
    // Past the 7-day retention, roll() pruned it.
    expect(await stub.profileForRange(expired, expired + HOUR)).toMatchObject({ ok: false, events: 0 });
    // Still found after a restart, which loads only the last 25 h into memory.
    await evictDurableObject(stub);
    await runInDurableObject(stub, (instance: ModelMonitor) => {
      instance.monitor.baseline = { source: "upload", frozenAt: now - 4 * 24 * HOUR };
      expect([...instance.monitor.buckets.hours.keys()].every((h) => h >= now - KEEP_HOURS_MS)).toBe(true);
    });
    expect(await stub.profileForRange(old, old + HOUR)).toMatchObject({ ok: true, rows: 300 });
  });

  it("says so when there is no baseline yet", async () => {
    const stub = freshMonitor();
    await stub.ingest(ingestCall("b", testEvents(20)));
    const now = Date.now();
    expect(await stub.profileForRange(now - 60_000, now + 1_000)).toMatchObject({ ok: false, reason: "no_baseline", events: 20 });
  });
});
