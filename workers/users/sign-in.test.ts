// sign-in.ts called directly (the routes around it: workers/routes/sessions.test.ts):
// which password sign-ins and login links open a session, in which org, what they audit,
// and what "who am I" and sign-out answer. Runs in workerd under `npm test` and on PGlite
// in the mutation config.
import { OpenAPIHono } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiKeyPrincipal, UserPrincipal } from "../auth/principal.ts";
import type { Database } from "../db/client.ts";
import { auditLog, memberships, orgs, sessions, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { seedUser } from "../testing/principals.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { createLoginLink } from "./login-links.ts";
import * as password from "./password.ts";
import { lookupSession } from "./sessions.ts";
import { checkPassword, INVALID_SIGN_IN, Session, SignIn, signInWithLink, signInWithPassword, signOut, whoAmI, type SignInClient } from "./sign-in.ts";

// vitest's module mocker calls AsyncLocalStorage#disable() once a mock factory settles
// (a speed-up for Node); workerd does not implement it, so the test makes it a no-op
// (as sessions.test.ts does).
vi.hoisted(async () => {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  AsyncLocalStorage.prototype.disable = () => {};
});
// verifyPassword as it is, watched: an unknown email must cost a verification too.
vi.mock("./password.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./password.ts")>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

afterEach(() => vi.useRealTimers());

const client: SignInClient = { ip: "198.51.100.7", userAgent: "test-agent/1", actor: { type: "user", id: "ignored", requestId: "req-1", ip: "198.51.100.7" } };

async function thrown(work: Promise<unknown>): Promise<ApiError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return err;
}

/** A user with a password who belongs to `orgs` (slugs) with the given role. */
async function userIn(db: Database, orgSlugs: string[], pw = "correct horse battery staple") {
  const created = [];
  for (const slug of orgSlugs) created.push(await seedOrg(db, slug));
  const { userId, email } = await seedUser(db, created[0]!.orgId, "editor", { passwordHash: await password.hashPassword(pw) });
  for (const org of created.slice(1)) await db.insert(memberships).values({ orgId: org.orgId, userId, role: "viewer" });
  return { userId, email, orgs: created, pw };
}

const account = (u: { userId: string; email: string }) => ({ id: u.userId, email: u.email });
const suffix = () => crypto.randomUUID().slice(0, 8);

describe("request shapes", () => {
  it("SignIn takes an email, a password of 1 to 1,000 characters and an optional org slug", () => {
    expect(SignIn.safeParse({ email: "a@example.test", password: "x" }).success).toBe(true);
    expect(SignIn.safeParse({ email: "a@example.test", password: "x".repeat(1_000), org: "acme" }).success).toBe(true);
    expect(SignIn.safeParse({ email: "a@example.test", password: "" }).success).toBe(false);
    expect(SignIn.safeParse({ email: "a@example.test", password: "x".repeat(1_001) }).success).toBe(false);
    expect(SignIn.safeParse({ email: "not-an-email", password: "x" }).success).toBe(false);
    expect(SignIn.safeParse({ email: "a@example.test", password: "x", org: 7 }).success).toBe(false);
  });

  it("Session describes both kinds of caller", () => {
    const org = { id: crypto.randomUUID(), slug: "acme" };
    expect(Session.safeParse({ kind: "api_key", org, user: null, role: null, scopes: ["read"], csrf_token: null, expires_at: null }).success).toBe(true);
    expect(Session.safeParse({ kind: "robot", org, user: null, role: null, scopes: [], csrf_token: null, expires_at: null }).success).toBe(false);
    expect(Session.safeParse({ kind: "user", org: { id: "not-a-uuid", slug: "acme" }, user: null, role: null, scopes: [], csrf_token: null, expires_at: null }).success).toBe(false);
    expect(Session.safeParse({ kind: "user", org, user: { id: crypto.randomUUID(), email: "a@example.test" }, role: "owner", scopes: [], csrf_token: "c", expires_at: "2026-01-01T00:00:00.000Z" }).success).toBe(true);
  });


  it("are published in the API document as SignIn and Session, with their field descriptions", () => {
    const doc = new OpenAPIHono();
    doc.openAPIRegistry.registerPath({
      method: "post",
      path: "/v1/sessions",
      request: { body: { content: { "application/json": { schema: SignIn } } } },
      responses: { 201: { description: "signed in", content: { "application/json": { schema: Session } } } },
    });
    const schemas = doc.getOpenAPIDocument({ openapi: "3.0.0", info: { title: "t", version: "1" } }).components?.schemas as Record<string, { properties: Record<string, { description?: string }> }>;
    expect(Object.keys(schemas).sort()).toEqual(["Session", "SignIn"]);
    expect(schemas.SignIn!.properties.org!.description).toBe("org slug; default: the user's first org");
    expect(schemas.Session!.properties.csrf_token!.description).toBe("send as X-CSRF-Token on cookie-authenticated writes");
  });
});

