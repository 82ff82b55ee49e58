// The privilege escalations of the security review, replayed as an attacker would:
// another org's admin taking over an account, a project-limited key escaping its
// project, an admin narrowing an owner, a narrowed user still writing, and a
// model-limited key posting outcomes for other models. Each assertion failed before the
// fix in authz/grants.ts and users/.
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { resetLastUsedThrottle } from "../auth/authenticate.ts";
import { clearIsolateKeyCache } from "../auth/key-store.ts";
import type { Role } from "../authz/roles.ts";
import type { Database } from "../db/client.ts";
import { auditLog, businessOutcomes, projectRoles, projects, users } from "../db/schema/index.ts";
import { forgetVersions } from "../ingest/resolve-version.ts";
import { seedUser } from "../testing/principals.ts";
import { seedKey, seedOrg, testEnv, uniqueSlug, withDb } from "../testing/seed.ts";
import { hashPassword } from "../users/password.ts";

const app = createApp();

type Headers = (write?: boolean) => Record<string, string>;
const bearer = (key: string): Headers => () => ({ authorization: `Bearer ${key}` });

async function send(who: Headers, method: string, path: string, body?: unknown) {
  const write = method !== "GET";
  const res = await app.request(path, { method, headers: { ...who(write), ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) }, testEnv);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function narrow(db: Database, orgId: string, userId: string, projectId: string, role: Role) {
  await db.insert(projectRoles).values({ orgId, userId, projectId, role });
}

async function auditActions(orgId: string, targetId: string): Promise<string[]> {
  const rows = await withDb((db) => db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.targetId, targetId))).orderBy(auditLog.id));
  return rows.map((r) => r.action);
}

beforeEach(() => {
  clearIsolateKeyCache();
  resetLastUsedThrottle();
  forgetVersions();
});

