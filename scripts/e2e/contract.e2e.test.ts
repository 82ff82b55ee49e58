// The ingest side of the API against its own /openapi.json, through Stoplight Prism
// (contract-proxy.ts): every operation (ingest as JSON and NDJSON, actuals, outcomes, each
// kind of baseline body, live, monitor-stats, metrics; the registry's models, versions and
// baselines) and the errors each documents are driven against `npm start`, and Prism must find no request or response that breaks the
// document. Where a request breaks the contract on purpose (no credentials, an empty
// batch, a content type the route does not take), the document must say so too (Prism
// flags the request) and the server must refuse it with a response the document declares.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchStack, type Stack } from "../testing/stack.ts";
import { startContractProxy, type ContractProxy, type Violation } from "./contract-proxy.ts";

let stack: Stack;
let proxy: ContractProxy;
const MODEL = "contract";
const version = `/v1/models/${MODEL}/versions/v1`;

beforeAll(async () => {
  stack = await launchStack();
  proxy = await startContractProxy(stack.base);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

afterEach(() => {
  expect(proxy.takeViolations()).toEqual([]);
});

const auth = () => ({ authorization: `Bearer ${stack.adminKey}` });

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, options?: { expectViolations?: boolean }) {
  const json = body !== undefined && typeof body !== "string";
  return proxy.fetch(
    path,
    { method, headers: { ...auth(), ...(json ? { "content-type": "application/json" } : {}), ...headers }, ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : (body as string) }) },
    options,
  );
}

/** A request the document refuses (Prism flags it) whose refusal the document also declares (no response violation). */
function refusedByContract(violations: Violation[], code: string | number) {
  expect(violations.map((v) => v.location[0])).not.toContain("response");
  expect(violations.map((v) => v.code)).toContain(code);
}

function events(n: number, prefix: string, shift = 0) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    prediction_id: `${prefix}-${i}`,
    // Both forms the document allows: ISO 8601 and Unix milliseconds.
    timestamp: i % 2 === 0 ? new Date(now - i).toISOString() : now - i,
    features: { age: 20 + ((i * 7) % 40) + shift, region: ["north", "south", "east"][i % 3] },
    prediction: i % 2,
    score: (i % 10) / 10,
    latency_ms: 5 + (i % 7),
    segment: { channel: i % 2 ? "web" : "app", tier: i % 3 },
  }));
}

