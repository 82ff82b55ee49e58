import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { memberships } from "../db/schema/index.ts";
import { seedOrg, withDb } from "../testing/seed.ts";
import { changeAccount, ChangePassword, changeOwnPassword, requireAccountOwner } from "./accounts.ts";
import { actor, auditOf, failureOf, keyPrincipal, revokedAtOf, seedSession, seedUser, userPrincipal, userRow } from "./membership-testing.ts";
import { hashPassword, verifyPassword } from "./password.ts";

// A user account spans every org it belongs to: only the user or an instance admin
// changes it, every change is audited in each of those orgs, and disabling it or changing
// its password ends its other sessions everywhere.

describe("requireAccountOwner", () => {
  it("admits the user and an instance admin, and refuses an org owner or a key with 403", async () => {
    expect(requireAccountOwner(userPrincipal("o", "viewer", { userId: "u1" }), "u1", "name")).toBeUndefined();
    expect(requireAccountOwner(userPrincipal("o", "viewer", { userId: "u2", instanceAdmin: true }), "u1", "name")).toBeUndefined();
    const message =
      'disabled belongs to the user\'s account, which spans every org it is a member of: only the user or an instance admin may change it (an org admin may suspend the membership instead: "suspended": true)';
    expect(await failureOf(() => requireAccountOwner(userPrincipal("o", "owner", { userId: "u2" }), "u1", "disabled"))).toEqual({ status: 403, code: "forbidden", message });
    expect(await failureOf(() => requireAccountOwner(keyPrincipal("o"), "u1", "disabled"))).toMatchObject({ status: 403, code: "forbidden" });
  });
});

