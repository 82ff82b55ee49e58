import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { OUTBOX_EVERY_MS } from "../../durable/model-monitor.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let key = "";
const call = (method: string, path: string, body?: unknown) =>
  exports.default.fetch(`http://vigil.test${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write"])).key;
  });
  const events = Array.from({ length: 50 }, (_, i) => ({ prediction_id: `m-${i}`, features: { x: i, c: i % 2 ? "a" : "b" }, prediction: i % 2 }));
  expect((await call("POST", "/v1/ingest", { model: "hist", version: "v1", events })).status).toBe(200);
});

describe("baseline and history routes", () => {
  it("sets a baseline from reference rows; drift scoring starts at once", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ x: i % 50, c: i % 2 ? "a" : "b", prediction: i % 2 }));
    const res = await call("PUT", "/v1/models/hist/versions/v1/baseline", { rows });
    expect(res.status).toBe(200);
    const set = (await res.json()) as { baseline_id: string };
    expect(set).toMatchObject({ status: "ready", source: "upload", rows: 200 });
    // Recorded in the registry as the active baseline, with an audit entry.
    const listed = (await (await call("GET", "/v1/models/hist/versions/v1/baselines")).json()) as { items: { id: string; active: boolean }[] };
    expect(listed.items.filter((b) => b.active).map((b) => b.id)).toEqual([set.baseline_id]);
    const adminKey = await withDb(async (db) => (await seedKey(db, orgId, ["admin"])).key);
    const auditRes = await exports.default.fetch(`http://vigil.test/v1/audit?target_id=${set.baseline_id}`, { headers: { authorization: `Bearer ${adminKey}` } });
    const audit = (await auditRes.json()) as { items: { action: string }[] };
    expect(audit.items.map((a) => a.action)).toContain("baseline.create");
    const bad = await call("PUT", "/v1/models/hist/versions/v1/baseline", { profile: { format: "vigil.profile", version: 1 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toMatch(/invalid profile/);
    // Batches stored before the upload were counted before it; the windows restart on the
    // new baseline, so only these events are scored (100: enough that no cell is pooled).
    const events = Array.from({ length: 100 }, (_, i) => ({ prediction_id: `n-${i}`, features: { x: i % 50, c: "a" }, prediction: 1 }));
    await call("POST", "/v1/ingest", { model: "hist", version: "v1", events });
    const stub = monitorStub(testEnv, orgId, "hist", "v1");
    await runDurableObjectAlarm(stub);
    const w5 = (await stub.live()).windows.find((w) => w.window === "5m")!;
    expect(w5.features.map((f) => f.feature)).toEqual(["x", "c"]);
    expect(w5.features.find((f) => f.feature === "c")).toMatchObject({ method: "chi_square_two_sample", drifted: true });
  });

  it("serves the Postgres history the monitor wrote", async () => {
    // The monitor writes an outbox row at most every OUTBOX_EVERY_MS, so the point that
    // covers both batches lands within that interval, not necessarily on the next tick.
    type History = { points: { rows: number }[]; features: Record<string, unknown[]> };
    let body: History = { points: [], features: {} };
    const deadline = Date.now() + OUTBOX_EVERY_MS * 3;
    while (Date.now() < deadline) {
      await runDurableObjectAlarm(monitorStub(testEnv, orgId, "hist", "v1"));
      const res = await call("GET", "/v1/models/hist/versions/v1/metrics?window=5m");
      expect(res.status).toBe(200);
      body = (await res.json()) as History;
      if (body.points.at(-1)?.rows === 150) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(body.points.length).toBeGreaterThanOrEqual(1);
    expect(body.points.at(-1)!.rows).toBe(150);
    expect(Object.keys(body.features).sort()).toEqual(["c", "x"]);
    expect((await call("GET", "/v1/models/hist/versions/v1/metrics?from=yesterday")).status).toBe(400);
  });
});
