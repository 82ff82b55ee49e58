import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { apiKeys, models, projects } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { PageQuery, afterCursor, msTime, page } from "../registry/pagination.ts";
import { requireGrant } from "../authz/grants.ts";
import { requireOn, requireOrgWide } from "../authz/access.ts";
import { API_KEY_SCOPES, generateApiKey, type ApiKeyScope } from "./api-key.ts";
import type { Principal } from "./principal.ts";

// Issuing, listing, rotating and revoking API keys. The secret is returned once; only
// its hash and visible prefix are kept. Issuing and rotating are grants: the caller may
// only hand out scopes it holds where the key will reach (authz/grants.ts).

export const ApiKey = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    prefix: z.string().openapi({ example: "vgl_3f9a2c1b" }),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    project: z.string().nullable(),
    model: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable().openapi({ description: "in the future while a rotated key's overlap lasts" }),
    rotated_from: z.string().uuid().nullable(),
  })
  .openapi("ApiKey");

export const NewApiKeyResponse = ApiKey.extend({ key: z.string().openapi({ description: "the secret; shown only in this response" }) }).openapi("NewApiKey");

export const CreateKey = z
  .object({
    name: z.string().min(1).max(200),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
    project: z.string().optional().openapi({ description: "limit the key to this project (slug)" }),
    model: z.string().optional().openapi({ description: "limit the key to this model (name)" }),
    expires_at: z.string().datetime({ offset: true }).optional(),
  })
  .openapi("CreateApiKey");

export const RotateKey = z
  .object({ overlap_seconds: z.number().int().min(0).max(30 * 86_400).default(86_400).openapi({ description: "how long the old key keeps working" }) })
  .openapi("RotateApiKey");

export const KeyListQuery = PageQuery.extend({ include_revoked: z.enum(["true", "false"]).default("false") });

type Row = typeof apiKeys.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

async function keyJson(db: Queryable, row: Row): Promise<z.infer<typeof ApiKey>> {
  const [p] = row.projectId ? await db.select({ slug: projects.slug }).from(projects).where(eq(projects.id, row.projectId)) : [];
  const [m] = row.modelId ? await db.select({ name: models.name }).from(models).where(eq(models.id, row.modelId)) : [];
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as z.infer<typeof ApiKey>["scopes"],
    project: p?.slug ?? null,
    model: m?.name ?? null,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    last_used_at: iso(row.lastUsedAt),
    expires_at: iso(row.expiresAt),
    revoked_at: iso(row.revokedAt),
    rotated_from: row.rotatedFrom,
  };
}

function visible(p: Principal): SQL[] {
  const conds = [eq(apiKeys.orgId, p.orgId)];
  if (p.kind === "api_key" && p.projectId) conds.push(eq(apiKeys.projectId, p.projectId));
  if (p.kind === "api_key" && p.modelId) conds.push(eq(apiKeys.modelId, p.modelId));
  return conds;
}

export async function createKey(db: Queryable, p: Principal, actor: AuditActor, body: z.infer<typeof CreateKey>) {
  return db.transaction(async (tx) => {
    let projectId: string | null = null;
    let modelId: string | null = null;
    if (body.project) {
      const [row] = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.orgId, p.orgId), eq(projects.slug, body.project)));
      if (!row) throw new ApiError(404, "not_found", `project ${body.project} not found`);
      projectId = row.id;
    }
    if (body.model) {
      const [row] = await tx.select({ id: models.id, projectId: models.projectId }).from(models).where(and(eq(models.orgId, p.orgId), eq(models.name, body.model)));
      if (!row) throw new ApiError(404, "not_found", `model ${body.model} not found`);
      if (projectId && row.projectId !== projectId) throw new ApiError(400, "validation_failed", `invalid json: model: ${body.model} is not in project ${body.project}`, [{ field: "model", error: `not in project ${body.project}` }]);
      modelId = row.id;
      projectId = row.projectId;
    }
    requireGrant(p, { kind: "api_key", scopes: body.scopes, projectId, modelId });
    const k = await generateApiKey();
    const [row] = await tx
      .insert(apiKeys)
      .values({ orgId: p.orgId, name: body.name, prefix: k.prefix, keyHash: k.hash, scopes: body.scopes, projectId, modelId, createdBy: `${actor.type}:${actor.id}`, expiresAt: body.expires_at ? new Date(body.expires_at) : null })
      .returning();
    const json = await keyJson(tx, row!);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "api_key.create", targetType: "api_key", targetId: row!.id, after: json });
    return { ...json, key: k.key };
  });
}

