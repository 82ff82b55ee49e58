// Every change a person makes to an alert, a delivery or a channel is audited with who
// made it, the request id and the caller's IP (recordAudit), like the rest of the API;
// the evaluator's own changes are audited as the system.
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { auditLog, deliveries } from "../db/schema/index.ts";
import { seedKey, testEnv, withDb } from "../testing/seed.ts";
import { queueDelivery } from "./fanout.ts";
import { setOutboundFetch } from "./outbound.ts";
import { testNotification } from "./snapshot.ts";
import { evaluatorEvent, recordingFetch, seedModelVersion, type AlertFixture } from "./testing.ts";

const app = createApp();
const IP = "203.0.113.7";
let f: AlertFixture;
let key: { key: string; prefix: string };
let alertId: string;

function call(method: string, path: string, requestId: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key.key}`, "x-request-id": requestId, "cf-connecting-ip": IP };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
}

beforeAll(async () => {
  f = await withDb(seedModelVersion);
  key = await withDb((db) => seedKey(db, f.orgId, ["read", "write"]));
  const d = testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
  await d.enqueue(f.orgId, [evaluatorEvent(f, "0c0c0c0c-0000-4000-8000-00000000000c", "fired", Date.now())]);
  await d.drain();
  alertId = (await withDb((db) => db.select({ targetId: auditLog.targetId }).from(auditLog).where(and(eq(auditLog.orgId, f.orgId), eq(auditLog.action, "alert.open")))))[0]!.targetId;
});
afterEach(() => setOutboundFetch(undefined));

describe("audit trail of alerts, deliveries and channels", () => {
  it("records the actor, request id and IP of every change", async () => {
    setOutboundFetch(recordingFetch([200]).fetch);
    const created = await call("POST", "/v1/channels", "req-channel-create", { name: "ops", kind: "webhook", config: { url: "https://receiver.example.com/hook" } });
    expect(created.status).toBe(201);
    const channelId = ((await created.json()) as { id: string }).id;
    expect((await call("PATCH", `/v1/channels/${channelId}`, "req-channel-update", { name: "ops 2" })).status).toBe(200);
    expect((await call("POST", `/v1/alerts/${alertId}/ack`, "req-ack", { note: "looking" })).status).toBe(200);
    expect((await call("POST", `/v1/alerts/${alertId}/resolve`, "req-resolve")).status).toBe(200);

    const [dead, waiting] = await withDb(async (db) => {
      const dead = (await queueDelivery(db, f.orgId, channelId, testNotification(crypto.randomUUID(), { type: "system", id: "evaluator" }, "https://vigil.example.com")))!;
      await db.update(deliveries).set({ status: "dead", nextAttemptAt: null }).where(eq(deliveries.id, dead));
      const waiting = (await queueDelivery(db, f.orgId, channelId, testNotification(crypto.randomUUID(), { type: "system", id: "evaluator" }, "https://vigil.example.com"), "awaiting_approval"))!;
      return [dead, waiting];
    });
    expect((await call("POST", `/v1/deliveries/${dead}/redeliver`, "req-redeliver")).status).toBe(200);
    expect((await call("POST", `/v1/deliveries/${waiting}/approve`, "req-approve")).status).toBe(200);
    expect((await call("DELETE", `/v1/channels/${channelId}`, "req-channel-delete")).status).toBe(204);

    const actions = ["channel.create", "channel.update", "alert.acknowledge", "alert.resolve", "delivery.redeliver", "delivery.approve", "channel.delete", "alert.open"];
    const rows = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.orgId, f.orgId), inArray(auditLog.action, actions))).orderBy(auditLog.id));
    const seen = rows.map((r) => ({ action: r.action, actor: `${r.actorType}:${r.actorId}`, request_id: r.details.request_id, ip: r.details.ip }));
    const person = (action: string, request_id: string) => ({ action, actor: `api_key:${key.prefix}`, request_id, ip: IP });
    expect(seen).toEqual([
      { action: "alert.open", actor: "system:evaluator", request_id: undefined, ip: undefined },
      person("channel.create", "req-channel-create"),
      person("channel.update", "req-channel-update"),
      person("alert.acknowledge", "req-ack"),
      person("alert.resolve", "req-resolve"),
      person("delivery.redeliver", "req-redeliver"),
      person("delivery.approve", "req-approve"),
      person("channel.delete", "req-channel-delete"),
    ]);
    expect(rows.find((r) => r.action === "alert.acknowledge")!.details.note).toBe("looking");
  });
});
