// sessions.ts called directly (sessions.test.ts checks cookie names and CSRF through the
// whole app in workerd): what a session row stores, which sessions a cookie still opens,
// and the exact cookie each scheme gets. Runs in workerd under `npm test` and on PGlite in
// the mutation config.
import { and, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashApiKey } from "../auth/api-key.ts";
import type { Database } from "../db/client.ts";
import { memberships, projectRoles, sessions, users } from "../db/schema/index.ts";
import { seedUser } from "../testing/principals.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import {
  clearSessionCookie,
  cookieIsSecure,
  createSession,
  CSRF_HEADER,
  lookupSession,
  PLAIN_COOKIE,
  revokeSession,
  SECURE_COOKIE,
  SESSION_TTL_MS,
  sessionCookieValue,
  setSessionCookie,
} from "./sessions.ts";

afterEach(() => vi.useRealTimers());

const T0 = Date.UTC(2026, 0, 1, 12);
function at(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

async function member(db: Database, role: "owner" | "admin" | "editor" | "viewer" = "editor") {
  const org = await seedOrg(db);
  const user = await seedUser(db, org.orgId, role);
  return { ...org, userId: user.userId, email: user.email };
}

describe("createSession", () => {
  it("stores the token's hash (never the token), the CSRF token, the client and a 12-hour expiry", async () => {
    expect(SESSION_TTL_MS).toBe(43_200_000);
    await withDb(async (db) => {
      const m = await member(db);
      at(T0);
      const s = await createSession(db, { userId: m.userId, orgId: m.orgId, ip: "198.51.100.7", userAgent: "test-agent/1" });
      expect(s.expiresAt.getTime()).toBe(T0 + 43_200_000);
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const [row] = await db.select().from(sessions).where(eq(sessions.id, s.id));
      expect(row).toMatchObject({ tokenHash: await hashApiKey(s.token), userId: m.userId, orgId: m.orgId, csrfToken: s.csrfToken, ip: "198.51.100.7", userAgent: "test-agent/1", revokedAt: null });
      expect(row!.tokenHash).not.toBe(s.token);
      expect(row!.expiresAt.getTime()).toBe(T0 + 43_200_000);
      const bare = await createSession(db, { userId: m.userId, orgId: m.orgId });
      const [bareRow] = await db.select().from(sessions).where(eq(sessions.id, bare.id));
      expect(bareRow).toMatchObject({ ip: null, userAgent: null });
    });
  });

  it("makes a new random token and CSRF token for every session", async () => {
    await withDb(async (db) => {
      const m = await member(db);
      const made = await Promise.all(Array.from({ length: 20 }, () => createSession(db, { userId: m.userId, orgId: m.orgId })));
      const tokens = made.flatMap((s) => [s.token, s.csrfToken]);
      expect(new Set(tokens).size).toBe(40);
      expect(tokens.join("")).toMatch(/[-_]/);
      expect(tokens.join("")).not.toMatch(/[+/=]/);
      expect(new Set(tokens.join("")).size).toBeGreaterThan(60);
    });
  });
});

describe("lookupSession", () => {
  it("returns the session with the member's role, project roles in this org and CSRF token", async () => {
    await withDb(async (db) => {
      const m = await member(db, "admin");
      await db.update(users).set({ instanceAdmin: true }).where(eq(users.id, m.userId));
      // A narrowed role in this org's project; one in another org must not leak in.
      await db.insert(projectRoles).values({ projectId: m.projectId, userId: m.userId, orgId: m.orgId, role: "viewer" });
      const other = await seedOrg(db);
      await db.insert(memberships).values({ orgId: other.orgId, userId: m.userId, role: "owner" });
      await db.insert(projectRoles).values({ projectId: other.projectId, userId: m.userId, orgId: other.orgId, role: "editor" });
      const s = await createSession(db, { userId: m.userId, orgId: m.orgId });
      const found = await lookupSession(db, s.token);
      expect(found).toEqual({
        sessionId: s.id,
        userId: m.userId,
        orgId: m.orgId,
        email: m.email,
        instanceAdmin: true,
        role: "admin",
        projectRoles: { [m.projectId]: "viewer" },
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt,
      });
      // The same user's session in the other org carries that org's roles.
      const there = await lookupSession(db, (await createSession(db, { userId: m.userId, orgId: other.orgId })).token);
      expect(there).toMatchObject({ orgId: other.orgId, role: "owner", projectRoles: { [other.projectId]: "editor" } });
    });
  });

  it("skips a project role that is not a role", async () => {
    await withDb(async (db) => {
      const m = await member(db);
      await db.insert(projectRoles).values({ projectId: m.projectId, userId: m.userId, orgId: m.orgId, role: "superuser" });
      const s = await createSession(db, { userId: m.userId, orgId: m.orgId });
      expect((await lookupSession(db, s.token))?.projectRoles).toEqual({});
    });
  });

  it("finds nothing for an unknown token, or for the stored hash used as a token", async () => {
    await withDb(async (db) => {
      const m = await member(db);
      const s = await createSession(db, { userId: m.userId, orgId: m.orgId });
      expect(await lookupSession(db, "no-such-session")).toBeUndefined();
      expect(await lookupSession(db, await hashApiKey(s.token))).toBeUndefined();
      expect((await lookupSession(db, s.token))?.sessionId).toBe(s.id);
    });
  });

  it("opens a session until the instant it expires, not at that instant", async () => {
    await withDb(async (db) => {
      const m = await member(db);
      at(T0);
      const s = await createSession(db, { userId: m.userId, orgId: m.orgId });
      at(T0 + SESSION_TTL_MS - 1);
      expect((await lookupSession(db, s.token))?.sessionId).toBe(s.id);
      at(T0 + SESSION_TTL_MS);
      expect(await lookupSession(db, s.token)).toBeUndefined();
    });
  });

  it("refuses a revoked session, and revoking one leaves the user's others open", async () => {
    await withDb(async (db) => {
      const m = await member(db);
      const a = await createSession(db, { userId: m.userId, orgId: m.orgId });
      const b = await createSession(db, { userId: m.userId, orgId: m.orgId });
      at(T0);
      await revokeSession(db, a.id);
      vi.useRealTimers();
      const [row] = await db.select().from(sessions).where(eq(sessions.id, a.id));
      expect(row!.revokedAt?.getTime()).toBe(T0);
      expect(await lookupSession(db, a.token)).toBeUndefined();
      expect((await lookupSession(db, b.token))?.sessionId).toBe(b.id);
    });
  });

  it("refuses a disabled user, a suspended membership, a removed membership and a role that is not a role", async () => {
    await withDb(async (db) => {
      const disabled = await member(db);
      const sDisabled = await createSession(db, { userId: disabled.userId, orgId: disabled.orgId });
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.userId));
      expect(await lookupSession(db, sDisabled.token)).toBeUndefined();

      const suspended = await member(db);
      const sSuspended = await createSession(db, { userId: suspended.userId, orgId: suspended.orgId });
      await db.update(memberships).set({ suspendedAt: new Date() }).where(eq(memberships.userId, suspended.userId));
      expect(await lookupSession(db, sSuspended.token)).toBeUndefined();

      // Still a member of another org, but no longer of the session's.
      const removed = await member(db);
      const elsewhere = await seedOrg(db);
      await db.insert(memberships).values({ orgId: elsewhere.orgId, userId: removed.userId, role: "owner" });
      const sRemoved = await createSession(db, { userId: removed.userId, orgId: removed.orgId });
      await db.delete(memberships).where(and(eq(memberships.userId, removed.userId), eq(memberships.orgId, removed.orgId)));
      expect(await lookupSession(db, sRemoved.token)).toBeUndefined();

      const odd = await member(db);
      const sOdd = await createSession(db, { userId: odd.userId, orgId: odd.orgId });
      await db.update(memberships).set({ role: "superuser" }).where(eq(memberships.userId, odd.userId));
      expect(await lookupSession(db, sOdd.token)).toBeUndefined();
    });
  });
});

