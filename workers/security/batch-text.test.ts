// Unstorable text (NUL, lone surrogates) in the routes whose bodies are parsed by hand
// rather than by the OpenAPI validator: the envelope gets a 400 naming the field, and each
// record holding such text is rejected on its own, naming its field, like any other bad
// value; a reference dataset holding it gets a 400 naming the column. Before, such events
// were stored, and such outcomes and baselines reached Postgres (500).
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";

let ingestKey = "";
let writeKey = "";

beforeAll(async () => {
  await withDb(async (db) => {
    const { orgId } = await seedOrg(db);
    ingestKey = (await seedKey(db, orgId, ["ingest"])).key;
    writeKey = (await seedKey(db, orgId, ["ingest", "write"])).key;
    await registerModelVersionFromIngest(db, {
      orgId, model: "texts", version: "v1", predictionKind: "binary",
      featureSchema: [{ name: "a", kind: "numerical", dtype: "float" }, { name: "b", kind: "categorical", dtype: "string" }],
    });
  });
});

async function send(path: string, body: string, key = ingestKey, type = "application/json") {
  const res = await exports.default.fetch(`http://vigil.test${path}`, { method: "POST", body, headers: { authorization: `Bearer ${key}`, "content-type": type } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details: Array<{ field: string }> }; rejected?: Array<{ index: number; field: string; error: string }>; accepted?: number; registered?: { feature_schema: Array<{ name: string }> } } };
}

const NUL = /NUL character/;
const LONE = /lone surrogate/;

describe("unstorable text in batch bodies", () => {
  it("rejects each event holding it, naming the field, and keeps the rest", async () => {
    const events = [
      { prediction_id: "ok", features: { a: 1, b: "x" }, prediction: 1 },
      { prediction_id: "nul", features: { a: 1, b: "x\u0000y" }, prediction: 1 },
      { prediction_id: "lone-\ud800", features: { a: 1, b: "x" }, prediction: 1 },
      { prediction_id: "key", features: { a: 1, b: "x", "bad\u0000key": 2 }, prediction: 1 },
      { prediction_id: "seg", features: { a: 1, b: "x" }, prediction: 1, segment: { region: "\udc00" } },
    ];
    const { status, body } = await send("/v1/ingest", JSON.stringify({ model: "texts", version: "v1", events }));
    expect(status).toBe(200);
    expect(body.accepted).toBe(1);
    expect(body.rejected?.map((r) => [r.index, r.field])).toEqual([[1, "features.b"], [2, "prediction_id"], [3, "features"], [4, "segment.region"]]);
    expect(body.rejected?.[0]?.error).toMatch(NUL);
    expect(body.rejected?.[1]?.error).toMatch(LONE);
    expect(body.rejected?.[2]?.error).toMatch(/^a key .*NUL/);
  });

  it("refuses an envelope holding it with a 400 naming the field, in JSON and in the NDJSON query", async () => {
    const json = await send("/v1/ingest", JSON.stringify({ model: "texts\u0000", version: "v1", events: [{ prediction_id: "p", features: { a: 1 }, prediction: 1 }] }));
    expect(json.status).toBe(400);
    expect(json.body.error?.details.map((d) => d.field)).toEqual(["model"]);
    const ndjson = await send("/v1/ingest?model=texts%00&version=v1", '{"prediction_id":"p","features":{"a":1},"prediction":1}\n', ingestKey, "application/x-ndjson");
    expect(ndjson.status).toBe(400);
    expect(ndjson.body.error?.message).toMatch(/^invalid query: model: .*NUL/);
  });

  it("rejects such NDJSON lines on their own", async () => {
    const lines = ['{"prediction_id":"ok","features":{"a":1,"b":"x"},"prediction":1}', '{"prediction_id":"bad","features":{"a":1,"b":"\\u0000"},"prediction":1}'];
    const { status, body } = await send("/v1/ingest?model=texts&version=v1", lines.join("\n"), ingestKey, "application/x-ndjson");
    expect(status).toBe(200);
    expect(body.rejected?.map((r) => [r.index, r.field])).toEqual([[1, "features.b"]]);
  });

  it("rejects such actuals and outcomes record by record", async () => {
    const actuals = await send("/v1/actuals", JSON.stringify({ model: "texts", version: "v1", actuals: [{ prediction_id: "p\u0000", actual: 1 }, { prediction_id: "p", actual: "\ud800" }] }));
    expect(actuals.status).toBe(200);
    expect(actuals.body.rejected?.map((r) => [r.index, r.field])).toEqual([[0, "prediction_id"], [1, "actual"]]);
    const outcomes = await send("/v1/outcomes", JSON.stringify({ model: "texts", outcomes: [{ kpi: "revenue\u0000", value: 1, timestamp: "2026-11-26T10:00:00Z" }, { kpi: "revenue", value: 2, timestamp: "2026-11-26T10:00:00Z" }] }));
    expect(outcomes.status).toBe(200);
    expect(outcomes.body.accepted).toBe(1);
    expect(outcomes.body.rejected?.map((r) => [r.index, r.field])).toEqual([[0, "kpi"]]);
    const envelope = await send("/v1/outcomes", JSON.stringify({ model: "texts", batch_id: "b\ud800", outcomes: [{ kpi: "k", value: 1, timestamp: "2026-11-26T10:00:00Z" }] }));
    expect(envelope.status).toBe(400);
    expect(envelope.body.error?.details.map((d) => d.field)).toEqual(["batch_id"]);
  });

  it.each([
    ["text/csv", "a,b\n1,x\u0000y\n2,z\n", "b"],
    ["text/csv", "a,b,c\u0000\n1,x,1\n", "(columns)"],
    ["application/x-ndjson", '{"a":1,"b":"x\\ud800"}\n{"a":2,"b":"z"}\n', "b"],
    ["application/json", '[{"a":1,"b":"x\\u0000"},{"a":2,"b":"z"}]', "b"],
  ])("refuses a %s reference dataset holding it with a 400 naming the column", async (type, body, field) => {
    const res = await exports.default.fetch("http://vigil.test/v1/models/texts/versions/v1/baseline", { method: "PUT", body, headers: { authorization: `Bearer ${writeKey}`, "content-type": type } });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; details: Array<{ field: string; error: string }> } };
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.details[0]?.field).toBe(field);
  });

  it("leaves feature names holding it out of a schema inferred by ingest", async () => {
    const events = [
      { prediction_id: "1", features: { ok: 1 }, prediction: 1 },
      { prediction_id: "2", features: { ok: 2, "\ud800": 3 }, prediction: 0 },
    ];
    const { status, body } = await send("/v1/ingest", JSON.stringify({ model: "texts", version: "inferred", events }), writeKey);
    expect(status).toBe(200);
    expect(body.registered?.feature_schema.map((f) => f.name)).toEqual(["ok"]);
    expect(body.rejected?.map((r) => [r.index, r.field])).toEqual([[1, "features"]]);
  });
});
