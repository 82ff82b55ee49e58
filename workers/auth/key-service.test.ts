import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, auditLog, models, projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { seedKey, seedOrg, withDb } from "../testing/seed.ts";
import { hashApiKey } from "./api-key.ts";
import { createKey, CreateKey, KeyListQuery, listKeys, revokeKey, rotateKey, RotateKey } from "./key-service.ts";
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

describe("issuing, listing, rotating and revoking", () => {
  const admin = (orgId: string) => user(orgId, "admin");

  async function orgWithModel(db: Parameters<Parameters<typeof withDb>[0]>[0]) {
    const org = await seedOrg(db);
    const [other] = await db.insert(projects).values({ orgId: org.orgId, slug: "other", name: "Other" }).returning();
    const [model] = await db.insert(models).values({ orgId: org.orgId, projectId: org.projectId, name: `credit-${crypto.randomUUID().slice(0, 8)}`, predictionKind: "binary" }).returning();
    return { ...org, otherId: other!.id, model: model!.name, modelId: model!.id };
  }

  it("issues a key limited by project slug and model name, returning the secret once and storing its hash", async () => {
    await withDb(async (db) => {
      const org = await orgWithModel(db);
      const created = await createKey(db, admin(org.orgId), actor, { name: "scorer", scopes: ["ingest"], project: "default", model: org.model, expires_at: "2030-01-01T00:00:00Z" });
      expect(created).toMatchObject({ name: "scorer", scopes: ["ingest"], project: "default", model: org.model, created_by: "user:test", expires_at: "2030-01-01T00:00:00.000Z", revoked_at: null, rotated_from: null, last_used_at: null });
      expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
      expect(row).toMatchObject({ keyHash: await hashApiKey(created.key), projectId: org.projectId, modelId: org.modelId, orgId: org.orgId });

      // A model alone limits the key to the model's project too; no limits, no project.
      const byModel = await createKey(db, admin(org.orgId), actor, { name: "m", scopes: ["read"], model: org.model });
      expect([byModel.project, byModel.model, byModel.expires_at]).toEqual(["default", org.model, null]);
      const orgWide = await createKey(db, admin(org.orgId), actor, { name: "o", scopes: ["read"] });
      expect([orgWide.project, orgWide.model]).toEqual([null, null]);
    });
  });

  it("refuses an unknown project or model (404), a model outside the project (400), and scopes beyond the caller's (403)", async () => {
    await withDb(async (db) => {
      const org = await orgWithModel(db);
      const create = (body: Parameters<typeof createKey>[3], p: UserPrincipal = admin(org.orgId)) => createKey(db, p, actor, body);
      await expect(create({ name: "k", scopes: ["read"], project: "nope" })).rejects.toMatchObject({ status: 404, message: "project nope not found" });
      await expect(create({ name: "k", scopes: ["read"], model: "nope" })).rejects.toMatchObject({ status: 404, message: "model nope not found" });
      await expect(create({ name: "k", scopes: ["read"], project: "other", model: org.model })).rejects.toMatchObject({ status: 400, code: "validation_failed", message: `invalid json: model: ${org.model} is not in project other` });
      await expect(create({ name: "k", scopes: ["admin"] }, user(org.orgId, "editor"))).rejects.toMatchObject({ status: 403 });
      // A model of another org is not found.
      const stranger = await seedOrg(db);
      await expect(createKey(db, admin(stranger.orgId), actor, { name: "k", scopes: ["read"], model: org.model })).rejects.toMatchObject({ status: 404 });
    });
  });

  it("lists live keys (a rotated key during its overlap included), revoked ones on request, in pages", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const a = await seedKey(db, org.orgId, ["read"]);
      const b = await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() - 1_000) });
      const c = await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() + 60_000) });
      const ids = async (q: Partial<Parameters<typeof listKeys>[2]>) => (await listKeys(db, admin(org.orgId), { limit: 50, order: "asc", include_revoked: "false", ...q })).items.map((k) => k.id);
      expect(await ids({})).toEqual([a.id, c.id]);
      expect(await ids({ include_revoked: "true" })).toEqual([a.id, b.id, c.id]);
      expect(await ids({ include_revoked: "true", order: "desc" })).toEqual([c.id, b.id, a.id]);
      const first = await listKeys(db, admin(org.orgId), { limit: 1, order: "asc", include_revoked: "false" });
      expect(first.items.map((k) => k.id)).toEqual([a.id]);
      expect(await ids({ cursor: first.next_cursor! })).toEqual([c.id]);
    });
  });

  it("a model-limited key lists only the keys limited to its model", async () => {
    await withDb(async (db) => {
      const org = await orgWithModel(db);
      await seedKey(db, org.orgId, ["read"], { projectId: org.projectId });
      const same = await seedKey(db, org.orgId, ["read"], { projectId: org.projectId, modelId: org.modelId });
      const limited: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: "k", prefix: "vgl_test", scopes: ["admin"], projectId: org.projectId, modelId: org.modelId };
      expect((await listKeys(db, limited, { limit: 50, order: "asc", include_revoked: "true" })).items.map((k) => k.id)).toEqual([same.id]);
    });
  });

  it("revokes now, and leaves a key revoked earlier as it was", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const live = await seedKey(db, org.orgId, ["read"]);
      const before = Date.now();
      const revoked = await revokeKey(db, admin(org.orgId), actor, live.id);
      expect(Date.parse(revoked.key.revoked_at!)).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(revoked.key.revoked_at!)).toBeLessThanOrEqual(Date.now() + 1_000);
      const earlier = new Date(Date.now() - 3_600_000);
      const old = await seedKey(db, org.orgId, ["read"], { revokedAt: earlier });
      expect((await revokeKey(db, admin(org.orgId), actor, old.id)).key.revoked_at).toBe(earlier.toISOString());
      await expect(revokeKey(db, admin(org.orgId), actor, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
    });
  });

  it("rotates: a new key with the same name, scopes and limits, the old one working for the overlap", async () => {
    await withDb(async (db) => {
      const org = await orgWithModel(db);
      const old = await seedKey(db, org.orgId, ["ingest"], { projectId: org.projectId, modelId: org.modelId, expiresAt: new Date("2031-01-01T00:00:00Z") });
      const before = Date.now();
      const { created, oldHash } = await rotateKey(db, admin(org.orgId), actor, old.id, 60);
      expect(oldHash).toBe(old.hash);
      expect(created).toMatchObject({ name: "test key", scopes: ["ingest"], project: "default", model: org.model, rotated_from: old.id, expires_at: "2031-01-01T00:00:00.000Z", revoked_at: null });
      const [oldRow] = await db.select().from(apiKeys).where(eq(apiKeys.id, old.id));
      expect(oldRow!.revokedAt!.getTime()).toBeGreaterThanOrEqual(before + 60_000);
      expect(oldRow!.revokedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

      // Rotating again with a longer overlap does not extend the old key's life.
      const soon = oldRow!.revokedAt!.getTime();
      await rotateKey(db, admin(org.orgId), actor, old.id, 3_600);
      const [again] = await db.select().from(apiKeys).where(eq(apiKeys.id, old.id));
      expect(again!.revokedAt!.getTime()).toBe(soon);

      const dead = await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() - 1_000) });
      await expect(rotateKey(db, admin(org.orgId), actor, dead.id, 60)).rejects.toMatchObject({ status: 409, message: `API key ${dead.prefix} is already revoked` });
    });
  });
});