/** Runs `fn` on a request to `url` in a bare app and returns what it answered with. */
async function onRequest(url: string, fn: (c: Context) => unknown, headers: Record<string, string> = {}) {
  const app = new Hono();
  let value: unknown;
  app.get("*", (c) => {
    value = fn(c);
    return c.body(null, 204);
  });
  const res = await app.request(url, { headers });
  return { value, setCookie: res.headers.get("set-cookie") };
}

describe("session cookies", () => {
  it("names the header the CSRF token travels in", () => {
    expect(CSRF_HEADER).toBe("x-csrf-token");
    expect(SECURE_COOKIE).toBe("__Host-vigil_session");
    expect(PLAIN_COOKIE).toBe("vigil_session");
  });

  it.each([
    ["http://127.0.0.1:8787/", false],
    ["http://localhost:8787/", false],
    ["http://[::1]:8787/", false],
    ["https://127.0.0.1:8787/", true],
    ["https://localhost/", true],
    ["http://vigil.example.com/", true],
    ["http://127.0.0.2/", true],
    ["https://vigil.example.com/", true],
  ])("%s: Secure cookie %s", async (url, secure) => {
    expect((await onRequest(url, (c) => cookieIsSecure(c))).value).toBe(secure);
  });

  it("reads only the __Host- cookie where cookies are Secure, only the plain one on plain-http loopback", async () => {
    const both = { cookie: `${PLAIN_COOKIE}=plain-token; ${SECURE_COOKIE}=host-token` };
    expect((await onRequest("https://vigil.example.com/", sessionCookieValue, both)).value).toBe("host-token");
    expect((await onRequest("http://127.0.0.1:8787/", sessionCookieValue, both)).value).toBe("plain-token");
    expect((await onRequest("https://vigil.example.com/", sessionCookieValue, { cookie: `${PLAIN_COOKIE}=plain-token` })).value).toBeUndefined();
  });

  const session = { id: "s", token: "tok-en_1", csrfToken: "c", expiresAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };

  it("sets a Secure, HttpOnly, SameSite=Lax __Host- cookie for the whole site, expiring with the session", async () => {
    const { setCookie } = await onRequest("https://vigil.example.com/", (c) => setSessionCookie(c, session));
    expect(setCookie).toBe("__Host-vigil_session=tok-en_1; Path=/; Expires=Fri, 02 Jan 2026 03:04:05 GMT; HttpOnly; Secure; SameSite=Lax");
  });

  it("on plain-http loopback sets the plain-named cookie without Secure", async () => {
    const { setCookie } = await onRequest("http://127.0.0.1:8787/", (c) => setSessionCookie(c, session));
    expect(setCookie).toBe("vigil_session=tok-en_1; Path=/; Expires=Fri, 02 Jan 2026 03:04:05 GMT; HttpOnly; SameSite=Lax");
  });

  it("clears the cookie it set, with the same name and attributes", async () => {
    const secure = await onRequest("https://vigil.example.com/", (c) => clearSessionCookie(c), { cookie: `${SECURE_COOKIE}=x` });
    expect(secure.setCookie).toBe("__Host-vigil_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax");
    const plain = await onRequest("http://localhost:8787/", (c) => clearSessionCookie(c), { cookie: `${PLAIN_COOKIE}=x` });
    expect(plain.setCookie).toBe("vigil_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  });
});
