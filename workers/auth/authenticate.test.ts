// authorize() and authenticateRequest() on a bare Hono app whose `db` is the test
// database, so the same file runs in workerd under `npm test` and on PGlite in the
// mutation config: the exact 401/403 for each malformed, unknown, revoked or misplaced
// credential, sessions with their CSRF check, the instance-admin gate, and the throttled
// last_used_at write. (Redis as the key cache: authenticate-redis.test.ts, workerd only.)
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { policyOf } from "../authz/policy.ts";
import type { Database } from "../db/client.ts";
import { apiKeys, sessions, users } from "../db/schema/index.ts";
import type { AppEnv, Bindings } from "../env.ts";
import { notFound, onError } from "../middleware/error-handler.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, seedOrg, withDb as withTestDb } from "../testing/seed.ts";
import { createSession, PLAIN_COOKIE, SECURE_COOKIE } from "../users/sessions.ts";
import { authenticateRequest, authorize, resetLastUsedThrottle, scopeSatisfies } from "./authenticate.ts";
import { clearIsolateKeyCache } from "./key-store.ts";

const ADMIN_TOKEN = "instance-admin-token-".padEnd(40, "x");
const env = { INSTANCE_ADMIN_TOKEN: ADMIN_TOKEN } as Bindings;
const LOOPBACK = "http://127.0.0.1:8787";
const HTTPS = "https://vigil.example.com";

/** The routes under test, with `db` set to the test's database (the app's database() middleware would open a pool). */
function fixtureApp(db: Database) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use("*", async (c, next) => {
    c.set("db", () => db);
    await next();
  });
  app.post("/ingest", authorize({ scope: "ingest" }), (c) => c.json({ org: c.var.principal!.orgId }));
  app.get("/read", authorize({ scope: "read" }), (c) => c.json(c.var.principal));
  app.on(["GET", "POST", "OPTIONS", "DELETE"], "/write", authorize({ scope: "write" }), (c) => c.json({ ok: true }));
  app.get("/who", async (c) => c.json(await authenticateRequest(c)));
  app.on(["GET", "POST"], "/orgs", authorize({ instanceAdmin: true }), (c) => c.json({ instanceAdmin: c.var.instanceAdmin, principal: c.var.principal ?? null }));
  app.get("/public", authorize({ public: "health check" }), (c) => c.json({ principal: c.var.principal ?? null }));
  // A principal set earlier (as the ingest router does after its own lookup) is taken as it is.
  app.get(
    "/preset",
    async (c, next) => {
      c.set("principal", { kind: "api_key", orgId: "o", keyId: "k", prefix: "vgl_preset", scopes: ["read"], projectId: null, modelId: null });
      await next();
    },
    authorize({ scope: "read" }),
    (c) => c.json({ prefix: c.var.principal!.kind === "api_key" ? c.var.principal!.prefix : null }),
  );
  return app;
}

type ErrorJson = { error: { code: string; message: string } };

async function errorOf(res: Response): Promise<[number, string, string]> {
  const body = (await res.json()) as ErrorJson;
  return [res.status, body.error.code, body.error.message];
}

/** The last_used_at writes requests left behind; awaited before the test's database closes. */
const leftBehind: Promise<unknown>[] = [];
const collecting = { waitUntil: (p: Promise<unknown>) => leftBehind.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

/** One request to the fixture app; `ctx: null` sends it without an execution context. */
function send(db: Database, path: string, init: RequestInit & { base?: string } = {}, ctx: ExecutionContext | null = collecting) {
  return fixtureApp(db).request(new Request(`${init.base ?? LOOPBACK}${path}`, init), undefined, env, ctx ?? undefined);
}

/** withDb that lets the requests' background writes finish before the database closes. */
function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  return withTestDb(async (db) => {
    try {
      return await fn(db);
    } finally {
      await Promise.allSettled(leftBehind.splice(0));
    }
  });
}

beforeEach(() => {
  clearIsolateKeyCache();
  resetLastUsedThrottle();
});
afterEach(() => vi.useRealTimers());

