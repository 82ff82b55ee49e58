import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ApiKeyScope } from "../auth/api-key.ts";
import { ApiError } from "../errors.ts";

/**
 * What a route requires of its caller. Every /v1 route declares exactly one, by
 * putting `authorize(policy)` in front of its handler (for `createRoute`, in
 * `middleware: [authorize(...)]`):
 *  - `{ scope }`: an org principal (API key, or signed-in user whose role grants it);
 *  - `{ instanceAdmin: true }`: the instance admin (INSTANCE_ADMIN_TOKEN, or a user flagged so);
 *  - `{ public: "why" }`: anyone; the reason is kept for review.
 */
export type RoutePolicy = { scope: ApiKeyScope } | { instanceAdmin: true } | { public: string };

const policies = new WeakMap<Function, RoutePolicy>();

export function tagPolicy<T extends Function>(handler: T, policy: RoutePolicy): T {
  policies.set(handler, policy);
  return handler;
}

/** The policy a handler in a route's chain declares, if it is an `authorize()` middleware. */
export function policyOf(handler: Function): RoutePolicy | undefined {
  return policies.get(handler);
}

/** The one policy among a route's handlers; undefined when none declares one. */
export function policyAmong(handlers: readonly Function[]): RoutePolicy | undefined {
  for (const h of handlers) {
    const p = policyOf(h);
    if (p) return p;
  }
  return undefined;
}

export const MISSING_POLICY_HELP =
  'add `authorize({ scope: "read" | "write" | "admin" | "ingest" })` (or `{ instanceAdmin: true }`, or `{ public: "<why>" }`) from workers/auth/authenticate.ts in front of its handler; with createRoute, put it in `middleware: [authorize(...)]`';

/**
 * Fails closed: a /v1 request whose matched route declares no policy is refused with
 * 500 before the handler runs, so a forgotten `authorize()` can never expose data.
 * (workers/authz/route-matrix.test.ts catches the same mistake before deployment.)
 */
export function requireRoutePolicy(): MiddlewareHandler {
  return async function requireRoutePolicyMiddleware(c, next) {
    const routes = matchedRoutes(c);
    const handlers = routes.filter((r) => r.method !== "ALL");
    if (handlers.length > 0 && !policyAmong(routes.map((r) => r.handler))) {
      const route = handlers[handlers.length - 1]!;
      console.error(`route ${route.method} ${route.path} has no authorization policy: ${MISSING_POLICY_HELP}`);
      throw new ApiError(500, "route_without_policy", `route ${route.method} ${route.path} declares no authorization policy`);
    }
    await next();
  };
}
