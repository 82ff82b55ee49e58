// Real deliveries, produced by the code paths that send them (a test send through the
// API, a retry through deliverDue, an alert through the org's AlertDispatcher) and
// captured at the outbound fetch, verified with the `standardwebhooks` reference
// library and with Vigil-Signature, and replayed under a changed id to show it fails.
import { Webhook } from "standardwebhooks";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { verifySignature } from "../channels/signature.ts";
import { channels, deliveries } from "../db/schema/index.ts";
import { testEnv, withDb } from "../testing/seed.ts";
import { deliverDue } from "./deliver.ts";
import { setOutboundFetch } from "./outbound.ts";
import { evaluatorEvent, recordingFetch, seedModelVersion, type AlertFixture, type Recorded } from "./testing.ts";

const app = createApp();
const PROD = { allowLocal: false };
let f: AlertFixture;

beforeEach(async () => {
  f = await withDb(seedModelVersion);
});
afterEach(() => setOutboundFetch(undefined));

async function webhookChannel(): Promise<{ id: string; secret: string }> {
  const res = await app.request("/v1/channels", {
    method: "POST",
    headers: { authorization: `Bearer ${f.key}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "hook", kind: "webhook", config: { url: "https://receiver.example.com/hook" } }),
  }, testEnv);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

function testSend(channelId: string) {
  return app.request(`/v1/channels/${channelId}/test`, { method: "POST", headers: { authorization: `Bearer ${f.key}` } }, testEnv);
}

const now = () => Math.floor(Date.now() / 1000);

/** What a receiver does with each signature scheme; throws or returns false on a bad request. */
function verifyStandard(secret: string | Webhook, r: Pick<Recorded, "body" | "headers">): unknown {
  return (typeof secret === "string" ? new Webhook(secret) : secret).verify(r.body, r.headers);
}

describe("signed deliveries", () => {
  it("a test send and its retry verify with the standardwebhooks package, under one webhook-id", async () => {
    const rec = recordingFetch([500, 200]);
    setOutboundFetch(rec.fetch);
    const ch = await webhookChannel();
    expect(ch.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    const first = (await (await testSend(ch.id)).json()) as { delivery_id: string; status: string };
    expect(first.status).toBe("pending");
    const [row] = await withDb((db) => db.select().from(deliveries).where(eq(deliveries.id, first.delivery_id)));
    await withDb((db) => deliverDue(db, f.orgId, { fetch: rec.fetch, policy: PROD, now: () => row!.nextAttemptAt!.getTime() }));
    expect(rec.requests).toHaveLength(2);
    for (const r of rec.requests) {
      expect(verifyStandard(ch.secret, r)).toMatchObject({ type: "test", alert: null });
      expect(r.headers["webhook-id"]).toBe(first.delivery_id);
      expect(r.headers["idempotency-key"]).toBe(first.delivery_id);
      expect(Math.abs(Number(r.headers["webhook-timestamp"]) - now())).toBeLessThan(60);
      expect((await verifySignature(ch.secret, r.body, r.headers["vigil-signature"]!, Number(r.headers["webhook-timestamp"]), { idempotencyKey: first.delivery_id })).ok).toBe(true);
    }
  });

  it("a captured delivery replayed under a changed id, or with a changed body, fails both schemes", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const ch = await webhookChannel();
    const sent = (await (await testSend(ch.id)).json()) as { delivery_id: string };
    const captured = rec.requests[0]!;
    expect(verifyStandard(ch.secret, captured)).toBeTruthy();
    const fresh = crypto.randomUUID();
    const replayed = { body: captured.body, headers: { ...captured.headers, "webhook-id": fresh, "idempotency-key": fresh } };
    expect(() => verifyStandard(ch.secret, replayed)).toThrow("No matching signature found");
    const tampered = { body: captured.body.replace('"test"', '"alert.opened"'), headers: captured.headers };
    expect(() => verifyStandard(ch.secret, tampered)).toThrow("No matching signature found");
    const t = Number(captured.headers["webhook-timestamp"]);
    expect(await verifySignature(ch.secret, captured.body, captured.headers["vigil-signature"]!, t, { idempotencyKey: fresh })).toEqual({ ok: false, reason: "signature mismatch" });
    expect((await verifySignature(ch.secret, captured.body, captured.headers["vigil-signature"]!, t, { idempotencyKey: sent.delivery_id })).ok).toBe(true);
  });

  it("an alert sent by the dispatcher verifies too", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const ch = await webhookChannel();
    const dispatcher = testEnv.AlertDispatcher.get(testEnv.AlertDispatcher.idFromName(f.orgId));
    await dispatcher.enqueue(f.orgId, [evaluatorEvent(f, "8a1f3c2e-4b5d-4e6f-9a7b-1c2d3e4f5a6b", "fired", Date.now())]);
    await dispatcher.drain();
    const hook = rec.requests.find((r) => r.url === "https://receiver.example.com/hook")!;
    expect(verifyStandard(ch.secret, hook)).toMatchObject({ type: "alert.opened", alert: { model: f.model } });
  });

  it("a channel whose secret predates the whsec_ base64 form keeps Vigil-Signature v1 and verifies with the documented raw key", async () => {
    const rec = recordingFetch([200]);
    setOutboundFetch(rec.fetch);
    const ch = await webhookChannel();
    const legacy = "whsec_Ab-_cdEFghIJklMNopQRstUVwxYZ0123456789abcde"; // base64url, no padding: the old form
    await withDb((db) => db.update(channels).set({ secret: legacy }).where(eq(channels.id, ch.id)));
    await testSend(ch.id);
    const r = rec.requests[0]!;
    const t = Number(r.headers["webhook-timestamp"]);
    expect((await verifySignature(legacy, r.body, r.headers["vigil-signature"]!, t)).ok).toBe(true);
    expect(() => verifyStandard(legacy, r)).toThrow(); // the library cannot read it as base64 …
    expect(verifyStandard(new Webhook(new TextEncoder().encode(legacy), { format: "raw" }), r)).toMatchObject({ type: "test" }); // … but takes its UTF-8 bytes
  });
});
