import { afterEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../db/client.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { hashApiKey } from "./api-key.ts";
import { clearIsolateKeyCache, invalidateKey, isKeyUsable, ISOLATE_TTL_MS, lookupKey, REDIS_TTL_S, redisKeyFor, STALE_IF_ERROR_MS, type KeyRecord } from "./key-store.ts";

afterEach(() => clearIsolateKeyCache());

describe("lookupKey", () => {
  it("reads a key no request has read yet once, however many requests ask for it at the same time", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { key } = await seedKey(db, orgId, ["ingest"]);
      const hash = await hashApiKey(key);
      let reads = 0;
      const counting = (): Database => {
        reads++;
        return db;
      };
      const records = await Promise.all(Array.from({ length: 50 }, () => lookupKey(hash, { db: counting })));
      expect(reads).toBe(1);
      expect(new Set(records.map((r) => r?.orgId))).toEqual(new Set([orgId]));
    });
  });

  it("lets the next request read when a read fails, and reports the failure to each", async () => {
    let reads = 0;
    const down = (): Database => {
      reads++;
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    };
    const hash = await hashApiKey("vgl_00000000_never-read");
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => lookupKey(hash, { db: down })));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(reads).toBe(3);
  });
});

describe("isKeyUsable", () => {
  const record: KeyRecord = { keyId: "k", orgId: "o", prefix: "vgl_test", scopes: ["read"], projectId: null, modelId: null, revokedAt: null, expiresAt: null };

  it("is usable until the instant it is revoked or expires, not at that instant", () => {
    expect(isKeyUsable(record, 1_000)).toBe(true);
    expect(isKeyUsable({ ...record, revokedAt: 1_001 }, 1_000)).toBe(true);
    expect(isKeyUsable({ ...record, revokedAt: 1_000 }, 1_000)).toBe(false);
    expect(isKeyUsable({ ...record, expiresAt: 1_001 }, 1_000)).toBe(true);
    expect(isKeyUsable({ ...record, expiresAt: 1_000 }, 1_000)).toBe(false);
    expect(isKeyUsable({ ...record, revokedAt: 2_000, expiresAt: 999 }, 1_000)).toBe(false);
  });
});

/** Redis as KeyStoreDeps sees it, in memory, recording what is written; `get` can be held. */
function memoryRedis() {
  const values = new Map<string, unknown>();
  const sets: { key: string; value: unknown; opts: { ex: number } }[] = [];
  const deleted: string[] = [];
  let hold: Promise<void> | undefined;
  let down = false;
  return {
    values, sets, deleted,
    holdReads(until: Promise<void>) { hold = until; },
    fail() { down = true; },
    async get<T>(key: string): Promise<T | null> {
      if (hold) await hold;
      if (down) throw new Error("redis unavailable");
      return (values.get(key) as T | undefined) ?? null;
    },
    async set(key: string, value: unknown, opts: { ex: number }) { sets.push({ key, value, opts }); values.set(key, value); return "OK"; },
    async del(key: string) { deleted.push(key); values.delete(key); return 1; },
  };
}

