// Business impact end to end inside workerd against real Postgres: value matrices (audited,
// checked against the version), value on the live windows, and GET …/impact over
// event-time buckets: two versions receiving the same traffic in different arrival orders
// (one as it happened, one backfilled newest-first with labels in between) give the same
// answer, and the figures equal stats/impact over the series computed here from the data.
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { pearson } from "../../stats/impact/correlation.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";
import { auditLog, businessOutcomes } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

let orgId = "";
let key = "";

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    key = (await seedKey(db, orgId, ["ingest", "write", "read"])).key;
  });
});

const call = (method: string, path: string, body?: unknown) =>
  exports.default.fetch(new Request(`http://vigil.test${path}`, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body) }), headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  }));
const ok = async (res: Response | Promise<Response>) => {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
};

const HOUR = 3_600_000;
const matrix = { currency: "USD", tp: 120, fp: -15, fn: -300, tn: 0 };

describe("value matrix", () => {
  it("is stored, audited, read back, and values the live windows exactly", async () => {
    const stub = monitorStub(testEnv, orgId, "loans", "v1");
    const now = Date.now();
    const first = Array.from({ length: 40 }, (_, i) => ({ prediction_id: `f-${i}`, timestamp: now - 60_000, features: { x: i % 7 }, prediction: i % 2 }));
    await ok(call("POST", "/v1/ingest", { model: "loans", version: "v1", events: first }));
    await stub.setAutoBaselineTarget(40);
    // Baseline's own labels: 36 right, 4 false negatives (actual 1 predicted 0).
    await ok(call("POST", "/v1/actuals", { model: "loans", version: "v1", actuals: first.map((e, i) => ({ prediction_id: e.prediction_id, actual: i < 8 && e.prediction === 0 ? 1 : e.prediction })) }));
    expect((await stub.live()).baseline.status).toBe("ready");

    const put = await ok(call("PUT", "/v1/models/loans/versions/v1/value-matrix", matrix));
    expect(put).toMatchObject({ model: "loans", version: "v1", kind: "binary", currency: "USD", matrix: { tp: 120, fp: -15, fn: -300, tn: 0 } });
    expect(await ok(call("GET", "/v1/models/loans/versions/v1/value-matrix"))).toMatchObject({ kind: "binary", matrix: { tp: 120 } });

    // Later traffic: 20 predictions, 5 of them false positives.
    const later = Array.from({ length: 20 }, (_, i) => ({ prediction_id: `l-${i}`, timestamp: now, features: { x: i % 7 }, prediction: i % 2 }));
    await ok(call("POST", "/v1/ingest", { model: "loans", version: "v1", events: later }));
    await ok(call("POST", "/v1/actuals", { model: "loans", version: "v1", actuals: later.map((e, i) => ({ prediction_id: e.prediction_id, actual: i < 10 && e.prediction === 1 ? 0 : e.prediction })) }));
    const w = (await stub.live()).windows.find((v) => v.window === "5m")!;
    // Whole 5m window: baseline 40 (16 tp... counted below) + later 20.
    const cells = { tp: 0, fp: 0, fn: 0, tn: 0 };
    first.forEach((e, i) => { const a = i < 8 && e.prediction === 0 ? 1 : e.prediction; cells[a ? (e.prediction ? "tp" : "fn") : e.prediction ? "fp" : "tn"]++; });
    const base = 120 * cells.tp - 15 * cells.fp - 300 * cells.fn;
    later.forEach((e, i) => { const a = i < 10 && e.prediction === 1 ? 0 : e.prediction; cells[a ? (e.prediction ? "tp" : "fn") : e.prediction ? "fp" : "tn"]++; });
    const total = 120 * cells.tp - 15 * cells.fp - 300 * cells.fn;
    expect(w.value).toEqual({ total, per_prediction: total / 60, labeled: 60, currency: "USD", unvalued: 0 });
    expect(w.value_vs_baseline).toBeCloseTo(total - 60 * (base / 40), 9);

    const second = await ok(call("PUT", "/v1/models/loans/versions/v1/value-matrix", { ...matrix, fn: -250 }));
    expect(second).toMatchObject({ matrix: { fn: -250 } });
    const audit = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.targetType, "model_version"))));
    const actions = audit.filter((a) => a.action.startsWith("value_matrix.")).map((a) => a.action).sort();
    expect(actions).toEqual(["value_matrix.create", "value_matrix.update"]);
    const update = audit.find((a) => a.action === "value_matrix.update")!;
    expect(update.details).toMatchObject({ before: { fn: -300 }, after: { fn: -250 } });
  });

  it("refuses a matrix that does not fit, naming the field or the labels", async () => {
    const bad = await call("PUT", "/v1/models/loans/versions/v1/value-matrix", { currency: "USD", tp: "lots", fp: 0, fn: 0, tn: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"field":"tp"');
    const kind = await call("PUT", "/v1/models/loans/versions/v1/value-matrix", { currency: "USD", under: -2, over: -0.5 });
    expect(kind.status).toBe(422);
    expect((await kind.json() as { error: { code: string } }).error.code).toBe("matrix_kind_mismatch");
    const label = await call("PUT", "/v1/models/loans/versions/v1/value-matrix", { ...matrix, positive_label: "approved" });
    expect(label.status).toBe(422);
    const body = await label.json() as { error: { code: string; message: string; details: { unknown_labels: string[] } } };
    expect(body.error.code).toBe("matrix_labels_mismatch");
    expect(body.error.details.unknown_labels).toEqual(["approved"]);
    expect(body.error.message).toContain("known: 0, 1");
    const none = await call("GET", "/v1/models/loans/versions/v2/value-matrix");
    expect(none.status).toBe(404);
  });
});

