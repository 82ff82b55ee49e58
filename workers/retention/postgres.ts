// Retention in Postgres: rows older than their store's horizon leave in batches (a
// first run on years of history must not hold one huge transaction), each batch
// committing on its own, so an interrupted run has removed exactly what it counted and
// the next run carries on. Model-scoped tables follow each model's overrides; rows of a
// model without one (or of a model since deleted) follow the org's policy.
//   business_outcomes                      outcomes_days, by the outcome's time (`at`)
//   monitor_aggregates, feature_scores     aggregates_days, by the tick's time (`at`)
//   monitor_series                         aggregates_days, by the bucket's start (`t`)
//   deliveries (+ delivery_attempts)       deliveries_days, finished ones only (delivered
//                                          or dead), by when they were queued
import { and, eq, inArray, lt, notInArray, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../db/client.ts";
import { businessOutcomes, deliveries, deliveryAttempts, featureScores, monitorAggregates, monitorSeries } from "../db/schema/index.ts";
import { DAY_MS, effectiveFor, type ModelField, type ModelOverrides, type RetentionDays } from "./policy.ts";

/** Rows deleted per statement. */
export const DELETE_BATCH = 5_000;

export interface ModelScope {
  name: string;
  overrides: ModelOverrides;
}

type ModelTable = { table: PgTable; id: PgColumn; org: PgColumn; model: PgColumn; time: PgColumn; field: ModelField; store: string };

const MODEL_TABLES: ModelTable[] = [
  { table: businessOutcomes, id: businessOutcomes.id, org: businessOutcomes.orgId, model: businessOutcomes.model, time: businessOutcomes.at, field: "outcomes_days", store: "outcomes" },
  { table: monitorAggregates, id: monitorAggregates.id, org: monitorAggregates.orgId, model: monitorAggregates.model, time: monitorAggregates.at, field: "aggregates_days", store: "monitor_aggregates" },
  { table: featureScores, id: featureScores.id, org: featureScores.orgId, model: featureScores.model, time: featureScores.at, field: "aggregates_days", store: "feature_scores" },
  { table: monitorSeries, id: monitorSeries.id, org: monitorSeries.orgId, model: monitorSeries.model, time: monitorSeries.t, field: "aggregates_days", store: "monitor_series" },
];

const cutoff = (now: number, days: number) => new Date(now - days * DAY_MS);

/** Deletes every row `where` selects, DELETE_BATCH at a time; returns how many went. */
async function deleteAll(db: Database, t: ModelTable, where: SQL | undefined): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = db.select({ id: t.id }).from(t.table).where(where).limit(DELETE_BATCH);
    const gone = await db.delete(t.table).where(inArray(t.id, ids)).returning({ id: t.id });
    total += gone.length;
    if (gone.length < DELETE_BATCH) return total;
  }
}

async function pruneModelTable(db: Database, orgId: string, org: RetentionDays, models: readonly ModelScope[], t: ModelTable, now: number): Promise<number> {
  const own = models.filter((m) => m.overrides[t.field] !== undefined);
  let removed = 0;
  for (const m of own) {
    const days = effectiveFor(org, m.overrides)[t.field];
    removed += await deleteAll(db, t, and(eq(t.org, orgId), eq(t.model, m.name), lt(t.time, cutoff(now, days))));
  }
  const rest = own.length > 0 ? notInArray(t.model, own.map((m) => m.name)) : undefined;
  removed += await deleteAll(db, t, and(eq(t.org, orgId), rest, lt(t.time, cutoff(now, org[t.field]))));
  return removed;
}

async function pruneDeliveries(db: Database, orgId: string, days: number, now: number): Promise<{ deliveries: number; delivery_attempts: number }> {
  const out = { deliveries: 0, delivery_attempts: 0 };
  for (;;) {
    const batch = await db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.orgId, orgId), inArray(deliveries.status, ["delivered", "dead"]), lt(deliveries.createdAt, cutoff(now, days))))
      .limit(DELETE_BATCH);
    if (batch.length === 0) return out;
    const ids = batch.map((b) => b.id);
    await db.transaction(async (tx) => {
      out.delivery_attempts += (await tx.delete(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids)).returning({ id: deliveryAttempts.id })).length;
      out.deliveries += (await tx.delete(deliveries).where(inArray(deliveries.id, ids)).returning({ id: deliveries.id })).length;
    });
    if (batch.length < DELETE_BATCH) return out;
  }
}

/** Applies the org's policy (and its models' overrides) to every Postgres table that holds its data; rows removed per store. */
export async function prunePostgres(db: Database, orgId: string, org: RetentionDays, models: readonly ModelScope[], now: number): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const t of MODEL_TABLES) removed[t.store] = await pruneModelTable(db, orgId, org, models, t, now);
  Object.assign(removed, await pruneDeliveries(db, orgId, org.deliveries_days, now));
  return removed;
}
