import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ModelMonitorServer as ModelMonitor } from "../../durable/model-monitor.ts";
import { DRAIN_BATCH, drainOutbox, outboxRecord, type Sink } from "../../durable/monitor/outbox.ts";
import { ingestCall, testEvents, testIdentity } from "../../durable/monitor/testing.ts";
import { featureScores, monitorAggregates } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { countingFailures } from "../health/sink-failures.ts";
import { KAFKA_DRAIN_BATCH } from "./kafka-rest.ts";
import { postgresHistorySink } from "./postgres-history.ts";

describe("Postgres history sink", () => {
  it("lands each window's aggregate and per-feature scores from the monitor's outbox", async () => {
    const { orgId } = await withDb((db) => seedOrg(db));
    const identity = { ...testIdentity(), orgId };
    const stub = monitorStub(testEnv, orgId, identity.model, identity.version);
    await stub.setAutoBaselineTarget(500);
    await stub.ingest(ingestCall("b1", testEvents(600), identity));
    await runDurableObjectAlarm(stub);
    const { aggregates, scores } = await withDb(async (db) => ({
      aggregates: await db.select().from(monitorAggregates).where(eq(monitorAggregates.orgId, orgId)),
      scores: await db.select().from(featureScores).where(and(eq(featureScores.orgId, orgId), eq(featureScores.window, "5m"))),
    }));
    expect(aggregates.map((a) => a.window).sort()).toEqual(["1h", "24h", "5m"]);
    expect(aggregates.every((a) => a.rows === 600)).toBe(true);
    expect(scores.map((s) => s.feature).sort()).toEqual(["age", "income", "region"]);
    expect((await stub.stats()).outbox).toBe(0);
  });

  it("keeps rows in the outbox while a sink is down and drains them, once each, when it returns", async () => {
    const { orgId } = await withDb((db) => seedOrg(db));
    const identity = { ...testIdentity("down"), orgId };
    const stub = monitorStub(testEnv, orgId, identity.model, identity.version);
    await stub.ingest(ingestCall("b1", testEvents(10), identity));
    await runDurableObjectAlarm(stub);
    const sentIdle = await runInDurableObject(stub, async (instance: ModelMonitor) => {
      const store = instance.monitor.store;
      let up = false;
      const flaky: Sink = {
        name: "flaky",
        async send(records) {
          if (!up) throw new Error("connection refused");
          await postgresHistorySink(testEnv.DATABASE_URL!, testEnv.NEON_WS_PROXY).send(records);
        },
      };
      const windows = instance.monitor.windows(Date.now());
      for (let i = 0; i < 3; i++) {
        const at = 1_700_000_000_000 + i * 5_000;
        store.appendOutbox(at, JSON.stringify(outboxRecord(identity, at, i, windows, instance.monitor.totals)));
      }
      const queued = store.outboxAfter(0, 10).map((r) => JSON.parse(r.payload));
      const down = await drainOutbox(store, [flaky], Date.now());
      expect(down.failed.flaky).toBe("connection refused");
      expect(down.retryAt).toBeGreaterThan(Date.now());
      expect(store.outboxSize()).toBe(3);
      up = true;
      const back = await drainOutbox(store, [flaky], Date.now() + 60_000);
      expect(store.outboxSize()).toBe(0);
      // Sent again (as after a crash between send and cursor save): the unique keys keep one copy.
      await flaky.send(queued);
      return back.sent.flaky;
    });
    expect(sentIdle).toBe(3);
    const points = await withDb((db) =>
      db.select().from(monitorAggregates).where(and(eq(monitorAggregates.orgId, orgId), eq(monitorAggregates.window, "5m"))),
    );
    expect(points.map((p) => p.at.getTime()).filter((t) => t < 1_750_000_000_000).sort()).toEqual([1_700_000_000_000, 1_700_000_005_000, 1_700_000_010_000]);
  });

  it("hands each sink as many rows per send as it asks for (Kafka: 1,000), through the failure counter too", async () => {
    const { orgId } = await withDb((db) => seedOrg(db));
    const identity = { ...testIdentity("batch"), orgId };
    const stub = monitorStub(testEnv, orgId, identity.model, identity.version);
    await stub.ingest(ingestCall("b1", testEvents(10), identity));
    await runDurableObjectAlarm(stub);
    const sizes = await runInDurableObject(stub, async (instance: ModelMonitor) => {
      const store = instance.monitor.store;
      const seen: Record<string, number[]> = { kafka: [], plain: [] };
      const kafkaLike = countingFailures({ name: "kafka", batchSize: KAFKA_DRAIN_BATCH, send: async (records) => void seen.kafka!.push(records.length) }, testEnv.DATABASE_URL!, testEnv.NEON_WS_PROXY);
      const plain: Sink = { name: "plain", send: async (records) => void seen.plain!.push(records.length) };
      const windows = instance.monitor.windows(Date.now());
      const before = store.outboxSize();
      for (let i = 0; i < 2_500; i++) store.appendOutbox(1_700_000_000_000 + i, JSON.stringify(outboxRecord(identity, 1_700_000_000_000 + i, i, windows, instance.monitor.totals)));
      await drainOutbox(store, [kafkaLike, plain], Date.now());
      return { kafka: seen.kafka!, plain: seen.plain!, total: before + 2_500 };
    });
    expect(sizes.kafka.reduce((a, b) => a + b, 0)).toBe(sizes.total);
    expect(sizes.kafka.every((n) => n <= KAFKA_DRAIN_BATCH)).toBe(true);
    expect(sizes.kafka.length).toBe(Math.ceil(sizes.total / KAFKA_DRAIN_BATCH));
    expect(sizes.plain.length).toBe(Math.ceil(sizes.total / DRAIN_BATCH));
  }, 60_000);
});
