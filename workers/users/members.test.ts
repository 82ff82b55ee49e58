import { and, eq } from "drizzle-orm";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { Database } from "../db/client.ts";
import { memberships, projectRoles, projects, users } from "../db/schema/index.ts";
import { seedOrg, withDb, type SeededOrg } from "../testing/seed.ts";
import { addMember, CreateMember, removeMember, updateMember, UpdateMember } from "./members.ts";
import { actor, auditOf, failureOf, keyPrincipal, revokedAtOf, seedSession, seedUser, userPrincipal, userRow } from "./membership-testing.ts";
import { verifyPassword } from "./password.ts";

// Org memberships: who may add, change, suspend and remove members, that the org always
// keeps an owner who can act, that a membership change stays inside its org, and that
// each change is audited.

const newEmail = () => `${crypto.randomUUID()}@example.com`;

async function roleOf(db: Database, orgId: string, userId: string) {
  const [row] = await db.select({ role: memberships.role, suspendedAt: memberships.suspendedAt }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

async function projectRolesOf(db: Database, orgId: string, userId: string) {
  const rows = await db.select({ projectId: projectRoles.projectId, role: projectRoles.role }).from(projectRoles).where(and(eq(projectRoles.orgId, orgId), eq(projectRoles.userId, userId)));
  return Object.fromEntries(rows.map((r) => [r.projectId, r.role]));
}

async function withSecondProject(db: Database): Promise<SeededOrg & { secondId: string }> {
  const org = await seedOrg(db);
  const [second] = await db.insert(projects).values({ orgId: org.orgId, slug: "second", name: "Second" }).returning();
  return { ...org, secondId: second!.id };
}

describe("CreateMember and UpdateMember", () => {
  it("take an email, a role, a name of at most 200 and a password of 12 to 1,000 characters", () => {
    expect(CreateMember.parse({ email: "a@example.com", role: "viewer" })).toEqual({ email: "a@example.com", role: "viewer", name: "", project_roles: {} });
    expect(CreateMember.safeParse({ email: "not an email", role: "viewer" }).success).toBe(false);
    expect(CreateMember.safeParse({ email: "a@example.com", role: "root" }).success).toBe(false);
    expect(CreateMember.safeParse({ email: "a@example.com", role: "viewer", name: "n".repeat(200), password: "p".repeat(1_000) }).success).toBe(true);
    expect(CreateMember.safeParse({ email: "a@example.com", role: "viewer", name: "n".repeat(201) }).success).toBe(false);
    expect(CreateMember.safeParse({ email: "a@example.com", role: "viewer", password: "p".repeat(1_001) }).success).toBe(false);
    const short = CreateMember.safeParse({ email: "a@example.com", role: "viewer", password: "p".repeat(11) });
    expect(short.error!.issues[0]!.message).toBe("must be at least 12 characters");
    expect(CreateMember.safeParse({ email: "a@example.com", role: "viewer", password: "p".repeat(12) }).success).toBe(true);

    expect(UpdateMember.parse({})).toEqual({});
    expect(UpdateMember.parse({ project_roles: { default: null, second: "viewer" }, suspended: true, disabled: false, name: "x" })).toEqual({
      project_roles: { default: null, second: "viewer" },
      suspended: true,
      disabled: false,
      name: "x",
    });
    expect(UpdateMember.safeParse({ name: "n".repeat(201) }).success).toBe(false);
    expect(UpdateMember.safeParse({ name: "n".repeat(200) }).success).toBe(true);
    expect(UpdateMember.safeParse({ role: "root" }).success).toBe(false);
  });
});

describe("addMember", () => {
  it("creates a new account with a hashed password and the lower-cased email, makes it a member and audits both", async () => {
    await withDb(async (db) => {
      const org = await withSecondProject(db);
      const owner = userPrincipal(org.orgId, "owner");
      const email = newEmail();
      const m = await addMember(db, owner, actor, { email: email.toUpperCase(), name: "New", password: "a long password", role: "editor", project_roles: { second: "viewer" } });
      expect(m).toMatchObject({ email, name: "New", role: "editor", project_roles: { second: "viewer" }, suspended: false, has_password: null });
      const [row] = await db.select().from(users).where(eq(users.email, email));
      expect(row!.passwordHash).not.toContain("a long password");
      expect(await verifyPassword("a long password", row!.passwordHash!)).toBe(true);
      expect(await projectRolesOf(db, org.orgId, m.id)).toEqual({ [org.secondId]: "viewer" });
      expect(await auditOf(db, org.orgId, m.id)).toEqual([
        { action: "user.create", actorType: "user", actorId: "test-actor", targetType: "user", details: { after: { email, name: "New", has_password: true } } },
        { action: "membership.create", actorType: "user", actorId: "test-actor", targetType: "user", details: { after: { email, role: "editor", project_roles: { second: "viewer" } } } },
      ]);

      const linkOnly = await addMember(db, owner, actor, { email: newEmail(), name: "", role: "viewer", project_roles: {} });
      expect((await userRow(db, linkOnly.id))!.passwordHash).toBeNull();
      expect((await auditOf(db, org.orgId, linkOnly.id))[0]!.details).toMatchObject({ after: { has_password: false } });
    });
  });

  it("adds an existing account without touching its name or credentials, and refuses a second membership with 409", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const b = await seedOrg(db);
      const existing = await seedUser(db, { orgId: a.orgId, role: "owner", name: "Theirs", passwordHash: "scrypt$theirs" });
      const adminB = keyPrincipal(b.orgId);
      const m = await addMember(db, adminB, actor, { email: existing.email, name: "Ours", password: "chosen by org b", role: "viewer", project_roles: {} });
      expect(m).toMatchObject({ id: existing.id, name: "Theirs", role: "viewer", has_password: null });
      expect((await userRow(db, existing.id))!.passwordHash).toBe("scrypt$theirs");
      expect((await auditOf(db, b.orgId, existing.id)).map((r) => r.action)).toEqual(["membership.create"]);
      expect((await roleOf(db, a.orgId, existing.id))!.role).toBe("owner");

      expect(await failureOf(addMember(db, adminB, actor, { email: existing.email, name: "", role: "admin", project_roles: {} }))).toEqual({
        status: 409,
        code: "conflict",
        message: `${existing.email} is already a member of this org`,
      });
      expect((await roleOf(db, b.orgId, existing.id))!.role).toBe("viewer");
    });
  });

  it("refuses a role above the caller's, a project-limited caller, and an unknown project", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const admin = userPrincipal(org.orgId, "admin");
      const email = newEmail();
      expect(await failureOf(addMember(db, admin, actor, { email, name: "", role: "owner", project_roles: {} }))).toEqual({
        status: 403,
        code: "forbidden",
        message: "only an owner may grant or change the owner role",
      });
      expect(await failureOf(addMember(db, keyPrincipal(org.orgId, { projectId: org.projectId }), actor, { email, name: "", role: "viewer", project_roles: {} }))).toMatchObject({ status: 403 });
      // A project of another org is no project here; nothing is left behind.
      const [elsewhere] = await db.insert(projects).values({ orgId: other.orgId, slug: "elsewhere", name: "Elsewhere" }).returning();
      expect(elsewhere).toBeDefined();
      expect(await failureOf(addMember(db, admin, actor, { email, name: "", role: "viewer", project_roles: { elsewhere: "viewer" } }))).toEqual({
        status: 400,
        code: "validation_failed",
        message: "invalid json: project_roles.elsewhere: no such project",
        details: [{ field: "project_roles.elsewhere", error: "no such project" }],
      });
      expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
      // An admin narrowed in one project manages no org membership.
      const narrowed = userPrincipal(org.orgId, "admin", { projectRoles: { [org.projectId]: "editor" } });
      expect(await failureOf(addMember(db, narrowed, actor, { email, name: "", role: "viewer", project_roles: {} }))).toEqual({
        status: 403,
        code: "forbidden",
        message: "managing members needs the admin role on every project of the org",
      });
    });
  });
});

