import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { apiKeys } from "../db/schema/index.ts";
import type { ApiKeyScope } from "./api-key.ts";
import { InFlight } from "../cache/in-flight.ts";
import { TtlCache } from "./key-cache.ts";
import { logError } from "../security/log-safe.ts";

/** What auth needs to know about a key; cached in the isolate and in Redis. */
export interface KeyRecord {
  keyId: string;
  orgId: string;
  prefix: string;
  scopes: ApiKeyScope[];
  projectId: string | null;
  modelId: string | null;
  /** Epoch ms; a rotated key stays valid until its overlap period ends. */
  revokedAt: number | null;
  expiresAt: number | null;
}

/**
 * Cache lifetimes. A revoked key's Redis entry is deleted at once, and isolate copies
 * live at most ISOLATE_TTL_MS, so revocation takes effect within that bound (< 60 s).
 */
export const ISOLATE_TTL_MS = 30_000;
export const REDIS_TTL_S = 30;
const NEGATIVE_TTL_MS = 5_000;
/**
 * While Postgres cannot be reached, a key read from it (or Redis) within this long keeps
 * working, so ingest stays up through a database outage; revoking needs Postgres anyway.
 */
export const STALE_IF_ERROR_MS = 5 * 60_000;

const isolateCache = new TtlCache<KeyRecord | null>(10_000);
const lastKnown = new TtlCache<KeyRecord>(10_000);

export interface KeyStoreDeps {
  redis?: { get<T>(key: string): Promise<T | null>; set(key: string, value: unknown, opts: { ex: number }): Promise<unknown>; del(key: string): Promise<unknown> };
  db: () => Database;
}

export const redisKeyFor = (hash: string) => `vigil:apikey:${hash}`;

export function isKeyUsable(record: KeyRecord, now = Date.now()): boolean {
  return (record.revokedAt === null || record.revokedAt > now) && (record.expiresAt === null || record.expiresAt > now);
}

async function fromPostgres(db: Database, hash: string): Promise<KeyRecord | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hash)).limit(1);
  if (!row) return null;
  return {
    keyId: row.id,
    orgId: row.orgId,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    projectId: row.projectId,
    modelId: row.modelId,
    revokedAt: row.revokedAt?.getTime() ?? null,
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

/** While one request reads a key, the isolate's others take the record read last or wait. */
const reading = new InFlight(5_000);

/**
 * Finds a key by its hash: isolate cache, then Redis, then Postgres. With warm caches
 * the ingest hot path makes no Postgres round trip. Redis failures degrade to Postgres
 * rather than locking everyone out.
 */
export async function lookupKey(hash: string, deps: KeyStoreDeps): Promise<KeyRecord | null> {
  return reading.load(hash, {
    fresh: () => isolateCache.get(hash),
    read: () => readKey(hash, deps),
    // The record read last is at most ISOLATE_TTL_MS (plus the read under way) old:
    // revocation still lands within a minute.
    stale: () => lastKnown.get(hash),
  });
}

async function readKey(hash: string, deps: KeyStoreDeps): Promise<KeyRecord | null> {
  if (deps.redis) {
    try {
      const hit = await deps.redis.get<KeyRecord>(redisKeyFor(hash));
      if (hit) {
        isolateCache.set(hash, hit, ISOLATE_TTL_MS);
        lastKnown.set(hash, hit, STALE_IF_ERROR_MS);
        return hit;
      }
    } catch (err) {
      logError("api key cache (redis) unavailable", err);
    }
  }
  let record: KeyRecord | null;
  try {
    record = await fromPostgres(deps.db(), hash);
  } catch (err) {
    const stale = lastKnown.get(hash);
    if (!stale) throw err;
    logError(`api key store (postgres) unavailable, using the record of ${stale.prefix} read earlier`, err);
    isolateCache.set(hash, stale, NEGATIVE_TTL_MS);
    return stale;
  }
  isolateCache.set(hash, record, record ? ISOLATE_TTL_MS : NEGATIVE_TTL_MS);
  if (record) lastKnown.set(hash, record, STALE_IF_ERROR_MS);
  else lastKnown.delete(hash);
  if (record && deps.redis) {
    await deps.redis.set(redisKeyFor(hash), record, { ex: REDIS_TTL_S }).catch(() => undefined);
  }
  return record;
}

/** Drops a key from this isolate's cache and from Redis; call after revoking or changing it. */
export async function invalidateKey(hash: string, deps: Pick<KeyStoreDeps, "redis">): Promise<void> {
  isolateCache.delete(hash);
  lastKnown.delete(hash);
  await deps.redis?.del(redisKeyFor(hash)).catch(() => undefined);
}

/** Test hook: forget every cached key in this isolate. */
export function clearIsolateKeyCache(): void {
  isolateCache.clear();
  lastKnown.clear();
  reading.clear();
}
