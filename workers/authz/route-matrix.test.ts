// Every API route × every kind of caller × own and other org, against a table written by
// hand (route-matrix-table.ts): the exact status each caller must get. Nothing there is
// read from the code under test (no role table, no scope rule, no route policy): a route's row says what the
// product promises, and the request it sends is valid, so an admitted caller gets its
// 2xx (or the real answer the row names, e.g. 400 for a key on a password route) and a
// 400 or 404 is never mistaken for "admitted". A route in /openapi.json or mounted under
// /v1 without a row fails the first test; a row for a route that no longer exists fails it too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setOutboundFetch } from "../alerts/outbound.ts";
import { recordingFetch } from "../alerts/testing.ts";
import { testDb } from "../testing/seed.ts";
import { MISSING_POLICY_HELP } from "./policy.ts";
import { app, env, requests, setup, type Fixture } from "./route-matrix-fixture.ts";
import { COLUMNS, LIMITED_OUTSIDE, OTHER_ORG, type Call } from "./route-matrix-callers.ts";
import { parseExpect, TABLE } from "./route-matrix-table.ts";

/** `/v1/models/{model}` → `/v1/models/:model`, as hono names it. */
const honoPath = (openapiPath: string) => openapiPath.replace(/\{(\w+)\}/g, ":$1");
const isApiPath = (path: string) => path.startsWith("/v1/") || path === "/metrics" || path.startsWith("/parties/");

async function documentedRoutes(): Promise<string[]> {
  const doc = (await (await app.request("/openapi.json", {}, env)).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${honoPath(path)}`));
}

function mountedRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== "ALL" && isApiPath(r.path)).map((r) => `${r.method} ${r.path}`))];
}

describe("route table", () => {
  it("has a row for every route in /openapi.json and every mounted API route, and none for a route that is gone", async () => {
    const documented = await documentedRoutes();
    const mounted = mountedRoutes();
    expect(documented.length).toBeGreaterThan(70);
    const missing = [...new Set([...documented, ...mounted])].filter((r) => !(r in TABLE));
    expect(missing, `routes without a row in the route table (workers/authz/route-matrix-table.ts): write the exact status each caller must get.\n  ${missing.join("\n  ")}`).toEqual([]);
    const stale = Object.keys(TABLE).filter((r) => !mounted.includes(r));
    expect(stale, "rows for routes that are not mounted").toEqual([]);
    for (const [route, row] of Object.entries(TABLE)) parseExpect(route, row.expect);
  });

  it("a route without a policy is refused at run time (fails closed)", async () => {
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
    expect(MISSING_POLICY_HELP).toMatch(/authorize/);
  });
});


/**
 * Run after the rest, in this order: ingest registers the model name in the other org
 * (after which that org rightly reads its own model of the same name), and signing out
 * ends the users' sessions.
 */
const LAST = ["POST /v1/ingest", "POST /v1/integrations/cloudevents", "DELETE /v1/sessions"];

async function send(route: string, call: Call, headers: Record<string, string>) {
  const method = route.split(" ")[0]!;
  const hasBody = call.raw !== undefined || call.body !== undefined;
  const res = await requests(() =>
    app.request(
      call.path,
      { method, headers: { ...headers, ...(call.body !== undefined ? { "content-type": "application/json" } : {}), ...call.headers }, body: call.raw ?? (hasBody ? JSON.stringify(call.body) : undefined), redirect: "manual" },
      env,
    ),
  );
  return { status: res.status, text: await res.text() };
}

/**
 * Where the code answers otherwise than the table today. Each entry names the status the code
 * gives and why the table's is the right one. The matrix expects the entry's status, so it still
 * catches any other change, and it fails once the gap is closed, so the entry gets deleted.
 */
const KNOWN_GAPS: Record<string, { now: number; why: string }> = {};

/** Routes whose request carries its own credential (a password, a login link): the answer names the account it opens, whoever else calls. */
const CREDENTIAL_IN_REQUEST = new Set(["POST /v1/sessions", "GET /v1/sessions/link"]);

async function checkRoute(fx: Fixture, route: string): Promise<string[]> {
  const row = TABLE[route]!;
  const expected = parseExpect(route, row.expect);
  const write = !route.startsWith("GET ");
  const results = await Promise.all(
    COLUMNS.map(async (who) => {
      const call = await row.req(fx, who);
      return { who, ...(await send(route, call, fx.headers[who](write))) };
    }),
  );
  const failures: string[] = [];
  for (const r of results) {
    const where = `${route} as ${r.who}`;
    const gap = KNOWN_GAPS[where];
    if (gap && r.status === expected[r.who]) failures.push(`${where}: now answers ${r.status} as the table says: delete its KNOWN_GAPS entry`);
    else if (r.status !== (gap?.now ?? expected[r.who])) failures.push(`${where}: expected ${gap?.now ?? expected[r.who]}, got ${r.status} ${r.text.slice(0, 200)}`);
    const hidden = OTHER_ORG.has(r.who) || (LIMITED_OUTSIDE.has(r.who) && /:model\b/.test(route));
    if (hidden && !CREDENTIAL_IN_REQUEST.has(route) && fx.secrets.some((id) => r.text.includes(id))) failures.push(`${where}: the response shows ids the caller may not see: ${r.text.slice(0, 200)}`);
    if (route === "GET /metrics" && r.status === 200) {
      const shows = r.text.includes(`model="${fx.model}"`);
      const mayRead = !OTHER_ORG.has(r.who) && !LIMITED_OUTSIDE.has(r.who);
      if (shows !== mayRead) failures.push(`${where}: the exposition ${shows ? "shows" : "lacks"} the matrix model`);
    }
  }
  return failures;
}

describe("route × caller × tenant matrix", () => {
  const pools = Array.from({ length: 4 }, testDb);
  beforeAll(() => setOutboundFetch(recordingFetch([200]).fetch));
  afterAll(async () => {
    setOutboundFetch(undefined);
    await Promise.all(pools.map((db) => db.$client.end()));
  });

  it("gives every caller exactly the status the table names, and never shows another org's resources", { timeout: 240_000 }, async () => {
    const fx = await setup(pools);
    const failures: string[] = [];
    // Rows are independent (each call that changes something gets its own resource), so they run
    // a few at a time; the LAST ones run alone, in order.
    const queue = Object.keys(TABLE).filter((r) => !LAST.includes(r));
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let route = queue.shift(); route; route = queue.shift()) failures.push(...(await checkRoute(fx, route)));
      }),
    );
    for (const route of LAST) failures.push(...(await checkRoute(fx, route)));
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
