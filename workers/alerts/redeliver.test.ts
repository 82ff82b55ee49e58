// POST /v1/deliveries/:id/redeliver through the app, against Postgres in workerd. The
// delivery logic itself (deliver.test.ts) needs no app and also runs in the mutation
// config's Node project; these need the route, its auth and the database binding.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { deliveries } from "../db/schema/index.ts";
import { testEnv, withDb } from "../testing/seed.ts";
import { MAX_ATTEMPTS } from "./backoff.ts";
import { attemptDelivery } from "./deliver.ts";
import { queueDelivery } from "./fanout.ts";
import { setOutboundFetch } from "./outbound.ts";
import { testNotification } from "./snapshot.ts";
import { recordingFetch, seedModelVersion, seedWebhookChannel, type AlertFixture } from "./testing.ts";

const app = createApp();
const PROD = { allowLocal: false };
let f: AlertFixture;
let channelId: string;

beforeEach(async () => {
  f = await withDb(seedModelVersion);
  channelId = await withDb((db) => seedWebhookChannel(db, f.orgId));
});
afterEach(() => setOutboundFetch(undefined));

async function queued(): Promise<string> {
  return withDb(async (db) => (await queueDelivery(db, f.orgId, channelId, testNotification(crypto.randomUUID(), { type: "system", id: "test" }, "https://vigil.example.com")))!);
}

describe("redelivering a dead letter", () => {
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

  it("redeliver answers 404 for another org's delivery", async () => {
    const id = await queued();
    const other = await withDb(seedModelVersion);
    const res = await app.request(`/v1/deliveries/${id}/redeliver`, { method: "POST", headers: { authorization: `Bearer ${other.key}` } }, testEnv);
    expect(res.status).toBe(404);
  });

});