/** Twelve hours of traffic; the last four drift (x shifted by 3 sd) and err more; conversion follows the errors. */
function traffic(now: number) {
  const normal = normalFrom(mulberry32(17));
  const top = Math.floor(now / HOUR) * HOUR;
  const hours: { t: number; events: { prediction_id: string; timestamp: string; features: { x: number }; prediction: number }[]; actuals: number[]; kpi: number[] }[] = [];
  for (let h = 12; h >= 1; h--) {
    const t = top - h * HOUR;
    const drift = h <= 4;
    const errorRate = 0.05 + 0.04 * (h % 4) + (drift ? 0.3 : 0);
    const events = Array.from({ length: 40 }, (_, i) => {
      const x = normal() + (drift ? 3 : 0);
      return { prediction_id: `h${h}-${i}`, timestamp: new Date(t + 60_000 * (i % 50) + 1_000).toISOString(), features: { x }, prediction: x > 0 ? 1 : 0 };
    });
    const wrong = Math.round(errorRate * 40);
    const actuals = events.map((e, i) => (i < wrong ? 1 - e.prediction : e.prediction));
    const kpi = Array.from({ length: 6 }, () => 0.6 - errorRate + 0.01 * normal());
    hours.push({ t, events, actuals, kpi });
  }
  return hours;
}

async function send(version: string, hours: ReturnType<typeof traffic>, order: "as_it_happened" | "backfilled") {
  const reference = Array.from({ length: 200 }, (_, i) => ({ x: Math.sin(i * 12.9898) * 1.7, prediction: i % 2 }));
  // Register the version with its schema, then freeze the same reference for both.
  await ok(call("POST", "/v1/ingest", { model: "shop", version, events: [{ prediction_id: `seed-${version}`, timestamp: new Date(hours[0]!.t - 5 * HOUR).toISOString(), features: { x: 0 }, prediction: 0 }] }));
  await ok(call("PUT", `/v1/models/shop/versions/${version}/baseline`, { rows: reference }));
  const sequence = order === "as_it_happened" ? hours : [...hours].reverse();
  for (const hour of sequence) {
    await ok(call("POST", "/v1/ingest", { model: "shop", version, events: hour.events }));
    if (order === "backfilled") await ok(call("POST", "/v1/actuals", { model: "shop", version, actuals: hour.events.map((e, i) => ({ prediction_id: e.prediction_id, actual: hour.actuals[i] })) }));
  }
  if (order === "as_it_happened") {
    for (const hour of hours) await ok(call("POST", "/v1/actuals", { model: "shop", version, actuals: hour.events.map((e, i) => ({ prediction_id: e.prediction_id, actual: hour.actuals[i] })) }));
  }
  await drained(monitorStub(testEnv, orgId, "shop", version));
}

