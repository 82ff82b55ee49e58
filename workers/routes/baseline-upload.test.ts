import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

// PUT …/baseline with a raw reference dataset (CSV, JSON Lines, a bare JSON array, gzip),
// against a version whose schema ingest inferred: age and income numerical, region categorical.

let orgId = "";
let key = "";
const MODEL = "uploads";
const path = (version: string, query = "") => `/v1/models/${MODEL}/versions/${version}/baseline${query}`;

const put = (url: string, body: BodyInit, headers: Record<string, string>) =>
  exports.default.fetch(`http://vigil.test${url}`, { method: "PUT", headers: { authorization: `Bearer ${key}`, ...headers }, body });
const get = (url: string) => exports.default.fetch(`http://vigil.test${url}`, { headers: { authorization: `Bearer ${key}` } });

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

type Summary = { format: string; rows: number; features: string[]; omitted_features: string[]; ignored_columns: string[]; prediction: boolean; calibration: unknown };
type Reply = { status: string; source: string; rows: number; baseline_id: string; baseline: { name: string; rows: number; active: boolean; features: string[] }; dataset: Summary };
type ErrorBody = { error: { code: string; message: string } };
type Feature = { name: string; kind: string; moments: { count: number; missing: number; type_violations?: number; mean?: number }; categories?: { values?: unknown; [k: string]: unknown } };
type Stored = { profile: { rows: number; features: Feature[]; prediction: Feature | null; calibration?: { x: number[]; y: number[]; rows: number } } };

async function ok(res: Response): Promise<Reply> {
  const body = (await res.json()) as Reply;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function failure(res: Response, status: number): Promise<ErrorBody["error"]> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body.error;
}

