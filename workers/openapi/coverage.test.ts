import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { policyAmong } from "../authz/policy.ts";
import { testEnv } from "../testing/seed.ts";

const app = createApp();

interface Operation {
  responses?: Record<string, unknown>;
  security?: unknown[];
}

/** The fields OpenAPI 3.1 defines on an Operation Object (anything else must start with `x-`). */
const OPERATION_FIELDS = new Set(["tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "callbacks", "deprecated", "security", "servers"]);

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

async function spec() {
  const res = await app.request("/openapi.json", {}, testEnv);
  expect(res.status).toBe(200);
  return (await res.json()) as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string }> } };
}

/** API paths: /v1, and GET /metrics (outside /v1 where scrapers look). */
const isApiPath = (path: string) => path.startsWith("/v1/") || path === "/metrics";

function v1Routes() {
  const byKey = new Map<string, { method: string; path: string; handlers: Function[] }>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !isApiPath(r.path)) continue;
    const key = `${r.method} ${r.path}`;
    const e = byKey.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    e.handlers.push(r.handler);
    byKey.set(key, e);
  }
  return [...byKey.values()];
}

describe("OpenAPI document", () => {
  it("lists every mounted /v1 route, each documenting its errors", async () => {
    const doc = await spec();
    expect(doc.openapi).toBe("3.1.0");
    const missing: string[] = [];
    const undocumentedErrors: string[] = [];
    for (const r of v1Routes()) {
      const path = r.path.replace(/:(\w+)/g, "{$1}");
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op) {
        missing.push(`${r.method} ${r.path}`);
        continue;
      }
      if (!Object.keys(op.responses ?? {}).some((s) => /^[45]\d\d$/.test(s))) undocumentedErrors.push(`${r.method} ${r.path}`);
    }
    expect(missing, `not in /openapi.json (define them with createRoute and app.openapi):\n  ${missing.join("\n  ")}`).toEqual([]);
    expect(undocumentedErrors, `document the error responses of:\n  ${undocumentedErrors.join("\n  ")}`).toEqual([]);
  });

  it("declares the API key, session cookie and instance admin schemes, and routes that need auth say which", async () => {
    const doc = await spec();
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: "http" }, session: { type: "apiKey" }, instanceAdminToken: { type: "http" } });
    const mine = ["/v1/models", "/v1/models/{model}/versions/{version}/promote", "/v1/keys", "/v1/audit/verify", "/v1/users", "/v1/orgs"];
    for (const path of mine) {
      for (const op of Object.values(doc.paths[path] ?? {})) expect(op.security?.length, path).toBeGreaterThan(0);
    }
    // Public routes are public in the document too.
    const health = app.routes.filter((r) => r.path === "/v1/health").map((r) => r.handler);
    expect(policyAmong(health)).toEqual({ public: expect.any(String) });
    expect(doc.paths["/v1/health"]?.get?.security).toBeUndefined();
  });

  it("holds only OpenAPI fields, names only declared security schemes, and every route behind authorize() says how to authenticate and documents 400, 401 and 403", async () => {
    const doc = await spec();
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!METHODS.has(method)) continue;
        for (const key of Object.keys(op)) if (!OPERATION_FIELDS.has(key) && !key.startsWith("x-")) problems.push(`${method.toUpperCase()} ${path}: "${key}" is not an OpenAPI operation field`);
        for (const name of (op.security ?? []).flatMap((r) => Object.keys(r as object))) {
          if (!schemes.has(name)) problems.push(`${method.toUpperCase()} ${path}: security scheme "${name}" is not in components.securitySchemes`);
        }
      }
    }
    for (const r of v1Routes()) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, "{$1}")]?.[r.method.toLowerCase()];
      const policy = policyAmong(r.handlers);
      if (!op || !policy || "public" in policy) continue;
      if (!op.security?.length) problems.push(`${r.method} ${r.path}: behind authorize() but declares no security`);
      for (const status of ["400", "401", "403"]) if (!op.responses?.[status]) problems.push(`${r.method} ${r.path}: does not document ${status}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });
});
