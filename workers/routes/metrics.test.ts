// GET /metrics against real monitors and Postgres: what a scrape shows, in both formats,
// and to whom. The exposition's syntax is checked with promtool in
// scripts/e2e/observability.e2e.test.ts (promtool cannot run inside workerd).
import { exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { alerts, projects } from "../db/schema/index.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { collectMetrics, mapBounded } from "../observability/collect.ts";
import { render } from "../observability/exposition.ts";
import { seedKey, seedOrg, testDb, testEnv, uniqueSlug, withDb } from "../testing/seed.ts";

const A = uniqueSlug("scraped-a");
const B = uniqueSlug("scraped-b");
let orgId = "";
const keys = { write: "", read: "", ingestOnly: "", elsewhereWrite: "", elsewhereRead: "", otherOrg: "" };

function get(key: string | undefined, accept?: string) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (accept) headers.accept = accept;
  return exports.default.fetch("http://vigil.test/metrics", { headers });
}

async function ingest(key: string, model: string, events: unknown[]) {
  const res = await exports.default.fetch("http://vigil.test/v1/ingest", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, version: "v1", events }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { accepted: number; rejected_count: number };
}

const event = (i: number, features: Record<string, unknown> = { age: 20 + (i % 50), plan: i % 3 === 0 ? "pro" : "free" }) => ({
  prediction_id: `p-${i}`, features, prediction: i % 2, score: (i % 10) / 10, latency_ms: 10 + (i % 7),
});

