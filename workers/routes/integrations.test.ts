// POST /v1/integrations/cloudevents with the payload loggers' own examples
// (../integrations/fixtures, sources cited there), through the Worker into the model
// version's Durable Object and its counts.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import kserveV1 from "../integrations/fixtures/kserve-v1-sklearn-iris.json";
import kserveV2 from "../integrations/fixtures/kserve-v2-sklearn-iris.json";
import seldon from "../integrations/fixtures/seldon-request-response.json";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

interface Half {
  headers: Record<string, string>;
  data: unknown;
}
interface Result {
  pair_id: string;
  status: string;
  waiting_for?: string;
  ingest?: { accepted: number; batch_id: string; duplicate: boolean; registered?: { feature_schema: { name: string }[] } };
  error?: { code: string; message: string };
}

let orgId = "";
let writeKey = "";
let ingestKey = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    writeKey = (await seedKey(db, orgId, ["ingest", "write"])).key;
    ingestKey = (await seedKey(db, orgId, ["ingest"])).key;
  });
});

function send(body: string, headers: Record<string, string>, query = "", key: string | null = writeKey) {
  return exports.default.fetch(`http://vigil.test/v1/integrations/cloudevents${query}`, {
    method: "POST",
    body,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });
}

/** Binary mode, as the KServe logger and the Seldon executor send. */
const binary = (half: Half, query = "", key: string | null = writeKey, rewrite: Record<string, string> = {}) =>
  send(JSON.stringify(half.data), { ...half.headers, ...rewrite }, query, key);

/** The same half as a structured-mode event. */
function structured(half: Half, rewrite: Record<string, string> = {}) {
  const attrs = Object.fromEntries(
    Object.entries({ ...half.headers, ...rewrite }).filter(([k]) => k.startsWith("ce-")).map(([k, v]) => [k.slice(3), v]),
  );
  return { ...attrs, datacontenttype: "application/json", data: half.data };
}

async function counted(model: string, version: string) {
  const stub = monitorStub(testEnv, orgId, model, version);
  await runDurableObjectAlarm(stub);
  return (await stub.stats()).totals;
}

describe("POST /v1/integrations/cloudevents", () => {
  it("KServe V1 (binary mode, the docs' example): the request waits, the response completes the pair, one event per instance", async () => {
    const first = await binary(kserveV1.request);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ pair_id: "0009174a-24a8-4603-b098-09c8799950e9", status: "waiting", waiting_for: "response" });
    const second = await binary(kserveV1.response);
    expect(second.status).toBe(200);
    const result = (await second.json()) as Result;
    expect(result).toMatchObject({ status: "ingested", ingest: { accepted: 2, batch_id: "ce:0009174a-24a8-4603-b098-09c8799950e9", duplicate: false } });
    expect(result.ingest!.registered!.feature_schema.map((f) => f.name)).toEqual(["f0", "f1", "f2", "f3"]);
    // Model from ce-inferenceservicename; the empty ce-endpoint gives version "default".
    expect((await counted("sklearn-iris", "default")).events).toBe(2);
  });

  it("a half re-sent after its pair was ingested is a duplicate and counts nothing again", async () => {
    const again = await binary(kserveV1.response);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    expect((await counted("sklearn-iris", "default")).events).toBe(2);
  });

  it("KServe V2 (Open Inference Protocol) in structured mode, response first, names from ?features=", async () => {
    const query = "?model=iris-v2&version=v1&features=sepal_length,sepal_width,petal_length,petal_width";
    const ce = { "content-type": "application/cloudevents+json" };
    const first = await send(JSON.stringify(structured(kserveV2.response)), ce, query);
    expect(await first.json()).toMatchObject({ status: "waiting", waiting_for: "request" });
    const second = await send(JSON.stringify(structured(kserveV2.request)), ce, query);
    const result = (await second.json()) as Result;
    expect(second.status).toBe(200);
    expect(result.ingest!.accepted).toBe(2);
    expect(result.ingest!.registered!.feature_schema.map((f) => f.name)).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    expect((await counted("iris-v2", "v1")).events).toBe(2);
  });

  it("Seldon (different ce-ids, paired by ce-requestid), the key in ?key=", async () => {
    const query = `?model=seldon-model&version=example&key=${ingestKey}`;
    // The version must exist for an ingest-only key: register it with the write key first.
    const register = await binary(seldon.request, "?model=seldon-model&version=example", writeKey, { "ce-requestid": "seed", "ce-id": "seed-req" });
    expect(register.status).toBe(202);
    await binary(seldon.response, "?model=seldon-model&version=example", writeKey, { "ce-requestid": "seed", "ce-id": "seed-res" });
    expect((await binary(seldon.request, query, null)).status).toBe(202);
    const done = await binary(seldon.response, query, null);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ pair_id: "11226d35-9679-40fe-a21b-d22bb55fbe0e", status: "ingested", ingest: { accepted: 1 } });
    expect((await counted("seldon-model", "example")).events).toBe(2);
  });

  it("batched mode: one result per event, a bad pair refused on its own", async () => {
    const ce = { "content-type": "application/cloudevents-batch+json" };
    const good = [structured(kserveV1.request, { "ce-id": "b-1" }), structured(kserveV1.response, { "ce-id": "b-1" })];
    const bad = [structured(kserveV1.request, { "ce-id": "b-2" }), { ...structured(kserveV1.response, { "ce-id": "b-2" }), data: { predictions: [1] } }];
    const res = await send(JSON.stringify([...good, ...bad]), ce, "?model=batched&version=v1");
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Result[] };
    expect(results.map((r) => r.status)).toEqual(["waiting", "ingested", "waiting", "refused"]);
    expect(results[3]!.error).toEqual({ code: "unmappable_payload", message: "the request holds 2 rows and the response 1 predictions", details: [{ field: "data", error: "the request holds 2 rows and the response 1 predictions" }] });
    expect((await counted("batched", "v1")).events).toBe(2);
  });

  it.each([
    ["an event type that is not an inference", { "ce-type": "dev.knative.example" }, 400, /^ce-type: "dev.knative.example" is not an inference request or response; accepted: org.kubeflow/],
    ["no ce-id", { "ce-id": "" }, 400, /^ce-id: required$/],
    ["a bad ce-time", { "ce-time": "yesterday" }, 400, /^ce-time: not an RFC 3339 time/],
    ["a non-JSON payload", { "content-type": "application/octet-stream" }, 415, /is not JSON/],
  ])("refuses %s with the one error body naming the attribute", async (_what, rewrite, status, message) => {
    const res = await binary(kserveV1.request, "?model=refusals&version=v1", writeKey, rewrite);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(message);
  });

  it("refuses a body that is not a CloudEvent (415), no model (400), and no key (401)", async () => {
    const plain = await send("{}", { "content-type": "application/json" });
    expect(plain.status).toBe(415);
    const noModel = await binary(kserveV1.request, "", writeKey, { "ce-inferenceservicename": "" });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: { message: string } }).error.message).toMatch(/^model \(query, or ce-inferenceservicename\): required/);
    expect((await binary(kserveV1.request, "", null)).status).toBe(401);
    expect((await binary(kserveV1.request, "?key=vgl_00000000_nope", null)).status).toBe(401);
  });

  it("an ingest-only key cannot register a version (404), and the half it offered never becomes events", async () => {
    await binary(kserveV1.request, "?model=unregistered&version=v1", ingestKey, { "ce-id": "u-1" });
    const res = await binary(kserveV1.response, "?model=unregistered&version=v1", ingestKey, { "ce-id": "u-1" });
    expect(res.status).toBe(404);
  });
});
