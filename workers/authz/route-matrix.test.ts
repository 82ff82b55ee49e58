// Every /v1 route × every kind of caller × own and other org × key limits and project
// roles. A route without an authorization policy fails the first test; a policy that is
// not enforced, a 403 where another org's resource should be 404, another org's data in
// a response, a limited key reaching a model outside its project or model, or a user
// narrowed to viewer writing there fails the matrix. What each role and scope allows is
// written out here by hand, not taken from the code under test.
import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import { projectRoles, projects } from "../db/schema/index.ts";
import { registerModelVersionFromIngest } from "../registry/versions.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { MISSING_POLICY_HELP, policyAmong, type RoutePolicy } from "./policy.ts";
import type { Role } from "./roles.ts";

/** The product's role table (README, "Access"), restated independently of roles.ts. */
const ROLE_SCOPES: Record<Role, readonly ApiKeyScope[]> = {
  viewer: ["read"],
  editor: ["read", "write", "ingest"],
  admin: ["read", "write", "ingest", "admin"],
  owner: ["read", "write", "ingest", "admin"],
};
const ROLES = Object.keys(ROLE_SCOPES) as Role[];

/** admin implies every scope; write implies read. */
function allows(held: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return held.includes("admin") || held.includes(needed) || (needed === "read" && held.includes("write"));
}

const app = createApp();
const INSTANCE_TOKEN = "it-".padEnd(48, "x");
const env = { ...testEnv, INSTANCE_ADMIN_TOKEN: INSTANCE_TOKEN };

interface Route {
  method: string;
  path: string;
  policy: RoutePolicy | undefined;
}

/** API paths: /v1, and GET /metrics (outside /v1 where scrapers look, authorized like the API). */
const isApiPath = (path: string) => path.startsWith("/v1/") || path === "/metrics";

/** The app's API routes (/v1 and /metrics), one per method and path, with the policy their handlers declare. */
function v1Routes(): Route[] {
  const byKey = new Map<string, { method: string; path: string; handlers: Function[] }>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !isApiPath(r.path)) continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    entry.handlers.push(r.handler);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((r) => ({ method: r.method, path: r.path, policy: policyAmong(r.handlers) }));
}

