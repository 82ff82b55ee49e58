import { describe, expect, it } from "vitest";
import { projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { listKeys, revokeKey, rotateKey } from "./key-service.ts";
import type { ApiKeyPrincipal, UserPrincipal } from "./principal.ts";
import type { Role } from "../authz/roles.ts";

// Managing a key needs admin over everything the key reaches. The route matrix checks the
// HTTP answers for an org-wide key; this checks the rule against project-limited keys, where
// a user narrowed in one project keeps admin in the others.

const actor = { type: "user" as const, id: "test" };

function user(orgId: string, role: Role, projectRoles: Record<string, Role> = {}): UserPrincipal {
  return { kind: "user", orgId, userId: "u", email: "u@example.com", sessionId: "s", role, projectRoles, scopes: [], instanceAdmin: false, csrfToken: "c", sessionExpiresAt: "" };
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

describe("key management needs admin over the key's reach", () => {
  it("lets a user narrowed to viewer in one project manage keys of the others, not that project's keys or org-wide ones", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const [other] = await db.insert(projects).values({ orgId: org.orgId, slug: "other", name: "Other" }).returning();
      const narrowed = user(org.orgId, "admin", { [org.projectId]: "viewer" });
      const orgWide = await seedKey(db, org.orgId, ["read"]);
      const inNarrowed = await seedKey(db, org.orgId, ["read"], { projectId: org.projectId });
      const inOther = await seedKey(db, org.orgId, ["read"], { projectId: other!.id });

      expect(await statusOf(revokeKey(db, narrowed, actor, orgWide.id))).toBe(403);
      expect(await statusOf(revokeKey(db, narrowed, actor, inNarrowed.id))).toBe(403);
      expect(await statusOf(rotateKey(db, narrowed, actor, orgWide.id, 60))).toBe(403);
      expect(await statusOf(rotateKey(db, narrowed, actor, inNarrowed.id, 60))).toBe(403);
      expect(await statusOf(listKeys(db, narrowed, { limit: 50, order: "desc", include_revoked: "false" }))).toBe(403);

      expect(await statusOf(rotateKey(db, narrowed, actor, inOther.id, 60))).toBe(200);
      const revoked = await revokeKey(db, narrowed, actor, inOther.id);
      expect(revoked.key.revoked_at).not.toBeNull();
      expect(revoked.hash).toBe(inOther.hash);
    });
  });

  it("lets an org admin manage every key, and a project-limited admin key only keys limited like itself", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const admin = user(org.orgId, "admin");
      const orgWide = await seedKey(db, org.orgId, ["read"]);
      const inProject = await seedKey(db, org.orgId, ["read"], { projectId: org.projectId });
      const limitedAdmin: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: "k", prefix: "vgl_test", scopes: ["admin"], projectId: org.projectId, modelId: null };

      expect(await statusOf(revokeKey(db, limitedAdmin, actor, orgWide.id))).toBe(404);
      expect(await statusOf(revokeKey(db, limitedAdmin, actor, inProject.id))).toBe(200);
      const listed = await listKeys(db, limitedAdmin, { limit: 50, order: "desc", include_revoked: "true" });
      expect(listed.items.map((k) => k.id)).toEqual([inProject.id]);

      expect(await statusOf(revokeKey(db, admin, actor, orgWide.id))).toBe(200);
      const all = await listKeys(db, admin, { limit: 50, order: "desc", include_revoked: "true" });
      expect(all.items.map((k) => k.id).sort()).toEqual([orgWide.id, inProject.id].sort());
    });
  });
});
