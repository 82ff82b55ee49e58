import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { businessOutcomes } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { setIngestRateLimit } from "../ingest/rate-limit.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "../ingest/limits.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let key = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write", "read"])).key;
  });
});

afterEach(() => setIngestRateLimit(DEFAULT_RATE_LIMIT_PER_SECOND));

const post = (path: string, body: unknown, fetcher: (r: Request) => Promise<Response> = (r) => exports.default.fetch(r)) =>
  fetcher(new Request(`http://vigil.test${path}`, {
    method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  }));

describe("POST /v1/actuals", () => {
  it("joins labels to stored predictions, reports the unmatched, and feeds performance", async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ prediction_id: `a-${i}`, features: { x: i }, prediction: i % 2, score: i % 2 ? 0.9 : 0.1 }));
    expect((await post("/v1/ingest", { model: "labels", version: "v1", events })).status).toBe(200);
    const res = await post("/v1/actuals", {
      model: "labels", version: "v1",
      actuals: [
        ...events.slice(0, 10).map((e) => ({ prediction_id: e.prediction_id, actual: e.prediction, timestamp: new Date().toISOString() })),
        { prediction_id: "ghost", actual: 1 },
        { prediction_id: "a-11" },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      matched: 10, unmatched: 1, already_labeled: 0, unmatched_ids: ["ghost"],
      rejected: [{ index: 11, field: "actual", error: "required" }], rejected_count: 1,
    });
    const stub = monitorStub(testEnv, orgId, "labels", "v1");
    await runDurableObjectAlarm(stub);
    const live = await stub.live();
    const w5 = live.windows.find((w) => w.window === "5m")!;
    expect(w5.performance).toMatchObject({ task: "classification", labeled: 10, metrics: { accuracy: 1, roc_auc: 1 } });
    expect(live.totals.unmatchedActuals).toBe(1);
  });

  it("answers 404 for an unknown version", async () => {
    const res = await post("/v1/actuals", { model: "nobody", version: "v1", actuals: [{ prediction_id: "p", actual: 1 }] });
    expect(res.status).toBe(404);
  });
});

describe("POST /v1/outcomes", () => {
  it("stores valid KPIs and rejects bad ones individually", async () => {
    const res = await post("/v1/outcomes", {
      model: "labels", batch_id: "kpi-1",
      outcomes: [{ prediction_id: "a-1", timestamp: "2026-01-01T00:00:00Z", kpi: "revenue", value: 12.5 }, { timestamp: "2026-01-01T00:00:00Z", kpi: "revenue", value: "lots" }],
    });
    expect(res.status).toBe(200);
    // a-1 is a stored prediction of labels/v1: the outcome joins that version, as an actual would.
    expect(await res.json()).toEqual({ accepted: 1, joined: 1, unmatched: 0, rejected: [{ index: 1, field: "value", error: "expected a finite number, got string" }], rejected_count: 1 });
    const rows = await withDb((db) => db.select().from(businessOutcomes).where(eq(businessOutcomes.orgId, orgId)));
    expect(rows.map((r) => [r.kpi, r.value, r.predictionId, r.version])).toEqual([["revenue", 12.5, "a-1", "v1"]]);
  });
});

describe("per-org rate limit", () => {
  it("answers 429 with Retry-After once an org exceeds its requests per second", async () => {
    setIngestRateLimit(2);
    const app = createApp();
    const fetcher = (r: Request) => Promise.resolve(app.fetch(r, testEnv));
    const body = { model: "labels", version: "v1", events: [{ prediction_id: "r", features: { x: 1 }, prediction: 1 }] };
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await post("/v1/ingest", body, fetcher);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses).toContain(429);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited!.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });
});