describe("API keys", () => {
  it.each([
    [undefined, "missing Authorization header; send `Authorization: Bearer <api key>` or sign in (POST /v1/sessions)"],
    ["Basic abc", "Authorization header must be `Bearer <api key>`"],
    ["Bearer", "Authorization header must be `Bearer <api key>`"],
    ["Bearer two words", "Authorization header must be `Bearer <api key>`"],
    ["xBearer abc", "Authorization header must be `Bearer <api key>`"],
    ["Bearer not-a-key", "malformed API key"],
    [`Bearer vgl_00000000_${"A".repeat(43)}`, "unknown API key"],
  ])("refuses %s with 401 and says why", async (header, message) => {
    await withDb(async (db) => {
      const res = await send(db, "/ingest", { method: "POST", headers: header === undefined ? {} : { authorization: header } });
      expect(await errorOf(res)).toEqual([401, "unauthorized", message]);
    });
  });

  it("admits a key with the scope, however the Bearer scheme is cased and padded, and names the caller", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const key = await seedKey(db, org.orgId, ["ingest", "read"], { projectId: org.projectId });
      for (const header of [`Bearer ${key.key}`, `bearer ${key.key}`, `BEARER \t${key.key}  `]) {
        const res = await send(db, "/ingest", { method: "POST", headers: { authorization: header } });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ org: org.orgId });
      }
      const who = await send(db, "/read", { headers: { authorization: `Bearer ${key.key}` } });
      expect(await who.json()).toEqual({ kind: "api_key", orgId: org.orgId, keyId: key.id, prefix: key.prefix, scopes: ["ingest", "read"], projectId: org.projectId, modelId: null });
    });
  });

  it("answers 403 naming the missing scope", async () => {
    await withDb(async (db) => {
      const key = await seedKey(db, (await seedOrg(db)).orgId, ["read"]);
      const res = await send(db, "/ingest", { method: "POST", headers: { authorization: `Bearer ${key.key}` } });
      expect(await errorOf(res)).toEqual([403, "forbidden", `API key ${key.prefix} lacks the "ingest" scope`]);
    });
  });

  it("refuses a revoked or expired key by its prefix, and honours a rotation overlap", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const revoked = await seedKey(db, org.orgId, ["read"]);
      const expired = await seedKey(db, org.orgId, ["read"], { expiresAt: new Date(Date.now() - 1_000) });
      const overlapping = await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() + 3_600_000) });
      const call = (key: string) => send(db, "/read", { headers: { authorization: `Bearer ${key}` } });
      expect((await call(revoked.key)).status).toBe(200);
      await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
      clearIsolateKeyCache(); // what ISOLATE_TTL_MS does by itself within 30 s
      expect(await errorOf(await call(revoked.key))).toEqual([401, "unauthorized", `API key ${revoked.prefix} is revoked or expired`]);
      expect(await errorOf(await call(expired.key))).toEqual([401, "unauthorized", `API key ${expired.prefix} is revoked or expired`]);
      expect((await call(overlapping.key)).status).toBe(200);
    });
  });

  it("tells a caller who sends the instance admin token to an org route to use an org key (403)", async () => {
    await withDb(async (db) => {
      const res = await send(db, "/read", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(await errorOf(res)).toEqual([403, "forbidden", "the instance admin token may only manage orgs (POST /v1/orgs); use an org API key here"]);
    });
  });

  it("takes a principal an earlier middleware established without asking for credentials", async () => {
    await withDb(async (db) => {
      const res = await send(db, "/preset");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ prefix: "vgl_preset" });
    });
  });

  it("writes last_used_at after the response, at most once a minute per key", async () => {
    await withDb(async (db) => {
      const key = await seedKey(db, (await seedOrg(db)).orgId, ["read"]);
      const pending: Promise<unknown>[] = [];
      const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
      const lastUsed = async () => (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.at?.getTime();
      const callAt = async (ms: number) => {
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(ms);
        const res = await send(db, "/read", { headers: { authorization: `Bearer ${key.key}` } }, ctx);
        vi.useRealTimers();
        expect(res.status).toBe(200);
        await Promise.all(pending);
      };
      const t0 = Date.now();
      expect(await lastUsed()).toBeUndefined();
      await callAt(t0);
      expect(pending).toHaveLength(1);
      expect(await lastUsed()).toBe(t0);
      await callAt(t0 + 59_999);
      expect(pending).toHaveLength(1);
      expect(await lastUsed()).toBe(t0);
      await callAt(t0 + 60_000);
      expect(pending).toHaveLength(2);
      expect(await lastUsed()).toBe(t0 + 60_000);
      // The test hook lets the next request write again at once.
      resetLastUsedThrottle();
      await callAt(t0 + 60_001);
      expect(await lastUsed()).toBe(t0 + 60_001);
      // A request with no execution context (a direct app.request) still succeeds, and still writes.
      resetLastUsedThrottle();
      await db.update(apiKeys).set({ lastUsedAt: null }).where(eq(apiKeys.id, key.id));
      expect((await send(db, "/read", { headers: { authorization: `Bearer ${key.key}` } }, null)).status).toBe(200);
      await expect.poll(lastUsed).toBeDefined();
    });
  });

  it("logs a failed last_used_at write and still answers the request", async () => {
    await withDb(async (db) => {
      const key = await seedKey(db, (await seedOrg(db)).orgId, ["read"]);
      // The key is read from Postgres as usual; only the write fails.
      const failingWrite = new Proxy(db, {
        get: (target, prop, receiver) =>
          prop === "update" ? () => ({ set: () => ({ where: () => Promise.reject(new Error("connection reset")) }) }) : Reflect.get(target, prop, receiver),
      });
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const res = await send(failingWrite, "/read", { headers: { authorization: `Bearer ${key.key}` } });
        expect(res.status).toBe(200);
        await Promise.allSettled(leftBehind.splice(0));
        expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^last_used_at update failed: Error: connection reset/));
      } finally {
        logged.mockRestore();
      }
    });
  });
});

