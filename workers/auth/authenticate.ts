import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { tagPolicy, type RoutePolicy } from "../authz/policy.ts";
import { scopesOf } from "../authz/roles.ts";
import { scopeSatisfies } from "../authz/scopes.ts";
import { apiKeys } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { redisFor } from "../clients/redis.ts";
import { CSRF_HEADER, lookupSession, sessionCookieValue } from "../users/sessions.ts";
import { apiKeyPrefix, requestKeyHash, type ApiKeyScope } from "./api-key.ts";
import { constantTimeEqualText } from "./constant-time.ts";
import { isInstanceAdminToken } from "./instance-admin.ts";
import { isKeyUsable, lookupKey } from "./key-store.ts";
import { principalLabel, type Principal, type UserPrincipal } from "./principal.ts";
import { logError } from "../security/log-safe.ts";

export type { RoutePolicy } from "../authz/policy.ts";
export { scopeSatisfies } from "../authz/scopes.ts";

const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function bearerToken(header: string): string {
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
    .catch((err: unknown) => logError("last_used_at update failed", err));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // no execution context in direct app.request() calls
  }
}

/** Test hook: let the next request of every key write last_used_at again. */
export function resetLastUsedThrottle(): void {
  lastUsedWritten.clear();
}

async function fromApiKey(c: Context<AppEnv>, token: string): Promise<Principal> {
  if (!apiKeyPrefix(token)) {
    if (isInstanceAdminToken(c.env, token)) {
      throw new ApiError(403, "forbidden", "the instance admin token may only manage orgs (POST /v1/orgs); use an org API key here");
    }
    throw new ApiError(401, "unauthorized", "malformed API key");
  }
  const record = await lookupKey(await requestKeyHash(token), { db: c.var.db, redis: redisFor(c.env) });
  if (!record) throw new ApiError(401, "unauthorized", "unknown API key");
  if (!isKeyUsable(record)) throw new ApiError(401, "unauthorized", `API key ${record.prefix} is revoked or expired`);
  touchLastUsed(c, record.keyId);
  return { kind: "api_key", orgId: record.orgId, keyId: record.keyId, prefix: record.prefix, scopes: record.scopes, projectId: record.projectId, modelId: record.modelId };
}

/**
 * Cookie-authenticated writes need proof they come from our own pages: the session's
 * CSRF token echoed in X-CSRF-Token (a cross-site form cannot read or set it), and,
 * when the browser sends one, an Origin equal to ours.
 */
function checkCsrf(c: Context<AppEnv>, expected: string) {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) {
    throw new ApiError(403, "csrf_failed", `cross-origin request from ${origin} refused for a cookie-authenticated write`);
  }
  // Constant time: a timing difference per matching prefix would let a page that can
  // time requests (but not read the token) guess it byte by byte.
  if (!constantTimeEqualText(c.req.header(CSRF_HEADER), expected)) {
    throw new ApiError(403, "csrf_failed", "cookie-authenticated writes must send the session's CSRF token in X-CSRF-Token (GET /v1/sessions returns it)");
  }
}

async function fromSession(c: Context<AppEnv>, token: string): Promise<UserPrincipal> {
  const session = await lookupSession(c.var.db(), token);
  if (!session) throw new ApiError(401, "unauthorized", "session expired or signed out; sign in again (POST /v1/sessions)");
  checkCsrf(c, session.csrfToken);
  return {
    kind: "user",
    orgId: session.orgId,
    userId: session.userId,
    email: session.email,
    sessionId: session.sessionId,
    role: session.role,
    projectRoles: session.projectRoles,
    scopes: scopesOf(session.role),
    instanceAdmin: session.instanceAdmin,
    csrfToken: session.csrfToken,
    sessionExpiresAt: session.expiresAt.toISOString(),
  };
}

/**
 * Resolves the caller: `Authorization: Bearer <api key>` first, else the session cookie.
 * 401 when neither is present or the credential is malformed, unknown, revoked or expired.
 */
export async function authenticateRequest(c: Context<AppEnv>): Promise<Principal> {
  const header = c.req.header("authorization");
  if (header) return fromApiKey(c, bearerToken(header));
  const cookie = sessionCookieValue(c);
  if (cookie) return fromSession(c, cookie);
  throw new ApiError(401, "unauthorized", "missing Authorization header; send `Authorization: Bearer <api key>` or sign in (POST /v1/sessions)");
}


async function authorizeInstanceAdmin(c: Context<AppEnv>): Promise<void> {
  const header = c.req.header("authorization");
  if (header) {
    const token = bearerToken(header);
    if (isInstanceAdminToken(c.env, token)) {
      c.set("instanceAdmin", { type: "instance_admin", id: "token" });
      return;
    }
    if (apiKeyPrefix(token)) throw new ApiError(403, "forbidden", "only an instance admin may do this; org API keys cannot");
    throw new ApiError(401, "unauthorized", "invalid instance admin token");
  }
  const cookie = sessionCookieValue(c);
  if (!cookie) throw new ApiError(401, "unauthorized", "send `Authorization: Bearer <INSTANCE_ADMIN_TOKEN>` or sign in as an instance admin");
  const user = await fromSession(c, cookie);
  if (!user.instanceAdmin) throw new ApiError(403, "forbidden", `${principalLabel(user)} is not an instance admin`);
  c.set("principal", user);
  c.set("instanceAdmin", { type: "user", id: user.userId });
}

/**
 * The one authorization check. Put it in front of every route's handler; it carries the
 * route's policy, which app-wide checks (requireRoutePolicy, the route matrix test) read.
 */
export function authorize(policy: RoutePolicy): MiddlewareHandler<AppEnv> {
  if ("public" in policy) {
    if (!policy.public) throw new Error("authorize({ public }) needs the reason the route is public");
    return tagPolicy(async function publicRoute(_c, next) {
      await next();
    }, policy);
  }
  if ("instanceAdmin" in policy) {
    return tagPolicy(async function authorizeInstanceAdminMiddleware(c, next) {
      await authorizeInstanceAdmin(c);
      await next();
    }, policy);
  }
  return tagPolicy(async function authorizeMiddleware(c, next) {
    const principal = c.var.principal ?? (await authenticateRequest(c));
    c.set("principal", principal);
    if (!scopeSatisfies(principal.scopes, policy.scope)) {
      throw new ApiError(403, "forbidden", `${principalLabel(principal)} lacks the "${policy.scope}" scope`);
    }
    await next();
  }, policy);
}
