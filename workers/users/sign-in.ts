// Signing in and out, and "who am I": the session side of the sessions routes. The
// routes set and clear the cookie; everything that reads or writes Postgres is here.
import { z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { memberships, orgs, users } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { consumeLoginLink } from "./login-links.ts";
import { DUMMY_HASH, verifyPassword } from "./password.ts";
import { createSession, revokeSession, type NewSession } from "./sessions.ts";

export const SignIn = z
  .object({ email: z.string().email(), password: z.string().min(1).max(1_000), org: z.string().optional().openapi({ description: "org slug; default: the user's first org" }) })
  .openapi("SignIn");

export const Session = z
  .object({
    kind: z.enum(["user", "api_key"]),
    org: z.object({ id: z.string().uuid(), slug: z.string() }),
    user: z.object({ id: z.string().uuid(), email: z.string() }).nullable(),
    role: z.string().nullable(),
    scopes: z.array(z.string()),
    csrf_token: z.string().nullable().openapi({ description: "send as X-CSRF-Token on cookie-authenticated writes" }),
    expires_at: z.string().nullable(),
  })
  .openapi("Session");

type SessionJson = z.infer<typeof Session>;

/** Where a sign-in comes from, for the session row and its audit record. */
export interface SignInClient {
  ip: string | undefined;
  userAgent: string | undefined;
  actor: AuditActor;
}

export interface OpenedSession {
  json: SessionJson;
  session: NewSession;
}

const INVALID = "invalid email or password";

/** Opens a session in an org the user is an active member of (the named one, else their first), audited. */
async function openSession(db: Queryable, client: SignInClient, user: { id: string; email: string }, orgSlug: string | undefined, how: string): Promise<OpenedSession> {
  const [member] = await db
    .select({ orgId: orgs.id, slug: orgs.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, user.id), isNull(memberships.suspendedAt), ...(orgSlug ? [eq(orgs.slug, orgSlug)] : [])))
    .orderBy(orgs.slug)
    .limit(1);
  if (!member) throw new ApiError(401, "unauthorized", orgSlug ? `${user.email} is not an active member of org ${orgSlug}` : `${user.email} belongs to no org where the membership is active`);
  const session = await db.transaction(async (tx) => {
    const s = await createSession(tx, { userId: user.id, orgId: member.orgId, ip: client.ip, userAgent: client.userAgent });
    await recordAudit(tx, { ...client.actor, type: "user", id: user.email }, { orgId: member.orgId, action: "session.create", targetType: "session", targetId: s.id, details: { via: how } });
    return s;
  });
  return {
    session,
    json: { kind: "user", org: { id: member.orgId, slug: member.slug }, user: { id: user.id, email: user.email }, role: member.role, scopes: [], csrf_token: session.csrfToken, expires_at: session.expiresAt.toISOString() },
  };
}

/** The account if the password is right; the caller counts failures. Verifies even for unknown emails, so timing reveals nothing. */
export async function checkPassword(db: Queryable, email: string, password: string): Promise<{ id: string; email: string } | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok && !user.disabledAt ? { id: user.id, email: user.email } : undefined;
}

export async function signInWithPassword(db: Queryable, client: SignInClient, user: { id: string; email: string }, orgSlug: string | undefined): Promise<OpenedSession> {
  return openSession(db, client, user, orgSlug, "password");
}

export const INVALID_SIGN_IN = new ApiError(401, "unauthorized", INVALID);

export async function signInWithLink(db: Queryable, client: SignInClient, token: string): Promise<OpenedSession> {
  const used = await consumeLoginLink(db, token);
  if (!used) throw new ApiError(401, "unauthorized", "login link is unknown, already used or expired; `npm start` prints a fresh one");
  const [user] = await db.select().from(users).where(eq(users.id, used.userId));
  const [org] = await db.select().from(orgs).where(eq(orgs.id, used.orgId));
  if (!user || !org || user.disabledAt) throw new ApiError(401, "unauthorized", "login link's user is disabled or gone");
  return openSession(db, client, user, org.slug, "login_link");
}

/** The caller as the dashboard needs it: org, user, role, scopes and the CSRF token. */
export async function whoAmI(db: Queryable, p: Principal): Promise<SessionJson> {
  const [org] = await db.select({ id: orgs.id, slug: orgs.slug }).from(orgs).where(eq(orgs.id, p.orgId));
  if (!org) throw new ApiError(404, "not_found", "the caller's org is gone");
  if (p.kind === "api_key") return { kind: "api_key", org, user: null, role: null, scopes: [...p.scopes], csrf_token: null, expires_at: null };
  return { kind: "user", org, user: { id: p.userId, email: p.email }, role: p.role, scopes: [...p.scopes], csrf_token: p.csrfToken, expires_at: p.sessionExpiresAt };
}

export async function signOut(db: Queryable, p: Principal, actor: AuditActor): Promise<void> {
  if (p.kind !== "user") throw new ApiError(400, "bad_request", "API keys have no session; revoke the key with DELETE /v1/keys/{id}");
  await db.transaction(async (tx) => {
    await revokeSession(tx, p.sessionId);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "session.revoke", targetType: "session", targetId: p.sessionId });
  });
}
