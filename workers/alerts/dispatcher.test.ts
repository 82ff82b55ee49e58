import { runInDurableObject } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { verifySignature } from "../channels/signature.ts";
import { alertActivity, alerts, auditLog } from "../db/schema/index.ts";
import { testEnv, withDb } from "../testing/seed.ts";
import { readSinkFailures } from "../health/sink-failures.ts";
import { KAFKA_ALERTS_SINK, type AlertDispatcher } from "./dispatcher.ts";
import { setOutboundFetch } from "./outbound.ts";
import { evaluatorEvent, recordingFetch, seedModelVersion, type AlertFixture } from "./testing.ts";

const app = createApp();
const env = { ...testEnv, VIGIL_ALLOW_HTTP_WEBHOOKS: "1" };
let f: AlertFixture;
const RULE = "8a1f3c2e-4b5d-4e6f-9a7b-1c2d3e4f5a6b"; // not a stored rule: alerts keep rule_id null

function call(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${f.key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, env);
}

async function channel(body: unknown): Promise<{ id: string; secret: string | null }> {
  const res = await call("POST", "/v1/channels", body);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string | null };
}

function dispatcher() {
  return testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
}

beforeEach(async () => {
  f = await withDb(seedModelVersion);
});
afterEach(() => setOutboundFetch(undefined));

