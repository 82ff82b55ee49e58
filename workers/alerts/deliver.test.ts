import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { FetchLike } from "../channels/request.ts";
import { channels, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import { withDb } from "../testing/seed.ts";
import { MAX_ATTEMPTS } from "./backoff.ts";
import { attemptDelivery, deliverDue, STALE_CLAIM_MS } from "./deliver.ts";
import { queueDelivery } from "./fanout.ts";
import { testNotification } from "./snapshot.ts";
import { recordingFetch, seedModelVersion, seedWebhookChannel, type AlertFixture } from "./testing.ts";

const PROD = { allowLocal: false };
let f: AlertFixture;
let channelId: string;

beforeEach(async () => {
  f = await withDb(seedModelVersion);
  channelId = await withDb((db) => seedWebhookChannel(db, f.orgId));
});

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

  it("dead-letters after the last attempt; a manual attempt at a dead letter sends once, and one that fails stays dead", async () => {
    const id = await queued();
    const failing = recordingFetch([500]);
    await withDb(async (db) => {
      await db.update(deliveries).set({ attempts: MAX_ATTEMPTS - 1 }).where(eq(deliveries.id, id));
      expect(await attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch })).toMatchObject({ status: "dead", attempt: MAX_ATTEMPTS, nextAttemptAt: null });
      // Not due: a scheduled pass leaves a dead letter alone.
      expect(await attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch })).toBeUndefined();
      expect((await deliverDue(db, f.orgId, { policy: PROD, fetch: failing.fetch })).outcomes).toEqual([]);
      expect(await attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch, manual: true })).toMatchObject({ status: "dead", attempt: MAX_ATTEMPTS + 1, nextAttemptAt: null, statusCode: 500 });
      const ok = recordingFetch([200]);
      expect(await attemptDelivery(db, id, { policy: PROD, fetch: ok.fetch, manual: true })).toMatchObject({ status: "delivered", ok: true, nextAttemptAt: null });
      expect(ok.requests[0]!.headers["idempotency-key"]).toBe(id);
      expect(failing.requests.map((r) => r.headers["idempotency-key"])).toEqual([id, id]);
    });
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