describe("updateMember", () => {
  it("changes role and project roles within the caller's grants and audits the membership's before and after", async () => {
    await withDb(async (db) => {
      const org = await withSecondProject(db);
      const other = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      await db.insert(memberships).values({ orgId: other.orgId, userId: u.id, role: "viewer" });
      await db.insert(projectRoles).values({ projectId: other.projectId, userId: u.id, orgId: other.orgId, role: "viewer" });
      const owner = userPrincipal(org.orgId, "owner");

      const after = await updateMember(db, owner, actor, u.id, { role: "admin", project_roles: { second: "editor" } });
      expect(after).toMatchObject({ role: "admin", project_roles: { second: "editor" } });
      expect((await roleOf(db, org.orgId, u.id))!.role).toBe("admin");
      expect((await roleOf(db, other.orgId, u.id))!.role).toBe("viewer");
      const audit = await auditOf(db, org.orgId, u.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: "membership.update", actorId: "test-actor", targetType: "user", details: { before: { role: "viewer", project_roles: {} }, after: { role: "admin", project_roles: { second: "editor" } } } });

      // null removes a narrowing; the other org's narrowing of the same account stays.
      await updateMember(db, owner, actor, u.id, { project_roles: { second: null, default: "viewer" } });
      expect(await projectRolesOf(db, org.orgId, u.id)).toEqual({ [org.projectId]: "viewer" });
      expect(await projectRolesOf(db, other.orgId, u.id)).toEqual({ [other.projectId]: "viewer" });

      // The same role again, or nothing at all, is no membership change: no audit record.
      await updateMember(db, owner, actor, u.id, { role: "admin", suspended: false });
      await updateMember(db, owner, actor, u.id, {});
      expect(await auditOf(db, org.orgId, u.id)).toHaveLength(2);
      // An empty project_roles object is a change (to nothing), and audited.
      await updateMember(db, owner, actor, u.id, { project_roles: {} });
      expect(await auditOf(db, org.orgId, u.id)).toHaveLength(3);
    });
  });

  it("lets only an owner narrow an owner in a project, and writes nothing when refused", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const o = await seedUser(db, { orgId: org.orgId, role: "owner" });
      const v = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      const admin = userPrincipal(org.orgId, "admin");
      expect(await failureOf(updateMember(db, admin, actor, o.id, { project_roles: { default: "viewer" } }))).toEqual({
        status: 403,
        code: "forbidden",
        message: "only an owner may change an owner's project roles",
      });
      expect(await projectRolesOf(db, org.orgId, o.id)).toEqual({});
      expect(await auditOf(db, org.orgId, o.id)).toEqual([]);
      await updateMember(db, userPrincipal(org.orgId, "owner"), actor, o.id, { project_roles: { default: "viewer" } });
      expect(await projectRolesOf(db, org.orgId, o.id)).toEqual({ [org.projectId]: "viewer" });
      // Promoting and narrowing at once: both land.
      await updateMember(db, admin, actor, v.id, { role: "admin", project_roles: { default: "editor" } });
      expect(await roleOf(db, org.orgId, v.id)).toEqual({ role: "admin", suspendedAt: null });
      expect(await projectRolesOf(db, org.orgId, v.id)).toEqual({ [org.projectId]: "editor" });
    });
  });

  it("never demotes, suspends or removes the last owner who can act", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const only = await seedUser(db, { orgId: org.orgId, role: "owner" });
      const owner = userPrincipal(org.orgId, "owner", { userId: only.id });
      expect(await failureOf(updateMember(db, owner, actor, only.id, { role: "admin" }))).toEqual({ status: 409, code: "conflict", message: "cannot demote the org's last owner" });
      expect(await failureOf(updateMember(db, owner, actor, only.id, { suspended: true }))).toEqual({ status: 409, code: "conflict", message: "cannot suspend the org's last owner" });
      expect(await failureOf(removeMember(db, owner, actor, only.id))).toEqual({ status: 409, code: "conflict", message: "cannot remove the org's last owner" });

      // A suspended owner, a disabled owner and an owner of another org do not count.
      await seedUser(db, { orgId: org.orgId, role: "owner", suspendedAt: new Date() });
      await seedUser(db, { orgId: org.orgId, role: "owner", disabledAt: new Date() });
      const other = await seedOrg(db);
      await seedUser(db, { orgId: other.orgId, role: "owner" });
      await seedUser(db, { orgId: org.orgId, role: "admin" });
      expect(await failureOf(updateMember(db, owner, actor, only.id, { role: "admin" }))).toMatchObject({ status: 409 });
      expect(await failureOf(updateMember(db, owner, actor, only.id, { suspended: true }))).toMatchObject({ status: 409 });
      expect(await failureOf(removeMember(db, owner, actor, only.id))).toMatchObject({ status: 409 });
      expect((await roleOf(db, org.orgId, only.id))!).toEqual({ role: "owner", suspendedAt: null });

      // With a second owner who can act, each goes through.
      const second = await seedUser(db, { orgId: org.orgId, role: "owner" });
      expect(second.id).not.toBe(only.id);
      expect(await failureOf(updateMember(db, owner, actor, only.id, { suspended: true }))).toBe("ok");
      expect(await failureOf(updateMember(db, owner, actor, only.id, { suspended: false }))).toBe("ok");
      expect(await failureOf(updateMember(db, owner, actor, only.id, { role: "admin" }))).toBe("ok");
      expect((await roleOf(db, org.orgId, only.id))!.role).toBe("admin");
      // Resuming a suspended sole owner is always allowed.
      await db.update(memberships).set({ suspendedAt: new Date() }).where(eq(memberships.userId, second.id));
      const soleSuspended = await seedOrg(db);
      const s = await seedUser(db, { orgId: soleSuspended.orgId, role: "owner", suspendedAt: new Date() });
      expect(await failureOf(updateMember(db, userPrincipal(soleSuspended.orgId, "owner"), actor, s.id, { suspended: false }))).toBe("ok");
      expect((await roleOf(db, soleSuspended.orgId, s.id))!.suspendedAt).toBeNull();
    });
  });

  it("suspends a membership, revoking the user's sessions in this org only, and resumes it", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "editor" });
      await db.insert(memberships).values({ orgId: other.orgId, userId: u.id, role: "editor" });
      const here = await seedSession(db, u.id, org.orgId);
      const earlier = new Date("2026-01-01T00:00:00.000Z");
      const revokedBefore = await seedSession(db, u.id, org.orgId, earlier);
      const there = await seedSession(db, u.id, other.orgId);
      const admin = userPrincipal(org.orgId, "admin");

      const start = Date.now();
      const suspended = await updateMember(db, admin, actor, u.id, { suspended: true });
      expect(suspended.suspended).toBe(true);
      expect((await roleOf(db, org.orgId, u.id))!.suspendedAt!.getTime()).toBeGreaterThanOrEqual(start - 1_000);
      expect((await roleOf(db, other.orgId, u.id))!.suspendedAt).toBeNull();
      expect(await revokedAtOf(db, here)).not.toBeNull();
      expect(await revokedAtOf(db, revokedBefore)).toEqual(earlier);
      expect(await revokedAtOf(db, there)).toBeNull();
      expect((await auditOf(db, org.orgId, u.id))[0]!.details).toMatchObject({ before: { suspended: false }, after: { suspended: true } });

      const fresh = await seedSession(db, u.id, org.orgId);
      const resumed = await updateMember(db, admin, actor, u.id, { suspended: false });
      expect(resumed.suspended).toBe(false);
      expect((await roleOf(db, org.orgId, u.id))!.suspendedAt).toBeNull();
      expect(await revokedAtOf(db, fresh)).toBeNull();
      expect(await auditOf(db, org.orgId, u.id)).toHaveLength(2);

      // Suspending an owner needs an owner.
      const o = await seedUser(db, { orgId: org.orgId, role: "owner" });
      await seedUser(db, { orgId: org.orgId, role: "owner" });
      expect(await failureOf(updateMember(db, admin, actor, o.id, { suspended: true }))).toEqual({ status: 403, code: "forbidden", message: "only an owner may suspend or remove an owner" });
      expect((await roleOf(db, org.orgId, o.id))!.suspendedAt).toBeNull();
    });
  });

  it("leaves the account's name and disabled flag to the user or an instance admin", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "viewer", name: "Own" });
      const session = await seedSession(db, u.id, org.orgId);
      const owner = userPrincipal(org.orgId, "owner");
      expect(await failureOf(updateMember(db, owner, actor, u.id, { name: "Renamed" }))).toMatchObject({ status: 403, message: expect.stringMatching(/^name belongs to the user's account/) });
      expect(await failureOf(updateMember(db, owner, actor, u.id, { disabled: true }))).toMatchObject({ status: 403, message: expect.stringMatching(/^disabled belongs to the user's account/) });
      expect((await userRow(db, u.id))!).toMatchObject({ name: "Own", disabledAt: null });

      const self = userPrincipal(org.orgId, "viewer", { userId: u.id });
      const renamed = await updateMember(db, self, actor, u.id, { name: "Mine" });
      expect(renamed).toMatchObject({ name: "Mine", has_password: false });
      // An account change is audited as user.update, not as a membership change.
      expect((await auditOf(db, org.orgId, u.id)).map((r) => r.action)).toEqual(["user.update"]);

      const instance = userPrincipal(org.orgId, "viewer", { instanceAdmin: true });
      await updateMember(db, instance, actor, u.id, { disabled: true });
      expect((await userRow(db, u.id))!.disabledAt).not.toBeNull();
      expect(await revokedAtOf(db, session)).not.toBeNull();
      await updateMember(db, instance, actor, u.id, { disabled: false });
      expect((await userRow(db, u.id))!.disabledAt).toBeNull();
      expect((await auditOf(db, org.orgId, u.id)).map((r) => r.action)).toEqual(["user.update", "user.update", "user.update"]);
    });
  });

  it("answers 404 for an account that is not a member here, and changes nothing in its own org", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const elsewhere = await seedUser(db, { orgId: other.orgId, role: "viewer" });
      const owner = userPrincipal(org.orgId, "owner");
      const notFound = { status: 404, code: "not_found", message: `user ${elsewhere.id} not found` };
      expect(await failureOf(updateMember(db, owner, actor, elsewhere.id, { role: "admin" }))).toEqual(notFound);
      expect(await failureOf(removeMember(db, owner, actor, elsewhere.id))).toEqual(notFound);
      expect((await roleOf(db, other.orgId, elsewhere.id))!.role).toBe("viewer");
    });
  });

  it("refuses a role change beyond the caller's grants", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      const editor = userPrincipal(org.orgId, "editor");
      expect(await failureOf(updateMember(db, editor, actor, u.id, { role: "editor" }))).toEqual({ status: 403, code: "forbidden", message: "managing members needs the admin role on every project of the org" });
      expect(await failureOf(updateMember(db, editor, actor, u.id, { suspended: true }))).toEqual({ status: 403, code: "forbidden", message: "managing members needs the admin role on every project of the org" });
      expect(await failureOf(updateMember(db, userPrincipal(org.orgId, "admin"), actor, u.id, { role: "owner" }))).toEqual({ status: 403, code: "forbidden", message: "only an owner may grant or change the owner role" });
      expect((await roleOf(db, org.orgId, u.id))!).toEqual({ role: "viewer", suspendedAt: null });
      expect(await auditOf(db, org.orgId, u.id)).toEqual([]);
    });
  });
});

