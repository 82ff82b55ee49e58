import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { recordAudit } from "../audit/record.ts";
import { authorize } from "../auth/authenticate.ts";
import { memberships, orgs, users } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { consumeLoginLink } from "../users/login-links.ts";
import { DUMMY_HASH, verifyPassword } from "../users/password.ts";
import { assertSignInAllowed, recordSignInFailure } from "../users/sign-in-limit.ts";
import { clearSessionCookie, createSession, revokeSession, setSessionCookie } from "../users/sessions.ts";
import { actorOf, clientIpOf, principalOf } from "./request-context.ts";

const tags = ["sessions"];
const SignIn = z.object({ email: z.string().email(), password: z.string().min(1).max(1_000), org: z.string().optional().openapi({ description: "org slug; default: the user's first org" }) }).openapi("SignIn");
const Session = z
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

const INVALID = "invalid email or password";

/** Signs the user in to an org they belong to: cookie set, session audited. */
async function startSession(c: Context<AppEnv>, userId: string, email: string, orgSlug: string | undefined, how: string) {
  const db = c.var.db();
  const rows = await db
    .select({ orgId: orgs.id, slug: orgs.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(orgs, eq(orgs.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), isNull(memberships.suspendedAt), ...(orgSlug ? [eq(orgs.slug, orgSlug)] : [])))
    .orderBy(orgs.slug)
    .limit(1);
  const member = rows[0];
  if (!member) throw new ApiError(401, "unauthorized", orgSlug ? `${email} is not an active member of org ${orgSlug}` : `${email} belongs to no org where the membership is active`);
  const session = await db.transaction(async (tx) => {
    const s = await createSession(tx, { userId, orgId: member.orgId, ip: clientIpOf(c), userAgent: c.req.header("user-agent") });
    await recordAudit(tx, { ...actorOf(c), type: "user", id: email }, { orgId: member.orgId, action: "session.create", targetType: "session", targetId: s.id, details: { via: how } });
    return s;
  });
  setSessionCookie(c, session);
  return {
    kind: "user" as const,
    org: { id: member.orgId, slug: member.slug },
    user: { id: userId, email },
    role: member.role,
    scopes: [],
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt.toISOString(),
  };
}

const signIn = createRoute({
  method: "post",
  path: "/v1/sessions",
  tags,
  summary: "Sign in with email and password (sets the session cookie)",
  middleware: [authorize({ public: "sign-in: this is how a user obtains credentials" })] as const,
  request: { body: jsonBody(SignIn) },
  responses: { 201: jsonResponse(Session, "Signed in; the HttpOnly session cookie is set"), ...errorResponses(400, 401, 429, 503) },
});

const link = createRoute({
  method: "get",
  path: "/v1/sessions/link",
  tags,
  summary: "Use a one-time login link (as printed by `npm start`)",
  middleware: [authorize({ public: "one-time login link: the token in the URL is the credential" })] as const,
  request: { query: z.object({ token: z.string().min(1), redirect: z.enum(["true", "false"]).default("true") }) },
  responses: { 200: jsonResponse(Session, "Signed in (with redirect=false)"), 302: { description: "Signed in; redirected to the dashboard" }, ...errorResponses(400, 401, 503) },
});

const current = createRoute({
  method: "get",
  path: "/v1/sessions",
  tags,
  summary: "Who am I: the current session (or API key) and its CSRF token",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  responses: { 200: jsonResponse(Session, "The caller"), ...authErrors },
});

const signOut = createRoute({
  method: "delete",
  path: "/v1/sessions",
  tags,
  summary: "Sign out (revokes the session, clears the cookie)",
  security: [{ session: [] }],
  middleware: [authorize({ scope: "read" })] as const,
  responses: { 204: { description: "Signed out" }, ...authErrors },
});

export const sessionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(signIn, async (c) => {
    const body = c.req.valid("json");
    const ip = clientIpOf(c);
    await assertSignInAllowed(c.env, body.email, ip);
    const [user] = await c.var.db().select().from(users).where(eq(users.email, body.email.toLowerCase()));
    // Verify even for unknown users so response time does not reveal which emails exist.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) {
      await recordSignInFailure(c.env, body.email, ip);
      throw new ApiError(401, "unauthorized", INVALID);
    }
    return c.json(await startSession(c, user.id, user.email, body.org, "password"), 201);
  })
  .openapi(link, async (c) => {
    const { token, redirect } = c.req.valid("query");
    const db = c.var.db();
    const used = await consumeLoginLink(db, token);
    if (!used) throw new ApiError(401, "unauthorized", "login link is unknown, already used or expired; `npm start` prints a fresh one");
    const [user] = await db.select().from(users).where(eq(users.id, used.userId));
    const [org] = await db.select().from(orgs).where(eq(orgs.id, used.orgId));
    if (!user || !org || user.disabledAt) throw new ApiError(401, "unauthorized", "login link's user is disabled or gone");
    const session = await startSession(c, user.id, user.email, org.slug, "login_link");
    if (redirect === "true") return c.redirect("/", 302);
    return c.json(session, 200);
  })
  .openapi(current, async (c) => {
    const p = principalOf(c);
    const [org] = await c.var.db().select({ id: orgs.id, slug: orgs.slug }).from(orgs).where(eq(orgs.id, p.orgId));
    if (p.kind === "api_key") return c.json({ kind: "api_key" as const, org: org!, user: null, role: null, scopes: [...p.scopes], csrf_token: null, expires_at: null }, 200);
    return c.json({ kind: "user" as const, org: org!, user: { id: p.userId, email: p.email }, role: p.role, scopes: [...p.scopes], csrf_token: p.csrfToken, expires_at: p.sessionExpiresAt }, 200);
  })
  .openapi(signOut, async (c) => {
    const p = principalOf(c);
    if (p.kind !== "user") throw new ApiError(400, "bad_request", "API keys have no session; revoke the key with DELETE /v1/keys/{id}");
    await c.var.db().transaction(async (tx) => {
      await revokeSession(tx, p.sessionId);
      await recordAudit(tx, actorOf(c), { orgId: p.orgId, action: "session.revoke", targetType: "session", targetId: p.sessionId });
    });
    clearSessionCookie(c);
    return c.body(null, 204);
  });
