import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
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
    expect(await res.json()).toMatchObject({ status: "ready", source: "upload", rows: 200 });
    const bad = await call("PUT", "/v1/models/hist/versions/v1/baseline", { profile: { format: "vigil.profile", version: 1 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toMatch(/invalid profile/);
    const events = Array.from({ length: 50 }, (_, i) => ({ prediction_id: `n-${i}`, features: { x: i, c: "a" }, prediction: 1 }));
    await call("POST", "/v1/ingest", { model: "hist", version: "v1", events });
    const stub = monitorStub(testEnv, orgId, "hist", "v1");
    await runDurableObjectAlarm(stub);
    const w5 = (await stub.live()).windows.find((w) => w.window === "5m")!;
    expect(w5.features.map((f) => f.feature)).toEqual(["x", "c"]);
    expect(w5.features.find((f) => f.feature === "c")).toMatchObject({ method: "chi_square_p_value", drifted: true });
  });

  it("serves the Postgres history the monitor wrote", async () => {
    await runDurableObjectAlarm(monitorStub(testEnv, orgId, "hist", "v1"));
    const res = await call("GET", "/v1/models/hist/versions/v1/metrics?window=5m");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { points: { rows: number }[]; features: Record<string, unknown[]> };
    expect(body.points.length).toBeGreaterThanOrEqual(1);
    expect(body.points.at(-1)!.rows).toBe(100);
    expect(Object.keys(body.features).sort()).toEqual(["c", "x"]);
    expect((await call("GET", "/v1/models/hist/versions/v1/metrics?from=yesterday")).status).toBe(400);
  });
});
