// Retention policies in Postgres: read the org's (defaults when none is set) and a
// model's overrides, and change either with its audit record in the same transaction.
import { eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Queryable } from "../db/queryable.ts";
import { modelRetention, retentionPolicies } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { AUDIT_MIN_DAYS, DEFAULT_RETENTION, MODEL_FIELDS, RETENTION_FIELDS, effectiveFor, type ModelOverrides, type RetentionDays } from "./policy.ts";

type PolicyRow = typeof retentionPolicies.$inferSelect;
type ModelRow = typeof modelRetention.$inferSelect;

const daysOf = (row: PolicyRow | undefined): RetentionDays =>
  row
    ? { raw_events_days: row.rawEventsDays, labels_days: row.labelsDays, aggregates_days: row.aggregatesDays, outcomes_days: row.outcomesDays, deliveries_days: row.deliveriesDays, audit_days: row.auditDays }
    : { ...DEFAULT_RETENTION };

const overridesOf = (row: ModelRow | undefined): ModelOverrides => {
  const out: ModelOverrides = {};
  if (!row) return out;
  const values = { raw_events_days: row.rawEventsDays, labels_days: row.labelsDays, aggregates_days: row.aggregatesDays, outcomes_days: row.outcomesDays };
  for (const f of MODEL_FIELDS) if (values[f] !== null) out[f] = values[f];
  return out;
};

export interface OrgPolicy {
  days: RetentionDays;
  isDefault: boolean;
  updatedAt: Date | null;
  updatedBy: { type: string; id: string } | null;
}

export async function orgPolicy(db: Queryable, orgId: string): Promise<OrgPolicy> {
  const [row] = await db.select().from(retentionPolicies).where(eq(retentionPolicies.orgId, orgId));
  return { days: daysOf(row), isDefault: !row, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

export function policyView(p: OrgPolicy) {
  return {
    ...p.days,
    defaults: { ...DEFAULT_RETENTION },
    audit_min_days: AUDIT_MIN_DAYS,
    is_default: p.isDefault,
    updated_at: p.updatedAt?.toISOString() ?? null,
    updated_by: p.updatedBy,
  };
}

/**
 * Sets the org's policy: `update`'s fields over the current ones. `mayLowerAudit`: the
 * caller is an instance admin, who alone may keep audit records under AUDIT_MIN_DAYS.
 */
export async function setOrgPolicy(db: Queryable, orgId: string, actor: AuditActor, update: Partial<RetentionDays>, mayLowerAudit: boolean): Promise<OrgPolicy> {
  return db.transaction(async (tx) => {
    const before = await orgPolicy(tx, orgId);
    const days: RetentionDays = { ...before.days };
    for (const f of RETENTION_FIELDS) if (update[f] !== undefined) days[f] = update[f]!;
    // Keeping an audit floor already lowered is allowed; lowering it further is not.
    if (update.audit_days !== undefined && days.audit_days < AUDIT_MIN_DAYS && days.audit_days < before.days.audit_days && !mayLowerAudit) {
      throw new ApiError(403, "forbidden", `audit_days: must be at least ${AUDIT_MIN_DAYS}; only a signed-in instance admin may set less`, [
        { field: "audit_days", error: `must be at least ${AUDIT_MIN_DAYS} (instance admins only may set less)` },
      ]);
    }
    const by = { type: actor.type, id: actor.id };
    const values = {
      rawEventsDays: days.raw_events_days,
      labelsDays: days.labels_days,
      aggregatesDays: days.aggregates_days,
      outcomesDays: days.outcomes_days,
      deliveriesDays: days.deliveries_days,
      auditDays: days.audit_days,
      updatedAt: new Date(),
      updatedBy: by,
    };
    await tx.insert(retentionPolicies).values({ orgId, ...values }).onConflictDoUpdate({ target: retentionPolicies.orgId, set: values });
    await recordAudit(tx, actor, {
      orgId,
      action: "retention.update",
      targetType: "retention_policy",
      targetId: orgId,
      before: before.days,
      after: days,
      ...(days.audit_days < AUDIT_MIN_DAYS ? { details: { audit_below_minimum: true } } : {}),
    });
    return { days, isDefault: false, updatedAt: values.updatedAt, updatedBy: by };
  });
}

export interface ModelPolicy {
  overrides: ModelOverrides;
  effective: RetentionDays;
  updatedAt: Date | null;
  updatedBy: { type: string; id: string } | null;
}

export async function modelPolicy(db: Queryable, orgId: string, modelId: string): Promise<ModelPolicy> {
  const [org, [row]] = await Promise.all([orgPolicy(db, orgId), db.select().from(modelRetention).where(eq(modelRetention.modelId, modelId))]);
  const overrides = overridesOf(row);
  return { overrides, effective: effectiveFor(org.days, overrides), updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

/** Every model's overrides in the org, by model id. */
export async function modelOverrides(db: Queryable, orgId: string): Promise<Map<string, ModelOverrides>> {
  const rows = await db.select().from(modelRetention).where(eq(modelRetention.orgId, orgId));
  return new Map(rows.map((r) => [r.modelId, overridesOf(r)]));
}

/** Replaces the model's override set (fields absent or null follow the org). */
export async function setModelPolicy(db: Queryable, orgId: string, model: { id: string; name: string }, actor: AuditActor, update: Partial<Record<string, number | null>>): Promise<ModelPolicy> {
  return db.transaction(async (tx) => {
    const before = await modelPolicy(tx, orgId, model.id);
    const overrides: ModelOverrides = {};
    for (const f of MODEL_FIELDS) if (update[f] != null) overrides[f] = update[f]!;
    const by = { type: actor.type, id: actor.id };
    const updatedAt = new Date();
    const values = {
      rawEventsDays: overrides.raw_events_days ?? null,
      labelsDays: overrides.labels_days ?? null,
      aggregatesDays: overrides.aggregates_days ?? null,
      outcomesDays: overrides.outcomes_days ?? null,
      updatedAt,
      updatedBy: by,
    };
    await tx.insert(modelRetention).values({ modelId: model.id, orgId, ...values }).onConflictDoUpdate({ target: modelRetention.modelId, set: values });
    await recordAudit(tx, actor, { orgId, action: "retention.model_update", targetType: "model", targetId: model.id, before: before.overrides, after: overrides, details: { model: model.name } });
    const org = await orgPolicy(tx, orgId);
    return { overrides, effective: effectiveFor(org.days, overrides), updatedAt, updatedBy: by };
  });
}
