import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let key = "";
const MODEL = "frozen";
const path = `/v1/models/${MODEL}/versions/v1/baseline`;
const call = (method: string, url: string, body?: unknown) =>
  exports.default.fetch(`http://vigil.test${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Production traffic: x ~ uniform(0, 100) + shift, c in three regions, a binary prediction. */
function traffic(seed: number, n: number, prefix: string, shift = 0) {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = rand() * 100 + shift;
    return { prediction_id: `${prefix}-${i}`, features: { x, c: ["north", "south", "east"][Math.floor(rand() * 3)] }, prediction: x > 50 ? 1 : 0 };
  });
}

async function ingest(events: ReturnType<typeof traffic>) {
  for (let i = 0; i < events.length; i += 1_000) {
    const res = await call("POST", "/v1/ingest", { model: MODEL, version: "v1", events: events.slice(i, i + 1_000) });
    expect(res.status).toBe(200);
  }
}

type ErrorBody = { error: { code: string; message: string; details?: { field: string; error: string }[] } };
type Frozen = {
  status: string;
  rows: number;
  baseline_id: string;
  baseline: { id: string; rows: number; active: boolean; name: string };
  range: { requested_from: string; covered_from: string; covered_to: string; rows: number; events: number; minute_buckets: number; hour_buckets: number; omitted_features: string[]; rank_error: number };
};

let start = 0;

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write", "read"])).key;
  });
  start = Date.now();
  await ingest(traffic(1, 10, "reg")); // registers the version
  await runDurableObjectAlarm(monitorStub(testEnv, orgId, MODEL, "v1")); // counted before the upload below
  // An uploaded baseline far from production: x shifted by 40.
  const rows = traffic(2, 500, "ref", 40).map((e) => ({ ...e.features, prediction: e.prediction }));
  expect((await call("PUT", path, { rows })).status).toBe(200);
});

describe("PUT …/baseline with { from, to }", () => {
  it("freezes the range's production traffic as the baseline; the same distribution then shows no drift", async () => {
    await ingest(traffic(3, 3_000, "a"));
    const stub = monitorStub(testEnv, orgId, MODEL, "v1");
    await runDurableObjectAlarm(stub);
    const before = (await stub.live()).windows.find((w) => w.window === "5m")!;
    expect(before.features.find((f) => f.feature === "x")!.drifted).toBe(true); // against the shifted upload

    const res = await call("PUT", path, { from: new Date(start - 60_000).toISOString(), to: Date.now(), note: "last release" });
    const body = (await res.json()) as Frozen;
    expect(res.status, JSON.stringify(body)).toBe(200);
    // Exactly the events counted since the upload: the 10 that registered the version came before it.
    expect(body.range.rows).toBe(3_000);
    expect(body.range.events).toBe(3_010);
    expect(body).toMatchObject({ status: "ready", source: "upload", rows: 3_000 });
    expect(body.baseline).toMatchObject({ id: body.baseline_id, rows: 3_000, active: true });
    expect(body.range.minute_buckets).toBeGreaterThanOrEqual(1);
    expect(body.range.hour_buckets).toBe(0);
    expect(body.range.omitted_features).toEqual([]);
    expect(Date.parse(body.range.covered_from)).toBeLessThanOrEqual(start);
    expect(Date.parse(body.range.covered_to)).toBeLessThanOrEqual(Date.now());
    expect(body.baseline.name).toBe(`production ${body.range.covered_from} – ${body.range.covered_to}`);

    // Stored in Postgres with its profile, and audited with a note saying where it came from.
    const stored = (await (await call("GET", `/v1/models/${MODEL}/versions/v1/baselines/${body.baseline_id}`)).json()) as { profile: { rows: number; features: { name: string }[] } };
    expect(stored.profile.rows).toBe(3_000);
    expect(stored.profile.features.map((f) => f.name).sort()).toEqual(["c", "x"]);
    const adminKey = await withDb(async (db) => (await seedKey(db, orgId, ["admin"])).key);
    const auditRes = await exports.default.fetch(`http://vigil.test/v1/audit?target_id=${body.baseline_id}`, { headers: { authorization: `Bearer ${adminKey}` } });
    const audit = (await auditRes.json()) as { items: { action: string; details: { note?: string } }[] };
    const created = audit.items.find((a) => a.action === "baseline.create")!;
    expect(created.details.note).toMatch(/^frozen from production traffic .* 3000 rows .*— last release$/);

    // Fresh traffic from the same distribution scores near zero against it.
    await ingest(traffic(4, 3_000, "b"));
    await runDurableObjectAlarm(stub);
    const after = (await stub.live()).windows.find((w) => w.window === "5m")!;
    for (const f of [...after.features, after.prediction!]) {
      expect(f.drifted, `${f.feature} ${f.method} ${f.score}`).toBe(false);
      if (f.direction === "distance") expect(f.score!).toBeLessThan(0.05);
    }
  });

  it.each([
    [{ from: "2026-11-26T10:00:00Z", to: "2026-11-26T09:00:00Z" }, "from", /must be before to/],
    [{ from: "yesterday", to: "2026-11-26T09:00:00Z" }, "from", /ISO 8601/],
    [{ from: "2026-11-26T10:00:00", to: "2026-11-26T11:00:00Z" }, "from", /with an offset/],
    [{ from: 1_764_100_000, to: 1_764_150_000 }, "from", /looks like seconds/],
    [{ to: "2026-11-26T09:00:00Z" }, "from", /required/],
    [{ from: "2026-11-26T09:00:00Z", to: true }, "to", /ISO 8601/],
  ])("answers 400 naming the field for %j", async (range, field, message) => {
    const res = await call("PUT", path, range);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.[0]).toMatchObject({ field, error: expect.stringMatching(message) });
  });

  it("answers 400 for a range that ends in the future, or a body that mixes kinds", async () => {
    const future = await call("PUT", path, { from: Date.now() - 60_000, to: Date.now() + 3_600_000 });
    expect(future.status).toBe(400);
    expect(((await future.json()) as ErrorBody).error.details?.[0]).toMatchObject({ field: "to", error: expect.stringMatching(/in the future/) });
    const mixed = await call("PUT", path, { from: Date.now() - 60_000, to: Date.now(), rows: [{ x: 1 }] });
    expect(mixed.status).toBe(400);
    expect(((await mixed.json()) as ErrorBody).error.details?.[0]).toMatchObject({ field: "rows" });
  });

  it("answers 422 past the 7-day retention, and for a range without counted traffic", async () => {
    const old = await call("PUT", path, { from: Date.now() - 8 * 24 * 3_600_000, to: Date.now() - 7.5 * 24 * 3_600_000 });
    expect(old.status).toBe(422);
    const oldBody = (await old.json()) as ErrorBody;
    expect(oldBody.error.code).toBe("range_out_of_retention");
    expect(oldBody.error.message).toMatch(/7-day retention/);
    const quiet = await call("PUT", path, { from: Date.now() - 3 * 3_600_000, to: Date.now() - 2 * 3_600_000 });
    expect(quiet.status).toBe(422);
    const quietBody = (await quiet.json()) as ErrorBody;
    expect(quietBody.error.code).toBe("no_traffic");
    expect(quietBody.error.message).toMatch(/no counted traffic between/);
  });
});