/** A member with a live session, as cookie and CSRF headers for `base`. */
async function sessionOf(db: Database, role: "viewer" | "editor" | "owner" = "editor", extra: { instanceAdmin?: boolean } = {}) {
  const org = await seedOrg(db);
  const user = await seedUser(db, org.orgId, role, extra);
  const s = await createSession(db, { userId: user.userId, orgId: org.orgId });
  return { org, user, session: s, cookie: `${PLAIN_COOKIE}=${s.token}`, secureCookie: `${SECURE_COOKIE}=${s.token}` };
}

describe("sessions", () => {
  it("resolves the session cookie to the user with the role's scopes and the session's expiry", async () => {
    await withDb(async (db) => {
      const { org, user, session, cookie } = await sessionOf(db, "viewer");
      const res = await send(db, "/read", { headers: { cookie } });
      expect(await res.json()).toEqual({
        kind: "user",
        orgId: org.orgId,
        userId: user.userId,
        email: user.email,
        sessionId: session.id,
        role: "viewer",
        projectRoles: {},
        scopes: ["read"],
        instanceAdmin: false,
        csrfToken: session.csrfToken,
        sessionExpiresAt: session.expiresAt.toISOString(),
      });
    });
  });

  it("prefers the Authorization header to the cookie", async () => {
    await withDb(async (db) => {
      const { cookie } = await sessionOf(db);
      const key = await seedKey(db, (await seedOrg(db)).orgId, ["read"]);
      const res = await send(db, "/who", { headers: { cookie, authorization: `Bearer ${key.key}` } });
      expect(((await res.json()) as { kind: string }).kind).toBe("api_key");
    });
  });

  it("refuses a revoked session with 401 and tells the user to sign in again", async () => {
    await withDb(async (db) => {
      const { session, cookie } = await sessionOf(db);
      await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, session.id));
      expect(await errorOf(await send(db, "/read", { headers: { cookie } }))).toEqual([401, "unauthorized", "session expired or signed out; sign in again (POST /v1/sessions)"]);
    });
  });

  it("lets reads through without a CSRF token but refuses a write without the session's token", async () => {
    await withDb(async (db) => {
      const { session, cookie } = await sessionOf(db);
      expect((await send(db, "/read", { headers: { cookie } })).status).toBe(200);
      for (const method of ["HEAD", "OPTIONS"]) expect((await send(db, "/write", { method, headers: { cookie } })).status).toBe(200);
      const message = "cookie-authenticated writes must send the session's CSRF token in X-CSRF-Token (GET /v1/sessions returns it)";
      expect(await errorOf(await send(db, "/write", { method: "POST", headers: { cookie } }))).toEqual([403, "csrf_failed", message]);
      expect(await errorOf(await send(db, "/write", { method: "DELETE", headers: { cookie, "x-csrf-token": `${session.csrfToken}x` } }))).toEqual([403, "csrf_failed", message]);
      expect((await send(db, "/write", { method: "POST", headers: { cookie, "x-csrf-token": session.csrfToken } })).status).toBe(200);
    });
  });

  it("refuses a write from another origin even with the token, and admits one from its own", async () => {
    await withDb(async (db) => {
      const { session, secureCookie } = await sessionOf(db);
      const headers = (origin: string) => ({ cookie: secureCookie, "x-csrf-token": session.csrfToken, origin });
      const evil = await send(db, "/write", { base: HTTPS, method: "POST", headers: headers("https://evil.example") });
      expect(await errorOf(evil)).toEqual([403, "csrf_failed", "cross-origin request from https://evil.example refused for a cookie-authenticated write"]);
      expect((await send(db, "/write", { base: HTTPS, method: "POST", headers: headers(HTTPS) })).status).toBe(200);
    });
  });
});

