import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { apiKeys } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { redisFor } from "../sinks/redis.ts";
import { apiKeyPrefix, hashApiKey, type ApiKeyScope } from "./api-key.ts";
import { isKeyUsable, lookupKey } from "./key-store.ts";
import type { Principal } from "./principal.ts";

const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

function bearerToken(c: Context): string {
  const header = c.req.header("authorization");
  if (!header) throw new ApiError(401, "unauthorized", "missing Authorization header; send `Authorization: Bearer <api key>`");
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new ApiError(401, "unauthorized", "Authorization header must be `Bearer <api key>`");
  return m[1]!;
}

/** Records `last_used_at` at most once a minute per key and isolate, after the response. */
function touchLastUsed(c: Context<AppEnv>, keyId: string) {
  const now = Date.now();
  if ((lastUsedWritten.get(keyId) ?? 0) > now - LAST_USED_EVERY_MS) return;
  lastUsedWritten.set(keyId, now);
  const write = c.var
    .db()
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, keyId))
    .then(() => undefined)
    .catch((err: Error) => console.error("last_used_at update failed:", err.message));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // no execution context in direct app.request() calls
  }
}

/** Resolves the caller from `Authorization: Bearer <api key>`; 401 when it is missing, malformed, unknown, revoked or expired. */
export async function authenticateRequest(c: Context<AppEnv>): Promise<Principal> {
  const token = bearerToken(c);
  if (!apiKeyPrefix(token)) throw new ApiError(401, "unauthorized", "malformed API key");
  const record = await lookupKey(await hashApiKey(token), { db: c.var.db, redis: redisFor(c.env) });
  if (!record) throw new ApiError(401, "unauthorized", "unknown API key");
  if (!isKeyUsable(record)) throw new ApiError(401, "unauthorized", `API key ${record.prefix} is revoked or expired`);
  touchLastUsed(c, record.keyId);
  return {
    kind: "api_key",
    orgId: record.orgId,
    keyId: record.keyId,
    prefix: record.prefix,
    scopes: record.scopes,
    projectId: record.projectId,
    modelId: record.modelId,
  };
}

/**
 * A route's authorization policy: which scope an API key needs. Every authenticated
 * route declares one, so what a route allows is visible where it is mounted.
 */
export interface RoutePolicy {
  scope: ApiKeyScope;
}

/** `admin` implies every other scope; `write` implies `read`. */
export function scopeSatisfies(held: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  if (held.includes("admin") || held.includes(needed)) return true;
  return needed === "read" && held.includes("write");
}

export function authorize(policy: RoutePolicy): MiddlewareHandler<AppEnv> {
  return async function authorizeMiddleware(c, next) {
    const principal = c.var.principal ?? (await authenticateRequest(c));
    c.set("principal", principal);
    if (!scopeSatisfies(principal.scopes, policy.scope)) {
      throw new ApiError(403, "forbidden", `API key ${principal.prefix} lacks the "${policy.scope}" scope`);
    }
    await next();
  };
}
