// What a delivery attempt refuses to do: send to a URL the policy forbids now (whatever
// was stored), follow a redirect, read more than 64 KB of a reply, or store any of it.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { FetchLike } from "../channels/request.ts";
import { channels, deliveries, deliveryAttempts } from "../db/schema/index.ts";
import { withDb } from "../testing/seed.ts";
import { attemptDelivery } from "./deliver.ts";
import { queueDelivery } from "./fanout.ts";
import { testNotification } from "./snapshot.ts";
import { recordingFetch, seedModelVersion, type AlertFixture } from "./testing.ts";

const PROD = { allowLocal: false };
const LOCAL = { allowLocal: true };
const SECRET = "whsec_test_secret_value";
let f: AlertFixture;

beforeEach(async () => {
  f = await withDb(seedModelVersion);
});

/** A channel written straight to the table, as one saved under an older rule would be. */
async function storedChannel(kind: string, config: Record<string, unknown>, secret: string | null = SECRET): Promise<string> {
  return withDb(async (db) => (await db.insert(channels).values({ orgId: f.orgId, name: kind, kind, config, secret }).returning())[0]!.id);
}

async function queued(channelId: string): Promise<string> {
  return withDb(async (db) => (await queueDelivery(db, f.orgId, channelId, testNotification(crypto.randomUUID(), { type: "system", id: "test" }, "https://vigil.example.com")))!);
}

async function attemptsOf(id: string) {
  return withDb((db) => db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)));
}

describe("a delivery attempt re-checks the receiver URL before every send", () => {
  it.each([
    ["webhook", { url: "https://10.0.0.5/hook" }, "private (10.0.0.0/8"],
    ["slack", { url: "https://hooks.192.168.1.20.nip.io/services/T/B/X" }, "embeds 192.168.1.20"],
    ["teams", { url: "https://[fd12::1]/wf" }, "unique local"],
    ["pagerduty", { routing_key: "R0UT1NGKEY00000000000000000000AB", url: "https://100.64.0.7/v2/enqueue" }, "carrier-grade NAT"],
    ["retrain", { format: "github", repo: "acme/models", token: "ghp_storedtoken000000000000000000000", api_url: "https://ghe.internal/api/v3" }, ".internal"],
  ])("a %s channel stored with a forbidden URL is not sent, and the refusal is logged", async (kind, config, reason) => {
    const id = await queued(await storedChannel(kind, config));
    const rec = recordingFetch([200]);
    const o = await withDb((db) => attemptDelivery(db, id, { fetch: rec.fetch, policy: PROD }));
    expect(rec.requests).toEqual([]);
    expect(o).toMatchObject({ ok: false, status: "dead", statusCode: null, nextAttemptAt: null });
    expect(o!.error).toContain("not sent: the receiver URL must not point at a non-public address");
    expect(o!.error).toContain(reason);
    const log = await attemptsOf(id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ ok: false, error: o!.error });
    const [row] = await withDb((db) => db.select().from(deliveries).where(eq(deliveries.id, id)));
    expect(row).toMatchObject({ status: "dead", lastError: o!.error });
  });

  it("follows the deployment's policy at send time: loopback goes out in local development only", async () => {
    const channelId = await storedChannel("webhook", { url: "http://127.0.0.1:9/hook" });
    const rec = recordingFetch([200]);
    const local = await withDb(async (db) => attemptDelivery(db, await queued(channelId), { fetch: rec.fetch, policy: LOCAL }));
    expect(local).toMatchObject({ ok: true, status: "delivered" });
    const prod = await withDb(async (db) => attemptDelivery(db, await queued(channelId), { fetch: rec.fetch, policy: PROD }));
    expect(prod).toMatchObject({ ok: false, status: "dead" });
    expect(prod!.error).toContain("must use https");
    expect(rec.requests).toHaveLength(1);
  });
});

describe("a receiver's reply", () => {
  it("is not followed when it redirects: a 3xx is a failed attempt", async () => {
    const id = await queued(await storedChannel("webhook", { url: "https://receiver.example.com/hook" }));
    const seen: Array<{ url: string; redirect: string }> = [];
    const fetch: FetchLike = async (url, init) => {
      seen.push({ url, redirect: init.redirect });
      return new Response(null, { status: 307, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    };
    const o = await withDb((db) => attemptDelivery(db, id, { fetch, policy: PROD }));
    expect(o).toMatchObject({ ok: false, status: "pending", statusCode: 307, error: "HTTP 307 (redirect not followed)" });
    expect(seen).toEqual([{ url: "https://receiver.example.com/hook", redirect: "manual" }]);
  });

  it("is read only up to 64 KB and the rest of the transfer is cancelled", async () => {
    const id = await queued(await storedChannel("webhook", { url: "https://receiver.example.com/hook" }));
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    const total = 8 * 1024 * 1024;
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(ctrl) {
          if (pulled >= total) return ctrl.close();
          ctrl.enqueue(chunk);
          pulled += chunk.byteLength;
        },
        cancel() {
          cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const fetch: FetchLike = async () => new Response(body, { status: 500 });
    const o = await withDb((db) => attemptDelivery(db, id, { fetch, policy: PROD }));
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + chunk.byteLength);
    expect(cancelled).toBe(true);
    expect(o).toMatchObject({ ok: false, statusCode: 500, error: "HTTP 500" });
  });

  it("never reaches the delivery log, and its excerpt is short and redacted", async () => {
    const id = await queued(await storedChannel("slack", { url: "https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET123" }));
    const echo = [
      "upstream failed while handling https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET123",
      `headers: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl token=ghp_0123456789abcdefghijABCDEFGHIJ012345`,
      `secret ${SECRET} password=hunter2hunter2 key AKIAABCDEFGHIJKLMNOP`,
      "x".repeat(100_000),
    ].join("\n");
    const fetch: FetchLike = async () => new Response(echo, { status: 502 });
    const o = await withDb((db) => attemptDelivery(db, id, { fetch, policy: PROD }));
    expect(o).toMatchObject({ ok: false, statusCode: 502, error: "HTTP 502" });
    const log = await attemptsOf(id);
    expect(log.map((a) => a.error)).toEqual(["HTTP 502"]);
    const [row] = await withDb((db) => db.select().from(deliveries).where(eq(deliveries.id, id)));
    expect(row!.lastError).toBe("HTTP 502");
    // The admin-only excerpt: at most 200 characters, one line, nothing secret left.
    const excerpt = o!.excerpt!;
    expect(Array.from(excerpt).length).toBeLessThanOrEqual(200);
    expect(excerpt).toContain("upstream failed");
    expect(excerpt).not.toMatch(/\n/);
    for (const secret of ["SLACKPATHSECRET123", "services/T000", "eyJhbGci", "ghp_0123", SECRET, "hunter2", "AKIAABCD"]) expect(excerpt).not.toContain(secret);
  });

  it("of a 2xx is not read at all", async () => {
    const id = await queued(await storedChannel("webhook", { url: "https://receiver.example.com/hook" }));
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(ctrl) {
          if (pulled === 1024) return ctrl.close();
          pulled += 1;
          ctrl.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    const fetch: FetchLike = async () => new Response(body, { status: 200 });
    const o = await withDb((db) => attemptDelivery(db, id, { fetch, policy: PROD }));
    expect(pulled).toBe(0);
    expect(o).toMatchObject({ ok: true, status: "delivered", error: null, excerpt: null });
  });
});