describe("instance admin routes", () => {
  it("admit the instance admin token, and record who acted", async () => {
    await withDb(async (db) => {
      const res = await send(db, "/orgs", { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ instanceAdmin: { type: "instance_admin", id: "token" }, principal: null });
    });
  });

  it("refuse org API keys with 403, other tokens and no credentials with 401", async () => {
    await withDb(async (db) => {
      const key = await seedKey(db, (await seedOrg(db)).orgId, ["admin"]);
      const call = (headers: Record<string, string>) => send(db, "/orgs", { headers });
      expect(await errorOf(await call({ authorization: `Bearer ${key.key}` }))).toEqual([403, "forbidden", "only an instance admin may do this; org API keys cannot"]);
      expect(await errorOf(await call({ authorization: `Bearer ${ADMIN_TOKEN}y` }))).toEqual([401, "unauthorized", "invalid instance admin token"]);
      expect(await errorOf(await call({ authorization: `Token ${ADMIN_TOKEN}` }))).toEqual([401, "unauthorized", "Authorization header must be `Bearer <api key>`"]);
      expect(await errorOf(await call({}))).toEqual([401, "unauthorized", "send `Authorization: Bearer <INSTANCE_ADMIN_TOKEN>` or sign in as an instance admin"]);
    });
  });

  it("admit a signed-in instance admin (with the CSRF check) and refuse other users with 403", async () => {
    await withDb(async (db) => {
      const admin = await sessionOf(db, "owner", { instanceAdmin: true });
      const res = await send(db, "/orgs", { headers: { cookie: admin.cookie } });
      const body = (await res.json()) as { instanceAdmin: unknown; principal: { userId: string } };
      expect(body.instanceAdmin).toEqual({ type: "user", id: admin.user.userId });
      expect(body.principal.userId).toBe(admin.user.userId);
      expect((await send(db, "/orgs", { method: "POST", headers: { cookie: admin.cookie } })).status).toBe(403);
      expect((await send(db, "/orgs", { method: "POST", headers: { cookie: admin.cookie, "x-csrf-token": admin.session.csrfToken } })).status).toBe(200);

      const owner = await sessionOf(db, "owner");
      expect(await errorOf(await send(db, "/orgs", { headers: { cookie: owner.cookie } }))).toEqual([403, "forbidden", `user ${owner.user.email} (owner) is not an instance admin`]);
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, admin.user.userId));
      expect((await send(db, "/orgs", { headers: { cookie: admin.cookie } })).status).toBe(401);
    });
  });
});

describe("authorize()", () => {
  it("lets a public route through without credentials, and insists on the reason it is public", async () => {
    await withDb(async (db) => {
      const res = await send(db, "/public");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ principal: null });
    });
    expect(() => authorize({ public: "" })).toThrow("authorize({ public }) needs the reason the route is public");
  });

  it("carries the route's policy for the app-wide checks", () => {
    expect(policyOf(authorize({ scope: "write" }))).toEqual({ scope: "write" });
    expect(policyOf(authorize({ instanceAdmin: true }))).toEqual({ instanceAdmin: true });
    expect(policyOf(authorize({ public: "why" }))).toEqual({ public: "why" });
  });
});

describe("scopeSatisfies", () => {
  it.each([
    [["admin"], "ingest", true],
    [["write"], "read", true],
    [["read"], "write", false],
    [["ingest"], "read", false],
    [["read", "ingest"], "ingest", true],
  ] as const)("%j satisfies %s: %s", (held, needed, expected) => {
    expect(scopeSatisfies(held, needed)).toBe(expected);
  });
});