describe("lookupKey's caches", () => {
  afterEach(() => vi.useRealTimers());

  it("reads Postgres once, keeps the record in the isolate, and writes it to Redis for 30 s", async () => {
    await withDb(async (db) => {
      const { orgId, projectId } = await seedOrg(db);
      const revokedAt = new Date(Date.now() + 60_000);
      const expiresAt = new Date(Date.now() + 3_600_000);
      const { hash, id, prefix } = await seedKey(db, orgId, ["ingest"], { projectId, revokedAt, expiresAt });
      const redis = memoryRedis();
      let reads = 0;
      const counting = (): Database => (reads++, db);
      const record = await lookupKey(hash, { redis, db: counting });
      expect(record).toEqual({ keyId: id, orgId, prefix, scopes: ["ingest"], projectId, modelId: null, revokedAt: revokedAt.getTime(), expiresAt: expiresAt.getTime() });
      expect(redis.sets).toEqual([{ key: `vigil:apikey:${hash}`, value: record, opts: { ex: REDIS_TTL_S } }]);
      expect(await lookupKey(hash, { redis, db: counting })).toEqual(record);
      expect(reads).toBe(1);
    });
  });

  it("takes a record Redis has without asking Postgres, and asks Postgres when Redis is down", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { hash, id } = await seedKey(db, orgId, ["read"]);
      const cached: KeyRecord = { keyId: id, orgId, prefix: "vgl_cached", scopes: ["read"], projectId: null, modelId: null, revokedAt: null, expiresAt: null };
      const redis = memoryRedis();
      redis.values.set(redisKeyFor(hash), cached);
      const unreachable = (): Database => { throw new Error("postgres not expected"); };
      expect(await lookupKey(hash, { redis, db: unreachable })).toEqual(cached);

      clearIsolateKeyCache();
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      redis.fail();
      expect((await lookupKey(hash, { redis, db: () => db }))?.keyId).toBe(id);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("api key cache (redis) unavailable"));
      errors.mockRestore();
    });
  });

  it("remembers an unknown key for 5 s, and writes nothing to Redis for it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await withDb(async (db) => {
      const redis = memoryRedis();
      let reads = 0;
      const counting = (): Database => (reads++, db);
      const hash = await hashApiKey(`vgl_00000000_unknown-${Date.now()}`);
      expect(await lookupKey(hash, { redis, db: counting })).toBeNull();
      vi.setSystemTime(Date.now() + 4_999);
      expect(await lookupKey(hash, { redis, db: counting })).toBeNull();
      expect(reads).toBe(1);
      vi.setSystemTime(Date.now() + 1);
      expect(await lookupKey(hash, { redis, db: counting })).toBeNull();
      expect(reads).toBe(2);
      expect(redis.sets).toEqual([]);
    });
  });

  it("keeps a key read within 5 minutes working while Postgres is down, and not after", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { hash, id } = await seedKey(db, orgId, ["ingest"]);
      const read = await lookupKey(hash, { db: () => db });
      const down = (): Database => { throw new Error("connect ECONNREFUSED 127.0.0.1:5432"); };
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const start = Date.now();
      vi.setSystemTime(start + ISOLATE_TTL_MS);
      expect(await lookupKey(hash, { db: down })).toEqual(read);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("api key store (postgres) unavailable, using the record of"));
      vi.setSystemTime(start + STALE_IF_ERROR_MS - 1);
      expect((await lookupKey(hash, { db: down }))?.keyId).toBe(id);
      // Each fallback keeps the record in the isolate for 5 s more; after that, nothing is left.
      vi.setSystemTime(start + STALE_IF_ERROR_MS - 1 + 5_000);
      await expect(lookupKey(hash, { db: down })).rejects.toThrow("ECONNREFUSED");
      errors.mockRestore();
    });
  });

  it("answers with the record read last while another request reads the key again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { hash } = await seedKey(db, orgId, ["ingest"]);
      const redis = memoryRedis();
      const first = await lookupKey(hash, { redis, db: () => db });
      vi.setSystemTime(Date.now() + ISOLATE_TTL_MS);
      let release: () => void = () => undefined;
      redis.holdReads(new Promise<void>((resolve) => (release = resolve)));
      const rereading = lookupKey(hash, { redis, db: () => db });
      // The re-read waits on Redis; another request meanwhile gets the record read last.
      expect(await lookupKey(hash, { redis, db: () => db })).toEqual(first);
      release();
      expect(await rereading).toEqual(first);
    });
  });

  it("forgets a key on invalidation, in the isolate and in Redis", async () => {
    await withDb(async (db) => {
      const { orgId } = await seedOrg(db);
      const { hash } = await seedKey(db, orgId, ["read"]);
      const redis = memoryRedis();
      let reads = 0;
      const counting = (): Database => (reads++, db);
      await lookupKey(hash, { redis, db: counting });
      await invalidateKey(hash, { redis });
      expect(redis.deleted).toEqual([`vigil:apikey:${hash}`]);
      await lookupKey(hash, { redis, db: counting });
      expect(reads).toBe(2);
      // Without Redis, only the isolate forgets.
      await invalidateKey(hash, {});
      await lookupKey(hash, { redis, db: counting });
      expect(reads).toBe(2);
    });
  });
});