describe("a delivery attempt, step by step", () => {
  const rowOf = (id: string) => withDb(async (db) => (await db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!);

  it("claims the row while it sends (delivering, the attempt counted, its time set), so a dispatcher that dies mid-send leaves it to the stale-claim retry", async () => {
    const id = await queued();
    const now = Date.now();
    let during: Awaited<ReturnType<typeof rowOf>> | undefined;
    const fetch: FetchLike = async () => {
      during = await rowOf(id);
      return new Response("ok", { status: 200 });
    };
    const o = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch, now: () => now }));
    expect(during).toMatchObject({ status: "delivering", attempts: 1, lastAttemptAt: new Date(now) });
    expect(o).toMatchObject({ status: "delivered", attempt: 1, nextAttemptAt: null });
    expect(await rowOf(id)).toMatchObject({ status: "delivered", nextAttemptAt: null, deliveredAt: new Date(now) });
  });

  it("does not claim a row another dispatcher claimed less than STALE_CLAIM_MS ago", async () => {
    const id = await queued();
    const t0 = Date.now();
    await withDb((db) => db.update(deliveries).set({ status: "delivering", attempts: 1, lastAttemptAt: new Date(t0) }).where(eq(deliveries.id, id)));
    const rec = recordingFetch([200]);
    expect(await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch, now: () => t0 + STALE_CLAIM_MS - 1 }))).toBeUndefined();
    expect(rec.requests).toEqual([]);
    expect(await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch, now: () => t0 + STALE_CLAIM_MS }))).toMatchObject({ status: "delivered", attempt: 2 });
  });

  it("counts a delivery another dispatcher took between the due list and the claim as not sent here", async () => {
    const first = await queued();
    const second = await queued();
    const other = recordingFetch([200]);
    const here: string[] = [];
    // While this dispatcher sends the first, another one takes the second.
    const fetch: FetchLike = async (_url, init) => {
      here.push(init.headers["webhook-id"]!);
      if (here.length === 1) await withDb((db) => attemptDelivery(db, here[0] === first ? second : first, { policy: PROD, fetch: other.fetch }));
      return new Response("ok", { status: 200 });
    };
    const { outcomes } = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch }));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.status).toBe("delivered");
    expect(here).toHaveLength(1);
    expect(other.requests).toHaveLength(1);
  });

  it("sends at most `limit` due deliveries a pass, the longest due first, and skips a fresh claim", async () => {
    const now = Date.now();
    const [a, b, claimed] = [await queued(), await queued(), await queued()];
    await withDb(async (db) => {
      await db.update(deliveries).set({ nextAttemptAt: new Date(now - 2_000) }).where(eq(deliveries.id, b));
      await db.update(deliveries).set({ nextAttemptAt: new Date(now - 1_000) }).where(eq(deliveries.id, a));
      // Claimed a second ago, and first in line by its schedule: not due until the claim is stale.
      await db.update(deliveries).set({ status: "delivering", attempts: 1, lastAttemptAt: new Date(now - 1_000), nextAttemptAt: new Date(now - 3_000) }).where(eq(deliveries.id, claimed));
    });
    const rec = recordingFetch([200]);
    const one = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => now, limit: 1 }));
    expect(one.outcomes.map((o) => o.deliveryId)).toEqual([b]);
    // Still due: a; the claim falls due when it goes stale.
    expect(one.nextDueAt?.getTime()).toBe(now - 1_000);
  });

  it("falls due next at the earlier of the next scheduled retry and the next stale claim", async () => {
    const now = Date.now();
    const [scheduled, claimed] = [await queued(), await queued()];
    await withDb(async (db) => {
      await db.update(deliveries).set({ nextAttemptAt: new Date(now + 60_000) }).where(eq(deliveries.id, scheduled));
      await db.update(deliveries).set({ status: "delivering", attempts: 1, lastAttemptAt: new Date(now) }).where(eq(deliveries.id, claimed));
    });
    const rec = recordingFetch([200]);
    const pass = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => now }));
    expect(pass.outcomes).toEqual([]);
    expect(pass.nextDueAt?.getTime()).toBe(now + 60_000);
    await withDb((db) => db.update(deliveries).set({ nextAttemptAt: new Date(now + STALE_CLAIM_MS + 1) }).where(eq(deliveries.id, scheduled)));
    const later = await withDb((db) => deliverDue(db, f.orgId, { policy: PROD, fetch: rec.fetch, now: () => now }));
    expect(later.nextDueAt?.getTime()).toBe(now + STALE_CLAIM_MS);
  });

  it("a manual attempt sends a delivery that is not due yet, and one that fails stays on its schedule", async () => {
    const id = await queued();
    const now = Date.now();
    await withDb((db) => db.update(deliveries).set({ nextAttemptAt: new Date(now + 3_600_000) }).where(eq(deliveries.id, id)));
    const failing = recordingFetch([500]);
    const o = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch, now: () => now, random: () => 0.5, manual: true }));
    expect(failing.requests).toHaveLength(1);
    expect(o).toMatchObject({ status: "pending", attempt: 1 });
    expect(o!.nextAttemptAt).not.toBeNull();
  });

  it("a manual attempt at a dead letter that fails leaves it dead, whatever its attempt count", async () => {
    const id = await queued();
    // Dead-lettered at its first attempt (a refused URL since fixed, say), not by running out of attempts.
    await withDb((db) => db.update(deliveries).set({ status: "dead", attempts: 1, nextAttemptAt: null }).where(eq(deliveries.id, id)));
    const failing = recordingFetch([500]);
    const o = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: failing.fetch, random: () => 0.5, manual: true }));
    expect(o).toMatchObject({ status: "dead", attempt: 2, nextAttemptAt: null, statusCode: 500 });
  });

  it("signs with the attempt's time in unix seconds", async () => {
    const id = await queued();
    const rec = recordingFetch([200]);
    await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: rec.fetch, now: () => 1_800_000_000_999 }));
    expect(rec.requests[0]!.headers["webhook-timestamp"]).toBe("1800000000");
  });

  it("gives the attempt its timeout, and keeps the channel's own secrets out of the reply excerpt", async () => {
    const secret = "correct horse battery staple";
    const plainChannel = await withDb(async (db) => (await db.insert(channels).values({ orgId: f.orgId, name: "plain", kind: "webhook", config: { url: "https://receiver.example.com/plain" }, secret }).returning())[0]!.id);
    const id = await withDb(async (db) => (await queueDelivery(db, f.orgId, plainChannel, testNotification(crypto.randomUUID(), { type: "system", id: "test" }, "https://vigil.example.com")))!);
    const echo: FetchLike = async () => new Response(`bad signature, expected key ${secret}`, { status: 401 });
    const echoed = await withDb((db) => attemptDelivery(db, id, { policy: PROD, fetch: echo, random: () => 0.5 }));
    expect(echoed!.excerpt).not.toContain(secret);
    expect(echoed!.excerpt).toContain("[redacted]");

    const hanging: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const second = await queued();
    const started = Date.now();
    const timedOut = await withDb((db) => attemptDelivery(db, second, { policy: PROD, fetch: hanging, timeoutMs: 50, random: () => 0.5 }));
    expect(timedOut).toMatchObject({ ok: false, error: "timed out after 50 ms", status: "pending" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
