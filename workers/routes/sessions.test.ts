import { describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { createLoginLink } from "../users/login-links.ts";
import { hashPassword } from "../users/password.ts";
import { MAX_FAILURES_PER_ACCOUNT } from "../users/sign-in-limit.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";

const app = createApp();
const INSTANCE_TOKEN = "instance-".padEnd(48, "t");
const env = { ...testEnv, INSTANCE_ADMIN_TOKEN: INSTANCE_TOKEN };

const req = (path: string, init: RequestInit = {}, base = "http://127.0.0.1:8787") => app.request(new Request(`${base}${path}`, init), undefined, env);
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

describe("sessions and users", () => {
  it("signs in with a password: HttpOnly SameSite=Lax cookie, CSRF required for writes, viewer writes 403, sign-out", async () => {
    const { org, email } = await withDb(async (db) => {
      const org = await seedOrg(db);
      const u = await seedUser(db, org.orgId, "viewer", { passwordHash: await hashPassword("a long enough password") });
      return { org, email: u.email };
    });
    const wrong = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "nope" }) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.message).toBe("invalid email or password");

    const res = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: email.toUpperCase(), password: "a long enough password" }) });
    expect(res.status).toBe(201);
    const session = (await res.json()) as any;
    expect(session).toMatchObject({ kind: "user", org: { id: org.orgId }, role: "viewer" });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^vigil_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // plain-http loopback only
    const cookie = cookieOf(res);

    const me = await req("/v1/sessions", { headers: { cookie } });
    expect(((await me.json()) as any).csrf_token).toBe(session.csrf_token);
    expect((await req("/v1/models", { headers: { cookie } })).status).toBe(200);
    const noCsrf = await req("/v1/models", { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as any).error.code).toBe("csrf_failed");
    const crossOrigin = await req("/v1/models", { method: "POST", headers: { cookie, origin: "https://evil.example", "x-csrf-token": session.csrf_token, "content-type": "application/json" }, body: "{}" });
    expect(crossOrigin.status).toBe(403);
    const viewerWrite = await req("/v1/models", { method: "POST", headers: { cookie, "x-csrf-token": session.csrf_token, "content-type": "application/json" }, body: JSON.stringify({ name: "m", prediction_kind: "binary" }) });
    expect(viewerWrite.status).toBe(403);
    expect(((await viewerWrite.json()) as any).error.message).toMatch(/\(viewer\) lacks the "write" scope/);

    expect((await req("/v1/sessions", { method: "DELETE", headers: { cookie, "x-csrf-token": session.csrf_token } })).status).toBe(204);
    expect((await req("/v1/models", { headers: { cookie } })).status).toBe(401);
  });

  it("refuses sign-in after repeated failures for that email and address, even with the right password", async () => {
    const email = await withDb(async (db) => (await seedUser(db, (await seedOrg(db)).orgId, "viewer", { passwordHash: await hashPassword("the right password") })).email);
    const attempt = (password: string, ip = "203.0.113.7") =>
      req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify({ email, password }) });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const limited = await attempt("the right password");
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).error.code).toBe("rate_limited");
    expect((await attempt("the right password", "198.51.100.9")).status).toBe(201);
  });

  it("limits failures per account too: rotating CF-Connecting-IP on every attempt still ends in 429", async () => {
    const email = await withDb(async (db) => (await seedUser(db, (await seedOrg(db)).orgId, "viewer", { passwordHash: await hashPassword("the right password") })).email);
    const attempt = (password: string, ip: string) =>
      req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify({ email, password }) });
    // Each address stays under the per-address bound (5); together they reach the account's (20).
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) expect((await attempt(`wrong ${i}`, `198.18.${i >> 8}.${i & 255}`)).status).toBe(401);
    const limited = await attempt("the right password", "198.19.0.1");
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as any).error.code).toBe("rate_limited");
    // Other accounts are not affected.
    const other = await withDb(async (db) => (await seedUser(db, (await seedOrg(db)).orgId, "viewer", { passwordHash: await hashPassword("the right password") })).email);
    const res = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "198.19.0.1" }, body: JSON.stringify({ email: other, password: "the right password" }) });
    expect(res.status).toBe(201);
  });

  it("sets a Secure __Host- cookie over HTTPS", async () => {
    const email = await withDb(async (db) => (await seedUser(db, (await seedOrg(db)).orgId, "editor", { passwordHash: await hashPassword("a long enough password") })).email);
    const res = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long enough password" }) }, "https://vigil.example.com");
    expect(res.headers.get("set-cookie")).toMatch(/^__Host-vigil_session=.*Secure/);
  });

  it("a one-time login link works once", async () => {
    const token = await withDb(async (db) => {
      const org = await seedOrg(db);
      const u = await seedUser(db, org.orgId, "owner");
      return (await createLoginLink(db, u.userId, org.orgId)).token;
    });
    const first = await req(`/v1/sessions/link?token=${token}`);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/");
    const cookie = cookieOf(first);
    expect(((await (await req("/v1/sessions", { headers: { cookie } })).json()) as any).role).toBe("owner");
    expect((await req(`/v1/sessions/link?token=${token}`)).status).toBe(401);

    // Signed in by link, the user sets a first password, then needs it to change it.
    const csrf = ((await (await req("/v1/sessions", { headers: { cookie } })).json()) as any).csrf_token;
    const put = (body: unknown) => req("/v1/users/me/password", { method: "PUT", headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await put({ new_password: "short" })).status).toBe(400);
    expect((await put({ new_password: "first password here" })).status).toBe(204);
    expect((await put({ new_password: "second password here" })).status).toBe(403);
    expect((await put({ current_password: "first password here", new_password: "second password here" })).status).toBe(204);
    const email = ((await (await req("/v1/sessions", { headers: { cookie } })).json()) as any).user.email;
    const signIn = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: "second password here" }) });
    expect(signIn.status).toBe(201);
  });

  it("manages members: owners alone grant owner, project roles narrow, removal revokes access", async () => {
    const { owner, admin } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return { owner: await seedUser(db, org.orgId, "owner"), admin: await seedUser(db, org.orgId, "admin") };
    });
    const send = (u: typeof owner, method: string, path: string, body?: unknown) =>
      req(path, { method, headers: { ...u.headers(method !== "GET"), "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await send(admin, "POST", "/v1/users", { email: "x@example.test", role: "owner" })).status).toBe(403);
    const added = await send(admin, "POST", "/v1/users", { email: `Ed-${Date.now()}@Example.test`, role: "editor", password: "correct horse battery" });
    expect(added.status).toBe(201);
    const ed = (await added.json()) as any;
    expect(ed.email).toBe(ed.email.toLowerCase());
    await send(admin, "POST", "/v1/projects", { slug: "sensitive", name: "Sensitive" });
    await send(admin, "POST", "/v1/models", { name: "secret-model", project: "sensitive", prediction_kind: "binary" });
    const narrowed = await send(admin, "PATCH", `/v1/users/${ed.id}`, { project_roles: { sensitive: "viewer" } });
    expect(((await narrowed.json()) as any).project_roles).toEqual({ sensitive: "viewer" });

    const signIn = await req("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ed.email, password: "correct horse battery" }) });
    const edCookie = cookieOf(signIn);
    const csrf = ((await signIn.json()) as any).csrf_token;
    const edWrite = (path: string, body: unknown) => req(path, { method: "PATCH", headers: { cookie: edCookie, "x-csrf-token": csrf, "content-type": "application/json" }, body: JSON.stringify(body) });
    await send(admin, "POST", "/v1/models", { name: "open-model", prediction_kind: "binary" });
    expect((await edWrite("/v1/models/open-model", { description: "fine" })).status).toBe(200);
    expect((await edWrite("/v1/models/secret-model", { description: "no" })).status).toBe(403);

    expect((await send(owner, "DELETE", `/v1/users/${owner.userId}`)).status).toBe(409); // last owner
    expect((await send(admin, "DELETE", `/v1/users/${ed.id}`)).status).toBe(204);
    expect((await req("/v1/models", { headers: { cookie: edCookie } })).status).toBe(401);
  });

  it("creates orgs for the instance admin only", async () => {
    const key = await withDb(async (db) => (await seedKey(db, (await seedOrg(db)).orgId, ["admin"])).key);
    const slug = `org-${Date.now().toString(36)}`;
    const body = JSON.stringify({ slug, name: "New org" });
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
    expect((await req("/v1/orgs", { method: "POST", headers: headers(key), body })).status).toBe(403);
    expect((await req("/v1/orgs", { method: "POST", headers: headers("wrong-token"), body })).status).toBe(401);
    const created = await req("/v1/orgs", { method: "POST", headers: headers(INSTANCE_TOKEN), body });
    expect(created.status).toBe(201);
    const out = (await created.json()) as any;
    expect(out.org).toMatchObject({ slug, name: "New org" });
    expect(out.admin_key.scopes).toEqual(["ingest", "read", "write", "admin"]);
    const asNewOrg = await req("/v1/projects", { headers: { authorization: `Bearer ${out.admin_key.key}` } });
    expect(((await asNewOrg.json()) as any).items.map((p: { slug: string }) => p.slug)).toEqual(["default"]);
    expect((await req("/v1/orgs", { method: "POST", headers: headers(INSTANCE_TOKEN), body })).status).toBe(409);
    // The instance token is not an org credential.
    expect((await req("/v1/models", { headers: headers(INSTANCE_TOKEN) })).status).toBe(403);
  });
});