/** The value of the one sample with exactly this name and these labels (label order as rendered). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const inner = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",");
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${inner}} `) || (inner === "" && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

beforeAll(async () => {
  await withDb(async (db) => {
    orgId = (await seedOrg(db)).orgId;
    const [elsewhere] = await db.insert(projects).values({ orgId, slug: "elsewhere", name: "Elsewhere" }).returning();
    keys.write = (await seedKey(db, orgId, ["ingest", "write"])).key;
    keys.read = (await seedKey(db, orgId, ["read"])).key;
    keys.ingestOnly = (await seedKey(db, orgId, ["ingest"])).key;
    keys.elsewhereWrite = (await seedKey(db, orgId, ["ingest", "write"], { projectId: elsewhere!.id })).key;
    keys.elsewhereRead = (await seedKey(db, orgId, ["read"], { projectId: elsewhere!.id })).key;
    keys.otherOrg = (await seedKey(db, (await seedOrg(db)).orgId, ["read"])).key;
  });
  // A: baseline from its first 40 events, then 40 more of which 2 are refused, actuals for 10.
  await ingest(keys.write, A, [event(0)]);
  const stubA = monitorStub(testEnv, orgId, A, "v1");
  await stubA.setAutoBaselineTarget(40);
  await ingest(keys.write, A, Array.from({ length: 39 }, (_, i) => event(i + 1)));
  await runDurableObjectAlarm(stubA);
  const reply = await ingest(keys.write, A, [...Array.from({ length: 40 }, (_, i) => event(100 + i)), event(998, { age: "old", plan: "pro" }), { ...event(999), prediction: {} }]);
  expect(reply).toMatchObject({ accepted: 40, rejected_count: 2 });
  const actuals = await exports.default.fetch("http://vigil.test/v1/actuals", {
    method: "POST",
    headers: { authorization: `Bearer ${keys.write}`, "content-type": "application/json" },
    body: JSON.stringify({ model: A, version: "v1", actuals: Array.from({ length: 10 }, (_, i) => ({ prediction_id: `p-${100 + i}`, actual: 1 })) }),
  });
  expect(actuals.status, await actuals.clone().text()).toBe(200);
  await runDurableObjectAlarm(stubA);
  // B lives in the "elsewhere" project (registered by a key limited to it).
  await ingest(keys.elsewhereWrite, B, [event(0), event(1)]);
  await runDurableObjectAlarm(monitorStub(testEnv, orgId, B, "v1"));
  const now = new Date();
  await testDb().insert(alerts).values([
    { orgId, model: A, version: "v1", ruleName: "drift", ruleKind: "feature_drift", severity: "critical", window: "5m", status: "open", firingId: `a@${now.getTime()}`, summary: "s", openedAt: now, lastFiredAt: now },
    { orgId, model: A, version: "v1", ruleName: "drift2", ruleKind: "feature_drift", severity: "warning", window: "5m", status: "resolved", firingId: `b@${now.getTime()}`, summary: "s", openedAt: now, lastFiredAt: now },
  ]);
}, 60_000);

describe("GET /metrics", () => {
  it("needs a credential with the read scope", async () => {
    expect((await get(undefined)).status).toBe(401);
    const refused = await get(keys.ingestOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("answers the Prometheus text format with the version's counters, drift, quality, performance, alerts and freshness", async () => {
    const res = await get(keys.read);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const v = { model: A, version: "v1" };
    expect(text).toContain("# TYPE vigil_events_ingested_total counter\n");
    expect(text).toMatch(/# HELP vigil_events_ingested_total \S/);
    expect(sample(text, "vigil_events_ingested_total", v)).toBe(80);
    expect(sample(text, "vigil_events_rejected_total", v)).toBe(2);
    expect(sample(text, "vigil_actuals_total", { ...v, result: "matched" })).toBe(10);
    expect(sample(text, "vigil_baseline_ready", v)).toBe(1);
    expect(sample(text, "vigil_window_events", { ...v, window: "5m" })).toBe(80);
    for (const window of ["5m", "1h", "24h"]) {
      const score = sample(text, "vigil_feature_drift_score", { ...v, window, feature: "age", method: "wasserstein_normed" });
      expect(score, `age drift score in ${window}`).toBeGreaterThanOrEqual(0);
      expect([0, 1]).toContain(sample(text, "vigil_feature_drifted", { ...v, window, feature: "plan" }));
      expect(sample(text, "vigil_dataset_drift_share", { ...v, window })).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, "vigil_data_quality_ratio", { ...v, window: "5m", feature: "age", check: "missing" })).toBe(0);
    expect(sample(text, "vigil_labeled_predictions", { ...v, window: "5m" })).toBe(10);
    expect(sample(text, "vigil_label_coverage_ratio", { ...v, window: "5m" })).toBeCloseTo(10 / 80, 12);
    expect(sample(text, "vigil_model_performance", { ...v, window: "5m", metric: "accuracy" })).toBeGreaterThanOrEqual(0);
    expect(sample(text, "vigil_prediction_latency_seconds", { ...v, window: "5m", percentile: "p50" })).toBeGreaterThan(0.009);
    expect(sample(text, "vigil_open_alerts", { ...v, severity: "critical" })).toBe(1);
    expect(sample(text, "vigil_open_alerts", { ...v, severity: "warning" })).toBe(0);
    expect(sample(text, "vigil_ingest_to_score_seconds", v)).toBeGreaterThanOrEqual(0);
    expect(sample(text, "vigil_last_ingest_timestamp_seconds", v)).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(sample(text, "vigil_monitor_up", v)).toBe(1);
    expect(sample(text, "vigil_scrape_errors", {})).toBe(0);
    // The test env drains outboxes to Postgres only.
    expect(sample(text, "vigil_sink_up", { ...v, sink: "postgres" })).toBe(1);
    expect(sample(text, "vigil_sink_failures_total", { ...v, sink: "postgres" })).toBe(0);
    // Both versions of the org, no NaN anywhere.
    expect(sample(text, "vigil_events_ingested_total", { model: B, version: "v1" })).toBe(2);
    expect(text).not.toMatch(/NaN|undefined/);
  });

  it("answers OpenMetrics when asked, counters named without _total and the text ending in # EOF", async () => {
    const res = await get(keys.read, "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    expect(res.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    const text = await res.text();
    expect(text.endsWith("\n# EOF\n")).toBe(true);
    expect(text).toContain("# TYPE vigil_events_ingested counter\n");
    expect(text).not.toContain("# TYPE vigil_events_ingested_total");
    expect(sample(text, "vigil_events_ingested_total", { model: A, version: "v1" })).toBe(80);
    // Plain text stays the default when OpenMetrics is weighted lower.
    const plain = await get(keys.read, "text/plain;version=0.0.4,application/openmetrics-text;q=0.2");
    expect(plain.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  });

  it("shows a key limited to a project only that project's versions, and another org none", async () => {
    const limited = await (await get(keys.elsewhereRead)).text();
    expect(sample(limited, "vigil_events_ingested_total", { model: B, version: "v1" })).toBe(2);
    expect(limited).not.toContain(A);
    expect(sample(limited, "vigil_scrape_versions", {})).toBe(1);
    const other = await (await get(keys.otherOrg)).text();
    expect(other).not.toContain(A);
    expect(other).not.toContain(B);
    expect(sample(other, "vigil_scrape_versions", {})).toBe(0);
  });

  it("reports a monitor that fails as down and still answers for the others", async () => {
    const failing = {
      ...testEnv,
      ModelMonitor: {
        getByName(name: string) {
          if (name.endsWith(`:${B}:v1`)) return { metrics: () => Promise.reject(new Error("monitor unavailable")) };
          if (name.includes(":slow-")) return { metrics: () => new Promise(() => undefined) };
          return testEnv.ModelMonitor.getByName(name);
        },
      },
    } as unknown as typeof testEnv;
    const principal = { kind: "api_key", orgId, keyId: "k", prefix: "p", scopes: ["read"], projectId: null, modelId: null } as const;
    const text = render((await collectMetrics(failing, testDb(), principal)).families(), "prometheus");
    expect(sample(text, "vigil_monitor_up", { model: B, version: "v1" })).toBe(0);
    expect(sample(text, "vigil_monitor_up", { model: A, version: "v1" })).toBe(1);
    expect(sample(text, "vigil_scrape_errors", {})).toBe(1);
    expect(sample(text, "vigil_events_ingested_total", { model: B, version: "v1" })).toBeUndefined();
    expect(sample(text, "vigil_events_ingested_total", { model: A, version: "v1" })).toBe(80);

    // A monitor that never answers is cut off by the timeout.
    const slow = uniqueSlug("slow");
    await ingest(keys.write, slow, [event(0)]);
    const timed = render((await collectMetrics(failing, testDb(), principal, { monitorTimeoutMs: 200 })).families(), "prometheus");
    expect(sample(timed, "vigil_monitor_up", { model: slow, version: "v1" })).toBe(0);
    expect(sample(timed, "vigil_scrape_errors", {})).toBe(2);
  });

  it("asks monitors a bounded number at a time and keeps their order", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded(Array.from({ length: 25 }, (_, i) => i), 4, async (i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      inFlight--;
      return i * 2;
    });
    expect(most).toBe(4);
    expect(out).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
  });
});
