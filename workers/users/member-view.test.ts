import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { memberships, projectRoles, projects } from "../db/schema/index.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { decodeCursor } from "../registry/pagination.ts";
import { getMember, listMembers, Member, MemberListQuery, memberJson, ProjectRoles, RoleSchema, seesAccount } from "./member-view.ts";
import { failureOf, keyPrincipal, seedUser, userPrincipal } from "./membership-testing.ts";

// How an org sees a membership: only its own membership of a global account, and the
// account's credential facts (has_password) only for the user themself or an instance admin.

describe("seesAccount", () => {
  it("shows an account's credentials to the user themself and to an instance admin only", () => {
    expect(seesAccount(userPrincipal("o", "viewer", { userId: "u1" }), "u1")).toBe(true);
    expect(seesAccount(userPrincipal("o", "owner", { userId: "u2" }), "u1")).toBe(false);
    expect(seesAccount(userPrincipal("o", "viewer", { userId: "u2", instanceAdmin: true }), "u1")).toBe(true);
    expect(seesAccount(keyPrincipal("o"), "u1")).toBe(false);
  });
});

describe("memberJson", () => {
  it("returns the membership as the org sees it, with the project roles of this org only", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const [second] = await db.insert(projects).values({ orgId: org.orgId, slug: "second", name: "Second" }).returning();
      const suspendedAt = new Date("2026-01-02T03:04:05.678Z");
      const u = await seedUser(db, { orgId: org.orgId, role: "editor", name: "Ada", passwordHash: "scrypt$x", suspendedAt });
      await db.insert(projectRoles).values({ projectId: second!.id, userId: u.id, orgId: org.orgId, role: "viewer" });
      // The same account in another org, narrowed there: none of it shows here.
      await db.insert(memberships).values({ orgId: other.orgId, userId: u.id, role: "admin" });
      await db.insert(projectRoles).values({ projectId: other.projectId, userId: u.id, orgId: other.orgId, role: "editor" });

      const m = await memberJson(db, org.orgId, u.id, userPrincipal(org.orgId, "admin"));
      expect(m).toEqual({
        id: u.id,
        email: u.email,
        name: "Ada",
        role: "editor",
        project_roles: { second: "viewer" },
        suspended: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        has_password: null,
      });
      expect(Member.parse(m)).toEqual(m);
      const there = await memberJson(db, other.orgId, u.id, userPrincipal(other.orgId, "admin"));
      expect(there).toMatchObject({ role: "admin", project_roles: { default: "editor" }, suspended: false });
    });
  });

  it("is undefined for an account that is not a member of the org, even one that is elsewhere", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const elsewhere = await seedUser(db, { orgId: other.orgId, role: "owner" });
      expect(await memberJson(db, org.orgId, elsewhere.id, userPrincipal(org.orgId, "owner"))).toBeUndefined();
      expect(await memberJson(db, org.orgId, crypto.randomUUID(), userPrincipal(org.orgId, "owner"))).toBeUndefined();
    });
  });

  it("tells whether the account has a password to the user and an instance admin, null to anyone else", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const withPw = await seedUser(db, { orgId: org.orgId, passwordHash: "scrypt$x" });
      const without = await seedUser(db, { orgId: org.orgId });
      const admin = userPrincipal(org.orgId, "owner");
      const instance = userPrincipal(org.orgId, "viewer", { instanceAdmin: true });

      expect((await memberJson(db, org.orgId, withPw.id, admin))!.has_password).toBeNull();
      expect((await memberJson(db, org.orgId, withPw.id, keyPrincipal(org.orgId)))!.has_password).toBeNull();
      expect((await memberJson(db, org.orgId, withPw.id, instance))!.has_password).toBe(true);
      expect((await memberJson(db, org.orgId, without.id, instance))!.has_password).toBe(false);
      expect((await memberJson(db, org.orgId, withPw.id, userPrincipal(org.orgId, "viewer", { userId: withPw.id })))!.has_password).toBe(true);
      expect((await memberJson(db, org.orgId, without.id, userPrincipal(org.orgId, "viewer", { userId: without.id })))!.has_password).toBe(false);
      expect((await memberJson(db, org.orgId, without.id, admin))!.suspended).toBe(false);
    });
  });
});

describe("getMember", () => {
  it("needs read on every project of the org, and answers 404 for a non-member", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "viewer", name: "Bo" });
      expect(await getMember(db, userPrincipal(org.orgId, "viewer"), u.id)).toMatchObject({ id: u.id, name: "Bo", role: "viewer" });
      expect(await failureOf(getMember(db, keyPrincipal(org.orgId, { projectId: org.projectId }), u.id))).toEqual({
        status: 403,
        code: "forbidden",
        message: "the org's member list spans the whole org: API key vgl_test is limited to one project",
      });
      const missing = crypto.randomUUID();
      expect(await failureOf(getMember(db, userPrincipal(org.orgId, "viewer"), missing))).toEqual({ status: 404, code: "not_found", message: `user ${missing} not found` });
    });
  });
});

