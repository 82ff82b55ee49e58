import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { channels, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import { testEnv, withDb } from "../testing/seed.ts";
import { MAX_ATTEMPTS } from "./backoff.ts";
import { attemptDelivery, deliverDue, STALE_CLAIM_MS } from "./deliver.ts";
import { queueDelivery } from "./fanout.ts";
import { setOutboundFetch } from "./outbound.ts";
import { testNotification } from "./snapshot.ts";
import { recordingFetch, seedModelVersion, type AlertFixture } from "./testing.ts";

const app = createApp();
const PROD = { allowLocal: false };
let f: AlertFixture;
let channelId: string;

beforeEach(async () => {
  f = await withDb(seedModelVersion);
  channelId = await withDb(async (db) => {
    const [ch] = await db.insert(channels).values({ orgId: f.orgId, name: "hook", kind: "webhook", config: { url: "https://receiver.example.com/hook" }, secret: "whsec_test_secret_value" }).returning();
    return ch!.id;
  });
});
afterEach(() => setOutboundFetch(undefined));

async function queued(): Promise<string> {
  return withDb(async (db) => (await queueDelivery(db, f.orgId, channelId, testNotification(crypto.randomUUID(), { type: "system", id: "test" }, "https://vigil.example.com")))!);
}

describe("delivery outbox", () => {
  it("a receiver that fails the first 3 attempts gets exactly one successful delivery, with one idempotency key", async () => {
    const id = await queued();
    const rec = recordingFetch([500, 503, 502, 200]);
    let now = Date.now();
    const outcomes = await withDb(async (db) => {
      const seen = [];
      // Each pass runs at the time the previous failure scheduled; extra passes must send nothing.
      for (let pass = 0; pass < 8; pass++) {
        const { outcomes, nextDueAt } = await deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => now, random: () => 0.5 });
        seen.push(...outcomes);
        if (!nextDueAt) break;
        now = Math.max(now, nextDueAt.getTime());
      }
      return seen;
    });
    expect(outcomes.map((o) => o.status)).toEqual(["pending", "pending", "pending", "delivered"]);
    expect(rec.requests).toHaveLength(4);
    expect(new Set(rec.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([id]));
    // The waits grow: 10 s·2^(n-1)·0.5 with the fixed jitter draw.
    const log = await withDb((db) => db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)));
    expect(log.map((a) => [a.attempt, a.ok, a.statusCode])).toEqual([[1, false, 500], [2, false, 503], [3, false, 502], [4, true, 200]]);
    const gaps = log.slice(1).map((a, i) => a.at.getTime() - log[i]!.at.getTime());
    expect(gaps).toEqual([5_000, 10_000, 20_000]);
    // Delivered is final: neither a pass nor a manual attempt sends it again.
    expect(await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch, manual: true }))).toBeUndefined();
    expect(rec.requests).toHaveLength(4);
  });

  it("dead-letters after the last attempt, and a manual redelivery sends it once more with the same key", async () => {
    const id = await queued();
    const failing = recordingFetch([500]);
    await withDb(async (db) => {
      await db.update(deliveries).set({ attempts: MAX_ATTEMPTS - 1 }).where(eq(deliveries.id, id));
      const o = await attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch });
      expect(o).toMatchObject({ status: "dead", attempt: MAX_ATTEMPTS, nextAttemptAt: null });
    });
    const key = `Bearer ${f.key}`;
    const redeliver = () => app.request(`/v1/deliveries/${id}/redeliver`, { method: "POST", headers: { authorization: key } }, testEnv);

    // A dead letter that fails again stays dead (one manual attempt, no new schedule).
    setOutboundFetch(failing.fetch);
    const again = await redeliver();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS + 1, last_status_code: 500 });

    const ok = recordingFetch([200]);
    setOutboundFetch(ok.fetch);
    const res = await redeliver();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; log: unknown[] };
    expect(body.status).toBe("delivered");
    expect(body.log).toHaveLength(MAX_ATTEMPTS + 2 - (MAX_ATTEMPTS - 1));
    expect(ok.requests[0]!.headers["idempotency-key"]).toBe(id);
    expect(failing.requests.map((r) => r.headers["idempotency-key"])).toEqual([id, id]);
    // A delivered one is never sent twice.
    const twice = await redeliver();
    expect(twice.status).toBe(409);
    expect(ok.requests).toHaveLength(1);
  });

  it("does not send to a deleted channel, and dead-letters instead", async () => {
    const id = await queued();
    await withDb((db) => db.update(channels).set({ deletedAt: new Date() }).where(eq(channels.id, channelId)));
    const rec = recordingFetch([200]);
    const o = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch }));
    expect(o).toMatchObject({ status: "dead", error: "channel deleted" });
    expect(rec.requests).toEqual([]);
  });

  it("holds deliveries to a disabled channel on the retry schedule and sends them once it is enabled again", async () => {
    const id = await queued();
    await withDb((db) => db.update(channels).set({ enabled: false }).where(eq(channels.id, channelId)));
    const rec = recordingFetch([200]);
    const paused = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch }));
    expect(paused).toMatchObject({ status: "pending", error: "channel disabled" });
    expect(rec.requests).toEqual([]);
    await withDb((db) => db.update(channels).set({ enabled: true }).where(eq(channels.id, channelId)));
    const sent = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => paused!.nextAttemptAt!.getTime() }));
    expect(sent.outcomes.map((o) => o.status)).toEqual(["delivered"]);
    expect(rec.requests).toHaveLength(1);
  });

  it("queues one delivery per notification and channel however often it is queued", async () => {
    const n = testNotification("same-notification", { type: "system", id: "test" }, "https://vigil.example.com");
    const ids = await withDb(async (db) => [await queueDelivery(db, f.orgId, channelId, n), await queueDelivery(db, f.orgId, channelId, n)]);
    expect(ids[0]).toBeTypeOf("string");
    expect(ids[1]).toBeUndefined();
  });

  it("redeliver answers 404 for another org's delivery", async () => {
    const id = await queued();
    const other = await withDb(seedModelVersion);
    const res = await app.request(`/v1/deliveries/${id}/redeliver`, { method: "POST", headers: { authorization: `Bearer ${other.key}` } }, testEnv);
    expect(res.status).toBe(404);
  });

  it("retries a delivery whose dispatcher died mid-send once the claim is stale", async () => {
    const id = await queued();
    const t0 = Date.now();
    await withDb((db) => db.update(deliveries).set({ status: "delivering", attempts: 1, lastAttemptAt: new Date(t0) }).where(eq(deliveries.id, id)));
    const rec = recordingFetch([200]);
    const early = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => t0 + 1_000 }));
    expect(early.outcomes).toEqual([]);
    expect(early.nextDueAt?.getTime()).toBe(t0 + STALE_CLAIM_MS);
    const late = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => t0 + STALE_CLAIM_MS }));
    expect(late.outcomes.map((o) => [o.status, o.attempt])).toEqual([["delivered", 2]]);
    expect(rec.requests[0]!.headers["idempotency-key"]).toBe(id);
  });
});