describe("changeAccount", () => {
  it("renames the account and audits it in every org it belongs to, and nowhere else", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const b = await seedOrg(db);
      const unrelated = await seedOrg(db);
      const u = await seedUser(db, { orgId: a.orgId, name: "Old" });
      await db.insert(memberships).values({ orgId: b.orgId, userId: u.id, role: "admin" });
      const session = await seedSession(db, u.id, a.orgId);

      await db.transaction((tx) => changeAccount(tx, actor, u.id, { name: "New" }));
      const row = await userRow(db, u.id);
      expect(row!.name).toBe("New");
      expect(row!.disabledAt).toBeNull();
      expect(await revokedAtOf(db, session)).toBeNull();
      for (const org of [a, b]) {
        expect(await auditOf(db, org.orgId, u.id)).toEqual([
          { action: "user.update", actorType: "user", actorId: "test-actor", targetType: "user", details: { before: { name: "Old", disabled: false }, after: { name: "New", disabled: false } } },
        ]);
      }
      expect(await auditOf(db, unrelated.orgId, u.id)).toEqual([]);
    });
  });

  it("disables the account, revoking its sessions in every org, and keeps the first disabling instant", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const b = await seedOrg(db);
      const u = await seedUser(db, { orgId: a.orgId, name: "Kept" });
      await db.insert(memberships).values({ orgId: b.orgId, userId: u.id, role: "viewer" });
      const other = await seedUser(db, { orgId: a.orgId });
      const inA = await seedSession(db, u.id, a.orgId);
      const inB = await seedSession(db, u.id, b.orgId);
      const earlier = new Date("2026-01-01T00:00:00.000Z");
      const alreadyRevoked = await seedSession(db, u.id, a.orgId, earlier);
      const othersSession = await seedSession(db, other.id, a.orgId);

      const start = Date.now();
      await db.transaction((tx) => changeAccount(tx, actor, u.id, { disabled: true }));
      const disabledAt = (await userRow(db, u.id))!.disabledAt!;
      expect(disabledAt.getTime()).toBeGreaterThanOrEqual(start - 1_000);
      expect((await userRow(db, u.id))!.name).toBe("Kept");
      expect((await revokedAtOf(db, inA))!.getTime()).toBeGreaterThanOrEqual(start - 1_000);
      expect(await revokedAtOf(db, inB)).not.toBeNull();
      expect(await revokedAtOf(db, alreadyRevoked)).toEqual(earlier);
      expect(await revokedAtOf(db, othersSession)).toBeNull();
      expect((await auditOf(db, b.orgId, u.id)).map((r) => r.details)).toEqual([{ before: { name: "Kept", disabled: false }, after: { name: "Kept", disabled: true } }]);

      // Disabled again: the first instant stays.
      await db.transaction((tx) => changeAccount(tx, actor, u.id, { disabled: true }));
      expect((await userRow(db, u.id))!.disabledAt).toEqual(disabledAt);

      // Enabled: the flag clears, and no session is touched (a new one stays live).
      const fresh = await seedSession(db, u.id, a.orgId);
      await db.transaction((tx) => changeAccount(tx, actor, u.id, { disabled: false }));
      expect((await userRow(db, u.id))!.disabledAt).toBeNull();
      expect(await revokedAtOf(db, fresh)).toBeNull();
      expect((await auditOf(db, a.orgId, u.id)).map((r) => r.details)).toEqual([
        { before: { name: "Kept", disabled: false }, after: { name: "Kept", disabled: true } },
        { before: { name: "Kept", disabled: true }, after: { name: "Kept", disabled: true } },
        { before: { name: "Kept", disabled: true }, after: { name: "Kept", disabled: false } },
      ]);
    });
  });

  it("renames a disabled account without enabling it", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const disabledAt = new Date("2026-02-03T04:05:06.789Z");
      const u = await seedUser(db, { orgId: a.orgId, name: "Off", disabledAt });
      await db.transaction((tx) => changeAccount(tx, actor, u.id, { name: "Still off" }));
      expect(await userRow(db, u.id)).toMatchObject({ name: "Still off", disabledAt });
      expect((await auditOf(db, a.orgId, u.id)).map((r) => r.details)).toEqual([{ before: { name: "Off", disabled: true }, after: { name: "Still off", disabled: true } }]);
    });
  });

  it("does nothing when nothing is asked, and answers 404 for an unknown account", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const u = await seedUser(db, { orgId: a.orgId, name: "Same" });
      await db.transaction((tx) => changeAccount(tx, actor, u.id, {}));
      expect(await auditOf(db, a.orgId, u.id)).toEqual([]);
      // An empty change needs no account: it returns before looking.
      const missing = crypto.randomUUID();
      expect(await failureOf(db.transaction((tx) => changeAccount(tx, actor, missing, {})))).toBe("ok");
      expect(await failureOf(db.transaction((tx) => changeAccount(tx, actor, missing, { name: "x" })))).toEqual({ status: 404, code: "not_found", message: `user ${missing} not found` });
      expect(await failureOf(db.transaction((tx) => changeAccount(tx, actor, missing, { disabled: false })))).toMatchObject({ status: 404 });
      // A rename to the empty string is a change too.
      await db.transaction((tx) => changeAccount(tx, actor, u.id, { name: "" }));
      expect((await userRow(db, u.id))!.name).toBe("");
    });
  });
});

describe("ChangePassword", () => {
  it("needs a new password of 12 to 1,000 characters, and a current one of at most 1,000", () => {
    expect(ChangePassword.safeParse({ new_password: "x".repeat(12) }).success).toBe(true);
    const short = ChangePassword.safeParse({ new_password: "x".repeat(11) });
    expect(short.success).toBe(false);
    expect(short.error!.issues[0]!.message).toBe("must be at least 12 characters");
    expect(ChangePassword.safeParse({ new_password: "x".repeat(1_000), current_password: "y".repeat(1_000) }).success).toBe(true);
    expect(ChangePassword.safeParse({ new_password: "x".repeat(1_001) }).success).toBe(false);
    expect(ChangePassword.safeParse({ new_password: "x".repeat(12), current_password: "y".repeat(1_001) }).success).toBe(false);
  });
});

describe("the OpenAPI description of a password change", () => {
  it("is the ChangePassword component, and says when the current password is needed", () => {
    const app = new OpenAPIHono();
    app.openapi(createRoute({ method: "post", path: "/password", request: { body: { content: { "application/json": { schema: ChangePassword } } } }, responses: { 204: { description: "changed" } } }), (c) => c.body(null, 204));
    const doc = app.getOpenAPIDocument({ openapi: "3.0.0", info: { title: "accounts", version: "1" } });
    const schema = doc.components!.schemas!.ChangePassword as { properties: Record<string, { description?: string }>; required: string[] };
    expect(schema.properties.current_password!.description).toBe("required when the account already has a password");
    expect(schema.required).toEqual(["new_password"]);
  });
});