describe("updateMember: what counts as a change", () => {
  it("audits a role change on its own, and treats the current role or suspension sent again as no change", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const only = await seedUser(db, { orgId: org.orgId, role: "owner" });
      const v = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      const owner = userPrincipal(org.orgId, "owner", { userId: only.id });
      const admin = userPrincipal(org.orgId, "admin");

      await updateMember(db, admin, actor, v.id, { role: "editor" });
      expect(await auditOf(db, org.orgId, v.id)).toEqual([
        { action: "membership.update", actorType: "user", actorId: "test-actor", targetType: "user", details: { before: expect.objectContaining({ role: "viewer" }), after: expect.objectContaining({ role: "editor" }) } },
      ]);

      // The last owner's own role, sent back unchanged, demotes nobody.
      expect(await failureOf(updateMember(db, owner, actor, only.id, { role: "owner" }))).toBe("ok");
      // An admin may not suspend an owner, but sending the owner's current state is no suspension.
      expect(await failureOf(updateMember(db, admin, actor, only.id, { suspended: false }))).toBe("ok");
      expect(await auditOf(db, org.orgId, only.id)).toEqual([]);

      // Suspending an already suspended membership keeps its first instant and changes nothing.
      const suspendedAt = new Date("2026-03-04T05:06:07.000Z");
      const s = await seedUser(db, { orgId: org.orgId, role: "viewer", suspendedAt });
      const laterSession = await seedSession(db, s.id, org.orgId);
      await updateMember(db, admin, actor, s.id, { suspended: true });
      expect(await roleOf(db, org.orgId, s.id)).toEqual({ role: "viewer", suspendedAt });
      expect(await revokedAtOf(db, laterSession)).toBeNull();
      expect(await auditOf(db, org.orgId, s.id)).toEqual([]);
    });
  });

  it("refuses a project role above the caller's own there, when adding and when changing the role too", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const admin = userPrincipal(org.orgId, "admin");
      const refused = { status: 403, code: "forbidden", message: "cannot grant owner in this project, above your own role there" };
      const email = newEmail();
      expect(await failureOf(addMember(db, admin, actor, { email, name: "", role: "viewer", project_roles: { default: "owner" } }))).toEqual(refused);
      expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
      const v = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      expect(await failureOf(updateMember(db, admin, actor, v.id, { role: "editor", project_roles: { default: "owner" } }))).toEqual(refused);
      expect(await failureOf(updateMember(db, admin, actor, v.id, { project_roles: { default: "owner" } }))).toEqual(refused);
      expect(await roleOf(db, org.orgId, v.id)).toEqual({ role: "viewer", suspendedAt: null });
      expect(await projectRolesOf(db, org.orgId, v.id)).toEqual({});
    });
  });
});

