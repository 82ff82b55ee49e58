// What alert, delivery and channel changes need from the deployment and the request in
// order to send: the public base URL for links in notifications, the URL policy every
// send is checked against, and a way to wake the org's dispatcher once a change is
// committed. Routes build it once per request with `deliveryContext(c)`, so the
// services never see hono's Context.
import type { Context } from "hono";
import { urlPolicyFromFlag, type UrlPolicy } from "../channels/url-guard.ts";
import type { AppEnv, Bindings } from "../env.ts";
import { publicBase } from "./snapshot.ts";
import { logError } from "../security/log-safe.ts";

export interface DeliveryContext {
  /** Public base URL for links in notifications. */
  base: string;
  /** Where channel URLs may point in this deployment. */
  policy: UrlPolicy;
  /** Wakes the org's dispatcher after the response, so queued deliveries go out now. */
  kick(orgId: string): void;
}

export function urlPolicy(env: Bindings): UrlPolicy {
  return urlPolicyFromFlag(env.VIGIL_ALLOW_HTTP_WEBHOOKS);
}

function linkBase(c: Context<AppEnv>): string {
  return publicBase(c.env.VIGIL_PUBLIC_URL || new URL(c.req.url).origin);
}

function dispatcherFor(env: Bindings, orgId: string) {
  return env.AlertDispatcher.get(env.AlertDispatcher.idFromName(orgId));
}

function kickDispatcher(c: Context<AppEnv>, orgId: string) {
  const p = dispatcherFor(c.env, orgId).kick(orgId).catch((err: unknown) => logError("dispatcher kick failed", err));
  try {
    c.executionCtx.waitUntil(p);
  } catch {
    // no execution context in direct app.request() calls; the promise settles by itself
  }
}

export function deliveryContext(c: Context<AppEnv>): DeliveryContext {
  return { base: linkBase(c), policy: urlPolicy(c.env), kick: (orgId) => kickDispatcher(c, orgId) };
}
