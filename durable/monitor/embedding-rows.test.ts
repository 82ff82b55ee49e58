// Live embedding drift through the real Worker and Durable Object: 256-wide vectors sent to
// POST /v1/ingest are validated, projected to 64 components, frozen into the first-events
// baseline's sample, and scored against the recent rows; a shift of the vectors' mean is
// flagged by all three methods, a fresh draw from the same distribution by none.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";
import { monitorStub } from "../../workers/ingest/monitor-stub.ts";
import { registerModelVersionFromIngest } from "../../workers/registry/versions.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { EMBEDDING_MIN_ROWS, EMBEDDING_ROWS } from "./embedding-rows.ts";

const DIMENSION = 256;
let orgId = "";
let key = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write"])).key;
  });
});

async function version(name: string) {
  await withDb((db) =>
    registerModelVersionFromIngest(db, {
      orgId, model: name, version: "v1", predictionKind: "binary",
      featureSchema: [
        { name: "age", kind: "numerical", dtype: "float" },
        { name: "text", kind: "embedding", dtype: "float", dimension: DIMENSION },
      ],
    }),
  );
  const stub = monitorStub(testEnv, orgId, name, "v1");
  await stub.setAutoBaselineTarget(EMBEDDING_ROWS);
  return stub;
}

/** Vectors whose components are N(shift, 1) around a fixed random direction. */
function events(n: number, seed: number, shift: number, prefix: string) {
  const normal = normalFrom(mulberry32(seed));
  const direction = Array.from({ length: DIMENSION }, (_, i) => Math.sin(i));
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    features: { age: 40 + 10 * normal(), text: direction.map((d) => d + shift + normal()) },
    prediction: i % 2,
  }));
}

async function send(model: string, list: unknown[]) {
  for (let at = 0; at < list.length; at += 1_000) {
    const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, version: "v1", events: list.slice(at, at + 1_000) }),
    });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  }
}

const scoreNow = (stub: ReturnType<typeof monitorStub>) =>
  runInDurableObject(stub as unknown as DurableObjectStub<ModelMonitor>, (instance: ModelMonitor) => {
    instance.monitor.scoreJointNow(Date.now());
    return instance.monitor.embeddings.views;
  });

describe("embedding drift in the live monitor", () => {
  it("flags a shifted embedding by every method, and says what it compared", async () => {
    const model = `emb-shift-${Date.now()}`;
    const stub = await version(model);
    await send(model, events(EMBEDDING_ROWS, 1, 0, "r"));
    await runDurableObjectAlarm(stub);
    expect((await stub.live()).baseline.status).toBe("ready");
    await send(model, events(EMBEDDING_ROWS, 2, 0.15, "s"));
    await runDurableObjectAlarm(stub);
    const [view, ...others] = await scoreNow(stub);
    expect(others).toEqual([]);
    expect(view).toMatchObject({ feature: "text", dimension: DIMENSION, components: 64, reference: "first_events", rows: { reference: EMBEDDING_ROWS }, drifted: true });
    // At this rate the current rows are thinned as the multivariate ones are (joint-rows.ts).
    expect(view!.rows.current).toBeGreaterThanOrEqual(EMBEDDING_MIN_ROWS);
    expect(view!.rows.current).toBeLessThanOrEqual(EMBEDDING_ROWS);
    expect(view!.methods.model.drifted).toBe(true);
    expect(view!.methods.model.score).toBeGreaterThan(0.6);
    expect(view!.methods.distance.drifted).toBe(true);
    expect(view!.methods.ratio.drifted).toBe(true);
    // The live payload and the socket carry it.
    expect((await stub.live()).embeddings).toEqual([view]);
  });

  it("stays quiet on a fresh draw from the baseline's distribution", async () => {
    const model = `emb-null-${Date.now()}`;
    const stub = await version(model);
    await send(model, events(EMBEDDING_ROWS, 3, 0, "r"));
    await runDurableObjectAlarm(stub);
    await send(model, events(EMBEDDING_ROWS, 4, 0, "n"));
    await runDurableObjectAlarm(stub);
    const [view] = await scoreNow(stub);
    expect(view).toMatchObject({ feature: "text", drifted: false });
    expect(view!.methods.distance.drifted).toBe(false);
    expect(view!.methods.ratio.drifted).toBe(false);
  });

  it("refuses a vector of the wrong length or with a non-number, naming the field, and keeps the batch's good events", async () => {
    const model = `emb-bad-${Date.now()}`;
    const stub = await version(model);
    const good = events(1, 5, 0, "g")[0]!;
    const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model, version: "v1",
        events: [
          good,
          { ...good, prediction_id: "short", features: { age: 1, text: [1, 2, 3] } },
          { ...good, prediction_id: "text", features: { age: 1, text: [...good.features.text.slice(1), "x"] } },
          { ...good, prediction_id: "scalar", features: { age: 1, text: 0.5 } },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; field: string; error: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { index: 1, field: "features.text", error: `expected ${DIMENSION} components, got 3` },
      { index: 2, field: `features.text[${DIMENSION - 1}]`, error: "expected a number, got string" },
      { index: 3, field: "features.text", error: `expected an array of ${DIMENSION} numbers, got number` },
    ]);
  });
});