describe("the OpenAPI description of member requests", () => {
  it("names CreateUser and UpdateUser, and says which fields only a new account or its own user sets", () => {
    const app = new OpenAPIHono();
    const route = (method: "post" | "patch", schema: typeof CreateMember | typeof UpdateMember) =>
      createRoute({ method, path: "/users", request: { body: { content: { "application/json": { schema } } } }, responses: { 204: { description: "done" } } });
    app.openapi(route("post", CreateMember), (c) => c.body(null, 204));
    app.openapi(route("patch", UpdateMember), (c) => c.body(null, 204));
    const schemas = app.getOpenAPIDocument({ openapi: "3.0.0", info: { title: "members", version: "1" } }).components!.schemas!;
    const described = (name: string) =>
      Object.fromEntries(Object.entries((schemas[name] as { properties: Record<string, { description?: string }> }).properties).flatMap(([k, v]) => (v.description ? [[k, v.description]] : [])));
    expect(described("CreateUser")).toEqual({
      name: "used only when the account is new; an existing account keeps its own",
      password: "used only when the account is new; an existing account keeps its own credentials",
      project_roles: "project slug → a narrower role there",
    });
    expect(described("UpdateUser")).toEqual({
      project_roles: "null removes a project's narrowing",
      suspended: "suspend (or resume) the membership in this org; revokes the user's sessions here",
      name: "the account's name: only the user themself or an instance admin may change it",
      disabled: "disable the account in every org (revokes all its sessions): only the user themself or an instance admin",
    });
  });
});