describe("listMembers", () => {
  it("lists this org's members by email, filtered by role, one page at a time", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const tag = crypto.randomUUID().slice(0, 8);
      const a = await seedUser(db, { orgId: org.orgId, role: "viewer", email: `a-${tag}@example.com` });
      const b = await seedUser(db, { orgId: org.orgId, role: "admin", email: `b-${tag}@example.com` });
      const c = await seedUser(db, { orgId: org.orgId, role: "viewer", email: `c-${tag}@example.com` });
      await seedUser(db, { orgId: other.orgId, role: "viewer", email: `ab-${tag}@example.com` });
      const p = userPrincipal(org.orgId, "viewer");

      const all = await listMembers(db, p, MemberListQuery.parse({}));
      expect(all.items.map((m) => m.id)).toEqual([a.id, b.id, c.id]);
      expect(all.next_cursor).toBeNull();
      expect(all.items[1]).toMatchObject({ email: b.email, role: "admin", suspended: false });

      const first = await listMembers(db, p, MemberListQuery.parse({ limit: "2" }));
      expect(first.items.map((m) => m.id)).toEqual([a.id, b.id]);
      expect(decodeCursor(first.next_cursor!)).toEqual({ v: b.email, id: b.id });
      const second = await listMembers(db, p, MemberListQuery.parse({ limit: "2", cursor: first.next_cursor }));
      expect(second.items.map((m) => m.id)).toEqual([c.id]);
      expect(second.next_cursor).toBeNull();
      // A page that ends exactly at the last member has no next page.
      const exact = await listMembers(db, p, MemberListQuery.parse({ limit: "3" }));
      expect(exact.items).toHaveLength(3);
      expect(exact.next_cursor).toBeNull();
      const one = await listMembers(db, p, MemberListQuery.parse({ limit: "1" }));
      expect(one.items.map((m) => m.id)).toEqual([a.id]);
      expect(decodeCursor(one.next_cursor!)).toEqual({ v: a.email, id: a.id });

      const viewers = await listMembers(db, p, MemberListQuery.parse({ role: "viewer" }));
      expect(viewers.items.map((m) => m.id)).toEqual([a.id, c.id]);
    });
  });

  it("needs read on every project of the org", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const narrowed = userPrincipal(org.orgId, "admin", { projectRoles: { [org.projectId]: "viewer" } });
      expect((await listMembers(db, narrowed, MemberListQuery.parse({}))).items).toEqual([]);
      expect(await failureOf(listMembers(db, keyPrincipal(org.orgId, { modelId: crypto.randomUUID(), projectId: org.projectId }), MemberListQuery.parse({})))).toEqual({
        status: 403,
        code: "forbidden",
        message: "the org's member list spans the whole org: API key vgl_test is limited to one model",
      });
      expect(await failureOf(listMembers(db, keyPrincipal(org.orgId, { scopes: ["ingest"] }), MemberListQuery.parse({})))).toMatchObject({ status: 403 });
    });
  });
});

describe("schemas", () => {
  it("accept the four roles, project roles by slug, and the list query without an order", () => {
    expect(RoleSchema.options).toEqual(["viewer", "editor", "admin", "owner"]);
    expect(ProjectRoles.safeParse({ default: "admin" }).success).toBe(true);
    expect(ProjectRoles.safeParse({ default: "root" }).success).toBe(false);
    expect(MemberListQuery.parse({})).toEqual({ limit: 50 });
    expect(MemberListQuery.parse({ order: "desc", role: "owner" })).toEqual({ limit: 50, role: "owner" });
    expect(MemberListQuery.safeParse({ role: "root" }).success).toBe(false);
  });
});

describe("the OpenAPI description of a member", () => {
  it("is the User component, and says who sees has_password and what suspended means", () => {
    const app = new OpenAPIHono();
    app.openapi(
      createRoute({ method: "get", path: "/member", responses: { 200: { description: "a member", content: { "application/json": { schema: Member } } } } }),
      (c) => c.json({ id: crypto.randomUUID(), email: "a@example.com", name: "", role: "viewer" as const, project_roles: {}, suspended: false, created_at: "", has_password: null }, 200),
    );
    const doc = app.getOpenAPIDocument({ openapi: "3.0.0", info: { title: "members", version: "1" } });
    const user = doc.components!.schemas!.User as { properties: Record<string, { description?: string; nullable?: boolean }> };
    expect(user.properties.has_password).toMatchObject({ nullable: true, description: "whether the account has a password; null unless you are that user or an instance admin" });
    expect(user.properties.suspended!.description).toBe("the membership is suspended: the user cannot act in this org");
    expect(user.properties.project_roles!.description).toBe("project slug → a narrower role there");
  });
});
