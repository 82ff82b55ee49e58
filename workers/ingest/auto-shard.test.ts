// The "auto" shard mode end to end (issue 23): a version created with shards "auto", its
// object told to find itself overloaded at once (the load policy is injected; the real
// one waits 30 s of sustained load), ends up with more shards after an ingest, audited as
// the system; and every event sent before, across and after the change, retries
// included, is counted exactly once.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelMonitorServer } from "../../durable/model-monitor.ts";
import { columnsFromEvents } from "../../durable/monitor/event-columns.ts";
import { monitorName, shardObjectName } from "../../durable/monitor/name.ts";
import { shardOf } from "../../durable/monitor/shards.ts";
import { eq } from "drizzle-orm";
import { modelVersions } from "../db/schema/index.ts";
import { AUTO_SHARDS_COOL_DOWN_MS, raiseShards } from "../registry/auto-shards.ts";
import { findModelVersion } from "../registry/versions.ts";
import { setRoundTripPolicy } from "./ingest-round-trip.ts";
import { forgetVersions } from "./resolve-version.ts";
import { DEFAULT_ROUND_TRIP_POLICY } from "./round-trips.ts";
import { ingestToShards } from "./shard-route.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const schema = [
  { name: "age", kind: "numerical", dtype: "float" },
  { name: "region", kind: "categorical", dtype: "string" },
];
/** Overloaded on every look (threshold 0, no sustained span): workerd's clock counts whole ms, so a small batch's measured work may be 0. */
const ALWAYS = { threshold: 0, windowMs: 1_000, sustainMs: 0 };
/** The object's own verdict off: its busy share would have to stay high for longer than any test runs. */
const NEVER = { threshold: 1, windowMs: 1_000, sustainMs: Number.MAX_SAFE_INTEGER, coolDownMs: 0 };