describe("the ingest side through a validating proxy (Prism) against /openapi.json", () => {
  it("ingest: JSON with ISO and Unix-ms timestamps, NDJSON, a duplicate, a batch nothing in which matches the schema", async () => {
    const first = await send("POST", "/v1/ingest", { model: MODEL, version: "v1", batch_id: "c-1", events: events(300, "a") });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 300, rejected_count: 0, registered: { model: MODEL, version: "v1" } });
    const again = await send("POST", "/v1/ingest", { model: MODEL, version: "v1", batch_id: "c-1", events: events(300, "a") });
    expect(await again.json()).toMatchObject({ duplicate: true });
    const lines = events(50, "nd").map((e) => JSON.stringify(e)).join("\n");
    const ndjson = await send("POST", `/v1/ingest?model=${MODEL}&version=v1&batch_id=c-nd`, lines, { "content-type": "application/x-ndjson" });
    expect(ndjson.status).toBe(200);
    expect(await ndjson.json()).toMatchObject({ accepted: 50 });
    // Valid for the document (feature values are the version schema's business), refused by the schema.
    const mismatch = await send("POST", "/v1/ingest", { model: MODEL, version: "v1", events: [{ prediction_id: "x", features: { age: "old" }, prediction: 1 }] });
    expect(mismatch.status).toBe(422);
  });

  it("ingest refusals the document states: no credentials, an empty batch, an unsupported media type, a key without the ingest scope", async () => {
    const anonymous = await proxy.fetch("/v1/ingest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, version: "v1", events: events(1, "anon") }) }, { expectViolations: true });
    expect(anonymous.status).toBe(401);
    refusedByContract(anonymous.violations, 401);
    const empty = await send("POST", "/v1/ingest", { model: MODEL, version: "v1", events: [] }, {}, { expectViolations: true });
    expect(empty.status).toBe(400);
    refusedByContract(empty.violations, "minItems");
    const text = await send("POST", "/v1/ingest", "model=contract", { "content-type": "text/plain" }, { expectViolations: true });
    expect(text.status).toBe(415);
    refusedByContract(text.violations, 415);
    const created = await send("POST", "/v1/keys", { name: "reader", scopes: ["read"] });
    expect(created.status).toBe(201);
    const reader = ((await created.json()) as { key: string }).key;
    const forbidden = await send("POST", "/v1/ingest", { model: MODEL, version: "v1", events: events(1, "r") }, { authorization: `Bearer ${reader}` });
    expect(forbidden.status).toBe(403);
  });

  it("baselines: CSV, JSON Lines, a JSON array, rows, a name taken, then a range of production traffic", async () => {
    const csv = "age,region,prediction\n" + Array.from({ length: 200 }, (_, i) => `${20 + (i % 40)},${["north", "south", "east"][i % 3]},${i % 2}`).join("\n");
    const fromCsv = await send("PUT", `${version}/baseline?name=csv-ref&note=contract`, csv, { "content-type": "text/csv" });
    expect(fromCsv.status).toBe(200);
    expect(await fromCsv.json()).toMatchObject({ status: "ready", dataset: { format: "csv", rows: 200 } });
    const taken = await send("PUT", `${version}/baseline?name=csv-ref`, csv, { "content-type": "text/csv" });
    expect(taken.status).toBe(409);
    const rows = Array.from({ length: 100 }, (_, i) => ({ age: 30 + (i % 20), region: ["north", "south"][i % 2], prediction: i % 2 }));
    const jsonl = await send("PUT", `${version}/baseline?name=jsonl-ref`, rows.map((r) => JSON.stringify(r)).join("\n"), { "content-type": "application/x-ndjson" });
    expect(jsonl.status).toBe(200);
    const array = await send("PUT", `${version}/baseline?name=array-ref`, rows);
    expect(array.status).toBe(200);
    const fromRows = await send("PUT", `${version}/baseline`, { rows, name: "rows-ref" });
    expect(fromRows.status).toBe(200);
    const unknownType = await send("PUT", `${version}/baseline`, "age\n1", { "content-type": "text/plain" }, { expectViolations: true });
    expect(unknownType.status).toBe(415);
    refusedByContract(unknownType.violations, 415);

    // Traffic counted against the rows baseline can be frozen once the monitor has counted it (422 until then).
    expect((await send("POST", "/v1/ingest", { model: MODEL, version: "v1", batch_id: "c-2", events: events(500, "b", 5) })).status).toBe(200);
    const range = { from: new Date(Date.now() - 600_000).toISOString(), to: Date.now(), name: "frozen" };
    let frozen = await send("PUT", `${version}/baseline`, range);
    for (let i = 0; frozen.status === 422 && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 500));
      frozen = await send("PUT", `${version}/baseline`, { ...range, to: Date.now(), name: `frozen-${i}` });
    }
    expect(frozen.status).toBe(200);
    expect(await frozen.json()).toMatchObject({ range: { rows: expect.any(Number) } });
  }, 60_000);

  it("actuals and outcomes", async () => {
    const actuals = await send("POST", "/v1/actuals", {
      model: MODEL, version: "v1",
      actuals: [{ prediction_id: "a-1", actual: 1 }, { prediction_id: "a-2", actual: 0, timestamp: Date.now() }, { prediction_id: "nope", actual: 1, timestamp: new Date().toISOString() }],
    });
    expect(actuals.status).toBe(200);
    expect(await actuals.json()).toMatchObject({ matched: 2, unmatched: 1, unmatched_ids: ["nope"] });
    const outcomes = await send("POST", "/v1/outcomes", {
      model: MODEL, batch_id: "o-1",
      outcomes: [{ kpi: "revenue", value: 12.5 }, { kpi: "revenue", value: 3, timestamp: Date.now(), prediction_id: "a-1" }, { kpi: "churn", value: 0, timestamp: new Date().toISOString() }],
    });
    expect(outcomes.status).toBe(200);
    expect(await outcomes.json()).toMatchObject({ accepted: 3, rejected_count: 0 });
    const unknown = await send("POST", "/v1/actuals", { model: MODEL, version: "v9", actuals: [{ prediction_id: "a-1", actual: 1 }] });
    expect(unknown.status).toBe(404);
  });

  it("live snapshot, monitor stats and the stored history", async () => {
    const live = await send("GET", `${version}/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ type: "snapshot", model: MODEL, version: "v1" });
    const stats = await send("GET", `${version}/monitor-stats`);
    expect(stats.status).toBe(200);
    let history = await send("GET", `${version}/metrics?window=5m`);
    for (let i = 0; i < 30 && ((await history.clone().json()) as { points: unknown[] }).points.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      history = await send("GET", `${version}/metrics?window=5m`);
    }
    expect(((await history.json()) as { points: unknown[] }).points.length).toBeGreaterThan(0);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    expect((await send("GET", `${version}/metrics?window=24h&from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`)).status).toBe(200);
    expect((await send("GET", `/v1/models/${MODEL}/versions/v9/live`)).status).toBe(404);
  }, 30_000);

  it("registry: models, versions (with promotion) and stored baselines", async () => {
    const model = await send("POST", "/v1/models", { name: "contract-reg", prediction_kind: "binary", tags: { team: "risk" } });
    expect(model.status).toBe(201);
    expect((await send("POST", "/v1/models", { name: "contract-reg", prediction_kind: "binary" })).status).toBe(409);
    expect((await send("GET", "/v1/models?limit=5&sort=name")).status).toBe(200);
    expect((await send("GET", "/v1/models/contract-reg")).status).toBe(200);
    expect((await send("PATCH", "/v1/models/contract-reg", { description: "contract test", note: "why" })).status).toBe(200);
    expect((await send("GET", "/v1/models/nope")).status).toBe(404);
    const features = [{ name: "age", kind: "numerical", dtype: "float" }, { name: "region", kind: "categorical", dtype: "string" }];
    expect((await send("POST", "/v1/models/contract-reg/versions", { version: "v1", feature_schema: features })).status).toBe(201);
    expect((await send("GET", "/v1/models/contract-reg/versions")).status).toBe(200);
    expect((await send("GET", "/v1/models/contract-reg/versions/v1")).status).toBe(200);
    expect((await send("PATCH", "/v1/models/contract-reg/versions/v1", { description: "first" })).status).toBe(200);
    expect((await send("POST", "/v1/models/contract-reg/versions/v1/promote", { stage: "production" })).status).toBe(200);
    const reg = "/v1/models/contract-reg/versions/v1/baselines";
    const rows = Array.from({ length: 50 }, (_, i) => ({ age: 20 + i, region: ["north", "south"][i % 2] }));
    expect((await send("PUT", "/v1/models/contract-reg/versions/v1/baseline", { rows, name: "from-rows" })).status).toBe(200);
    const listed = await send("GET", reg);
    expect(listed.status).toBe(200);
    const [first] = ((await listed.json()) as { items: { id: string; name: string }[] }).items;
    const one = await send("GET", `${reg}/${first!.id}`);
    expect(one.status).toBe(200);
    const { profile } = (await one.json()) as { profile: Record<string, unknown> };
    const stored = await send("POST", reg, { name: "copy", profile, activate: false });
    expect(stored.status).toBe(201);
    const { id } = (await stored.json()) as { id: string };
    expect((await send("POST", `${reg}/${id}/activate`, { note: "back to the copy" })).status).toBe(200);
  });
});
