// authorize() with Redis as the key cache: workerd only (it needs the test Redis that
// vitest's global setup provides, and the app's database middleware). The rest of
// authenticate.ts is tested directly in authenticate.test.ts, which also runs in Node.
import { Hono } from "hono";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { redisFor } from "../clients/redis.ts";
import type { AppEnv } from "../env.ts";
import { database } from "../middleware/database.ts";
import { notFound, onError } from "../middleware/error-handler.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { authorize } from "./authenticate.ts";
import { clearIsolateKeyCache, redisKeyFor } from "./key-store.ts";

const app = new Hono<AppEnv>();
app.onError(onError);
app.notFound(notFound);
app.use("*", database());
app.post("/ingest", authorize({ scope: "ingest" }), (c) => c.json({ org: c.var.principal!.orgId }));

beforeEach(() => clearIsolateKeyCache());

describe("authorize() with Redis", () => {
  it("caches key records in Redis so other isolates skip Postgres", async (ctx) => {
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip("no test Redis (UPSTASH_REDIS_REST_URL) in this run");
    const env = { ...testEnv, UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: upstashToken };
    const key = await withDb(async (db) => seedKey(db, (await seedOrg(db)).orgId, ["ingest"]));
    const call = (e: typeof env) => app.request("/ingest", { method: "POST", headers: { authorization: `Bearer ${key.key}` } }, e);
    expect((await call(env)).status).toBe(200);
    const cached = await redisFor(env)!.get<{ keyId: string; scopes: string[] }>(redisKeyFor(key.hash));
    expect(cached).toMatchObject({ keyId: key.id, scopes: ["ingest"] });
    // With the Postgres unreachable, a fresh isolate cache still authenticates from Redis.
    clearIsolateKeyCache();
    const res = await call({ ...env, NEON_WS_PROXY: "127.0.0.1:9/v2" });
    expect(res.status).toBe(200);
  });
});
