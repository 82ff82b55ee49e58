import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { INVALID_SIGN_IN, Session, SignIn, checkPassword, signInWithLink, signInWithPassword, signOut, whoAmI, type SignInClient } from "../users/sign-in.ts";
import { assertSignInAllowed, recordSignInFailure } from "../users/sign-in-limit.ts";
import { clearSessionCookie, setSessionCookie } from "../users/sessions.ts";
import { actorOf, clientIpOf, principalOf } from "./request-context.ts";

const tags = ["sessions"];

function clientOf(c: Context<AppEnv>): SignInClient {
  return { ip: clientIpOf(c), userAgent: c.req.header("user-agent"), actor: actorOf(c) };
}

const signIn = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Sign in with email and password (sets the session cookie)",
  middleware: [authorize({ public: "sign-in: this is how a user obtains credentials" })] as const,
  request: { body: jsonBody(SignIn) },
  responses: { 201: jsonResponse(Session, "Signed in; the HttpOnly session cookie is set"), ...errorResponses(400, 401, 429, 503) },
});

const link = createRoute({
  method: "get",
  path: "/link",
  tags,
  summary: "Use a one-time login link (as printed by `npm start`)",
  middleware: [authorize({ public: "one-time login link: the token in the URL is the credential" })] as const,
  request: { query: z.object({ token: z.string().min(1), redirect: z.enum(["true", "false"]).default("true") }) },
  responses: { 200: jsonResponse(Session, "Signed in (with redirect=false)"), 302: { description: "Signed in; redirected to the dashboard" }, ...errorResponses(400, 401, 503) },
});

const current = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Who am I: the current session (or API key) and its CSRF token",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  responses: { 200: jsonResponse(Session, "The caller"), ...authErrors },
});

const signOut_ = createRoute({
  method: "delete",
  path: "/",
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
    const user = await checkPassword(c.var.db(), body.email, body.password);
    if (!user) {
      await recordSignInFailure(c.env, body.email, ip);
      throw INVALID_SIGN_IN;
    }
    const opened = await signInWithPassword(c.var.db(), clientOf(c), user, body.org);
    setSessionCookie(c, opened.session);
    return c.json(opened.json, 201);
  })
  .openapi(link, async (c) => {
    const { token, redirect } = c.req.valid("query");
    const opened = await signInWithLink(c.var.db(), clientOf(c), token);
    setSessionCookie(c, opened.session);
    if (redirect === "true") return c.redirect("/", 302);
    return c.json(opened.json, 200);
  })
  .openapi(current, async (c) => c.json(await whoAmI(c.var.db(), principalOf(c)), 200))
  .openapi(signOut_, async (c) => {
    await signOut(c.var.db(), principalOf(c), actorOf(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  });