describe("the audit trail and the request bodies of key management", () => {
  const admin = (orgId: string) => user(orgId, "admin");
  const auditOf = (db: Parameters<Parameters<typeof withDb>[0]>[0], targetId: string) =>
    db.select({ action: auditLog.action, targetType: auditLog.targetType, details: auditLog.details }).from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);

  it("records each issue, revocation and rotation with what changed", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const created = await createKey(db, admin(org.orgId), actor, { name: "audited", scopes: ["read"] });
      const { key: _secret, ...json } = created;
      expect(await auditOf(db, created.id)).toEqual([{ action: "api_key.create", targetType: "api_key", details: { after: json } }]);

      const { created: next } = await rotateKey(db, admin(org.orgId), actor, created.id, 60);
      const [, rotation] = await auditOf(db, created.id);
      const [oldRow] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
      expect(rotation).toEqual({ action: "api_key.rotate", targetType: "api_key", details: { before: { prefix: created.prefix, revoked_at: null }, after: { revoked_at: oldRow!.revokedAt!.toISOString(), replaced_by: next.id, new_prefix: next.prefix } } });

      const revoked = await revokeKey(db, admin(org.orgId), actor, next.id);
      expect(await auditOf(db, next.id)).toEqual([{ action: "api_key.revoke", targetType: "api_key", details: { prefix: next.prefix, before: { revoked_at: null }, after: { revoked_at: revoked.key.revoked_at } } }]);
    });
  });

  it("revokes at once a key still in its rotation overlap, and a rotation never lengthens an overlap", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const later = new Date(Date.now() + 86_400_000);
      const overlapping = await seedKey(db, org.orgId, ["read"], { revokedAt: later });
      const revoked = await revokeKey(db, admin(org.orgId), actor, overlapping.id);
      expect(Date.parse(revoked.key.revoked_at!)).toBeLessThanOrEqual(Date.now());

      const long = await seedKey(db, org.orgId, ["read"], { revokedAt: later });
      const before = Date.now();
      await rotateKey(db, admin(org.orgId), actor, long.id, 60);
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, long.id));
      expect(row!.revokedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(row!.revokedAt!.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    });
  });

  it("names the error of each refusal", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const id = crypto.randomUUID();
      await expect(revokeKey(db, admin(org.orgId), actor, id)).rejects.toMatchObject({ status: 404, code: "not_found", message: `API key ${id} not found` });
      await expect(createKey(db, admin(org.orgId), actor, { name: "k", scopes: ["read"], project: "nope" })).rejects.toMatchObject({ code: "not_found" });
      await expect(createKey(db, admin(org.orgId), actor, { name: "k", scopes: ["read"], model: "nope" })).rejects.toMatchObject({ code: "not_found" });
      const orgWide = await seedKey(db, org.orgId, ["read"]);
      await expect(revokeKey(db, user(org.orgId, "editor"), actor, orgWide.id)).rejects.toMatchObject({ status: 403, message: `API key ${orgWide.prefix} spans the whole org: user u@example.com (editor) lacks the "admin" scope on some project of the org` });
      await expect(listKeys(db, user(org.orgId, "editor"), { limit: 50, order: "desc", include_revoked: "false" })).rejects.toMatchObject({ message: 'the API key list spans the whole org: user u@example.com (editor) lacks the "admin" scope on some project of the org' });
      const inProject = await seedKey(db, org.orgId, ["read"], { projectId: org.projectId });
      await expect(revokeKey(db, user(org.orgId, "editor"), actor, inProject.id)).rejects.toMatchObject({ status: 403, message: 'user u@example.com (editor) lacks the "admin" scope on this project' });
      const dead = await seedKey(db, org.orgId, ["read"], { revokedAt: new Date(Date.now() - 1_000) });
      await expect(rotateKey(db, admin(org.orgId), actor, dead.id, 60)).rejects.toMatchObject({ code: "conflict" });
      const [model] = await db.insert(models).values({ orgId: org.orgId, projectId: org.projectId, name: "m", predictionKind: "binary" }).returning();
      await db.insert(projects).values({ orgId: org.orgId, slug: "other", name: "Other" });
      await expect(createKey(db, admin(org.orgId), actor, { name: "k", scopes: ["read"], project: "other", model: model!.name })).rejects.toMatchObject({ details: [{ field: "model", error: "not in project other" }] });
    });
  });

  it("validates the request bodies: name 1 to 200 characters, at least one scope, an ISO time with offset, overlap 0 to 30 days", () => {
    expect(CreateKey.safeParse({ name: "k".repeat(200), scopes: ["read", "ingest"], expires_at: "2030-01-01T00:00:00+02:00" }).success).toBe(true);
    expect(CreateKey.safeParse({ name: "", scopes: ["read"] }).success).toBe(false);
    expect(CreateKey.safeParse({ name: "k".repeat(201), scopes: ["read"] }).success).toBe(false);
    expect(CreateKey.safeParse({ name: "k", scopes: [] }).success).toBe(false);
    expect(CreateKey.safeParse({ name: "k", scopes: ["read"], expires_at: "tomorrow" }).success).toBe(false);
    expect(RotateKey.parse({})).toEqual({ overlap_seconds: 86_400 });
    expect(RotateKey.safeParse({ overlap_seconds: 0 }).success).toBe(true);
    expect(RotateKey.safeParse({ overlap_seconds: 30 * 86_400 }).success).toBe(true);
    expect(RotateKey.safeParse({ overlap_seconds: 30 * 86_400 + 1 }).success).toBe(false);
    expect(RotateKey.safeParse({ overlap_seconds: -1 }).success).toBe(false);
    expect(KeyListQuery.parse({})).toMatchObject({ include_revoked: "false" });
    expect(KeyListQuery.parse({ include_revoked: "true" })).toMatchObject({ include_revoked: "true" });
    expect(KeyListQuery.safeParse({ include_revoked: "yes" }).success).toBe(false);
  });
});