describe("AlertDispatcher", () => {
  it("opens one alert per firing, notifies each channel once, and resolves to PagerDuty with the same dedup_key", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const hook = await channel({ name: "hook", kind: "webhook", config: { url: "https://receiver.example.com/hook" } });
    await channel({ name: "pd", kind: "pagerduty", config: { routing_key: "R0UT1NGKEY00000000000000000000AB", url: "https://pd.example.com/v2/enqueue" } });
    await channel({ name: "elsewhere", kind: "slack", config: { url: "https://hooks.slack.com/x" }, models: ["some-other-model"] });

    const t0 = Date.now();
    const fired = evaluatorEvent(f, RULE, "fired", t0);
    await dispatcher().enqueue(f.orgId, [fired, fired]); // a replayed event is stored once
    await dispatcher().drain();

    const opened = await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ status: "open", model: f.model, version: f.version, severity: "critical", fireCount: 1 });
    const alertId = opened[0]!.id;
    // The webhook and PagerDuty heard it; the Slack channel listens to another model only.
    expect(rec.requests.map((r) => r.url).sort()).toEqual(["https://pd.example.com/v2/enqueue", "https://receiver.example.com/hook"]);
    const hookReq = rec.requests.find((r) => r.url.includes("receiver"))!;
    expect((await verifySignature(hook.secret!, hookReq.body, hookReq.headers["vigil-signature"]!, Math.floor(Date.now() / 1000))).ok).toBe(true);
    expect(JSON.parse(hookReq.body)).toMatchObject({ type: "alert.opened", alert: { id: alertId, status: "open", features: [{ feature: "income", score: 0.41 }] } });
    const trigger = JSON.parse(rec.requests.find((r) => r.url.includes("pd."))!.body);
    expect(trigger).toMatchObject({ event_action: "trigger", dedup_key: `vigil-alert-${alertId}`, payload: { severity: "critical" } });

    // A duplicate firing of the open alert updates it and notifies nobody.
    rec.requests.length = 0;
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", t0 + 1000, t0 + 1000)]);
    await dispatcher().drain();
    const [again] = await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)));
    expect(again).toMatchObject({ id: alertId, fireCount: 2 });
    expect(rec.requests).toEqual([]);

    // Acknowledge with a note, then resolve: recorded with who, and PagerDuty hears both.
    const ack = await call("POST", `/v1/alerts/${alertId}/ack`, { note: "looking into it" });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: "acknowledged", acknowledged_by: expect.stringMatching(/^vgl_/) });
    expect((await call("POST", `/v1/alerts/${alertId}/ack`)).status).toBe(409);
    const res = await call("POST", `/v1/alerts/${alertId}/resolve`, { note: "retrained" });
    expect(res.status).toBe(200);
    await dispatcher().drain();
    const pd = rec.requests.filter((r) => r.url.includes("pd.")).map((r) => JSON.parse(r.body));
    expect(pd).toEqual([
      { routing_key: "R0UT1NGKEY00000000000000000000AB", event_action: "acknowledge", dedup_key: `vigil-alert-${alertId}` },
      { routing_key: "R0UT1NGKEY00000000000000000000AB", event_action: "resolve", dedup_key: `vigil-alert-${alertId}` },
    ]);

    const detail = (await (await call("GET", `/v1/alerts/${alertId}`)).json()) as { status: string; activity: Array<{ action: string; actor_type: string; note: string | null }> };
    expect(detail.status).toBe("resolved");
    expect(detail.activity.map((a) => [a.action, a.actor_type, a.note])).toEqual([
      ["opened", "system", null],
      ["fired_again", "system", null],
      ["acknowledged", "api_key", "looking into it"],
      ["resolved", "api_key", "retrained"],
    ]);
    const audit = await withDb((db) => db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.orgId, f.orgId), eq(auditLog.targetId, alertId))).orderBy(auditLog.id));
    expect(audit.map((a) => a.action)).toEqual(["alert.open", "alert.acknowledge", "alert.resolve"]);

    const log = (await (await call("GET", `/v1/alerts/${alertId}/deliveries`)).json()) as { deliveries: Array<{ event: string; status: string; attempts: number; log: Array<{ status_code: number; latency_ms: number }> }> };
    expect(log.deliveries.map((d) => `${d.event}:${d.status}`).sort()).toEqual(["acknowledged:delivered", "acknowledged:delivered", "opened:delivered", "opened:delivered", "resolved:delivered", "resolved:delivered"]);
    expect(log.deliveries.every((d) => d.attempts === 1 && d.log.length === 1 && d.log[0]!.status_code === 200)).toBe(true);
  });

  it("auto-resolves the matching firing only, and ignores an update after a manual resolve", async () => {
    setOutboundFetch(recordingFetch([200]).fetch);
    const t0 = Date.now();
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", t0)]);
    await dispatcher().drain();
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "resolved", t0 + 5000, t0 - 1)]); // another firing's resolve
    await dispatcher().drain();
    expect((await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId))))[0]!.status).toBe("open");
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "resolved", t0 + 6000, t0)]);
    await dispatcher().drain();
    const [row] = await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)));
    expect(row).toMatchObject({ status: "resolved", resolvedBy: "system:auto-resolve" });
    await dispatcher().enqueue(f.orgId, [evaluatorEvent(f, RULE, "updated", t0 + 7000, t0)]);
    await dispatcher().drain();
    expect(await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)))).toHaveLength(1);
    const acts = await withDb((db) => db.select({ action: alertActivity.action }).from(alertActivity).where(eq(alertActivity.alertId, row!.id)));
    expect(acts.map((a) => a.action)).toEqual(["opened", "resolved"]);
  });

  it("keeps events in its inbox while Postgres is unreachable and applies them once it is back", async () => {
    await runInDurableObject(dispatcher(), async (instance: AlertDispatcher) => {
      const env = Reflect.get(instance, "env") as typeof testEnv;
      // Point this object's Postgres at a dead relay while the event arrives and a pass runs.
      Reflect.set(instance, "env", { ...env, NEON_WS_PROXY: "127.0.0.1:9/v2" });
      try {
        await instance.enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", Date.now())]);
        await instance.drain();
        expect(instance.inboxSize()).toBe(1);
      } finally {
        Reflect.set(instance, "env", env);
      }
      await instance.drain();
      expect(instance.inboxSize()).toBe(0);
    });
    expect(await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)))).toHaveLength(1);
  });

  it("keeps alert events for Kafka while the REST proxy is down, without holding up alerts", async () => {
    await runInDurableObject(dispatcher(), async (instance: AlertDispatcher) => {
      const env = Reflect.get(instance, "env") as typeof testEnv;
      Reflect.set(instance, "env", { ...env, KAFKA_REST_URL: "http://127.0.0.1:9", KAFKA_CLUSTER_ID: "c1" });
      try {
        await instance.enqueue(f.orgId, [evaluatorEvent(f, RULE, "fired", Date.now())]);
        await instance.drain();
        expect(instance.inboxSize()).toBe(0);
        expect(instance.kafkaBacklog()).toBe(1);
      } finally {
        Reflect.set(instance, "env", env);
      }
    });
    expect(await withDb((db) => db.select().from(alerts).where(eq(alerts.orgId, f.orgId)))).toHaveLength(1);
    // The failed publish is counted where /v1/health and /metrics read sink failures.
    const counted = await withDb((db) => readSinkFailures(db));
    expect(counted[KAFKA_ALERTS_SINK]?.failures).toBeGreaterThanOrEqual(1);
  });
});