describe("checkPassword", () => {
  it("returns the account for the right password, whatever the email's case", async () => {
    await withDb(async (db) => {
      const u = await userIn(db, [`pw-${suffix()}`]);
      expect(await checkPassword(db, u.email.toUpperCase(), u.pw)).toEqual({ id: u.userId, email: u.email });
      expect(await checkPassword(db, u.email, "wrong password")).toBeUndefined();
    });
  });

  it("refuses a disabled account even with the right password", async () => {
    await withDb(async (db) => {
      const u = await userIn(db, [`pw-${suffix()}`]);
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.userId));
      expect(await checkPassword(db, u.email, u.pw)).toBeUndefined();
    });
  });

  it("verifies against a dummy hash for an unknown email or a link-only account, so timing tells nothing", async () => {
    await withDb(async (db) => {
      const verify = vi.mocked(password.verifyPassword);
      verify.mockClear();
      expect(await checkPassword(db, `nobody-${suffix()}@example.test`, "guess")).toBeUndefined();
      expect(verify).toHaveBeenCalledWith("guess", password.DUMMY_HASH);
      const { orgId } = await seedOrg(db);
      const linkOnly = await seedUser(db, orgId, "viewer");
      verify.mockClear();
      expect(await checkPassword(db, linkOnly.email, "guess")).toBeUndefined();
      expect(verify).toHaveBeenCalledWith("guess", password.DUMMY_HASH);
    });
  });

  it("has one answer for every refusal: 401 'invalid email or password'", () => {
    expect(INVALID_SIGN_IN.status).toBe(401);
    expect(INVALID_SIGN_IN.code).toBe("unauthorized");
    expect(INVALID_SIGN_IN.message).toBe("invalid email or password");
  });
});

describe("signInWithPassword", () => {
  it("opens a session in the user's first org by slug, audited as the user with the client's request", async () => {
    await withDb(async (db) => {
      const tag = suffix();
      const u = await userIn(db, [`zeta-${tag}`, `alpha-${tag}`]);
      const opened = await signInWithPassword(db, client, account(u), undefined);
      const alpha = u.orgs[1]!;
      expect(opened.json).toEqual({
        kind: "user",
        org: { id: alpha.orgId, slug: alpha.slug },
        user: { id: u.userId, email: u.email },
        role: "viewer",
        scopes: [],
        csrf_token: opened.session.csrfToken,
        expires_at: opened.session.expiresAt.toISOString(),
      });
      // What the route sends passes through the response schema whole (zod drops keys a schema lacks).
      expect(Session.parse(opened.json)).toEqual(opened.json);
      const [row] = await db.select().from(sessions).where(eq(sessions.id, opened.session.id));
      expect(row).toMatchObject({ userId: u.userId, orgId: alpha.orgId, ip: "198.51.100.7", userAgent: "test-agent/1" });
      const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, alpha.orgId), eq(auditLog.targetId, opened.session.id)));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorType: "user", actorId: u.email, action: "session.create", targetType: "session", details: { via: "password", request_id: "req-1", ip: "198.51.100.7" } });
      expect((await lookupSession(db, opened.session.token))?.orgId).toBe(alpha.orgId);
    });
  });

  it("opens the named org when asked, and refuses an org where the user is not an active member", async () => {
    await withDb(async (db) => {
      const tag = suffix();
      const u = await userIn(db, [`zeta-${tag}`, `alpha-${tag}`]);
      const zeta = u.orgs[0]!;
      const opened = await signInWithPassword(db, client, account(u), zeta.slug);
      expect(opened.json.org).toEqual({ id: zeta.orgId, slug: zeta.slug });
      expect(opened.json.role).toBe("editor");

      const stranger = await seedOrg(db, `stranger-${tag}`);
      const err = await thrown(signInWithPassword(db, client, account(u), stranger.slug));
      expect([err.status, err.code, err.message]).toEqual([401, "unauthorized", `${u.email} is not an active member of org stranger-${tag}`]);

      await db.update(memberships).set({ suspendedAt: new Date() }).where(and(eq(memberships.userId, u.userId), eq(memberships.orgId, zeta.orgId)));
      expect((await thrown(signInWithPassword(db, client, account(u), zeta.slug))).message).toBe(`${u.email} is not an active member of org zeta-${tag}`);
      // Without a slug, the suspended org is passed over for the active one.
      expect((await signInWithPassword(db, client, account(u), undefined)).json.org.slug).toBe(`alpha-${tag}`);
      await db.update(memberships).set({ suspendedAt: new Date() }).where(eq(memberships.userId, u.userId));
      const none = await thrown(signInWithPassword(db, client, account(u), undefined));
      expect([none.status, none.message]).toEqual([401, `${u.email} belongs to no org where the membership is active`]);
      expect(await db.select().from(sessions).where(and(eq(sessions.userId, u.userId), eq(sessions.orgId, stranger.orgId)))).toEqual([]);
    });
  });
});

