import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { hashApiKey } from "../auth/api-key.ts";
import { isRole, type Role } from "../authz/roles.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, projectRoles, sessions, users } from "../db/schema/index.ts";

// Dashboard sessions: an opaque random token in an HttpOnly cookie, stored only as its
// SHA-256 (like API keys), plus a per-session CSRF token the client echoes in a header.

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SECURE_COOKIE = "__Host-vigil_session";
export const PLAIN_COOKIE = "vigil_session";
export const CSRF_HEADER = "x-csrf-token";

function randomToken(bytes = 32): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let bin = "";
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Queryable,
  input: { userId: string; orgId: string; ip?: string; userAgent?: string },
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const [row] = await db
    .insert(sessions)
    .values({ tokenHash: await hashApiKey(token), userId: input.userId, orgId: input.orgId, csrfToken, expiresAt, ip: input.ip ?? null, userAgent: input.userAgent ?? null })
    .returning({ id: sessions.id });
  return { id: row!.id, token, csrfToken, expiresAt };
}

export interface SessionRecord {
  sessionId: string;
  userId: string;
  orgId: string;
  email: string;
  instanceAdmin: boolean;
  role: Role;
  projectRoles: Record<string, Role>;
  csrfToken: string;
  expiresAt: Date;
}

/** The live session for a cookie value: not expired, not revoked, user enabled and still a member whose membership is not suspended. */
export async function lookupSession(db: Queryable, token: string): Promise<SessionRecord | undefined> {
  const [row] = await db
    .select({ s: sessions, email: users.email, instanceAdmin: users.instanceAdmin, role: memberships.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
    .where(and(eq(sessions.tokenHash, await hashApiKey(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt), isNull(memberships.suspendedAt)))
    .limit(1);
  if (!row || !isRole(row.role)) return undefined;
  const narrowed = await db
    .select({ projectId: projectRoles.projectId, role: projectRoles.role })
    .from(projectRoles)
    .where(and(eq(projectRoles.userId, row.s.userId), eq(projectRoles.orgId, row.s.orgId)));
  const byProject: Record<string, Role> = {};
  for (const p of narrowed) if (isRole(p.role)) byProject[p.projectId] = p.role;
  return {
    sessionId: row.s.id,
    userId: row.s.userId,
    orgId: row.s.orgId,
    email: row.email,
    instanceAdmin: row.instanceAdmin,
    role: row.role,
    projectRoles: byProject,
    csrfToken: row.s.csrfToken,
    expiresAt: row.s.expiresAt,
  };
}

/**
 * Secure cookies everywhere except plain-http loopback: `npm start` serves
 * http://127.0.0.1, where a Secure cookie would not be sent back by every browser
 * (Chromium and Firefox treat only `localhost` as a secure context for cookies), so
 * there the cookie goes without Secure and without the __Host- prefix that requires it.
 * Loopback traffic never leaves the machine, so nothing is exposed by that.
 */
export function cookieIsSecure(c: Context): boolean {
  const url = new URL(c.req.url);
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return !(url.protocol === "http:" && loopback);
}

/**
 * The session token from the one cookie name valid for this request: `__Host-` wherever
 * cookies are Secure, the plain name only on plain-http loopback. Over HTTPS a plain-named
 * cookie is ignored, because anything that can write a cookie for the domain (a sibling
 * subdomain, a plain-http response on the same host, a network attacker on http) can set
 * one and fixate a session; the browser lets only a Secure, host-only, path=/ response of
 * this very origin set a `__Host-` cookie.
 */
export function sessionCookieValue(c: Context): string | undefined {
  return getCookie(c, cookieIsSecure(c) ? SECURE_COOKIE : PLAIN_COOKIE);
}

export function setSessionCookie(c: Context, session: NewSession): void {
  const secure = cookieIsSecure(c);
  setCookie(c, secure ? SECURE_COOKIE : PLAIN_COOKIE, session.token, {
    httpOnly: true,
    secure,
    sameSite: "Lax",
    path: "/",
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(c: Context): void {
  const secure = cookieIsSecure(c);
  deleteCookie(c, secure ? SECURE_COOKIE : PLAIN_COOKIE, { path: "/", secure, httpOnly: true, sameSite: "Lax" });
}

export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));
}

export { randomToken };
