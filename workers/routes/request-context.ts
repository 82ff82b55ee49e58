// What a route handler takes from the request for its domain call: the authenticated
// caller (`principalOf`) and who the audit log records (`actorOf`, with request id and IP).
import type { Context } from "hono";
import type { AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

/**
 * The caller, which `authorize({ scope })` has set. `authorize` itself answers 401 for a
 * missing or bad credential before any handler runs, so a handler that finds no
 * principal was mounted without it: a wiring bug, hence 500. A 401 would blame the
 * caller and send a client to sign in again for a fault it cannot fix.
 */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.var.principal;
  if (!p) throw new ApiError(500, "internal", "route reached without an authenticated principal");
  return p;
}

export function requestIdOf(c: Context<AppEnv>): string {
  return c.req.header("x-request-id") ?? c.req.header("cf-ray") ?? crypto.randomUUID();
}

export function clientIpOf(c: Context<AppEnv>): string | undefined {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? undefined;
}

/** Who the audit log records for this request. */
export function actorOf(c: Context<AppEnv>): AuditActor {
  const base = { requestId: requestIdOf(c), ...(clientIpOf(c) ? { ip: clientIpOf(c)! } : {}) };
  const p = c.var.principal;
  if (p?.kind === "api_key") return { type: "api_key", id: p.prefix, ...base };
  if (p?.kind === "user") return { type: "user", id: p.email, ...base };
  const admin = c.var.instanceAdmin;
  if (admin) return { type: admin.type, id: admin.id, ...base };
  return { type: "system", id: "anonymous", ...base };
}