async function setup(model: string) {
  const { orgId, key } = await withDb(async (db) => {
    const org = await seedOrg(db);
    return { orgId: org.orgId, key: (await seedKey(db, org.orgId, ["admin"])).key };
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await exports.default.fetch(`http://vigil.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  expect((await call("POST", "/v1/models", { name: model, prediction_kind: "binary" })).status).toBe(201);
  const created = await call("POST", `/v1/models/${model}/versions`, { version: "v1", feature_schema: schema, shards: "auto" });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ shards: 1, shards_mode: "auto" });
  const stub = (shard: number) => testEnv.ModelMonitor.getByName(shardObjectName(monitorName(orgId, model, "v1"), shard)) as unknown as DurableObjectStub<ModelMonitorServer>;
  const ingest = (batchId: string, from: number, count = 100) =>
    call("POST", "/v1/ingest", {
      model, version: "v1", batch_id: batchId,
      events: Array.from({ length: count }, (_, i) => ({ prediction_id: `${batchId}-${from + i}`, timestamp: new Date().toISOString(), features: { age: 20 + ((from + i) % 50), region: i % 2 ? "north" : "south" }, prediction: i % 2, score: 0.4 })),
    });
  return { orgId, model, call, stub, ingest };
}

describe("the auto shard mode", () => {
  afterEach(() => setRoundTripPolicy());

  it("adds shards when an object stays overloaded, audited as the system, and counts every event once across the change", async () => {
    const { model, call, stub, ingest } = await setup(`auto-${Date.now()}`);
    // A long cool-down on the object: its first verdict is its only one here.
    await stub(0).setLoadPolicy({ ...ALWAYS, coolDownMs: 600_000 });

    const first = await ingest("a", 0);
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(100);
    const raised = (await call("GET", `/v1/models/${model}/versions/v1`)).body;
    expect(raised).toMatchObject({ shards: 2, shards_mode: "auto" });

    const audit = await call("GET", "/v1/audit?action=model_version.shards_auto");
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor: { type: "system", id: "auto-shards" }, target: { type: "model_version", id: raised.id }, details: { before: { shards: 1, shards_max: 1 }, after: { shards: 2, shards_max: 2 } } });

    // After the change: new batches split over 2 shards; retries of batches from before and after it count nothing again.
    for (const [id, from] of [["b", 100], ["c", 200]] as const) expect((await ingest(id, from)).body).toMatchObject({ accepted: 100, duplicate: false });
    expect((await ingest("a", 0)).body).toMatchObject({ accepted: 100, duplicate: true });
    expect((await ingest("b", 100)).body).toMatchObject({ duplicate: true });

    // Verdicts on every ingest now: the cool-down in Postgres allows no second step yet.
    await stub(0).setLoadPolicy({ ...ALWAYS, coolDownMs: 0 });
    await stub(1).setLoadPolicy({ ...ALWAYS, coolDownMs: 0 });
    expect((await ingest("d", 300)).body).toMatchObject({ accepted: 100, duplicate: false });
    expect((await call("GET", `/v1/models/${model}/versions/v1`)).body.shards).toBe(2);

    await runDurableObjectAlarm(stub(1));
    await runDurableObjectAlarm(stub(0));
    const own = await Promise.all([0, 1].map(async (i) => (await stub(i).stats()).work.events));
    expect(own[1]).toBeGreaterThan(0); // shard 1 holds rows of b, c and d
    expect(own[0]! + own[1]!).toBe(400);
    expect((await stub(0).stats()).totals.events).toBe(400); // the coordinator's merged count
    const stats = (await call("GET", `/v1/models/${model}/versions/v1/monitor-stats`)).body;
    expect(stats.totals.events).toBe(400);
    // The client's batches once each (a, b, c, d) and its two retries, however many shards held a part.
    expect(stats.totals).toMatchObject({ batches: 4, duplicateBatches: 2 });
    expect(stats.work.busyShare).toBeGreaterThanOrEqual(0); // the primary's own share over its last 5 s
    expect(stats.work.busyShare).toBeLessThan(1.1);
  });

  it("adds shards when the Worker's round trips to an object stay far above their floor, with the object's own verdict off, and counts every event once", async () => {
    const { model, call, stub, ingest } = await setup(`auto-rtt-${Date.now()}`);
    await stub(0).setLoadPolicy(NEVER);
    // Each look judges the call that just ended (a 1 ms window), at once; the floor and the 250 ms margin are the real ones.
    setRoundTripPolicy({ ...DEFAULT_ROUND_TRIP_POLICY, windowMs: 1, minSamples: 1, sustainMs: 0, coolDownMs: 600_000 });

    // Quick round trips (the object's real cost, a few ms here) set the floor and step nothing.
    for (const [id, from] of [["a", 0], ["b", 100], ["c", 200]] as const) expect((await ingest(id, from)).body).toMatchObject({ accepted: 100, duplicate: false });
    expect((await call("GET", `/v1/models/${model}/versions/v1`)).body.shards).toBe(1);

    // The object answers late, as one with a long queue does (an awaited timer in workerd; its own clock sees no work): one step.
    await stub(0).setIngestDelay(DEFAULT_ROUND_TRIP_POLICY.marginMs + 350);
    expect((await ingest("d", 300)).body).toMatchObject({ accepted: 100, duplicate: false });
    await stub(0).setIngestDelay(0);
    const raised = (await call("GET", `/v1/models/${model}/versions/v1`)).body;
    expect(raised).toMatchObject({ shards: 2, shards_mode: "auto" });
    const audit = (await call("GET", "/v1/audit?action=model_version.shards_auto")).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { type: "system", id: "auto-shards" }, target: { id: raised.id }, details: { before: { shards: 1 }, after: { shards: 2 } } });
    expect(audit[0].details.note).toContain("answered ingests far above its round-trip floor");
    expect(audit[0].details.note).not.toContain("busy-share");

    // Across the change: new batches split over 2 shards, retries count nothing again.
    expect((await ingest("e", 400)).body).toMatchObject({ accepted: 100, duplicate: false });
    expect((await ingest("d", 300)).body).toMatchObject({ accepted: 100, duplicate: true });
    expect((await ingest("a", 0)).body).toMatchObject({ accepted: 100, duplicate: true });
    await runDurableObjectAlarm(stub(1));
    await runDurableObjectAlarm(stub(0));
    expect((await stub(1).stats()).work.events).toBeGreaterThan(0);
    expect((await stub(0).stats()).totals.events).toBe(500);
  });

  it("an isolate still holding N = 1 after another raised it splits a retry as the first attempt was split", async () => {
    const { orgId, model, call, stub, ingest } = await setup(`stale-${Date.now()}`);
    expect((await ingest("w", 0)).body.accepted).toBe(100); // this isolate now holds the version at 1 shard for 60 s
    // Another isolate's step (straight in Postgres: this isolate's cache stays as it was).
    const fresh = { ...(await withDb(async (db) => (await findModelVersion(db, orgId, model, "v1"))!)), shards: 1 };
    expect(await withDb((db) => raiseShards(db, fresh, "test"))).toBe(2);
    // That isolate sends a batch whose rows all go to shard 1 under N = 2 (shard 0 gets none, so holds no record of it) ...
    const ids = Array.from({ length: 400 }, (_, i) => `e-${i}`).filter((id) => shardOf(id, 2) === 1).slice(0, 50);
    const events = ids.map((prediction_id, i) => ({ prediction_id, timestamp: Date.now(), features: { age: 30 + i, region: "north" }, prediction: 1, score: 0.4 }));
    const features = [{ name: "age", kind: "numerical" as const }, { name: "region", kind: "categorical" as const }];
    const first = await ingestToShards(testEnv, { ...fresh, shards: 2, shardsMax: 2 }, { identity: { orgId, model, version: "v1", predictionKind: "binary" }, features, batchId: "e", receivedAt: Date.now() }, columnsFromEvents(events, features));
    expect(first).toMatchObject({ duplicate: false, accepted: 50 });
    // ... and the client's retry reaches this one: an auto version's batch ids are claimed at any N, so it counts nothing.
    const retry = await call("POST", "/v1/ingest", { model, version: "v1", batch_id: "e", events: events.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString() })) });
    expect(retry.body).toMatchObject({ accepted: 50, duplicate: true });
    await runDurableObjectAlarm(stub(1));
    await runDurableObjectAlarm(stub(0));
    expect((await stub(0).stats()).totals.events).toBe(150);
  });

  it("a batch stored whole before a version was first split counts once when retried after it (fixed 1 → 2 by PATCH)", async () => {
    const { model, call, stub, ingest } = await setup(`split-later-${Date.now()}`);
    expect((await call("PATCH", `/v1/models/${model}/versions/v1`, { shards: 1 })).body).toMatchObject({ shards: 1, shards_mode: "fixed" });
    expect((await ingest("x", 0)).body).toMatchObject({ accepted: 100, duplicate: false }); // the single-object path: no claim
    expect((await call("PATCH", `/v1/models/${model}/versions/v1`, { shards: 2 })).body.shards).toBe(2);
    forgetVersions(); // this isolate reads the new N now (others would within 60 s)
    expect((await ingest("x", 0)).body).toMatchObject({ accepted: 100, duplicate: true });
    expect((await ingest("y", 100)).body).toMatchObject({ accepted: 100, duplicate: false });
    await runDurableObjectAlarm(stub(1));
    await runDurableObjectAlarm(stub(0));
    expect((await stub(1).stats()).work.events).toBeGreaterThan(0);
    expect((await stub(0).stats()).totals).toMatchObject({ events: 200, batches: 2, duplicateBatches: 1 });
  });

  it("steps once from the N it read: a stale read, a fixed version or 16 shards change nothing", async () => {
    const { orgId, model, call } = await setup(`auto-step-${Date.now()}`);
    const read = () => withDb(async (db) => (await findModelVersion(db, orgId, model, "v1"))!);
    const before = await read();
    expect(before).toMatchObject({ shards: 1, shardsMax: 1, shardsMode: "auto" });
    // Two Workers holding the same read: one step, not two.
    expect(await withDb(async (db) => [await raiseShards(db, before, "test"), await raiseShards(db, before, "test")])).toEqual([2, null]);
    // A fixed version never steps.
    expect((await call("PATCH", `/v1/models/${model}/versions/v1`, { shards: 4 })).body).toMatchObject({ shards: 4, shards_mode: "fixed" });
    expect(await withDb(async (db) => raiseShards(db, await read(), "test"))).toBeNull();
    // Back to auto from the N in effect: inside the cool-down the PATCH started, no step.
    expect((await call("PATCH", `/v1/models/${model}/versions/v1`, { shards: "auto" })).body).toMatchObject({ shards: 4, shards_mode: "auto" });
    expect(await withDb(async (db) => raiseShards(db, await read(), "test"))).toBeNull();
    // Once it has passed, one step, with shards_max; at 16, none.
    await withDb((db) => db.update(modelVersions).set({ shardsChangedAt: new Date(Date.now() - AUTO_SHARDS_COOL_DOWN_MS - 1_000) }).where(eq(modelVersions.id, before.versionId)));
    expect(await withDb(async (db) => raiseShards(db, await read(), "test"))).toBe(8);
    expect(await read()).toMatchObject({ shards: 8, shardsMax: 8, shardsMode: "auto" });
    expect(await withDb(async (db) => raiseShards(db, { ...(await read()), shards: 16 }, "test"))).toBeNull();
    expect((await call("GET", `/v1/models/${model}/versions/v1`)).body).toMatchObject({ shards: 8, shards_mode: "auto" });
  });
});
