// Retention inside one ModelMonitor (real Durable Object, real SQLite): each store keeps
// its own horizon, labelled predictions leave with their labels, and the alarm's own
// pruning follows the policy the Worker pushed, across a restart.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../model-monitor.ts";
import { HOUR, hourOf } from "./buckets.ts";
import { Monitor } from "./monitor.ts";
import { MonitorStore } from "./storage.ts";
import { ingestCall, testEvents } from "./testing.ts";
import { freshMonitorObject } from "./testing-object.ts";

const DAY = 24 * HOUR;

const at = (events: ReturnType<typeof testEvents>, t: number) => events.map((e) => ({ ...e, timestamp: t }));

describe("ModelMonitor.applyRetention", () => {
  it("prunes predictions, labelled predictions, held baseline events and hour roll-ups each by its own horizon", async () => {
    const { stub, identity } = freshMonitorObject("retain");
    const now = Date.now();
    // No baseline yet: the first events are also held for the first-events baseline.
    await stub.ingest(ingestCall("old", at(testEvents(4, { idPrefix: "old" }), now - 4 * DAY), identity));
    await stub.ingest(ingestCall("mid", at(testEvents(3, { idPrefix: "mid" }), now - 2 * DAY), identity));
    await stub.ingest(ingestCall("new", at(testEvents(2, { idPrefix: "new" }), now - HOUR), identity));
    const labelled = await stub.actuals({ identity, actuals: [{ prediction_id: "mid-0", actual: 1, timestamp: now }, { prediction_id: "new-0", actual: 0, timestamp: now }] });
    expect(labelled.matched).toBe(2);
    // Hour roll-ups 2 and 6 days old (late traffic never makes them: the live path stops at 25 h).
    await runInDurableObject(stub, (i: ModelMonitorServer) => {
      for (const age of [2 * DAY, 6 * DAY]) i.monitor.store.saveBucket("hours", { t: hourOf(now - age), events: 1, window: null, latency: null, perf: null, estimate: null });
    });

    const removed = await stub.applyRetention({ rawEventsDays: 3, labelsDays: 1, aggregatesDays: 5 });
    // old-* are past 3 days (held events arrived now, so they stay); mid-0 was labelled more than a day ago.
    expect(removed).toEqual({ predictions: 4 + 1, actuals: 1, baseline_events: 0, hour_aggregates: 1 });

    const left = await runInDurableObject(stub, (i: ModelMonitorServer) => ({
      found: [...i.monitor.store.join.find(["old-0", "mid-0", "mid-1", "new-0", "new-1"]).keys()].sort(),
      hours: i.monitor.store.loadBucketsBetween("hours", 0, Number.MAX_SAFE_INTEGER).map((b) => b.t),
    }));
    expect(left.found).toEqual(["mid-1", "new-0", "new-1"]);
    // Raw events went, the 2-day-old aggregate stays: it is younger than its own retention.
    expect(left.hours).toEqual([hourOf(now - 2 * DAY)]);

    // A re-sent actual for the pruned labelled prediction answers unmatched: nothing counts twice.
    const again = await stub.actuals({ identity, actuals: [{ prediction_id: "mid-0", actual: 1, timestamp: now }, { prediction_id: "new-0", actual: 0, timestamp: now }] });
    expect(again).toMatchObject({ matched: 0, unmatched: 1, alreadyLabeled: 1, unmatchedIds: ["mid-0"] });
    // Repeating the run removes nothing more.
    expect(await stub.applyRetention({ rawEventsDays: 3, labelsDays: 1, aggregatesDays: 5 })).toEqual({ predictions: 0, actuals: 0, baseline_events: 0, hour_aggregates: 0 });
  });

  it("drops events held for a first-events baseline past raw events retention", async () => {
    const { stub, identity } = freshMonitorObject("retain");
    await stub.ingest(ingestCall("b1", testEvents(5, { idPrefix: "h" }), identity));
    await runDurableObjectAlarm(stub);
    // Make the held batch look 2 days old.
    await runInDurableObject(stub, (_i: ModelMonitorServer, state) => state.storage.sql.exec(`UPDATE reference_rows SET received_at = received_at - ?`, 2 * DAY));
    expect(await stub.applyRetention({ rawEventsDays: 1, labelsDays: 1, aggregatesDays: 1 })).toMatchObject({ baseline_events: 5 });
    expect((await stub.live()).baseline).toMatchObject({ status: "collecting", rows: 0 });
  });

  it("keeps the policy: the alarm prunes by it, and so does a restarted object", async () => {
    const { stub, identity } = freshMonitorObject("retain");
    const now = Date.now();
    await stub.applyRetention({ rawEventsDays: 2, labelsDays: 2, aggregatesDays: 1 });
    await stub.ingest(ingestCall("x", at(testEvents(3, { idPrefix: "x" }), now - 3 * DAY), identity));
    await runDurableObjectAlarm(stub);
    const found = await runInDurableObject(stub, (_i: ModelMonitorServer, state) => {
      // A fresh Monitor over the same storage is what the object builds after an eviction.
      const fresh = new Monitor(new MonitorStore(state.storage));
      fresh.store.saveBucket("hours", { t: hourOf(now - 30 * HOUR), events: 1, window: null, latency: null, perf: null, estimate: null });
      fresh.tick(now + 61_000);
      return {
        retention: fresh.retention,
        ids: [...fresh.store.join.find(["x-0", "x-1"]).keys()],
        hours: fresh.store.loadBucketsBetween("hours", 0, Number.MAX_SAFE_INTEGER).length,
      };
    });
    expect(found.retention).toEqual({ rawEventsDays: 2, labelsDays: 2, aggregatesDays: 1 });
    // 3-day-old predictions never outlive a 2-day horizon, and a 30-hour-old roll-up a 1-day one.
    expect(found.ids).toEqual([]);
    expect(found.hours).toBe(0);
  });
});