describe("a user account is global; org admins manage only memberships in their own org", () => {
  it("another org's admin adds org A's owner, learns nothing of their credentials, and cannot rename, disable or sign them out", async () => {
    const { orgA, ownerA, adminKeyB, orgB } = await withDb(async (db) => {
      const orgA = await seedOrg(db);
      const orgB = await seedOrg(db);
      const ownerA = await seedUser(db, orgA.orgId, "owner", { passwordHash: await hashPassword("owner a's own password") });
      return { orgA, orgB, ownerA, adminKeyB: bearer((await seedKey(db, orgB.orgId, ["admin"])).key) };
    });
    const added = await send(adminKeyB, "POST", "/v1/users", { email: ownerA.email, role: "viewer", name: "Renamed by B", password: "chosen by org b admin" });
    expect(added.status).toBe(201);
    expect(added.body.has_password).toBeNull();
    expect(added.body.name).toBe("owner"); // the account keeps its own name
    expect(JSON.stringify(added.body)).not.toContain(orgA.orgId);

    const takeover = await send(adminKeyB, "PATCH", `/v1/users/${ownerA.userId}`, { name: "pwned", disabled: true });
    expect(takeover.status).toBe(403);
    expect(takeover.body.error.message).toMatch(/only the user or an instance admin/);
    expect((await send(ownerA.headers, "GET", "/v1/models")).status).toBe(200); // still signed in
    const [account] = await withDb((db) => db.select().from(users).where(eq(users.id, ownerA.userId)));
    expect(account).toMatchObject({ name: "owner", disabledAt: null });
    // The password B's admin offered was not set.
    const signIn = await app.request("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ownerA.email, password: "chosen by org b admin" }) }, testEnv);
    expect(signIn.status).toBe(401);

    // B may still manage B's membership of that account: suspend it, which touches no other org.
    expect((await send(adminKeyB, "PATCH", `/v1/users/${ownerA.userId}`, { suspended: true })).body.suspended).toBe(true);
    expect((await send(ownerA.headers, "GET", "/v1/models")).status).toBe(200);
    expect(await auditActions(orgB.orgId, ownerA.userId)).toEqual(["membership.create", "membership.update"]);
    expect(await auditActions(orgA.orgId, ownerA.userId)).toEqual([]);

    // The user renames their own account: every org it belongs to records it.
    const own = await send(ownerA.headers, "PATCH", `/v1/users/${ownerA.userId}`, { name: "Alice" });
    expect(own.status).toBe(200);
    expect(own.body.has_password).toBe(true);
    expect(await auditActions(orgA.orgId, ownerA.userId)).toEqual(["user.update"]);
    expect(await auditActions(orgB.orgId, ownerA.userId)).toEqual(["membership.create", "membership.update", "user.update"]);
  });

  it("a suspended membership signs the user out of that org and refuses sign-in there, until resumed", async () => {
    const password = "an editor's password";
    const { org, admin, editor } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return { org, admin: await seedUser(db, org.orgId, "admin"), editor: await seedUser(db, org.orgId, "editor", { passwordHash: await hashPassword(password) }) };
    });
    const signIn = () => app.request("/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: editor.email, password, org: org.slug }) }, testEnv);
    expect((await send(admin.headers, "PATCH", `/v1/users/${editor.userId}`, { suspended: true })).status).toBe(200);
    expect((await send(editor.headers, "GET", "/v1/models")).status).toBe(401);
    expect((await signIn()).status).toBe(401);
    expect((await send(admin.headers, "PATCH", `/v1/users/${editor.userId}`, { suspended: false })).body.suspended).toBe(false);
    expect((await signIn()).status).toBe(201);
  });

  it("an admin (key or user) cannot narrow, demote, suspend or remove an owner; an owner can", async () => {
    const { owner, coOwner, admin, adminKey } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return {
        owner: await seedUser(db, org.orgId, "owner"),
        coOwner: await seedUser(db, org.orgId, "owner"),
        admin: await seedUser(db, org.orgId, "admin"),
        adminKey: bearer((await seedKey(db, org.orgId, ["admin"])).key),
      };
    });
    for (const who of [adminKey, admin.headers]) {
      expect((await send(who, "PATCH", `/v1/users/${coOwner.userId}`, { project_roles: { default: "viewer" } })).status).toBe(403);
      expect((await send(who, "PATCH", `/v1/users/${coOwner.userId}`, { role: "viewer" })).status).toBe(403);
      expect((await send(who, "PATCH", `/v1/users/${coOwner.userId}`, { suspended: true })).status).toBe(403);
      expect((await send(who, "DELETE", `/v1/users/${coOwner.userId}`)).status).toBe(403);
    }
    const narrowed = await send(owner.headers, "PATCH", `/v1/users/${coOwner.userId}`, { project_roles: { default: "viewer" } });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.project_roles).toEqual({ default: "viewer" });
  });
});