/** Whether the principal is an API key limited to a project or model (its listing is filtered to keys limited like itself). */
const isLimitedKey = (p: Principal) => p.kind === "api_key" && (p.projectId !== null || p.modelId !== null);

export async function listKeys(db: Queryable, p: Principal, q: z.infer<typeof KeyListQuery>) {
  // The unfiltered list names every org-wide key, which reaches every project, so it needs
  // admin on every project: a user narrowed to viewer in one project does not get it.
  if (!isLimitedKey(p)) requireOrgWide(p, "admin", "the API key list");
  const conds: (SQL | undefined)[] = [...visible(p), afterCursor(msTime(apiKeys.createdAt), apiKeys.id, q.cursor, q.order, "timestamptz", "uuid")];
  if (q.include_revoked === "false") conds.push(or(isNull(apiKeys.revokedAt), gt(apiKeys.revokedAt, sql`now()`)));
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db.select().from(apiKeys).where(and(...conds)).orderBy(dir(msTime(apiKeys.createdAt)), dir(apiKeys.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  return { items: await Promise.all(result.items.map((r) => keyJson(db, r))), next_cursor: result.next_cursor };
}

async function loadKey(db: Queryable, p: Principal, id: string): Promise<Row> {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.id, id), ...visible(p)));
  if (!row) throw new ApiError(404, "not_found", `API key ${id} not found`);
  return row;
}

/**
 * Revoking or rotating a key changes who can act wherever the key reaches (rotation cuts the
 * old key's life short), so the caller needs admin over all of that reach: on every project for
 * an org-wide key, on the key's project (or model) otherwise. 404 when it may not see the key.
 */
function requireAdminOver(p: Principal, key: Row): void {
  if (key.projectId === null) return requireOrgWide(p, "admin", `API key ${key.prefix}`);
  requireOn(p, { projectId: key.projectId, ...(key.modelId ? { modelId: key.modelId } : {}) }, "admin", `API key ${key.id} not found`);
}

/** Revokes now; returns the key hash so the caller can drop it from the caches. */
export async function revokeKey(db: Queryable, p: Principal, actor: AuditActor, id: string) {
  return db.transaction(async (tx) => {
    const row = await loadKey(tx, p, id);
    requireAdminOver(p, row);
    const now = new Date();
    if (row.revokedAt && row.revokedAt <= now) return { key: await keyJson(tx, row), hash: row.keyHash };
    const [updated] = await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)).returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "api_key.revoke", targetType: "api_key", targetId: id, before: { revoked_at: iso(row.revokedAt) }, after: { revoked_at: now.toISOString() }, details: { prefix: row.prefix } });
    return { key: await keyJson(tx, updated!), hash: row.keyHash };
  });
}

/** Issues a replacement with the same name, scopes and limits; the old key works for `overlap_seconds` more. */
export async function rotateKey(db: Queryable, p: Principal, actor: AuditActor, id: string, overlapSeconds: number) {
  return db.transaction(async (tx) => {
    const old = await loadKey(tx, p, id);
    requireAdminOver(p, old);
    const now = Date.now();
    if (old.revokedAt && old.revokedAt.getTime() <= now) throw new ApiError(409, "conflict", `API key ${old.prefix} is already revoked`);
    // A rotation issues a new key with the old one's reach, so the caller must be able to grant it.
    requireGrant(p, { kind: "api_key", scopes: old.scopes as ApiKeyScope[], projectId: old.projectId, modelId: old.modelId });
    const until = new Date(now + overlapSeconds * 1000);
    const revokedAt = old.revokedAt && old.revokedAt < until ? old.revokedAt : until;
    await tx.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, id));
    const k = await generateApiKey();
    const [row] = await tx
      .insert(apiKeys)
      .values({ orgId: old.orgId, name: old.name, prefix: k.prefix, keyHash: k.hash, scopes: old.scopes, projectId: old.projectId, modelId: old.modelId, createdBy: `${actor.type}:${actor.id}`, expiresAt: old.expiresAt, rotatedFrom: old.id })
      .returning();
    const json = await keyJson(tx, row!);
    await recordAudit(tx, actor, { orgId: p.orgId, action: "api_key.rotate", targetType: "api_key", targetId: old.id, before: { prefix: old.prefix, revoked_at: iso(old.revokedAt) }, after: { revoked_at: revokedAt.toISOString(), replaced_by: row!.id, new_prefix: k.prefix } });
    return { created: { ...json, key: k.key }, oldHash: old.keyHash };
  });
}
