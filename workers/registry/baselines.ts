import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { ProfileError, readProfile } from "../../stats/profile/io.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { baselines } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { canonicalJson } from "../audit/hash.ts";
import { sha256Hex } from "../erasure/certificate.ts";
import { gateChange } from "../signatures/gate.ts";
import { baselineRecord } from "../signatures/records.ts";
import { SignatureInput } from "../signatures/schemas.ts";
import type { Signer } from "../signatures/signer.ts";
import { scalarFeatures, type FeatureSpec } from "./feature-schema.ts";
import { PageQuery, afterCursor, msTime, page } from "./pagination.ts";
import { loadVersion, type PendingApproval } from "./version-service.ts";

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
    signature: SignatureInput.optional().openapi({ description: "an electronic signature for activating it, when the org's policy asks for one (baseline_change)" }),
  })
  .openapi("CreateBaseline");

export const ActivateBaseline = z
  .object({
    note: z.string().max(2_000).optional(),
    signature: SignatureInput.optional().openapi({ description: "an electronic signature, when the org's policy asks for one (baseline_change)" }),
  })
  .openapi("ActivateBaseline");

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

type VersionRow = Awaited<ReturnType<typeof loadVersion>>;

/**
 * Makes `row` the active baseline once the org's signature gate lets it (baseline_change):
 * `pending` when the signature leaves it short of signers, and then nothing changes.
 */
async function activate(tx: Queryable, actor: AuditActor, orgId: string, v: VersionRow, row: Row, note: string | undefined, signer: Signer | undefined): Promise<PendingApproval | undefined> {
  const versionId = v.row.id;
  const [previous] = await tx.select({ id: baselines.id }).from(baselines).where(and(eq(baselines.versionId, versionId), eq(baselines.active, true)));
  if (previous?.id === row.id) return undefined;
  const record = baselineRecord(
    { orgId, model: v.model.name, version: v.row.version, versionId },
    { id: row.id, name: row.name, profileSha256: await sha256Hex(canonicalJson(row.profile)) },
    previous?.id ?? null,
  );
  const gate = await gateChange(tx, orgId, actor, record, signer);
  if (gate.state === "pending") return { pending: gate.approval };
  if (previous) await tx.update(baselines).set({ active: false }).where(eq(baselines.id, previous.id));
  await tx.update(baselines).set({ active: true }).where(eq(baselines.id, row.id));
  await recordAudit(tx, actor, {
    orgId, action: "baseline.activate", targetType: "baseline", targetId: row.id, before: { active_baseline: previous?.id ?? null }, after: { active_baseline: row.id }, note,
    details: { version_id: versionId, name: row.name, ...(gate.signatures.length ? { signature_ids: gate.signatures.map((s) => s.id) } : {}) },
  });
  return undefined;
}

const onlyActivationIsSigned = () => new ApiError(400, "validation_failed", "signature: only activating a baseline is signed", [{ field: "signature", error: "only activating a baseline is signed (activate: true)" }]);

/**
 * One baseline change per version at a time: the name check and the insert, and the switch
 * of the one active baseline, would otherwise race (two uploads under the same default name
 * hit the unique index and answered 500 instead of 409).
 */
async function lockVersionBaselines(tx: Queryable, versionId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`baselines:${versionId}`}))`);
}

/** Stores a baseline and, with `activate`, makes it active through the signature gate (`{ pending }` while it waits for signers: stored, not active). */
export async function createBaseline(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, body: z.infer<typeof CreateBaseline>, signer?: Signer): Promise<z.infer<typeof Baseline> | PendingApproval> {
  if (signer && !body.activate) throw onlyActivationIsSigned();
  return db.transaction(async (tx) => {
    const loaded = await loadVersion(tx, p, model, version, "write");
    const v = loaded.row;
    await lockVersionBaselines(tx, v.id);
    const profile = validateProfile(body.profile, scalarFeatures(v.featureSchema as FeatureSpec[]));
    const [exists] = await tx.select({ id: baselines.id }).from(baselines).where(and(eq(baselines.versionId, v.id), eq(baselines.name, body.name)));
    if (exists) throw new ApiError(409, "conflict", `baseline ${body.name} already exists for version ${version}`);
    const [row] = await tx
      .insert(baselines)
      .values({ orgId: p.orgId, versionId: v.id, name: body.name, format: profile.format, formatVersion: String(profile.version), profile: profile as unknown as Record<string, unknown>, createdBy: `${actor.type}:${actor.id}` })
      .returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "baseline.create", targetType: "baseline", targetId: row!.id, after: baselineJson(row!), note: body.note, details: { model, version } });
    if (body.activate) {
      const waiting = await activate(tx, actor, p.orgId, loaded, row!, body.note, signer);
      if (waiting) return waiting;
    }
    const [final] = await tx.select().from(baselines).where(eq(baselines.id, row!.id));
    return baselineJson(final!);
  });
}

export async function activateBaseline(db: Queryable, p: Principal, actor: AuditActor, model: string, version: string, id: string, note?: string, signer?: Signer): Promise<z.infer<typeof Baseline> | PendingApproval> {
  return db.transaction(async (tx) => {
    const loaded = await loadVersion(tx, p, model, version, "write");
    const v = loaded.row;
    await lockVersionBaselines(tx, v.id);
    const [row] = await tx.select().from(baselines).where(and(eq(baselines.versionId, v.id), eq(baselines.id, id)));
    if (!row) throw new ApiError(404, "not_found", `baseline ${id} not found`);
    if (row.active && signer) throw new ApiError(409, "conflict", `baseline ${id} is already the active one; there is nothing to sign`);
    const waiting = await activate(tx, actor, p.orgId, loaded, row, note, signer);
    if (waiting) return waiting;
    const [final] = await tx.select().from(baselines).where(eq(baselines.id, id));
    return baselineJson(final!);
  });
}
