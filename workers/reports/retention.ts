// What retention still keeps, for the range check (range.ts requireRetained) and the
// gdpr-processing record. Read straight from the retention tables (migration 0011): an
// org without a policy has the documented defaults (docs/compliance.md), mirrored here.
import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { auditExports, modelRetention, retentionPolicies } from "../db/schema/index.ts";

export const RETENTION_DEFAULTS = { raw_events_days: 7, labels_days: 7, aggregates_days: 395, outcomes_days: 395, deliveries_days: 90, audit_days: 2555 } as const;
export type RetentionInForce = { -readonly [K in keyof typeof RETENTION_DEFAULTS]: number } & { source: "default" | "org policy" | "org policy with model overrides" };

const DAY_MS = 86_400_000;

export async function retentionInForce(db: Queryable, orgId: string, modelId: string | null): Promise<RetentionInForce> {
  const [org] = await db.select().from(retentionPolicies).where(eq(retentionPolicies.orgId, orgId));
  const out: RetentionInForce = org
    ? { raw_events_days: org.rawEventsDays, labels_days: org.labelsDays, aggregates_days: org.aggregatesDays, outcomes_days: org.outcomesDays, deliveries_days: org.deliveriesDays, audit_days: org.auditDays, source: "org policy" }
    : { ...RETENTION_DEFAULTS, source: "default" };
  if (modelId) {
    const [m] = await db.select().from(modelRetention).where(eq(modelRetention.modelId, modelId));
    if (m) {
      const overrides = { raw_events_days: m.rawEventsDays, labels_days: m.labelsDays, aggregates_days: m.aggregatesDays, outcomes_days: m.outcomesDays };
      for (const [k, v] of Object.entries(overrides)) if (v !== null) out[k as keyof typeof overrides] = v;
      out.source = "org policy with model overrides";
    }
  }
  return out;
}

/** The oldest time a store still holds under `days` of retention (retention drops whole days). */
export function retainedSince(days: number, now: number): Date {
  return new Date(now - days * DAY_MS);
}

/** The newest audit export, whose records before `cutoff` left the chain: none before that can be listed. */
export async function lastAuditExport(db: Queryable, orgId: string) {
  const [row] = await db.select().from(auditExports).where(and(eq(auditExports.orgId, orgId))).orderBy(desc(auditExports.exportedAt)).limit(1);
  return row ?? null;
}
