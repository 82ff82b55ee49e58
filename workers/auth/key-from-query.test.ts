// `?key=` on its own, in a bare Hono app: which principal it sets and what it refuses.
// Key records reach the middleware through key-store's isolate cache, primed here through
// the store's Redis dependency (KeyStoreDeps.redis); an unknown key is read from a
// database double that finds no row. The routes that use `?key=` are tested against
// Postgres in workerd (routes/live, routes/integrations); these cases need neither.
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { onError } from "../middleware/error-handler.ts";
import { requestKeyHash } from "./api-key.ts";
import { keyFromQuery } from "./key-from-query.ts";
import { clearIsolateKeyCache, lookupKey, type KeyRecord } from "./key-store.ts";

afterEach(() => clearIsolateKeyCache());

const KEY = "vgl_ab12cd34_0123456789abcdef0123456789abcdef0123";
const RECORD: KeyRecord = {
  keyId: "11111111-1111-4111-8111-111111111111", orgId: "22222222-2222-4222-8222-222222222222", prefix: "vgl_ab12cd34",
  scopes: ["ingest", "read"], projectId: "33333333-3333-4333-8333-333333333333", modelId: "44444444-4444-4444-8444-444444444444",
  revokedAt: null, expiresAt: null,
};

/** A database whose api_keys table has no row for any hash. */
const noRows = {
  select: () => ({ from: () => ({ where: () => ({ limit: async () => [] }) }) }),
} as unknown as Database;

let reads = 0;
const countingDb = () => {
  reads++;
  return noRows;
};

/** Puts `record` in this isolate's key cache, as a Redis hit would. */
async function known(key: string, record: KeyRecord): Promise<void> {
  const redis = { get: async <T,>() => record as T, set: async () => "OK", del: async () => 1 };
  await lookupKey(await requestKeyHash(key), { redis, db: () => { throw new Error("not read"); } });
}

function app() {
  const a = new Hono<AppEnv>();
  a.onError(onError);
  a.use("*", async (c, next) => {
    c.set("db", countingDb);
    await next();
  });
  a.get("/live", keyFromQuery(), (c) => c.json({ principal: c.var.principal ?? null }));
  return a;
}

const get = (query: string) => app().request(`/live${query}`, {}, {});

describe("keyFromQuery", () => {
  it("sets the key's principal, with its scopes and limits", async () => {
    await known(KEY, RECORD);
    const res = await get(`?key=${KEY}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      principal: { kind: "api_key", orgId: RECORD.orgId, keyId: RECORD.keyId, prefix: "vgl_ab12cd34", scopes: ["ingest", "read"], projectId: RECORD.projectId, modelId: RECORD.modelId },
    });
  });

  it("leaves a request without ?key= (or with an empty one) to the other auth, reading no key", async () => {
    reads = 0;
    expect(await (await get("")).json()).toEqual({ principal: null });
    expect(await (await get("?key=")).json()).toEqual({ principal: null });
    expect(reads).toBe(0);
  });

  it("refuses an unknown key with 401", async () => {
    reads = 0;
    const res = await get("?key=vgl_00000000_unknown");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "unknown API key" } });
    expect(reads).toBe(1);
  });

  it("refuses a revoked or expired key with 401, naming its prefix", async () => {
    const past = Date.now() - 1_000;
    await known(KEY, { ...RECORD, revokedAt: past });
    const revoked = await get(`?key=${KEY}`);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: { code: "unauthorized", message: "API key vgl_ab12cd34 is revoked or expired" } });

    clearIsolateKeyCache();
    await known(KEY, { ...RECORD, expiresAt: past });
    expect((await get(`?key=${KEY}`)).status).toBe(401);
  });
});
