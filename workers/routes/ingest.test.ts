import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { models, projects } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "../ingest/limits.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

interface Reply {
  accepted: number;
  rejected: { index: number; field: string; error: string }[];
  rejected_count: number;
  batch_id: string;
  duplicate: boolean;
  registered?: { feature_schema: { name: string; kind: string }[] };
}
interface ErrorReply {
  error: { code: string; message: string; details?: unknown };
}

let orgId = "";
let ingestKey = "";
let writeKey = "";
const MODEL = "credit";
const VERSION = "v1";

beforeAll(async () => {
  await withDb(async (db) => {
    const org = await seedOrg(db);
    orgId = org.orgId;
    ingestKey = (await seedKey(db, orgId, ["ingest"])).key;
    writeKey = (await seedKey(db, orgId, ["ingest", "write"])).key;
    await registerModelVersionFromIngest(db, {
      orgId, model: MODEL, version: VERSION, predictionKind: "binary",
      featureSchema: [
        { name: "age", kind: "numerical", dtype: "float" },
        { name: "region", kind: "categorical", dtype: "string" },
      ],
    });
  });
});

function post(body: BodyInit, init: { key?: string; type?: string; headers?: Record<string, string>; query?: string } = {}) {
  return exports.default.fetch(`http://vigil.test/v1/ingest${init.query ?? ""}`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${init.key ?? ingestKey}`, "content-type": init.type ?? "application/json", ...init.headers },
  });
}

const event = (i: number, features: Record<string, unknown> = { age: 30 + i, region: "north" }) => ({
  prediction_id: `e-${i}`, timestamp: new Date().toISOString(), features, prediction: i % 2, score: 0.3,
});
const batch = (events: unknown[], batchId?: string, model = MODEL, version = VERSION) =>
  JSON.stringify({ model, version, ...(batchId ? { batch_id: batchId } : {}), events });

describe("POST /v1/ingest", () => {
  it("serves 200 concurrent requests that share rate-limit leases, each counted once", async () => {
    // A warm key cache: 200 cold lookups at once would each open a Postgres connection.
    expect((await post(batch([event(0)], `warm-${Date.now()}`))).status).toBe(200);
    const stub = monitorStub(testEnv, orgId, MODEL, VERSION);
    await runDurableObjectAlarm(stub);
    const before = (await stub.stats()).totals.events;
    const statuses = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const res = await post(batch([event(i), event(i + 1)], `concurrent-${Date.now()}-${i}`));
      await res.body?.cancel();
      return res.status;
    }));
    expect(statuses).toEqual(new Array(200).fill(200));
    await runDurableObjectAlarm(stub);
    expect((await stub.stats()).totals.events - before).toBe(400);
  });

  it("reports keys events lacked and keys the schema does not know in the live window's data quality", async () => {
    const model = "mismatch";
    const register = await post(batch([event(0)], undefined, model), { key: writeKey });
    expect(register.status).toBe(200);
    const stub = monitorStub(testEnv, orgId, model, VERSION);
    await stub.setAutoBaselineTarget(1);
    await runDurableObjectAlarm(stub);
    // 10 events: 4 lack "region" entirely, 5 carry "annual_income" (a renamed feature), 2 of them also "promo".
    const events = Array.from({ length: 10 }, (_, i) => {
      const features: Record<string, unknown> = { age: 30 + i };
      if (i >= 4) features.region = "north";
      if (i % 2 === 0) features.annual_income = 50_000;
      if (i % 4 === 0 && i > 0) features.promo = "spring";
      return { ...event(100 + i), features };
    });
    expect(((await (await post(batch(events, undefined, model))).json()) as Reply).accepted).toBe(10);
    await runDurableObjectAlarm(stub);
    const w5 = (await stub.live()).windows.find((w) => w.window === "5m")!;
    // The window holds the registering event too (it has every key): 11 events.
    expect(w5.rows).toBe(11);
    expect(w5.quality!.absentRate.region).toBeCloseTo(4 / 11, 12);
    expect(w5.quality!.absentRate.age).toBe(0);
    expect(w5.quality!.unknownFeatureRate).toEqual({ annual_income: 5 / 11, promo: 2 / 11 });
  });

  it("accepts good events and rejects bad ones individually, naming index and field", async () => {
    const res = await post(batch([
      event(0),
      event(1, { age: "old", region: "north" }),
      event(2),
      { prediction_id: "x", features: { age: 1, region: "s" } },
      "not an event",
      { ...event(5), timestamp: "yesterday" },
      { ...event(6), score: 1.5 },
    ]));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, field: "features.age", error: "expected a number, got string" },
      { index: 3, field: "prediction", error: "required" },
      { index: 4, field: "(event)", error: "expected an object, got string" },
      { index: 5, field: "timestamp", error: 'expected an ISO 8601 time or Unix milliseconds, got "yesterday"' },
      { index: 6, field: "score", error: "probability must be within [0, 1], got 1.5" },
    ]);
    expect(body.rejected_count).toBe(5);
  });

  it.each([
    ["malformed JSON", "{not json", "application/json", 400, "malformed_body"],
    ["an array body", "[1,2]", "application/json", 400, "malformed_body"],
    ["a missing model", JSON.stringify({ version: "v1", events: [] }), "application/json", 400, "validation_failed"],
    ["a wrong content type", batch([event(0)]), "text/csv", 415, "unsupported_media_type"],
    ["an empty batch", batch([]), "application/json", 400, "validation_failed"],
  ])("answers %s with a clear 4xx", async (_what, body, type, status, code) => {
    const res = await post(body, { type });
    expect(res.status).toBe(status);
    expect(((await res.json()) as ErrorReply).error.code).toBe(code);
  });

  it("answers 422 when no event matches the schema", async () => {
    const res = await post(batch([event(0, { age: "x" }), event(1, { age: [] })]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorReply;
    expect(body.error.code).toBe("schema_mismatch");
    expect(body.error.message).toMatch(/events\[0\]\.features\.age: expected a number, got string/);
  });

  it("accepts gzip and NDJSON (a bad line rejected alone)", async () => {
    const gz = new Blob([batch([event(0), event(1)])]).stream().pipeThrough(new CompressionStream("gzip"));
    const zipped = await post(await new Response(gz).arrayBuffer(), { headers: { "content-encoding": "gzip" } });
    expect(zipped.status).toBe(200);
    expect(((await zipped.json()) as Reply).accepted).toBe(2);

    const ndjson = [JSON.stringify(event(0)), "{oops", "", JSON.stringify(event(1))].join("\n");
    const res = await post(ndjson, { type: "application/x-ndjson", query: `?model=${MODEL}&version=${VERSION}&batch_id=nd-1` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    expect(body.accepted).toBe(2);
    expect(body.batch_id).toBe("nd-1");
    expect(body.rejected).toEqual([{ index: 1, field: "(line)", error: expect.stringMatching(/^line is not valid JSON/) }]);

    const notGzip = await post("plain", { headers: { "content-encoding": "gzip" } });
    expect(notGzip.status).toBe(400);
  });

  it("answers 413 for a body over the byte limit and a batch over the event limit", async () => {
    const big = await post("x".repeat(MAX_BODY_BYTES + 1));
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorReply).error.code).toBe("payload_too_large");
    const many = await post(batch(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => 0)));
    expect(many.status).toBe(413);
    expect(((await many.json()) as ErrorReply).error.code).toBe("too_many_events");
  });

  it("reports a retried batch_id as a duplicate and counts it once", async () => {
    const events = [event(0), event(1), event(2)];
    const first = (await (await post(batch(events, "retry-1", MODEL, "v-dedupe"), { key: writeKey })).json()) as Reply;
    expect(first).toMatchObject({ accepted: 3, duplicate: false });
    const second = await post(batch(events, "retry-1", MODEL, "v-dedupe"), { key: writeKey });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ accepted: 3, duplicate: true, batch_id: "retry-1" });
    const stub = monitorStub(testEnv, orgId, MODEL, "v-dedupe");
    await runDurableObjectAlarm(stub);
    expect((await stub.stats()).totals.events).toBe(3);
  });

  it("registers an unknown version from a write key, infers its schema and says so", async () => {
    const denied = await post(batch([event(0)], undefined, "fraud", "v9"));
    expect(denied.status).toBe(404);
    expect(((await denied.json()) as ErrorReply).error.message).toMatch(/not registered; register it first/);
    const res = await post(batch([event(0), event(1, { age: 40, region: "south", flag: true })], undefined, "fraud", "v9"), { key: writeKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    expect(body.registered?.feature_schema.map((f) => [f.name, f.kind])).toEqual([["age", "numerical"], ["region", "categorical"], ["flag", "categorical"]]);
    // Known now, even to an ingest-only key.
    expect((await post(batch([event(2)], undefined, "fraud", "v9"))).status).toBe(200);
  });

  it("registers new models of a project-limited key in its own project, and keeps model-limited keys to their model", async () => {
    const { projectKey, projectId, modelKey } = await withDb(async (db) => {
      const [project] = await db.insert(projects).values({ orgId, slug: `p-${Date.now()}`, name: "Risk" }).returning();
      const [credit] = await db.select().from(models).where(and(eq(models.orgId, orgId), eq(models.name, MODEL)));
      return {
        projectId: project!.id,
        projectKey: (await seedKey(db, orgId, ["ingest", "write"], { projectId: project!.id })).key,
        modelKey: (await seedKey(db, orgId, ["ingest", "write"], { modelId: credit!.id })).key,
      };
    });
    expect((await post(batch([event(0)], undefined, "scoped-model", "v1"), { key: projectKey })).status).toBe(200);
    const [created] = await withDb((db) => db.select().from(models).where(and(eq(models.orgId, orgId), eq(models.name, "scoped-model"))));
    expect(created!.projectId).toBe(projectId);
    // The same key keeps seeing what it registered.
    expect((await post(batch([event(1)], undefined, "scoped-model", "v1"), { key: projectKey })).status).toBe(200);
    // A key limited to "credit" may add a version to it, but not create another model.
    expect((await post(batch([event(0)], undefined, MODEL, "v2-from-model-key"), { key: modelKey })).status).toBe(200);
    expect((await post(batch([event(0)], undefined, "not-my-model", "v1"), { key: modelKey })).status).toBe(404);
    const stray = await withDb((db) => db.select().from(models).where(and(eq(models.orgId, orgId), eq(models.name, "not-my-model"))));
    expect(stray).toEqual([]);
  });

  it("refuses a missing key (401) and a key without the ingest scope (403)", async () => {
    const readKey = await withDb(async (db) => (await seedKey(db, orgId, ["read"])).key);
    expect((await exports.default.fetch("http://vigil.test/v1/ingest", { method: "POST", body: batch([event(0)]) })).status).toBe(401);
    expect((await post(batch([event(0)]), { key: readKey })).status).toBe(403);
  });
});