/**
 * Runs the monitor's alarm until every changed bucket's point is in the outbox and the
 * outbox has reached Postgres (an outbox row is written at most every 5 s).
 */
async function drained(stub: ReturnType<typeof monitorStub>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await runDurableObjectAlarm(stub);
    const stats = await stub.stats();
    if (stats.outbox === 0 && stats.seriesPending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the monitor's outbox did not drain");
}

describe("GET …/impact", () => {
  const now = Date.now();
  const hours = traffic(now);

  it("aligns the KPI with accuracy by event time; backfilled traffic gives the same answer", async () => {
    await send("live", hours, "as_it_happened");
    await send("backfill", hours, "backfilled");
    // Conversion: reported without prediction ids (attributed by time), the same for both versions' model.
    const outcomes = hours.flatMap((h) => h.kpi.map((v, i) => ({ timestamp: new Date(h.t + 600_000 * i + 5_000).toISOString(), kpi: "conversion", value: v })));
    const stored = await ok(call("POST", "/v1/outcomes", { model: "shop", batch_id: "conv-1", outcomes }));
    expect(stored).toMatchObject({ accepted: 72, joined: 0, unmatched: 0 });
    // Revenue joined by prediction id lands on the version that made the prediction.
    const revenue = await ok(call("POST", "/v1/outcomes", { model: "shop", outcomes: [{ prediction_id: "h3-1", timestamp: new Date().toISOString(), kpi: "revenue", value: 250 }, { prediction_id: "nowhere", kpi: "revenue", value: 1 }] }));
    expect(revenue).toMatchObject({ accepted: 2, joined: 1, unmatched: 1 });
    const rows = await withDb((db) => db.select().from(businessOutcomes).where(and(eq(businessOutcomes.orgId, orgId), eq(businessOutcomes.kpi, "revenue"))));
    expect(rows.map((r) => r.version).sort()).toEqual(["backfill", null].sort());

    const from = new Date(hours[0]!.t).toISOString();
    const to = new Date(now).toISOString();
    const query = `kpi=conversion&metric=accuracy&granularity=hour&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const live = await ok(call("GET", `/v1/models/shop/versions/live/impact?${query}`));
    const backfill = await ok(call("GET", `/v1/models/shop/versions/backfill/impact?${query}`));
    expect({ ...backfill, version: "live" }).toEqual(live);

    // The series computed here from the data: hour → accuracy, hour → mean conversion.
    const accuracy = hours.map((h) => h.actuals.filter((a, i) => a === h.events[i]!.prediction).length / 40);
    const conversion = hours.map((h) => h.kpi.reduce((s, v) => s + v, 0) / h.kpi.length);
    const points = live.points as [number, number | null, number | null][];
    const labelled = points.filter((p) => p[1] !== null);
    expect(labelled.map((p) => p[0])).toEqual(hours.map((h) => h.t));
    labelled.forEach((p, i) => {
      expect(p[1]).toBeCloseTo(accuracy[i]!, 12);
      expect(p[2]).toBeCloseTo(conversion[i]!, 12);
    });
    const expected = pearson(accuracy, conversion);
    expect(expected.ok).toBe(true);
    const got = live.pearson as { r: number; ci95: number[]; p: number };
    expect(live.n).toBe(12);
    expect(got.r).toBeCloseTo(expected.ok ? expected.value.r : NaN, 12);
    expect(got.r).toBeGreaterThan(0.9);
    expect(live.spearman).not.toBeNull();
    expect((live.best_lag as { lag: number }).lag).toBe(0);
  });

  it("lists drift onsets with the KPI before and during them", async () => {
    const from = encodeURIComponent(new Date(hours[0]!.t).toISOString());
    const res = await ok(call("GET", `/v1/models/shop/versions/live/impact/events?kpi=conversion&from=${from}`));
    const drift = (res.events as { kind: string; feature?: string; start: number; end: number; kpi: { difference: number; ci95: number[] } | null }[]).filter((e) => e.kind === "drift" && e.feature === "x");
    expect(drift.map((e) => [e.start, e.end])).toEqual([[hours[8]!.t, hours[11]!.t + HOUR]]);
    const shift = drift[0]!.kpi!;
    const before = hours.slice(4, 8).map((h) => h.kpi.reduce((s, v) => s + v, 0) / 6);
    const after = hours.slice(8).map((h) => h.kpi.reduce((s, v) => s + v, 0) / 6);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(shift.difference).toBeCloseTo(mean(after) - mean(before), 12);
    expect(shift.ci95[1]).toBeLessThan(0);
  });

  it("answers bad input with the reason: unknown KPI, unknown metric, no labels, too few points", async () => {
    const unknown = await call("GET", "/v1/models/shop/versions/live/impact?kpi=churn");
    expect(unknown.status).toBe(404);
    const u = await unknown.json() as { error: { code: string; details: { known_kpis: string[] } } };
    expect(u.error.code).toBe("unknown_kpi");
    expect(u.error.details.known_kpis.sort()).toEqual(["conversion", "revenue"]);
    const metric = await call("GET", "/v1/models/shop/versions/live/impact?kpi=conversion&metric=happiness");
    expect(metric.status).toBe(400);
    expect(JSON.stringify(await metric.json())).toContain("drift:<feature>");
    const from = encodeURIComponent(new Date(hours[0]!.t - 4 * HOUR).toISOString());
    const to = encodeURIComponent(new Date(hours[0]!.t - 3 * HOUR).toISOString());
    const labels = await call("GET", `/v1/models/shop/versions/live/impact?kpi=conversion&metric=f1&from=${from}&to=${to}`);
    expect(labels.status).toBe(422);
    expect((await labels.json() as { error: { code: string } }).error.code).toBe("no_labels");
    const value = await call("GET", "/v1/models/shop/versions/live/impact?kpi=conversion&metric=value_per_prediction");
    expect(value.status).toBe(422);
    const few = await ok(call("GET", `/v1/models/shop/versions/live/impact?kpi=conversion&metric=drift_share&from=${encodeURIComponent(new Date(hours[6]!.t).toISOString())}`));
    expect(few.pearson).toBeNull();
    expect((few.reasons as { correlation: string }).correlation).toMatch(/^n = \d aligned points; a correlation needs at least 10$/);
  });

  it("values the series with the matrix: value per prediction by event time", async () => {
    await ok(call("PUT", "/v1/models/shop/versions/live/value-matrix", matrix));
    const from = encodeURIComponent(new Date(hours[0]!.t).toISOString());
    const res = await ok(call("GET", `/v1/models/shop/versions/live/impact?kpi=conversion&metric=value_per_prediction&from=${from}`));
    const points = (res.points as [number, number | null, number | null][]).filter((p) => p[1] !== null);
    expect(points.map((p) => p[0])).toEqual(hours.map((h) => h.t));
    const expected = hours.map((h) => {
      let v = 0;
      h.events.forEach((e, i) => { const a = h.actuals[i]; v += a ? (e.prediction ? 120 : -300) : e.prediction ? -15 : 0; });
      return v / 40;
    });
    points.forEach((p, i) => expect(p[1]).toBeCloseTo(expected[i]!, 9));
    expect(res.currency).toBe("USD");
  });
});
