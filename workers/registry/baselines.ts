import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { ProfileError, readProfile } from "../../stats/profile/io.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { baselines } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import type { FeatureSpec } from "./feature-schema.ts";
import { PageQuery, afterCursor, msTime, page } from "./pagination.ts";
import { loadVersion } from "./version-service.ts";

// Baseline profiles: reference profiles in the stats/profile format ("vigil.profile",
// version 1), validated by its own reader before they are stored. Several per
// version; exactly one (or none) active, which is what monitoring scores against.

export const Baseline = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    format: z.string(),
    format_version: z.string(),
    active: z.boolean(),
    rows: z.number().int(),
    features: z.array(z.string()),
    created_by: z.string(),
    created_at: z.string(),
    profile: z.record(z.string(), z.unknown()).optional().openapi({ description: "the stored profile (single reads only)" }),
  })
  .openapi("Baseline");

export const CreateBaseline = z
  .object({
    name: z.string().min(1).max(200),
    profile: z.record(z.string(), z.unknown()).openapi({ description: 'a reference profile as written by stats/profile ({ "format": "vigil.profile", "version": 1, … })' }),
    activate: z.boolean().default(true),
    note: z.string().max(2_000).optional(),
  })
  .openapi("CreateBaseline");

export const BaselineListQuery = PageQuery;

type Row = typeof baselines.$inferSelect;

function baselineJson(row: Row, withProfile = false): z.infer<typeof Baseline> {
  const profile = row.profile as { rows?: number; features?: { name: string }[] };
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    format_version: row.formatVersion,
    active: row.active,
    rows: profile.rows ?? 0,
    features: (profile.features ?? []).map((f) => f.name),
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    ...(withProfile && { profile: row.profile }),
  };
}

function validateProfile(raw: Record<string, unknown>, schema: FeatureSpec[]) {
  let profile;
  try {
    profile = readProfile(raw);
  } catch (err) {
    if (err instanceof ProfileError) throw new ApiError(400, "validation_failed", `invalid json: profile: ${err.message}`, [{ field: "profile", error: err.message }]);
    throw err;
  }
  if (schema.length) {
    const names = new Set(schema.map((f) => f.name));
    const extra = profile.features.filter((f) => !names.has(f.name)).map((f) => f.name);
    if (extra.length) throw new ApiError(400, "validation_failed", `invalid json: profile.features: ${extra.join(", ")} not in the version's feature schema`, [{ field: "profile.features", error: `not in the feature schema: ${extra.join(", ")}` }]);
  }
  return profile;
}

export async function listBaselines(db: Queryable, p: Principal, model: string, version: string, q: z.infer<typeof BaselineListQuery>) {
  const { row: v } = await loadVersion(db, p, model, version);
  const conds: (SQL | undefined)[] = [eq(baselines.versionId, v.id), afterCursor(msTime(baselines.createdAt), baselines.id, q.cursor, q.order, "timestamptz", "uuid")];
  const dir = q.order === "asc" ? asc : desc;
  const rows = await db.select().from(baselines).where(and(...conds)).orderBy(dir(msTime(baselines.createdAt)), dir(baselines.id)).limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => ({ v: r.createdAt.toISOString(), id: r.id }));
  return { items: result.items.map((r) => baselineJson(r)), next_cursor: result.next_cursor };
}

export async function getBaseline(db: Queryable, p: Principal, model: string, version: string, id: string) {
  const { row: v } = await loadVersion(db, p, model, version);
  const [row] = await db.select().from(baselines).where(and(eq(baselines.versionId, v.id), eq(baselines.id, id)));
  if (!row) throw new ApiError(404, "not_found", `baseline ${id} not found`);
  return baselineJson(row, true);
}

async function activate(tx: Queryable, actor: AuditActor, orgId: string, versionId: string, row: Row, note?: string) {
  const [previous] = await tx.select({ id: baselines.id }).from(baselines).where(and(eq(baselines.versionId, versionId), eq(baselines.active, true)));
  if (previous?.id === row.id) return;
  if (previous) await tx.update(baselines).set({ active: false }).where(eq(baselines.id, previous.id));
  await tx.update(baselines).set({ active: true }).where(eq(baselines.id, row.id));
  await recordAudit(tx, actor, { orgId, action: "baseline.activate", targetType: "baseline", targetId: row.id, before: { active_baseline: previous?.id ?? null }, after: { active_baseline: row.id }, note, details: { version_id: versionId, name: row.name } });
}

/**
 * One baseline change per version at a time: the name check and the insert, and the switch
 * of the one active baseline, would otherwise race (two uploads under the same default name
 * hit the unique index and answered 500 instead of 409).
 */
async function lockVersionBaselines(tx: Queryable, versionId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`baselines:${versionId}`}))`);
}

export async function createBaseline(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, body: z.infer<typeof CreateBaseline>) {
  return db.transaction(async (tx) => {
    const { row: v } = await loadVersion(tx, p, model, version, "write");
    await lockVersionBaselines(tx, v.id);
    const profile = validateProfile(body.profile, v.featureSchema as FeatureSpec[]);
    const [exists] = await tx.select({ id: baselines.id }).from(baselines).where(and(eq(baselines.versionId, v.id), eq(baselines.name, body.name)));
    if (exists) throw new ApiError(409, "conflict", `baseline ${body.name} already exists for version ${version}`);
    const [row] = await tx
      .insert(baselines)
      .values({ orgId: p.orgId, versionId: v.id, name: body.name, format: profile.format, formatVersion: String(profile.version), profile: profile as unknown as Record<string, unknown>, createdBy: `${actor.type}:${actor.id}` })
      .returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "baseline.create", targetType: "baseline", targetId: row!.id, after: baselineJson(row!), note: body.note, details: { model, version } });
    if (body.activate) await activate(tx, actor, p.orgId, v.id, row!, body.note);
    const [final] = await tx.select().from(baselines).where(eq(baselines.id, row!.id));
    return baselineJson(final!);
  });
}

export async function activateBaseline(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, id: string, note?: string) {
  return db.transaction(async (tx) => {
    const { row: v } = await loadVersion(tx, p, model, version, "write");
    await lockVersionBaselines(tx, v.id);
    const [row] = await tx.select().from(baselines).where(and(eq(baselines.versionId, v.id), eq(baselines.id, id)));
    if (!row) throw new ApiError(404, "not_found", `baseline ${id} not found`);
    await activate(tx, actor, p.orgId, v.id, row, note);
    const [final] = await tx.select().from(baselines).where(eq(baselines.id, id));
    return baselineJson(final!);
  });
}
