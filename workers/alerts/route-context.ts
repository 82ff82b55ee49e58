// What the alert, rule and channel routes share: the caller's org and actor, the URL
// policy for this deployment, and the org's dispatcher.
import type { Context } from "hono";
import type { AppEnv, Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { checkChannelUrl, urlPolicyFromFlag, type UrlPolicy } from "../channels/url-guard.ts";
import { actorOf, type Actor } from "./actor.ts";
import { publicBase } from "./snapshot.ts";

export function callerOrg(c: Context<AppEnv>): string {
  const p = c.var.principal;
  if (!p) throw new ApiError(401, "unauthorized", "authentication required");
  return p.orgId;
}

export function callerActor(c: Context<AppEnv>): Actor {
  const p = c.var.principal;
  if (!p) throw new ApiError(401, "unauthorized", "authentication required");
  return actorOf(p);
}

export function urlPolicy(env: Bindings): UrlPolicy {
  return urlPolicyFromFlag(env.VIGIL_ALLOW_HTTP_WEBHOOKS);
}

/** 400 naming the field, in the same shape as a failed zod validation. */
export function invalidField(field: string, error: string): ApiError {
  return new ApiError(400, "validation_failed", `invalid json: ${field}: ${error}`, [{ field, error }]);
}

export function requireSafeUrl(env: Bindings, field: string, url: unknown) {
  if (typeof url !== "string") return;
  const problem = checkChannelUrl(url, urlPolicy(env));
  if (problem) throw invalidField(field, problem);
}

export function linkBase(c: Context<AppEnv>): string {
  return publicBase(c.env.VIGIL_PUBLIC_URL || new URL(c.req.url).origin);
}

export function dispatcherFor(env: Bindings, orgId: string) {
  return env.AlertDispatcher.get(env.AlertDispatcher.idFromName(orgId));
}

/** Wakes the org's dispatcher after the response, so queued deliveries go out now. */
export function kickDispatcher(c: Context<AppEnv>, orgId: string) {
  const p = dispatcherFor(c.env, orgId).kick(orgId).catch((err: Error) => console.error("dispatcher kick failed:", err.message));
  try {
    c.executionCtx.waitUntil(p);
  } catch {
    // no execution context in direct app.request() calls; the promise settles by itself
  }
}

export function parseUuid(id: string, what: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new ApiError(404, "not_found", `${what} ${id} not found`);
  return id;
}