describe("removeMember", () => {
  it("removes the membership and its project roles in this org, signs the user out here, and audits it", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const other = await seedOrg(db);
      const u = await seedUser(db, { orgId: org.orgId, role: "editor" });
      await db.insert(projectRoles).values({ projectId: org.projectId, userId: u.id, orgId: org.orgId, role: "viewer" });
      await db.insert(memberships).values({ orgId: other.orgId, userId: u.id, role: "admin" });
      await db.insert(projectRoles).values({ projectId: other.projectId, userId: u.id, orgId: other.orgId, role: "viewer" });
      const here = await seedSession(db, u.id, org.orgId);
      const there = await seedSession(db, u.id, other.orgId);

      await removeMember(db, userPrincipal(org.orgId, "admin"), actor, u.id);
      expect(await roleOf(db, org.orgId, u.id)).toBeUndefined();
      expect(await projectRolesOf(db, org.orgId, u.id)).toEqual({});
      expect(await revokedAtOf(db, here)).not.toBeNull();
      expect((await roleOf(db, other.orgId, u.id))!.role).toBe("admin");
      expect(await projectRolesOf(db, other.orgId, u.id)).toEqual({ [other.projectId]: "viewer" });
      expect(await revokedAtOf(db, there)).toBeNull();
      expect(await userRow(db, u.id)).toBeDefined();
      expect(await auditOf(db, org.orgId, u.id)).toEqual([
        { action: "membership.delete", actorType: "user", actorId: "test-actor", targetType: "user", details: { before: expect.objectContaining({ id: u.id, role: "editor", project_roles: { default: "viewer" } }) } },
      ]);
    });
  });

  it("needs an owner to remove an owner, and admin on every project for anyone", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const o = await seedUser(db, { orgId: org.orgId, role: "owner" });
      await seedUser(db, { orgId: org.orgId, role: "owner" });
      const v = await seedUser(db, { orgId: org.orgId, role: "viewer" });
      expect(await failureOf(removeMember(db, userPrincipal(org.orgId, "admin"), actor, o.id))).toEqual({ status: 403, code: "forbidden", message: "only an owner may suspend or remove an owner" });
      expect(await failureOf(removeMember(db, keyPrincipal(org.orgId, { projectId: org.projectId }), actor, v.id))).toEqual({
        status: 403,
        code: "forbidden",
        message: "a principal limited to one project or model cannot manage org memberships",
      });
      expect((await roleOf(db, org.orgId, o.id))!.role).toBe("owner");
      expect((await roleOf(db, org.orgId, v.id))!.role).toBe("viewer");
      await removeMember(db, userPrincipal(org.orgId, "owner"), actor, o.id);
      expect(await roleOf(db, org.orgId, o.id)).toBeUndefined();
    });
  });
});
