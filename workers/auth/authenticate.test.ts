import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { apiKeys } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { database } from "../middleware/database.ts";
import { notFound, onError } from "../middleware/error-handler.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { authorize, scopeSatisfies } from "./authenticate.ts";
import { clearIsolateKeyCache, redisKeyFor } from "./key-store.ts";
import { redisFor } from "../clients/redis.ts";

function fixtureApp() {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use("*", database());
  app.post("/ingest", authorize({ scope: "ingest" }), (c) => c.json({ org: c.var.principal!.orgId }));
  app.get("/read", authorize({ scope: "read" }), (c) => c.json({ ok: true }));
  return app;
}

const app = fixtureApp();
const call = (path: string, key?: string, env = testEnv) =>
  app.request(path, { method: path === "/ingest" ? "POST" : "GET", headers: key === undefined ? {} : { authorization: key } }, env);

beforeEach(() => clearIsolateKeyCache());

describe("authorize()", () => {
  it.each([
    [undefined, /missing Authorization header/],
    ["Basic abc", /must be `Bearer <api key>`/],
    ["Bearer not-a-key", /malformed API key/],
    [`Bearer vgl_00000000_${"A".repeat(43)}`, /unknown API key/],
  ])("rejects %s with 401 and says why", async (header, message) => {
    const res = await call("/ingest", header);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toMatch(message);
  });

  it("admits a key with the scope and names the caller's org", async () => {
    const { org, key } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return { org, key: await seedKey(db, org.orgId, ["ingest"]) };
    });
    const res = await call("/ingest", `Bearer ${key.key}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ org: org.orgId });
  });

  it("answers 403 naming the missing scope", async () => {
    const key = await withDb(async (db) => seedKey(db, (await seedOrg(db)).orgId, ["read"]));
    const res = await call("/ingest", `Bearer ${key.key}`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`API key ${key.prefix} lacks the "ingest" scope`);
  });

  it("stops accepting a revoked key once caches expire, and honours a rotation overlap", async () => {
    const { revoked, overlapping } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return {
        revoked: await seedKey(db, org.orgId, ["read"]),
        overlapping: await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() + 3_600_000) }),
      };
    });
    expect((await call("/read", `Bearer ${revoked.key}`)).status).toBe(200);
    await withDb((db) => db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id)));
    clearIsolateKeyCache(); // what ISOLATE_TTL_MS does by itself within 30 s
    const res = await call("/read", `Bearer ${revoked.key}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked or expired/);
    // A rotated key still works until its overlap period ends.
    expect((await call("/read", `Bearer ${overlapping.key}`)).status).toBe(200);
  });

  it("caches key records in Redis so other isolates skip Postgres", async (ctx) => {
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip();
    const env = { ...testEnv, UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: upstashToken };
    const key = await withDb(async (db) => seedKey(db, (await seedOrg(db)).orgId, ["ingest"]));
    expect((await call("/ingest", `Bearer ${key.key}`, env)).status).toBe(200);
    const cached = await redisFor(env)!.get<{ keyId: string; scopes: string[] }>(redisKeyFor(key.hash));
    expect(cached).toMatchObject({ keyId: key.id, scopes: ["ingest"] });
    // With the Postgres unreachable, a fresh isolate cache still authenticates from Redis.
    clearIsolateKeyCache();
    const res = await call("/ingest", `Bearer ${key.key}`, { ...env, NEON_WS_PROXY: "127.0.0.1:9/v2" });
    expect(res.status).toBe(200);
  });
});

describe("scopeSatisfies", () => {
  it.each([
    [["admin"], "ingest", true],
    [["write"], "read", true],
    [["read"], "write", false],
    [["ingest"], "read", false],
    [["read", "ingest"], "ingest", true],
  ] as const)("%j satisfies %s: %s", (held, needed, expected) => {
    expect(scopeSatisfies(held, needed)).toBe(expected);
  });
});
