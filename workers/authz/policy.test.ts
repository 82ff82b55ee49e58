// The fail-closed check on its own, in a bare Hono app: which routes count as declaring a
// policy, and what a route without one answers. (route-matrix.test.ts checks every real
// route; these cases need no Postgres, so the mutation config runs them in Node too.)
import { Hono, type MiddlewareHandler } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { onError } from "../middleware/error-handler.ts";
import { policyAmong, policyOf, requireRoutePolicy, tagPolicy, type RoutePolicy } from "./policy.ts";

const pass: () => MiddlewareHandler = () => async (_c, next) => {
  await next();
};
const tagged = (policy: RoutePolicy) => tagPolicy(pass(), policy);

function app(): Hono {
  const a = new Hono();
  a.onError(onError);
  a.use("/v1/*", requireRoutePolicy());
  return a;
}

afterEach(() => vi.restoreAllMocks());

describe("policyOf and policyAmong", () => {
  it("find the policy a handler was tagged with, and nothing on an untagged one", () => {
    const read = tagged({ scope: "read" });
    const untagged = pass();
    expect(policyOf(read)).toEqual({ scope: "read" });
    expect(policyOf(untagged)).toBeUndefined();
    expect(policyAmong([untagged, read, tagged({ public: "health" })])).toEqual({ scope: "read" });
    expect(policyAmong([untagged])).toBeUndefined();
    expect(policyAmong([])).toBeUndefined();
  });

  it("tagging returns the handler itself", () => {
    const handler = pass();
    expect(tagPolicy(handler, { instanceAdmin: true })).toBe(handler);
  });
});

describe("requireRoutePolicy", () => {
  it("lets a route with a policy in its chain run", async () => {
    const a = app();
    a.get("/v1/read", tagged({ scope: "read" }), (c) => c.json({ ran: true }));
    const res = await a.request("/v1/read");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ran: true });
  });

  it("counts a policy set for a path prefix with use() for the routes under it", async () => {
    const a = app();
    a.use("/v1/admin/*", tagged({ instanceAdmin: true }));
    a.get("/v1/admin/orgs", (c) => c.json({ ran: true }));
    expect((await a.request("/v1/admin/orgs")).status).toBe(200);
  });

  it("refuses a route with no policy with 500 before its handler runs, naming the route", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let ran = false;
    const a = app();
    a.use("/v1/*", pass());
    a.post("/v1/forgotten/:id", pass(), (c) => {
      ran = true;
      return c.json({ secret: true });
    });
    const res = await a.request("/v1/forgotten/7", { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "route_without_policy", message: "route POST /v1/forgotten/:id declares no authorization policy" } });
    expect(ran).toBe(false);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("route POST /v1/forgotten/:id has no authorization policy: add `authorize("));
  });

  it("leaves a path no route matches to the 404 handler", async () => {
    const a = app();
    a.get("/v1/read", tagged({ scope: "read" }), (c) => c.json({ ran: true }));
    const res = await a.request("/v1/nowhere");
    expect(res.status).toBe(404);
  });
});