describe("key management by keys", () => {
  it("an unlimited key without admin may not list the org's keys; a model-limited admin key revokes and rotates keys of its model", async () => {
    await withDb(async (db) => {
      const org = await seedOrg(db);
      const reader: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: "k", prefix: "vgl_test", scopes: ["read"], projectId: null, modelId: null };
      await expect(listKeys(db, reader, { limit: 50, order: "desc", include_revoked: "false" })).rejects.toMatchObject({ status: 403 });
      expect(KeyListQuery.parse({ include_revoked: "false" })).toMatchObject({ include_revoked: "false" });

      const [model] = await db.insert(models).values({ orgId: org.orgId, projectId: org.projectId, name: "scored", predictionKind: "binary" }).returning();
      const modelAdmin: ApiKeyPrincipal = { kind: "api_key", orgId: org.orgId, keyId: "k", prefix: "vgl_test", scopes: ["admin"], projectId: org.projectId, modelId: model!.id };
      const ofModel = await seedKey(db, org.orgId, ["ingest"], { projectId: org.projectId, modelId: model!.id });
      const { created } = await rotateKey(db, modelAdmin, { type: "api_key", id: "k" }, ofModel.id, 60);
      expect(created.created_by).toBe("api_key:k");
      expect((await revokeKey(db, modelAdmin, actor, created.id)).key.revoked_at).not.toBeNull();
    });
  });
});