describe("signInWithLink", () => {
  it("opens a session in the link's org, once, audited as a login-link sign-in", async () => {
    await withDb(async (db) => {
      const tag = suffix();
      const u = await userIn(db, [`alpha-${tag}`, `beta-${tag}`]);
      const beta = u.orgs[1]!;
      const link = await createLoginLink(db, u.userId, beta.orgId);
      const opened = await signInWithLink(db, client, link.token);
      expect(opened.json).toMatchObject({ kind: "user", org: { id: beta.orgId, slug: beta.slug }, user: { id: u.userId, email: u.email }, role: "viewer" });
      const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, opened.session.id));
      expect(audit).toMatchObject({ action: "session.create", actorId: u.email, details: { via: "login_link" } });
      const again = await thrown(signInWithLink(db, client, link.token));
      expect([again.status, again.code, again.message]).toEqual([401, "unauthorized", "login link is unknown, already used or expired; `npm start` prints a fresh one"]);
    });
  });

  it("refuses a link whose user has been disabled", async () => {
    await withDb(async (db) => {
      const u = await userIn(db, [`alpha-${suffix()}`]);
      const link = await createLoginLink(db, u.userId, u.orgs[0]!.orgId);
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.userId));
      const err = await thrown(signInWithLink(db, client, link.token));
      expect([err.status, err.code, err.message]).toEqual([401, "unauthorized", "login link's user is disabled or gone"]);
    });
  });
});

/** `db` on which reading `gone` finds no row, as if it had been deleted after the link was consumed. */
function without(db: Database, gone: typeof users | typeof orgs): Database {
  return new Proxy(db, {
    get: (target, prop, receiver) =>
      prop === "select"
        ? (...fields: Parameters<Database["select"]>) => {
            const query = target.select(...fields);
            return new Proxy(query, {
              get: (q, p, r) => (p === "from" ? (table: unknown) => (table === gone ? { where: async () => [] } : q.from(table as typeof users)) : Reflect.get(q, p, r)),
            });
          }
        : Reflect.get(target, prop, receiver),
  });
}

describe("signInWithLink when the user or org went away meanwhile", () => {
  it.each([
    ["user", users],
    ["org", orgs],
  ] as const)("refuses the link when its %s is gone by the time it is read", async (_what, gone) => {
    await withDb(async (db) => {
      const u = await userIn(db, [`alpha-${suffix()}`]);
      const link = await createLoginLink(db, u.userId, u.orgs[0]!.orgId);
      const err = await thrown(signInWithLink(without(db, gone), client, link.token));
      expect([err.status, err.code, err.message]).toEqual([401, "unauthorized", "login link's user is disabled or gone"]);
    });
  });
});

describe("whoAmI and signOut", () => {
  it("describes an API key without user, role, CSRF token or expiry", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const key: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: crypto.randomUUID(), prefix: "vgl_abcd1234", scopes: ["read", "ingest"], projectId: null, modelId: null };
      expect(await whoAmI(db, key)).toEqual({ kind: "api_key", org: { id: org.orgId, slug: org.slug }, user: null, role: null, scopes: ["read", "ingest"], csrf_token: null, expires_at: null });
      const err = await thrown(signOut(db, key, { type: "api_key", id: key.keyId }));
      expect([err.status, err.code, err.message]).toEqual([400, "bad_request", "API keys have no session; revoke the key with DELETE /v1/keys/{id}"]);
    });
  });

  it("describes a user, and signing out revokes just that session, audited", async () => {
    await withDb(async (db) => {
      const u = await userIn(db, [`alpha-${suffix()}`]);
      const org = u.orgs[0]!;
      const opened = await signInWithPassword(db, client, account(u), undefined);
      const other = await signInWithPassword(db, client, account(u), undefined);
      const p: UserPrincipal = {
        kind: "user", orgId: org.orgId, userId: u.userId, email: u.email, sessionId: opened.session.id, role: "editor", projectRoles: {},
        scopes: ["read", "write"], instanceAdmin: false, csrfToken: opened.session.csrfToken, sessionExpiresAt: opened.session.expiresAt.toISOString(),
      };
      expect(await whoAmI(db, p)).toEqual({ kind: "user", org: { id: org.orgId, slug: org.slug }, user: { id: u.userId, email: u.email }, role: "editor", scopes: ["read", "write"], csrf_token: opened.session.csrfToken, expires_at: opened.session.expiresAt.toISOString() });
      await signOut(db, p, { type: "user", id: u.email, requestId: "req-2" });
      expect(await lookupSession(db, opened.session.token)).toBeUndefined();
      expect((await lookupSession(db, other.session.token))?.sessionId).toBe(other.session.id);
      const audit = await db.select().from(auditLog).where(and(eq(auditLog.targetId, opened.session.id), eq(auditLog.action, "session.revoke")));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ orgId: org.orgId, actorType: "user", actorId: u.email, targetType: "session", details: { request_id: "req-2" } });
    });
  });

  it("answers 404 when the caller's org is gone", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const key: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: crypto.randomUUID(), prefix: "vgl_abcd1234", scopes: ["read"], projectId: null, modelId: null };
      await db.delete(orgs).where(eq(orgs.id, org.orgId));
      const err = await thrown(whoAmI(db, key));
      expect([err.status, err.code, err.message]).toEqual([404, "not_found", "the caller's org is gone"]);
    });
  });
});