describe("a principal limited to one project cannot reach beyond it", () => {
  async function setup() {
    return withDb(async (db) => {
      const org = await seedOrg(db);
      const [p2] = await db.insert(projects).values({ orgId: org.orgId, slug: "p2", name: "P2" }).returning();
      return { org, p2: p2!, p2Admin: bearer((await seedKey(db, org.orgId, ["admin"], { projectId: p2!.id })).key) };
    });
  }

  it("a p2 admin key creates no org-wide user or key and reads no org-wide audit log", async () => {
    const { p2Admin } = await setup();
    const user = await send(p2Admin, "POST", "/v1/users", { email: `${uniqueSlug("esc")}@example.test`, role: "admin", password: "a long escalation password" });
    expect(user.status).toBe(403);
    expect((await send(p2Admin, "POST", "/v1/keys", { name: "escape", scopes: ["admin"] })).status).toBe(403);
    expect((await send(p2Admin, "POST", "/v1/keys", { name: "other project", scopes: ["read"], project: "default" })).status).toBe(403);
    expect((await send(p2Admin, "GET", "/v1/audit")).status).toBe(403);
    expect((await send(p2Admin, "GET", "/v1/audit/verify")).status).toBe(403);
    expect((await send(p2Admin, "GET", "/v1/users")).status).toBe(403);
    // Within its project it still works.
    const inside = await send(p2Admin, "POST", "/v1/keys", { name: "p2 reader", scopes: ["read"], project: "p2" });
    expect(inside.status).toBe(201);
    expect(inside.body).toMatchObject({ project: "p2", scopes: ["read"] });
  });

  it("a key cannot issue or rotate into scopes it does not hold", async () => {
    const { org } = await setup();
    const { writer, admin, adminKeyId } = await withDb(async (db) => ({
      writer: bearer((await seedKey(db, org.orgId, ["write", "read"])).key),
      admin: bearer((await seedKey(db, org.orgId, ["admin"])).key),
      adminKeyId: (await seedKey(db, org.orgId, ["admin"])).id,
    }));
    const narrowedAdmin = await withDb(async (db) => {
      const u = await seedUser(db, org.orgId, "admin");
      await narrow(db, org.orgId, u.userId, org.projectId, "viewer");
      return u;
    });
    expect((await send(narrowedAdmin.headers, "POST", "/v1/keys", { name: "wide", scopes: ["admin"] })).status).toBe(403);
    expect((await send(narrowedAdmin.headers, "POST", `/v1/keys/${adminKeyId}/rotate`, {})).status).toBe(403);
    expect((await send(narrowedAdmin.headers, "POST", "/v1/keys", { name: "p2 admin", scopes: ["admin"], project: "p2" })).status).toBe(201);
    expect((await send(admin, "POST", `/v1/keys/${adminKeyId}/rotate`, {})).status).toBe(201);
    // Keys need the admin scope to issue keys at all; a write key never reaches the grant.
    expect((await send(writer, "POST", "/v1/keys", { name: "up", scopes: ["admin"] })).status).toBe(403);
  });

  it("a user narrowed to viewer on a project cannot ingest, register versions or post actuals there", async () => {
    const { ingestKey, editor } = await withDb(async (db) => {
      const org = await seedOrg(db);
      const editor = await seedUser(db, org.orgId, "editor");
      await narrow(db, org.orgId, editor.userId, org.projectId, "viewer");
      return { org, editor, ingestKey: bearer((await seedKey(db, org.orgId, ["ingest", "write"])).key) };
    });
    const model = uniqueSlug("narrowed");
    const batch = (id: string) => ({ model, version: "v1", batch_id: id, events: [{ prediction_id: id, features: { x: 1 }, prediction: 1, score: 0.9 }] });
    expect((await send(ingestKey, "POST", "/v1/ingest", batch("b-1"))).status).toBe(200);
    expect((await send(editor.headers, "POST", "/v1/ingest", batch("b-2"))).status).toBe(403);
    expect((await send(editor.headers, "POST", "/v1/ingest", { ...batch("b-3"), version: "v2" })).status).toBe(403);
    expect((await send(editor.headers, "POST", "/v1/ingest", { ...batch("b-4"), model: uniqueSlug("new-model") })).status).toBe(403);
    expect((await send(editor.headers, "POST", "/v1/actuals", { model, version: "v1", actuals: [{ prediction_id: "b-1", actual: 1 }] })).status).toBe(403);
    // Reading stays: a viewer there may see it.
    expect((await send(editor.headers, "GET", `/v1/models/${model}/versions/v1/live`)).status).toBe(200);
  });

  it("a model-limited key posts outcomes for its own model only", async () => {
    const { orgId, admin } = await withDb(async (db) => {
      const org = await seedOrg(db);
      return { orgId: org.orgId, admin: bearer((await seedKey(db, org.orgId, ["admin"])).key) };
    });
    for (const name of ["own-model", "other-model"]) expect((await send(admin, "POST", "/v1/models", { name, prediction_kind: "binary" })).status).toBe(201);
    const limited = bearer((await send(admin, "POST", "/v1/keys", { name: "own", scopes: ["ingest"], model: "own-model" })).body.key);
    const outcomes = (model: string) => ({ model, outcomes: [{ timestamp: "2026-11-01T00:00:00Z", kpi: "revenue", value: 1 }] });
    expect((await send(limited, "POST", "/v1/outcomes", outcomes("other-model"))).status).toBe(404);
    expect((await send(limited, "POST", "/v1/outcomes", outcomes("own-model"))).status).toBe(200);
    const rows = await withDb((db) => db.select({ model: businessOutcomes.model }).from(businessOutcomes).where(eq(businessOutcomes.orgId, orgId)));
    expect(rows).toEqual([{ model: "own-model" }]);
  });
});