describe("changeOwnPassword", () => {
  it("needs the current password when there is one, stores only the new hash, and ends the user's other sessions", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const b = await seedOrg(db);
      const u = await seedUser(db, { orgId: a.orgId, passwordHash: await hashPassword("the old password") });
      await db.insert(memberships).values({ orgId: b.orgId, userId: u.id, role: "viewer" });
      const current = await seedSession(db, u.id, a.orgId);
      const otherInA = await seedSession(db, u.id, a.orgId);
      const inB = await seedSession(db, u.id, b.orgId);
      const earlier = new Date("2026-01-01T00:00:00.000Z");
      const revokedBefore = await seedSession(db, u.id, b.orgId, earlier);
      const someoneElse = await seedUser(db, { orgId: a.orgId });
      const theirs = await seedSession(db, someoneElse.id, a.orgId);
      const p = userPrincipal(a.orgId, "viewer", { userId: u.id, sessionId: current });
      const refused = { status: 403, code: "forbidden", message: "current_password is wrong or missing" };

      expect(await failureOf(changeOwnPassword(db, p, actor, { new_password: "a new password!" }))).toEqual(refused);
      expect(await failureOf(changeOwnPassword(db, p, actor, { current_password: "", new_password: "a new password!" }))).toEqual(refused);
      expect(await failureOf(changeOwnPassword(db, p, actor, { current_password: "not the old one", new_password: "a new password!" }))).toEqual(refused);
      expect(await verifyPassword("the old password", (await userRow(db, u.id))!.passwordHash!)).toBe(true);
      expect(await revokedAtOf(db, otherInA)).toBeNull();

      await changeOwnPassword(db, p, actor, { current_password: "the old password", new_password: "a new password!" });
      const stored = (await userRow(db, u.id))!.passwordHash!;
      expect(stored).not.toContain("a new password!");
      expect(stored).toMatch(/^scrypt\$/);
      expect(await verifyPassword("a new password!", stored)).toBe(true);
      expect(await verifyPassword("the old password", stored)).toBe(false);
      expect(await revokedAtOf(db, current)).toBeNull();
      expect(await revokedAtOf(db, otherInA)).not.toBeNull();
      expect(await revokedAtOf(db, inB)).not.toBeNull();
      expect(await revokedAtOf(db, revokedBefore)).toEqual(earlier);
      expect(await revokedAtOf(db, theirs)).toBeNull();
      for (const org of [a, b]) {
        expect(await auditOf(db, org.orgId, u.id)).toEqual([
          { action: "user.password_change", actorType: "user", actorId: "test-actor", targetType: "user", details: { had_password: true } },
        ]);
      }
    });
  });

  it("lets an account without a password set a first one without a current one", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      const u = await seedUser(db, { orgId: a.orgId });
      const p = userPrincipal(a.orgId, "owner", { userId: u.id });
      await changeOwnPassword(db, p, actor, { new_password: "a first password" });
      expect(await verifyPassword("a first password", (await userRow(db, u.id))!.passwordHash!)).toBe(true);
      expect((await auditOf(db, a.orgId, u.id)).map((r) => r.details)).toEqual([{ had_password: false }]);
    });
  });

  it("refuses an API key with 400 and an unknown user with 404", async () => {
    await withDb(async (db) => {
      const a = await seedOrg(db);
      expect(await failureOf(changeOwnPassword(db, keyPrincipal(a.orgId), actor, { new_password: "a new password!" }))).toEqual({
        status: 400,
        code: "bad_request",
        message: "only a signed-in user has a password; API keys are rotated instead",
      });
      expect(await failureOf(changeOwnPassword(db, userPrincipal(a.orgId, "owner"), actor, { new_password: "a new password!" }))).toEqual({ status: 404, code: "not_found", message: "user not found" });
    });
  });
});