describe("route policies", () => {
  it("every mounted /v1 route declares an authorization policy", () => {
    const routes = v1Routes();
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.path}`);
    expect(missing, `routes without an authorization policy:\n  ${missing.join("\n  ")}\nFor each, ${MISSING_POLICY_HELP}.`).toEqual([]);
  });

  it("a route without a policy is refused at run time too (fails closed)", async () => {
    const { requireRoutePolicy } = await import("./policy.ts");
    const { OpenAPIHono } = await import("@hono/zod-openapi");
    const { onError } = await import("../middleware/error-handler.ts");
    const bare = new OpenAPIHono();
    bare.onError(onError);
    bare.use("/v1/*", requireRoutePolicy());
    bare.get("/v1/forgotten", (c) => c.json({ secret: true }));
    const res = await bare.request("/v1/forgotten");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "route_without_policy", message: "route GET /v1/forgotten declares no authorization policy" } });
  });
});

interface Caller {
  name: string;
  headers: (write: boolean) => Record<string, string>;
  /** undefined: anonymous */
  scopes?: readonly ApiKeyScope[];
  instanceAdmin?: boolean;
}

/** Callers of the own org whose reach is cut: the matrix model lives in the `default` project. */
interface LimitedCaller extends Caller {
  /** `outside`: the model is outside the caller's project or model; `narrowed`: the caller is a viewer in the model's project. */
  limit: "outside" | "narrowed" | "inside";
  /** Limited to part of the org: org-wide resources (audit log, members) are refused. */
  partial: boolean;
}

const ORG_WIDE_PATHS = /^\/v1\/(audit|users|erasure|policies|approvals|signatures)(\/|$)/;

async function setup() {
  return withDb(async (db) => {
    const own = await seedOrg(db);
    const other = await seedOrg(db);
    const model = uniqueSlug("matrix-model");
    const registered = await registerModelVersionFromIngest(db, { orgId: own.orgId, model, version: "v1", featureSchema: [{ name: "x", kind: "numerical", dtype: "float" }], predictionKind: "binary" });
    const bearer = (key: string) => () => ({ authorization: `Bearer ${key}` });
    const ownCallers: Caller[] = [{ name: "anonymous", headers: () => ({}) }, { name: "instance admin token", headers: bearer(INSTANCE_TOKEN), instanceAdmin: true, scopes: [] }];
    for (const role of ROLES) {
      const user = await seedUser(db, own.orgId, role);
      ownCallers.push({ name: `user:${role}`, headers: user.headers, scopes: ROLE_SCOPES[role] });
    }
    for (const scope of ["ingest", "read", "write", "admin"] as const) {
      const key = await seedKey(db, own.orgId, [scope]);
      ownCallers.push({ name: `key:${scope}`, headers: bearer(key.key), scopes: [scope] });
    }
    const [elsewhere] = await db.insert(projects).values({ orgId: own.orgId, slug: "elsewhere", name: "Elsewhere" }).returning();
    const otherModel = await registerModelVersionFromIngest(db, { orgId: own.orgId, model: uniqueSlug("matrix-other"), version: "v1", featureSchema: [{ name: "x", kind: "numerical", dtype: "float" }], predictionKind: "binary" });
    const narrowedAdmin = await seedUser(db, own.orgId, "admin");
    await db.insert(projectRoles).values({ orgId: own.orgId, userId: narrowedAdmin.userId, projectId: own.projectId, role: "viewer" });
    const limitedCallers: LimitedCaller[] = [
      { name: "key:admin limited to another project", headers: bearer((await seedKey(db, own.orgId, ["admin"], { projectId: elsewhere!.id })).key), scopes: ["admin"], limit: "outside", partial: true },
      { name: "key:admin limited to another model", headers: bearer((await seedKey(db, own.orgId, ["admin"], { projectId: own.projectId, modelId: otherModel.modelId })).key), scopes: ["admin"], limit: "outside", partial: true },
      { name: "key:admin limited to the model's project", headers: bearer((await seedKey(db, own.orgId, ["admin"], { projectId: own.projectId })).key), scopes: ["admin"], limit: "inside", partial: true },
      { name: "user:admin narrowed to viewer in the model's project", headers: narrowedAdmin.headers, scopes: ROLE_SCOPES.admin, limit: "narrowed", partial: false },
    ];
    const otherOwner = await seedUser(db, other.orgId, "owner");
    const otherKey = await seedKey(db, other.orgId, ["admin"]);
    const otherCallers: Caller[] = [
      { name: "other org user:owner", headers: otherOwner.headers, scopes: ROLE_SCOPES.owner },
      { name: "other org key:admin", headers: bearer(otherKey.key), scopes: ["admin"] },
    ];
    // What another org must never see: ids it did not send (the model name it did send may be echoed in a 404).
    const secrets = [own.orgId, own.projectId, registered.modelId, registered.versionId];
    return { own, model, secrets, ownCallers, otherCallers, limitedCallers };
  });
}

function concretePath(path: string, model: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (name === "model") return model;
    if (name === "version") return "v1";
    if (name === "room") return `${model}:v1`;
    return crypto.randomUUID();
  });
}

async function call(route: Route, path: string, caller: Caller) {
  const write = !["GET", "HEAD", "OPTIONS"].includes(route.method);
  const res = await app.request(
    path,
    { method: route.method, headers: { ...caller.headers(write), ...(write ? { "content-type": "application/json" } : {}) }, body: write ? "{}" : undefined },
    env,
  );
  return { status: res.status, text: await res.text() };
}

function expectedOwn(policy: RoutePolicy, caller: Caller): "admit" | 401 | 403 {
  if ("public" in policy) return "admit";
  if (!caller.scopes) return 401;
  if ("instanceAdmin" in policy) return caller.instanceAdmin ? "admit" : 403;
  if (caller.instanceAdmin) return 403;
  return allows(caller.scopes, policy.scope) ? "admit" : 403;
}

describe("route × role × tenant matrix", () => {
  it("admits exactly the callers each policy allows, and never shows another org's resources", { timeout: 240_000 }, async () => {
    const { model, secrets, ownCallers, otherCallers, limitedCallers } = await setup();
    // Signing out ends the users' sessions, so it goes last.
    const routes = v1Routes()
      .filter((r) => r.policy)
      .sort((a, b) => Number(a.method === "DELETE" && a.path === "/v1/sessions") - Number(b.method === "DELETE" && b.path === "/v1/sessions"));
    const failures: string[] = [];
    for (const route of routes) {
      const policy = route.policy!;
      const path = concretePath(route.path, model);
      const results = await Promise.all([...ownCallers, ...otherCallers].map(async (caller) => ({ caller, own: ownCallers.includes(caller), ...(await call(route, path, caller)) })));
      const limited = await Promise.all(limitedCallers.map(async (caller) => ({ caller, ...(await call(route, path, caller)) })));
      for (const r of limited) {
        const where = `${route.method} ${route.path} as ${r.caller.name}`;
        if (r.status >= 500) failures.push(`${where}: ${r.status} ${r.text.slice(0, 200)}`);
        if (!("scope" in policy)) continue;
        const modelRoute = /:model\b/.test(route.path);
        const ok = r.status >= 200 && r.status < 300;
        if (modelRoute && r.caller.limit === "outside" && ![400, 404, 426].includes(r.status)) failures.push(`${where}: expected 404 for a model outside the key's reach, got ${r.status} ${r.text.slice(0, 200)}`);
        if (modelRoute && r.caller.limit === "outside" && secrets.some((id) => r.text.includes(id))) failures.push(`${where}: response shows a model outside the key's reach: ${r.text.slice(0, 200)}`);
        if (modelRoute && r.caller.limit === "narrowed" && policy.scope !== "read" && ok) failures.push(`${where}: a viewer in the model's project was admitted to a ${policy.scope} route (${r.status})`);
        if (modelRoute && r.caller.limit !== "outside" && policy.scope === "read" && (r.status === 401 || r.status === 403)) failures.push(`${where}: a reader of the model's project was refused: ${r.status} ${r.text.slice(0, 200)}`);
        if (route.path === "/metrics" && r.caller.limit === "outside" && r.text.includes(`model="${model}"`)) failures.push(`${where}: the exposition shows a model outside the key's reach`);
        if (route.path === "/metrics" && r.caller.limit !== "outside" && r.status === 200 && !r.text.includes(`model="${model}"`)) failures.push(`${where}: the exposition lacks a model the caller may read`);
        if (ORG_WIDE_PATHS.test(route.path) && !route.path.endsWith("/me/password") && r.caller.partial && (ok || (route.method === "GET" && r.status !== 403))) failures.push(`${where}: an org-wide resource must refuse a key limited to part of the org with 403, got ${r.status}`);
      }
      for (const r of results) {
        const where = `${route.method} ${route.path} as ${r.caller.name}`;
        if (r.status >= 500) failures.push(`${where}: ${r.status} ${r.text.slice(0, 200)}`);
        if (r.own) {
          const expected = expectedOwn(policy, r.caller);
          if (expected === "admit" ? r.status === 401 || r.status === 403 : r.status !== expected) {
            failures.push(`${where}: expected ${expected === "admit" ? "to be admitted" : expected}, got ${r.status} ${r.text.slice(0, 200)}`);
          }
        } else {
          if (r.status === 403 && "scope" in policy) failures.push(`${where}: another org's resource must be 404, never 403 (${r.text.slice(0, 200)})`);
          if (secrets.some((id) => r.text.includes(id))) failures.push(`${where}: response shows the other org's data: ${r.text.slice(0, 200)}`);
          if (route.path === "/metrics" && r.text.includes(`model="${model}"`)) failures.push(`${where}: the exposition shows the other org's model`);
          if ("scope" in policy && /:model\b/.test(route.path) && ![400, 404, 426].includes(r.status)) failures.push(`${where}: expected 404 for another org's model, got ${r.status}`);
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