async function stored(version: string, id: string): Promise<Stored> {
  const res = await get(`/v1/models/${MODEL}/versions/${version}/baselines/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Stored;
}

const feature = (s: Stored, name: string) => s.profile.features.find((f) => f.name === name)!;

/** n rows of age, region, income, prediction (and an id column the schema lacks). */
function csvRows(n: number): string {
  const lines = ["id,age,region,income,prediction"];
  for (let i = 0; i < n; i++) lines.push(`r${i},${20 + (i % 40)},${["north", "south", "east"][i % 3]},${1000 + i * 10},${i % 2}`);
  return `${lines.join("\n")}\n`;
}

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write", "read"])).key;
  });
  for (const version of ["v1", "v2", "v3", "v4", "v5", "v6"]) {
    const events = Array.from({ length: 5 }, (_, i) => ({ prediction_id: `${version}-${i}`, features: { age: 30 + i, region: "north", income: 2000 + i }, prediction: i % 2 }));
    const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, version, events }),
    });
    expect(res.status).toBe(200);
  }
});

describe("PUT …/baseline with a raw dataset", () => {
  it("answers one of two concurrent uploads under the same name with 409, never 500", async () => {
    const statuses = await Promise.all([0, 1, 2].map(async () => (await put(path("v4", "?name=same-time"), csvRows(50), { "content-type": "text/csv" })).status));
    expect(statuses.sort()).toEqual([200, 409, 409]);
  });

  it("keeps a categorical feature's codes as written: 02134 stays the label ingest sends", async () => {
    const csv = "age,region,income,prediction\n30,02134,1000,1\n31,00501,1100,0\n32,02134,1200,1\n";
    const body = await ok(await put(path("v5"), csv, { "content-type": "text/csv" }));
    const region = feature(await stored("v5", body.baseline_id), "region");
    expect(region.kind).toBe("categorical");
    expect(JSON.stringify(region.categories)).toContain('"02134"');
    expect(JSON.stringify(region.categories)).toContain('"00501"');
    expect(JSON.stringify(region.categories)).not.toContain('"2134"');
  });

  it("profiles a CSV upload: quoted fields, empty cells as missing, CRLF, extra columns ignored; the monitor gets it", async () => {
    const csv =
      'id,age,region,income,prediction\r\n' +
      '1,34,"south, coast",52000,1\r\n' +
      '2,,north,61000.5,0\r\n' +
      '3,45,"say ""hi""",,1\r\n' +
      '4,29,"two\nlines",48000,0\r\n' +
      '5,51,north,,1\r\n';
    const res = await put(path("v1", "?name=reference%202026&note=from%20the%20training%20set"), csv, { "content-type": "text/csv; charset=utf-8" });
    const body = await ok(res);
    expect(body).toMatchObject({ status: "ready", source: "upload", rows: 5 });
    expect(body.dataset).toEqual({ format: "csv", rows: 5, features: ["age", "region", "income"], omitted_features: [], ignored_columns: ["id"], prediction: true, calibration: null });
    expect(body.baseline).toMatchObject({ name: "reference 2026", rows: 5, active: true, features: ["age", "region", "income"] });

    const profile = await stored("v1", body.baseline_id);
    expect(profile.profile.rows).toBe(5);
    expect(feature(profile, "age")).toMatchObject({ kind: "numerical", moments: { count: 4, missing: 1, mean: (34 + 45 + 29 + 51) / 4 } });
    expect(feature(profile, "income")).toMatchObject({ kind: "numerical", moments: { count: 3, missing: 2 } });
    const region = feature(profile, "region");
    expect(region).toMatchObject({ kind: "categorical", moments: { count: 5, missing: 0 } });
    expect(JSON.stringify(region.categories)).toContain('"south, coast"');
    expect(JSON.stringify(region.categories)).toContain('say \\"hi\\"');
    expect(JSON.stringify(region.categories)).toContain("two\\nlines");
    expect(profile.profile.prediction).toMatchObject({ name: "prediction", moments: { count: 5 } });

    const live = await monitorStub(testEnv, orgId, MODEL, "v1").live();
    expect(live.baseline).toMatchObject({ status: "ready", source: "upload", rows: 5 });
    expect(live.baseline.features.map((f) => f.name)).toEqual(["age", "region", "income"]);

    // The audit note says what was profiled, then the user's note.
    const adminKey = await withDb(async (db) => (await seedKey(db, orgId, ["admin"])).key);
    const audit = await exports.default.fetch(`http://vigil.test/v1/audit?target_id=${body.baseline_id}`, { headers: { authorization: `Bearer ${adminKey}` } });
    const notes = ((await audit.json()) as { items: { details: { note?: string } }[] }).items.map((a) => a.details.note ?? "");
    expect(notes.join("\n")).toMatch(/profiled from an uploaded CSV: 5 rows, 3 features and the prediction; columns ignored: id — from the training set/);
  });

  it("fits a score calibration from `score` and `actual` columns, and the live estimate uses it", async () => {
    // Over-confident scores: a row with score s is positive with probability s², not s.
    const lines = ["age,region,income,prediction,score,actual"];
    for (let i = 0; i < 1_000; i++) {
      const score = ((i * 7_919) % 1_000) / 1_000;
      const actual = ((i * 104_729) % 997) / 997 < score * score ? 1 : 0;
      lines.push(`${20 + (i % 40)},${["north", "south", "east"][i % 3]},${1000 + i},${score > 0.5 ? 1 : 0},${score},${actual}`);
    }
    const body = await ok(await put(path("v6"), `${lines.join("\n")}\n`, { "content-type": "text/csv" }));
    expect(body.dataset.ignored_columns).toEqual([]);
    expect(body.dataset.calibration).toMatchObject({ rows: 1_000 });
    const map = (await stored("v6", body.baseline_id)).profile.calibration!;
    expect(map.rows).toBe(1_000);
    const calibrated = (s: number) => {
      const i = map.x.findIndex((x) => x >= s);
      if (i <= 0) return map.y[Math.max(i, 0)]!;
      return map.y[i - 1]! + ((s - map.x[i - 1]!) * (map.y[i]! - map.y[i - 1]!)) / (map.x[i]! - map.x[i - 1]!);
    };
    expect(calibrated(0.8)).toBeLessThan(0.75);

    const events = Array.from({ length: 200 }, (_, i) => ({ prediction_id: `cal-${i}`, features: { age: 30, region: "north", income: 2000 }, prediction: 1, score: 0.8 }));
    const ingest = await exports.default.fetch("http://vigil.test/v1/ingest", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, version: "v6", events }),
    });
    expect(ingest.status).toBe(200);
    const stub = monitorStub(testEnv, orgId, MODEL, "v6");
    await runDurableObjectAlarm(stub);
    const estimate = (await stub.live()).windows.find((w) => w.window === "5m")!.estimated_performance!;
    // The upload's rows became the reference of the multivariate scores.
    expect((await stub.live()).multivariate).toMatchObject({ reference: "upload", rows: { reference: 1_000 } });
    // Raw scores would say 0.8; the calibrated probability is what the labels showed.
    expect(estimate.accuracy).toBeCloseTo(((5 * 0.5 + 200 * calibrated(0.8)) / 205), 1);
    expect(estimate.accuracy).toBeLessThan(0.75);
  });

  it("says why no calibration was fitted when the actuals cannot calibrate", async () => {
    const csv = "age,region,income,score,actual\n30,north,1000,0.4,1\n31,south,1100,0.6,0\n";
    const body = await ok(await put(path("v5", "?name=too-few-labels"), csv, { "content-type": "text/csv" }));
    expect(body.dataset.calibration).toEqual({ reason: expect.stringContaining("at least 100") });
  });

  it("profiles JSON Lines (blank lines skipped, a schema feature missing reported)", async () => {
    const jsonl = ['{"age": 30, "region": "north", "prediction": 1}', "", '{"age": 41, "region": "east", "prediction": 0, "extra": {"a": 1}}', '{"age": null, "region": "south"}'].join("\n");
    const body = await ok(await put(path("v2"), jsonl, { "content-type": "application/x-ndjson" }));
    expect(body.dataset).toEqual({ format: "jsonl", rows: 3, features: ["age", "region"], omitted_features: ["income"], ignored_columns: ["extra"], prediction: true, calibration: null });
    const profile = await stored("v2", body.baseline_id);
    expect(profile.profile.rows).toBe(3);
    expect(feature(profile, "age").moments).toMatchObject({ count: 2, missing: 1 });
    expect(profile.profile.features.map((f) => f.name)).toEqual(["age", "region"]);
    expect((await monitorStub(testEnv, orgId, MODEL, "v2").live()).baseline).toMatchObject({ status: "ready", rows: 3 });
    // application/jsonl names the same format.
    expect((await ok(await put(path("v2"), jsonl, { "content-type": "application/jsonl" }))).dataset.format).toBe("jsonl");
  });

  it("profiles a bare JSON array sent as application/json", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ age: 20 + i, region: i % 2 ? "a" : "b", income: i * 100 }));
    const body = await ok(await put(path("v3", "?name=array"), JSON.stringify(rows), { "content-type": "application/json" }));
    expect(body.dataset).toEqual({ format: "json", rows: 30, features: ["age", "region", "income"], omitted_features: [], ignored_columns: [], prediction: false, calibration: null });
    expect(body.baseline.name).toBe("array");
    const profile = await stored("v3", body.baseline_id);
    expect(profile.profile.prediction).toBeNull();
    expect(feature(profile, "income").moments.count).toBe(30);
  });

  it("inflates gzip uploads (CSV and JSON Lines)", async () => {
    const body = await ok(await put(path("v4"), await gzip(csvRows(2_000)), { "content-type": "text/csv", "content-encoding": "gzip" }));
    expect(body.dataset).toMatchObject({ format: "csv", rows: 2_000, ignored_columns: ["id"], prediction: true });
    expect((await stored("v4", body.baseline_id)).profile.rows).toBe(2_000);
    expect((await monitorStub(testEnv, orgId, MODEL, "v4").live()).baseline).toMatchObject({ status: "ready", rows: 2_000 });
    const jsonl = Array.from({ length: 500 }, (_, i) => JSON.stringify({ age: i, region: "x", income: i })).join("\n");
    expect((await ok(await put(path("v4"), await gzip(jsonl), { "content-type": "application/x-ndjson", "content-encoding": "gzip" }))).rows).toBe(500);
  });

  it("counts a stray label in a numerical CSV column as a type violation, and reads NA as missing", async () => {
    const body = await ok(await put(path("v5"), "age,region,income\n30,a,100\nunknown,b,NA\n40,a,300\n", { "content-type": "text/csv" }));
    const profile = await stored("v5", body.baseline_id);
    expect(feature(profile, "age").moments).toMatchObject({ count: 2, type_violations: 1 });
    expect(feature(profile, "income").moments).toMatchObject({ count: 2, missing: 1 });
  });

  it("still takes { rows } as a JSON object (profile and range bodies: monitoring.test.ts, ../baselines/range.test.ts)", async () => {
    const body = await ok(await put(path("v5"), JSON.stringify({ rows: [{ age: 1, region: "a", income: 2 }], name: "object rows" }), { "content-type": "application/json" }));
    expect(body.baseline.name).toBe("object rows");
    expect(body.dataset).toBeUndefined();
  });

  it.each([
    ["a CSV row with the wrong number of fields", "text/csv", "age,region,income\n1,a,2\n3,b\n", 400, "malformed_dataset", /row 2 \(line 3\): expected 3 fields, found 2/],
    ["an unclosed quote", "text/csv", 'age,region,income\n1,"a,2\n', 400, "malformed_dataset", /line 2: quoted field is never closed/],
    ["a JSON Lines line that is not JSON", "application/x-ndjson", '{"age":1}\n{"age":\n', 400, "malformed_dataset", /JSON Lines: line 2: not valid JSON/],
    ["a JSON array element that is not an object", "application/json", '[{"age":1},[2]]', 400, "malformed_dataset", /element 1: expected a JSON object/],
    ["a CSV with a header and no rows", "text/csv", "age,region,income\n", 400, "empty_dataset", /no data rows/],
    ["JSON Lines of blank lines", "application/x-ndjson", "\n\n", 400, "empty_dataset", /no rows/],
    ["an empty JSON array", "application/json", "[]", 400, "empty_dataset", /no rows/],
    ["no column of the schema", "text/csv", "a,b\n1,2\n", 422, "no_schema_columns", /expected age, region, income; found a, b/],
    ["a schema column with no values", "text/csv", "age,region\n,x\n,y\n", 400, "invalid_baseline", /column "age" has no values/],
    ["an unknown content type", "text/plain", "age\n1\n", 415, "unsupported_media_type", /text\/csv/],
    ["form encoding (curl -d without a content type)", "application/x-www-form-urlencoded", "age=1", 415, "unsupported_media_type", /application\/x-ndjson/],
  ])("refuses %s", async (_what, type, text, status, code, message) => {
    const error = await failure(await put(path("v5"), text, { "content-type": type }), status);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("refuses an empty body, bad gzip, an unknown encoding and an over-long name", async () => {
    expect((await failure(await put(path("v5"), "", { "content-type": "text/csv" }), 400)).message).toMatch(/empty/);
    expect((await failure(await put(path("v5"), "not gzip at all", { "content-type": "text/csv", "content-encoding": "gzip" }), 400)).message).toMatch(/not valid gzip/);
    expect((await failure(await put(path("v5"), "age\n1\n", { "content-type": "text/csv", "content-encoding": "br" }), 415)).code).toBe("unsupported_encoding");
    expect((await failure(await put(path("v5", `?name=${"n".repeat(201)}`), "age\n1\n", { "content-type": "text/csv" }), 400)).message).toMatch(/name: at most 200/);
    expect((await failure(await put("/v1/models/uploads/versions/nope/baseline", "age\n1\n", { "content-type": "text/csv" }), 404)).code).toBe("not_found");
  });

  it("refuses uploads past the size limits with 413", async () => {
    // A gzip body that inflates past 64 MB.
    const line = "41,north,52000\n";
    const bomb = await gzip(`age,region,income\n${line.repeat(Math.ceil((65 * 1024 * 1024) / line.length))}`);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const error = await failure(await put(path("v5"), bomb, { "content-type": "text/csv", "content-encoding": "gzip" }), 413);
    expect(error.message).toMatch(/inflated gzip body exceeds 67108864 bytes/);
    // A JSON array (parsed whole) past 16 M characters, sent gzip within ingest's limits.
    const row = '{"age":41,"region":"north","income":52000},';
    const big = await gzip(`[${row.repeat(Math.ceil((16 * 1024 * 1024) / row.length))}{"age":1}]`);
    const tooBig = await failure(await put(path("v5"), big, { "content-type": "application/json", "content-encoding": "gzip" }), 413);
    expect(tooBig.message).toMatch(/send the rows as CSV/);
  });

  it("is documented in /openapi.json: the body's content types, name and note in the query, the upload errors", async () => {
    const doc = (await (await exports.default.fetch("http://vigil.test/openapi.json")).json()) as {
      paths: Record<string, { put: { requestBody: { content: Record<string, unknown> }; parameters: { name: string; in: string }[]; responses: Record<string, unknown> } }>;
    };
    const op = doc.paths["/v1/models/{model}/versions/{version}/baseline"]!.put;
    // Every type uploadFormat accepts (JSON Lines and CSV under each of their names).
    expect(Object.keys(op.requestBody.content).sort()).toEqual([
      "application/csv", "application/json", "application/jsonl", "application/jsonlines", "application/ndjson", "application/x-jsonlines", "application/x-ndjson", "text/csv",
    ]);
    expect(op.parameters.filter((p) => p.in === "query").map((p) => p.name).sort()).toEqual(["name", "note"]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "409", "413", "415", "422"]));
  });
});
